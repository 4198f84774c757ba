"""Company websites of the synthetic economy, rendered as HTML pages (plus crawl noise).

Each seed firm gets a small site: home, about, imprint, contact, careers, a news article and
one page per relation type it talks about, laid out with a family from ``phrases`` so the
wording varies from site to site. Links to other firms are exactly ``economy.RELATIONS``;
everything else on the page is noise a real crawl has too (navigation, social media, agency
credits, mailto/tel/javascript links, tools, press).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape

from extraction.synthetic.economy import SEEDS, Firm, firms_by_id, relations_of
from extraction.synthetic.imprints import imprint_body
from extraction.synthetic.phrases import (
    OTHER_TARGETS,
    THINGS,
    UPWARD,
    Family,
    families_for,
    fits,
    other_target,
)
from extraction.synthetic.text import (
    INTROS,
    NEWS_HEADLINES,
    PAGE_PATHS,
    PAGE_TITLES,
    fill,
    paragraph,
)

LABEL_ORDER = ("customer", "supplier", "partner", "ownership", "investor", "membership")
#: Sites reachable without "www." (both forms occur in real crawls).
BARE_HOSTS = {"C24", "C27", "C38", "X03"}
#: Dealers whose brand pages sit under a "Partner" heading (a hard case for classifiers).
DEALER_FAMILY = {"C29": "sup-de-haendler", "C31": "sup-en-dealer"}
#: Sites served as ISO-8859-1 (declared in the HTTP header), like many older German sites.
LATIN1_SITES = {"C16", "C30"}
#: A site whose pages use ``<base href>`` with relative links.
BASE_HREF_SITES = {"C13"}


@dataclass
class Page:
    url: str
    body: bytes
    content_type: str = "text/html; charset=UTF-8"
    status: int = 200
    lang: str = "de"
    kind: str = "html"  # html, robots, pdf, image, redirect, notfound
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def mime(self) -> str:
        return self.content_type.split(";")[0].strip()

    @property
    def charset(self) -> str | None:
        _, _, rest = self.content_type.partition("charset=")
        return rest.strip() or None


def host_of(firm: Firm, domain: str | None = None) -> str:
    domain = domain or firm.primary_domain
    return domain if firm.company_id in BARE_HOSTS else f"www.{domain}"


def slug(text: str) -> str:
    keep = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return "-".join("".join(c if c.isalnum() else " " for c in keep).split())


class SiteWriter:
    """Renders one firm's pages; ``rng`` makes every choice, so output is reproducible."""

    def __init__(self, firm: Firm, rng: random.Random) -> None:
        self.firm, self.rng, self.lang = firm, rng, firm.lang
        self.host = host_of(firm)
        self.base = f"https://{self.host}"
        self.firms = firms_by_id()
        self.by_label: dict[str, list[Firm]] = {}
        for dst, rel in relations_of(firm.company_id):
            self.by_label.setdefault(rel, []).append(self.firms[dst])
        self.family = {label: self._family(label) for label in self.by_label}
        self.paths = {kind: PAGE_PATHS[kind][self.lang] for kind in PAGE_PATHS}
        for label, fam in self.family.items():
            self.paths[label] = rng.choice(fam.paths)
        self.social = rng.sample(OTHER_TARGETS["social"], rng.randint(2, 4))
        self.slug = slug(firm.short)

    def _family(self, label: str) -> Family:
        if label == "supplier" and self.firm.company_id in DEALER_FAMILY:
            return next(
                f for f in families_for(label) if f.key == DEALER_FAMILY[self.firm.company_id]
            )
        targets = self.by_label[label]
        families = families_for(label, self.lang)
        suitable = [
            fam
            for fam in families
            if all(any(self.suits(s, t, label) for s in fam.sentences) for t in targets)
        ]
        return self.rng.choice(suitable or families)

    # ------------------------------------------------------------------ links
    def target_url(self, target: Firm) -> str:
        domain = target.primary_domain
        if len(target.domains) > 1 and self.rng.random() < 0.4:
            domain = target.domains[1]
        url = f"https://{host_of(target, domain)}"
        return url + self.rng.choice(("/", "/", "", "/de/", "/en/", "/?utm_source=partner"))

    def link(self, href: str, text: str, **attrs: str) -> str:
        extra = "".join(f' {k.rstrip("_")}="{escape(v)}"' for k, v in attrs.items())
        return f'<a href="{escape(href)}"{extra}>{escape(text)}</a>'

    def relation_sentence(self, fam: Family, target: Firm, template: str | None = None) -> str:
        """One sentence of ``fam`` about ``target`` with the link in place, as HTML."""
        template = template or self.rng.choice(fam.sentences)
        if not self.suits(template, target, fam.label):
            sentences = [s for s in fam.sentences if self.suits(s, target, fam.label)] or [
                s
                for other in families_for(fam.label, fam.lang)
                for s in other.sentences
                if self.suits(s, target, fam.label)
            ]
            template = self.rng.choice(sentences or list(fam.sentences))
        style = self.rng.choice(fam.anchors)
        name = self.rng.choice((target.name, target.name, target.short))
        anchor = style.format(name=name, domain=host_of(target))
        text = fill(
            template, self.rng, thing=self.rng.choice(THINGS[self.lang]), src=self.firm.short
        )
        if anchor.endswith("."):
            text = text.replace("{a}.", "{a}")
        rel = {"rel": "nofollow"} if self.rng.random() < 0.15 else {}
        if self.rng.random() < 0.3:
            rel["target"] = "_blank"
        link = self.link(self.target_url(target), anchor, **rel)
        if "{name}" not in style and "{domain}" not in style:  # "Read more" after the sentence
            return escape(text).replace("{a}", escape(name)) + " " + link
        return escape(text).replace("{a}", link)

    def suits(self, template: str, target: Firm, label: str) -> bool:
        upward = (self.firm.company_id, target.company_id) in UPWARD
        return fits(
            template, label=label, target_kind=target.kind, target_name=target.name, upward=upward
        )

    def other_sentence(self, fam: Family) -> str:
        template = self.rng.choice(fam.sentences)
        name, url = other_target(fam.target, template, self.rng)
        style = self.rng.choice(fam.anchors)
        anchor = style.format(name=name, domain=url.split("/")[2])
        text = fill(template, self.rng, src=self.firm.short)
        link = self.link(url.format(slug=self.slug), anchor, rel="nofollow")
        if "{name}" not in style and "{domain}" not in style:
            return escape(text).replace("{a}", escape(name)) + " " + link
        return escape(text).replace("{a}", link)

    def other_family(self, target: str) -> Family:
        return self.rng.choice(
            [f for f in families_for("other", self.lang) if f.target == target]
            or [f for f in families_for("other") if f.target == target]
        )

    # ------------------------------------------------------------------ chrome
    def nav(self) -> str:
        items = [
            ("home", PAGE_TITLES["home"][self.lang]),
            ("about", PAGE_TITLES["about"][self.lang]),
        ]
        for label in LABEL_ORDER:
            if label in self.family:
                items.append((label, self.family[label].headings[0]))
        items += [(k, PAGE_TITLES[k][self.lang]) for k in ("news", "careers", "contact")]
        links = []
        for kind, title in items:
            path = self.paths[kind]
            href = path if self.rng.random() < 0.7 else self.base + path
            if self.firm.company_id in BASE_HREF_SITES:
                href = path.lstrip("/") or "./"
            links.append(f"<li>{self.link(href, title)}</li>")
        search = self.link("javascript:void(0)", "Suche" if self.lang == "de" else "Search")
        return f'<nav class="main-nav"><ul>{"".join(links)}<li>{search}</li></ul></nav>'

    def footer(self) -> str:
        de = self.lang == "de"
        social_fam = self.other_family("social")
        social = " ".join(
            self.link(url.format(slug=self.slug), name, target="_blank")
            for name, url, _ in self.social
        )
        agency_fam = self.other_family("agency")
        agency = self.other_sentence(agency_fam)
        phone = "+49 " if self.firm.country == "DE" else "+44 "
        phone += f"{self.rng.randint(200, 999)} {self.rng.randint(10000, 99999)}-0"
        mail = f"info@{self.firm.primary_domain}"
        legal = (
            self.link(self.paths["imprint"], PAGE_TITLES["imprint"][self.lang])
            + " | "
            + self.link("/datenschutz" if de else "/privacy", "Datenschutz" if de else "Privacy")
            + " | "
            + self.link(
                "javascript:UC_UI.showSecondLayer();",
                "Cookie-Einstellungen" if de else "Cookie settings",
            )  # noqa: E501
        )
        return (
            "<footer>"
            f"<p>{escape(self.firm.name)} · {escape(self.firm.city)} · "
            f"{self.link('tel:' + phone.replace(' ', ''), phone)} · {self.link('mailto:' + mail, mail)}</p>"  # noqa: E501
            f'<div class="social"><h4>{escape(social_fam.headings[0])}</h4>{social}</div>'
            f'<p class="legal">{legal}</p><p class="credit">{agency}</p>'
            "</footer>"
        )

    def document(self, title: str, main: str, *, lang: str | None = None) -> str:
        lang = lang or self.lang
        charset = "iso-8859-1" if self.firm.company_id in LATIN1_SITES else "utf-8"
        base = f'<base href="{self.base}/">' if self.firm.company_id in BASE_HREF_SITES else ""
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="{charset}">{base}'
            f"<title>{escape(title)} | {escape(self.firm.name)}</title>"
            f'<meta name="description" content="{escape(self.firm.name)} – {escape(title)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="stylesheet" href="/assets/css/main.min.css">'
            '<link rel="icon" href="/favicon.ico">'
            "<script>window.dataLayer=window.dataLayer||[];</script></head>\n<body>"
            f'<header><a class="logo" href="/"><img src="/assets/img/logo.svg" '
            f'alt="{escape(self.firm.name)}"></a>{self.nav()}</header>\n'
            f"<main>{main}</main>\n{self.footer()}"
            '<script src="/assets/js/app.min.js" defer></script></body></html>\n'
        )

    def page(self, kind: str, title: str, main: str, *, path: str | None = None) -> Page:
        html = self.document(title, main)
        charset = "ISO-8859-1" if self.firm.company_id in LATIN1_SITES else "UTF-8"
        body = html.encode(charset.lower(), errors="xmlcharrefreplace")
        content_type = f"text/html; charset={charset}"
        if self.firm.kind == "food":  # charset only in the <meta> tag
            content_type = "text/html"
        url = self.base + (path if path is not None else self.paths[kind])
        return Page(url, body, content_type, lang=self.lang, kind="html")

    # ------------------------------------------------------------------ pages
    def text(self, sentences: int) -> str:
        return paragraph(
            self.rng,
            self.lang,
            sentences,
            name=self.firm.short,
            city=self.firm.city,
            thing=self.rng.choice(THINGS[self.lang]),
        )

    def home(self) -> Page:
        de = self.lang == "de"
        parts = [f"<h1>{escape(self.firm.short)}</h1><p>{escape(self.text(3))}</p>"]
        teasers = [
            self.link(self.paths[label], self.family[label].headings[0])
            for label in LABEL_ORDER
            if label in self.family
        ]
        if teasers:
            parts.append(f'<section class="teaser"><h2>{"Mehr erfahren" if de else "Learn more"}</h2>'  # noqa: E501
                         f"<p>{' · '.join(teasers)}</p></section>")  # fmt: skip
        if self.by_label:
            label = next(lb for lb in LABEL_ORDER if lb in self.by_label)
            fam = self.family[label]
            sentence = self.relation_sentence(fam, self.by_label[label][0])
            parts.append(f"<section><h2>{escape(self.rng.choice(fam.headings))}</h2>"
                         f"<p>{sentence}</p></section>")  # fmt: skip
        parts.append(f"<section><h2>{'Aktuelles' if de else 'News'}</h2><p>"
                     f"{self.link(self.paths['news'] + '/' + self.news_slug(), self.headline)}</p></section>")  # noqa: E501  # fmt: skip
        return self.page("home", PAGE_TITLES["home"][self.lang], "\n".join(parts))

    def about(self) -> Page:
        main = (
            f"<h1>{escape(PAGE_TITLES['about'][self.lang])}</h1>"
            f"<p>{escape(self.text(4))}</p><h2>{'Geschichte' if self.lang == 'de' else 'History'}"
            f"</h2><p>{escape(self.text(3))}</p>"
        )
        return self.page("about", PAGE_TITLES["about"][self.lang], main)

    def relation_page(self, label: str) -> Page:
        fam = self.family[label]
        heading = self.rng.choice(fam.headings)
        layout = self.rng.choice(("list", "cards", "paragraphs"))
        sentences = list(fam.sentences)
        self.rng.shuffle(sentences)
        items = []
        for i, target in enumerate(self.by_label[label]):
            sentence = self.relation_sentence(fam, target, sentences[i % len(sentences)])
            if layout == "list":
                items.append(f"<li>{sentence}</li>")
            elif layout == "cards":
                logo = self.link(self.target_url(target), "")
                logo = logo.replace("></a>", f'><img src="/media/logos/{slug(target.short)}.png" '
                                    f'alt="{escape(target.short)} Logo"></a>')  # fmt: skip
                items.append(f'<div class="card">{logo}<h3>{escape(target.name)}</h3>'
                             f"<p>{sentence}</p></div>")  # fmt: skip
            else:
                items.append(f"<p>{sentence}</p>")
        if label == "customer" and self.rng.random() < 0.6:  # references mixed with press
            press = self.other_sentence(self.other_family("press"))
            items.append(f"<li>{press}</li>" if layout == "list" else f"<p>{press}</p>")
        body = "".join(items)
        if layout == "list":
            body = f"<ul>{body}</ul>"
        main = (
            f"<h1>{escape(heading)}</h1><p>{escape(INTROS[label][self.lang])}</p>"
            f'<section class="{label}">{body}</section><p>{escape(self.text(2))}</p>'
        )
        return self.page(label, heading, main)

    def news_slug(self) -> str:
        if not hasattr(self, "headline"):
            template = self.rng.choice(NEWS_HEADLINES[self.lang])
            self.headline = fill(template, self.rng, name=self.firm.short, city=self.firm.city,
                                 thing=self.rng.choice(THINGS[self.lang]))  # fmt: skip
        return slug(self.headline)[:60]

    def news(self) -> Page:
        path = self.paths["news"] + "/" + self.news_slug()
        parts = [f"<article><h1>{escape(self.headline)}</h1><p>{escape(self.text(3))}</p>"]
        if self.by_label:
            label = self.rng.choice(sorted(self.by_label))
            target = self.rng.choice(self.by_label[label])
            parts.append(f"<p>{self.relation_sentence(self.family[label], target)}</p>")
        parts.append(f"<p>{self.other_sentence(self.other_family('press'))}</p></article>")
        return self.page("news", self.headline, "".join(parts), path=path)

    def imprint(self) -> Page:
        de = self.lang == "de"
        # The same three draws as ever, so the rest of the site's random choices stay put;
        # the identity itself comes from the firm's own generator (synthetic.imprints).
        number, code = self.rng.randint(1, 90), self.rng.randint(10000, 99999)
        self.rng.randint(1000, 99999)
        street, postcode = _street_and_postcode(self.firm.country, number, code)
        lines = [
            f"<h1>{escape(PAGE_TITLES['imprint'][self.lang])}</h1>",
            imprint_body(self.firm, street, postcode),
        ]
        if "C42" in [t.company_id for t in self.by_label.get("membership", [])]:
            fam = next(f for f in families_for("membership", "de") if f.key == "mem-de-ihk")
            chamber = self.firms["C42"]
            lines.append(f"<p>{self.relation_sentence(fam, chamber, fam.sentences[0])}</p>")
        odr = "https://ec.europa.eu/consumers/odr/"
        lines.append(f"<p>{'Plattform der EU-Kommission zur Online-Streitbeilegung' if de else 'EU online dispute resolution'}: "  # noqa: E501
                     f"{self.link(odr, odr)}</p>")  # fmt: skip
        lines.append(f"<p>{self.other_sentence(self.other_family('agency'))}</p>")
        return self.page("imprint", PAGE_TITLES["imprint"][self.lang], "".join(lines))

    def contact(self) -> Page:
        tool = self.other_sentence(self.other_family("tool"))
        main = (
            f"<h1>{escape(PAGE_TITLES['contact'][self.lang])}</h1><p>{escape(self.text(1))}</p>"
            f"<p>{tool}</p><form action='/kontakt/senden' method='post'></form>"
        )
        return self.page("contact", PAGE_TITLES["contact"][self.lang], main)

    def careers(self) -> Page:
        fam = self.other_family("review")
        main = (
            f"<h1>{escape(PAGE_TITLES['careers'][self.lang])}</h1><p>{escape(self.text(3))}</p>"
            f"<p>{self.other_sentence(self.other_family('tool'))}</p>"
            f"<p>{self.other_sentence(fam)}</p>"
        )
        return self.page("careers", PAGE_TITLES["careers"][self.lang], main)

    def mirror(self) -> list[Page]:
        """English pages on a firm's second domain, linking back to the main site."""
        base = f"https://{host_of(self.firm, self.firm.domains[1])}"
        back = self.link(self.base + "/", "Deutsche Website" if self.lang == "de" else "Main site")
        text = paragraph(self.rng, "en", 3, name=self.firm.short, city=self.firm.city,
                         thing=self.rng.choice(THINGS["en"]))  # fmt: skip
        pages = []
        for path, title in (("/", "Home"), ("/about", "About us")):
            html = (
                f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title} | '
                f"{escape(self.firm.name)}</title></head><body><header><nav>"
                f"{self.link('/', 'Home')} {self.link('/about', 'About us')} {back}</nav></header>"
                f"<main><h1>{escape(self.firm.short)}</h1><p>{escape(text)}</p></main>"
                f"{self.footer()}</body></html>\n"
            )
            pages.append(Page(base + path, html.encode(), lang="en"))
        return pages

    def filler(self, number: int) -> Page:
        """An extra product page (used when a bigger crawl is asked for)."""
        de = self.lang == "de"
        thing = self.rng.choice(THINGS[self.lang])
        path = f"{'/produkte' if de else '/products'}/{slug(thing)}-{number}"
        parts = [f"<h1>{escape(thing)}</h1><p>{escape(self.text(4))}</p>"]
        if self.by_label and self.rng.random() < 0.3:
            label = self.rng.choice(sorted(self.by_label))
            fam = self.family[label]
            target = self.rng.choice(self.by_label[label])
            parts.append(f"<h2>{escape(fam.headings[0])}</h2>"
                         f"<p>{self.relation_sentence(fam, target)}</p>")  # fmt: skip
        parts.append(f"<p>{escape(self.text(3))}</p><p>{escape(self.text(4))}</p>")
        base = path.rsplit("/", 1)[0]
        related = "".join(
            f"<li>{self.link(f'{base}/{slug(t)}-{number}-{i}', t)}</li>"
            for i, t in enumerate(self.rng.sample(THINGS[self.lang], 12))
        )
        parts.append(
            f"<h2>{'Weitere Produkte' if de else 'Related products'}</h2><ul>{related}</ul>"
        )
        return self.page("product", thing, "".join(parts), path=path)

    def pages(self) -> list[Page]:
        pages = [self.home(), self.about(), self.imprint(), self.news()]
        pages += [self.relation_page(label) for label in LABEL_ORDER if label in self.by_label]
        if self.rng.random() < 0.6:
            pages.append(self.contact())
        if self.rng.random() < 0.5:
            pages.append(self.careers())
        if len(self.firm.domains) > 1:
            pages += self.mirror()
        return pages


def _street_and_postcode(country: str, number: int, code: int) -> tuple[str, str]:
    """A street and postcode in the style of the firm's country."""
    letters = "ABDEFGHJLNPRSTUWXYZ"
    pair = letters[code % 19] + letters[(code // 19) % 19]
    if country == "GB":
        return f"{number} Industry Road", f"{pair[0]}{code % 20 + 1} {code % 9 + 1}{pair}"
    if country == "NL":
        return f"Industrieweg {number}", f"{code % 9000 + 1000} {pair}"
    if country == "FR":
        return f"{number} rue de l'Industrie", f"{code:05d}"
    if country in ("AT", "BE"):
        return f"Industriestraße {number}", f"{code % 9000 + 1000}"
    if country == "ES":
        return f"Calle de la Industria {number}", f"{code:05d}"
    return f"Industriestraße {number}", f"{code:05d}"


def site_writers(seed: int) -> list[SiteWriter]:
    return [SiteWriter(firm, random.Random(f"{seed}:{firm.company_id}")) for firm in SEEDS]


# ---------------------------------------------------------------------- non-HTML noise
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a3e9b0f70000000049454e44ae426082"
)


def noise_pages(writers: list[SiteWriter], rng: random.Random) -> list[Page]:
    """robots.txt, PDFs, images, redirects and 404s, as a crawler fetches them too."""
    pages = []
    for writer in rng.sample(writers, 8):
        robots = f"User-agent: *\nDisallow: /intern/\nSitemap: {writer.base}/sitemap.xml\n"
        pages.append(Page(writer.base + "/robots.txt", robots.encode(), "text/plain",
                          kind="robots", lang=writer.lang))  # fmt: skip
    for writer in rng.sample(writers, 4):
        pages.append(Page(writer.base + "/media/datenblatt.pdf", _PDF, "application/pdf",
                          kind="pdf", lang=writer.lang))  # fmt: skip
    for writer in rng.sample(writers, 3):
        pages.append(Page(writer.base + "/media/logo.png", _PNG, "image/png", kind="image",
                          lang=writer.lang))  # fmt: skip
    for writer in rng.sample(writers, 4):
        target = writer.base + "/"
        body = f'<html><body><a href="{target}">Moved</a></body></html>'.encode()
        redirect = Page(f"http://{writer.firm.primary_domain}/", body, "text/html", status=301,
                        kind="redirect", lang=writer.lang)  # fmt: skip
        redirect.headers.append(("Location", target))
        pages.append(redirect)
    for writer in rng.sample(writers, 2):
        body = b"<html><head><title>404</title></head><body><h1>Not found</h1></body></html>"
        pages.append(Page(writer.base + "/alte-seite.html", body, "text/html", status=404,
                          kind="notfound", lang=writer.lang))  # fmt: skip
    return pages
