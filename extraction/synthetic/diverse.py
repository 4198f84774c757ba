"""Diverse benchmark pages: every page, URL, anchor and sentence drawn afresh.

The pooled pages of :mod:`extraction.synthetic.bench` reuse a few hundred pre-rendered
link blocks, so any per-URL or per-context cache hits almost always and the benchmark
flatters the extractor. Real Common Crawl pages are not like that, and neither are these:

* 30-60 KB pages with ~250 links, ~10 % of them leaving the site, in the places real
  company sites put them: navigation menus, breadcrumbs, product cards, inline links in
  text, partner/customer/supplier sections under headings with a sentence around each
  link, logo lists (``<a><img alt="Logo X"></a>``), footers (imprint, social networks, job
  portals, agency credits, certificates, mailto/tel/javascript links);
* external links to a universe of firms (``UNIVERSE`` registered domains, several
  subdomains each, drawn with a heavy tail so a file reaches thousands of them) under
  varied TLDs, multi-label public suffixes (co.uk, com.au, co.jp ...), IDN hosts (Unicode
  and punycode), some IP hosts, upper-case schemes and hosts, default ports,
  protocol-relative and relative hrefs (``../x``, ``?q``, ``#frag``), ``<base href>`` on
  some pages, entity-escaped queries, ISO-8859-1 pages;
* the crawled sites are firms of the same universe, so some links are inter-firm links
  between pages of the crawl, as in a real segment; a site has ``PAGES_PER_SITE``
  consecutive pages that share its navigation, everything else is new on every page.

Each page depends only on (seed, page number), so a crawl split over many files holds the
same pages as one file; records are written by :class:`~extraction.synthetic.warcs.
CrawlWarcWriter` (warcinfo, then request/response/metadata per page, a gzip member each),
so the same seed gives byte-identical files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from extraction.synthetic.sites import Page
from extraction.synthetic.warcs import Capture, CrawlWarcWriter
from extraction.synthetic.wordgen import SURNAMES, UMLAUTS, Words

#: Firms external links point to (the crawled sites are the first of them).
UNIVERSE = 20_000
PAGES_PER_SITE = 3
LATIN1_SHARE = 0.08  # of German pages, declared ISO-8859-1 in the HTTP header
BASE_HREF_SHARE = 0.05

#: (country, language, legal forms, public suffixes, weight)
COUNTRIES = (
    ("DE", "de", ("GmbH", "AG", "SE", "GmbH & Co. KG", "KG", "e.K.", "GmbH & Co. KGaA"),
     ("de", "de", "de", "com", "eu"), 34),
    ("AT", "de", ("GmbH", "AG", "KG"), ("at", "co.at", "or.at"), 6),
    ("CH", "de", ("AG", "GmbH", "SA"), ("ch", "swiss"), 5),
    ("GB", "en", ("Ltd.", "plc", "LLP", "Limited"), ("co.uk", "co.uk", "org.uk", "uk"), 12),
    ("US", "en", ("Inc.", "LLC", "Corp.", "Co."), ("com", "com", "us", "net", "io", "ai"), 14),
    ("AU", "en", ("Pty Ltd", "Pty. Ltd."), ("com.au", "net.au"), 4),
    ("NL", "en", ("B.V.", "N.V."), ("nl",), 5),
    ("FR", "en", ("S.A.", "SAS", "SARL"), ("fr",), 4),
    ("ES", "en", ("S.A.", "S.L."), ("es", "com.es"), 3),
    ("IT", "en", ("S.p.A.", "S.r.l."), ("it",), 3),
    ("JP", "en", ("K.K.", "Co., Ltd."), ("co.jp", "jp"), 2),
    ("BR", "en", ("Ltda.", "S.A."), ("com.br",), 2),
    ("NZ", "en", ("Limited",), ("co.nz",), 1),
    ("PL", "en", ("Sp. z o.o.", "S.A."), ("pl", "com.pl"), 2),
    ("INT", "en", ("SE", "Group", "Holding"), ("com", "net", "org", "biz", "info", "global"), 3),
)  # fmt: skip
COUNTRY_WEIGHTS = tuple(country[-1] for country in COUNTRIES)
SUBDOMAINS = ("shop", "blog", "jobs", "karriere", "en", "de", "portal", "support", "docs",
              "news", "investors", "store", "b2b", "media", "service", "careers", "my")  # fmt: skip


@dataclass(frozen=True)
class Firm:
    """A company of the benchmark's universe and the hosts its site answers on."""

    index: int
    name: str
    lang: str
    domain: str  # registered domain, Unicode for IDN firms
    hosts: tuple[str, ...]  # hosts[0] is the main site

    def slug(self) -> str:
        return self.domain.split(".")[0].translate(UMLAUTS)


@lru_cache(maxsize=65_536)
def firm(seed: int, index: int) -> Firm:
    """Firm ``index`` of the universe of ``seed``: a pure function of its arguments."""
    rng = random.Random(f"{seed}:firm:{index}")
    _country, lang, forms, suffixes, _ = rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0]
    words = Words(rng, lang)
    pattern = rng.random()
    if pattern < 0.35:
        core, label = f"{words.brand()} {words.thing().title()}", None
    elif pattern < 0.55:
        surname = rng.choice(SURNAMES)
        core = f"{surname} {words.thing().title()}"
        label = surname.lower().replace(" ", "")
    elif pattern < 0.65:
        first, second = rng.sample(SURNAMES, 2)
        core, label = f"{first} & {second}", f"{first}-{second}".lower().replace(" ", "")
    else:
        core, label = words.brand(), None
    label = label or core.split()[0].lower()
    if rng.random() < 0.3:
        label += "-" + words.thing().split()[-1].lower()[:12]
    if rng.random() < 0.1:
        label += str(rng.randrange(2, 99))
    if not (rng.random() < 0.35 and label.translate(UMLAUTS) != label):  # IDN: keep ä ö ü
        label = label.translate(UMLAUTS)
    label = "".join(c if c.isalnum() or c == "-" else "-" for c in label).strip("-")
    domain = f"{label}.{rng.choice(suffixes)}"
    main = domain if rng.random() < 0.15 else f"www.{domain}"
    subs = rng.sample(SUBDOMAINS, rng.randrange(1, 5))
    hosts = (main, *(f"{sub}.{domain}" for sub in subs))
    return Firm(index, f"{core} {rng.choice(forms)}", lang, domain, hosts)


#: Relation sections: headings and cue sentences ({a}: the link) per language.
SECTIONS = {
    "de": {
        "customer": (("Unsere Kunden", "Referenzen", "Ausgewählte Referenzkunden",
                      "Kunden, die uns vertrauen", "Projekte für unsere Auftraggeber"),
                     ("Zu unseren Kunden zählt {a}.", "Für {a} fertigen wir seit {year} {thing}.",
                      "Seit {year} beliefern wir {a} mit {thing}.",
                      "Im Auftrag von {a} entstand in {city} eine neue Linie.")),
        "supplier": (("Lieferanten", "Unsere Zulieferer", "Bezugsquellen", "Einkauf"),
                     ("Unser Lieferant {a} stellt die {thing} her.",
                      "Die {thing} beziehen wir von {a}.",
                      "Als Zulieferer liefert {a} seit {year} {thing}.")),
        "partner": (("Partner", "Technologiepartner", "Vertriebspartner", "Kooperationen"),
                     ("Gemeinsam mit unserem Partner {a} entwickeln wir {thing}.",
                      "In {city} vertritt uns der Vertriebspartner {a}.",
                      "Seit {year} kooperieren wir mit {a}.")),
        "ownership": (("Unternehmensgruppe", "Tochtergesellschaften", "Standorte der Gruppe"),
                      ("Die {a} ist eine Tochtergesellschaft der Gruppe.",
                       "{a} gehört seit {year} zur Unternehmensgruppe.")),
        "membership": (("Mitgliedschaften", "Verbände", "Netzwerke"),
                       ("Wir sind Mitglied im {a}.", "Seit {year} engagieren wir uns im {a}.")),
    },
    "en": {
        "customer": (("Our customers", "References", "Selected clients", "Trusted by",
                      "Case studies"),
                     ("Our customers include {a}.",
                      "Since {year} we have supplied {a} with {thing}.",
                      "For {a} we built {thing} in {city}.",
                      "{a} relies on our {thing} at its {city} plant.")),
        "supplier": (("Suppliers", "Our suppliers", "Sourcing", "Procurement partners"),
                     ("Our supplier {a} makes the {thing}.", "We source {thing} from {a}.",
                      "{a} has supplied our {thing} since {year}.")),
        "partner": (("Partners", "Technology partners", "Distribution partners", "Alliances"),
                     ("Together with our partner {a} we develop {thing}.",
                      "In {city} we are represented by our distributor {a}.",
                      "We have worked with {a} since {year}.")),
        "ownership": (("Our group", "Group companies", "Subsidiaries"),
                      ("{a} is a subsidiary of the group.", "{a} has been part of the group "
                       "since {year}.", "The group acquired {a} in {year}.")),
        "membership": (("Memberships", "Associations", "Networks"),
                       ("We are a member of {a}.", "Since {year} we have been active in {a}.")),
    },
}  # fmt: skip
RELATIONS = ("customer", "customer", "supplier", "partner", "partner", "ownership", "membership")

SOCIAL = (
    ("Facebook", "https://www.facebook.com/{s}"), ("LinkedIn", "https://www.linkedin.com/company/{s}/"),
    ("Instagram", "https://www.instagram.com/{s}/"), ("YouTube", "https://www.youtube.com/@{s}"),
    ("X", "https://x.com/{s}"), ("Twitter", "https://twitter.com/{s}"),
    ("XING", "https://www.xing.com/pages/{s}"), ("kununu", "https://www.kununu.com/de/{s}"),
    ("TikTok", "https://www.tiktok.com/@{s}"), ("Pinterest", "https://www.pinterest.de/{s}/"),
    ("Vimeo", "https://vimeo.com/{s}"), ("GitHub", "https://github.com/{s}"),
)  # fmt: skip
JOB_PORTALS = (
    "https://www.stepstone.de/cmp/de/{s}-{n}/jobs.html", "https://de.indeed.com/cmp/{s}",
    "https://www.indeed.com/cmp/{s}/jobs", "https://www.glassdoor.co.uk/Overview/{s}-{n}.htm",
    "https://www.karriere.at/f/{s}", "https://www.monster.de/jobs/suche?q={s}",
    "https://www.jobs.ch/de/firmen/{n}-{s}/", "https://www.seek.com.au/{s}-jobs",
    "https://{s}.softgarden.io/de/vacancies", "https://jobs.personio.de/{s}",
)  # fmt: skip
CERTIFICATES = (
    "https://www.tuev-sued.de/zertifikate/{n}", "https://www.tuv.com/de/{s}",
    "https://www.dekra.de/de/zertifikat/{n}/", "https://www.iso.org/standard/{n}.html",
    "https://ecovadis.com/de/{s}", "https://www.sgs.com/en/certified-clients/{n}",
)  # fmt: skip
TOOLS = (
    "https://www.google.com/maps/place/{s}/@{n}", "https://goo.gl/maps/{s}{n}",
    "https://www.openstreetmap.org/?mlat={n}&amp;mlon={n}", "https://get.adobe.com/de/reader/",
    "https://policies.google.com/privacy?hl={lang}", "https://www.bing.com/maps?q={s}",
    "https://calendly.com/{s}/{n}", "https://wa.me/49{n}",
)  # fmt: skip
NAV = {
    "de": ("Startseite", "Produkte", "Lösungen", "Branchen", "Service", "Unternehmen",
           "Karriere", "Presse", "Kontakt", "Downloads", "News", "Über uns", "Referenzen"),
    "en": ("Home", "Products", "Solutions", "Industries", "Service", "Company", "Careers",
           "Press", "Contact", "Downloads", "News", "About us", "References"),
}  # fmt: skip
FOOTER = {
    "de": (("Impressum", "impressum"), ("Datenschutz", "datenschutz"), ("AGB", "agb"),
           ("Kontakt", "kontakt"), ("Sitemap", "sitemap.xml"), ("Karriere", "karriere"),
           ("Barrierefreiheit", "barrierefreiheit"), ("Hinweisgebersystem", "compliance")),
    "en": (("Imprint", "imprint"), ("Privacy policy", "privacy"), ("Terms", "terms"),
           ("Contact", "contact"), ("Sitemap", "sitemap.xml"), ("Careers", "careers"),
           ("Accessibility", "accessibility"), ("Modern slavery statement", "msa")),
}  # fmt: skip
AGENCY_CREDIT = {"de": ("Webdesign:", "Umsetzung von", "Realisiert durch"),
                 "en": ("Website by", "Made by", "Design and build:")}  # fmt: skip
MORE = {"de": ("Mehr erfahren", "Details", "Weiterlesen", "Zum Produkt", "Jetzt ansehen"),
        "en": ("Learn more", "Details", "Read more", "View product", "Discover")}  # fmt: skip


class PageBuilder:
    """Renders page ``number`` of the crawl of ``seed`` (its own generator: pages are
    independent of which file holds them)."""

    def __init__(self, seed: int, number: int, kb: tuple[int, int] = (30, 60)) -> None:
        self.seed, self.number, self.kb = seed, number, kb
        self.rng = random.Random(f"{seed}:page:{number}")
        self.site = firm(seed, number // PAGES_PER_SITE)
        self.lang = self.site.lang
        self.words = Words(self.rng, self.lang)
        self.host = self.site.hosts[0]
        self.links = 0
        self.external = 0

    # -- hrefs ---------------------------------------------------------------------------
    def internal(self, path: str, rng: random.Random | None = None) -> str:
        """An href to ``path`` on this site, in one of the forms real pages use (``rng``:
        the site's generator, for menus that are the same on every page of the site)."""
        self.links += 1
        rng, host = rng or self.rng, self.host
        roll = rng.random()
        if roll < 0.42:
            return path
        if roll < 0.60:
            other = rng.choice(self.site.hosts) if rng.random() < 0.2 else host
            return f"https://{other}{path}"
        if roll < 0.63:
            return f"HTTPS://{host.upper()}{path}"
        if roll < 0.66:
            return f"https://{host}:443{path}"
        if roll < 0.70:
            return f"//{host}{path}"
        if roll < 0.80:
            return rng.choice(("../", "./", "", "../../")) + path.lstrip("/")
        if roll < 0.90:
            return f"?{rng.choice(('page', 'q', 'sort', 'id', 'filter'))}={self.words.slug(1)}" + (
                f"&amp;lang={self.lang}" if rng.random() < 0.4 else ""
            )
        if roll < 0.97:
            return f"#{self.words.slug(1)}"
        return f" {path} "

    def external_url(self, host: str, path: str) -> str:
        self.links += 1
        self.external += 1
        rng = self.rng
        roll = rng.random()
        if host[-1].isdigit():  # an IP host
            return f"http://{host}{rng.choice(('', ':8080', ':8443'))}{path}"
        if not host.isascii() and rng.random() < 0.4:
            host = host.encode("idna").decode("ascii")
        if roll < 0.68:
            return f"https://{host}{path}"
        if roll < 0.80:
            return f"http://{host}{path}"
        if roll < 0.85:
            return f"//{host}{path}"
        if roll < 0.89:
            return f"{rng.choice(('HTTPS', 'Https', 'HTTP'))}://{host.upper()}{path}"
        if roll < 0.92:
            return f"https://{host}:443{path}" if roll < 0.905 else f"http://{host}:80{path}"
        if roll < 0.96:
            return f"https://{host}{path}?utm_source={self.site.slug()}&amp;utm_medium=referral"
        return f"https://{host}/"

    def other_firm(self) -> Firm:
        """An external firm: heavy-tailed over the universe, never the page's own site."""
        rng = self.rng
        while True:
            index = int(UNIVERSE * rng.random() ** 1.6)
            if index != self.site.index:
                candidate = firm(self.seed, index)
                if candidate.domain != self.site.domain:
                    return candidate

    def firm_href(self, target: Firm) -> str:
        rng = self.rng
        if rng.random() < 0.006:
            ip = f"{rng.randrange(11, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"  # noqa: E501
            return self.external_url(ip, "/")
        host = target.hosts[0] if rng.random() < 0.6 else rng.choice(target.hosts)
        path = "/" if rng.random() < 0.35 else f"/{target.lang}/{self.words.slug()}"
        return self.external_url(host, path)

    def platform(self, templates: tuple[str, ...]) -> str:
        url = self.rng.choice(templates).format(
            s=self.site.slug() if self.rng.random() < 0.7 else self.words.slug(1),
            n=self.rng.randrange(1000, 9_999_999),
            lang=self.lang,
        )
        self.links += 1
        self.external += 1
        return url

    # -- page parts ------------------------------------------------------------------------
    def navigation(self) -> str:
        """The site's menu: the same on every page of the site (its own generator)."""
        site_rng = random.Random(f"{self.seed}:nav:{self.site.index}")
        words = Words(site_rng, self.lang)
        items = []
        for top in site_rng.sample(NAV[self.lang], site_rng.randrange(6, 10)):
            top_path = "/" + top.lower().translate(UMLAUTS).replace(" ", "-") + "/"
            subs = "".join(
                f'<li><a href="{self.internal(f"{top_path}{words.slug(2)}/", site_rng)}">'
                f"{words.heading()}</a></li>"
                for _ in range(site_rng.randrange(2, 6))
            )
            items.append(
                f'<li class="menu-item"><a href="{self.internal(top_path, site_rng)}">{top}</a>'
                f'<ul class="sub-menu">{subs}</ul></li>'
            )
        langs = "".join(
            f'<a href="{self.internal(f"/{code}/", site_rng)}" hreflang="{code}">{code.upper()}</a>'
            for code in ("de", "en", "fr")[: site_rng.randrange(2, 4)]
        )
        return (
            f'<nav class="main-nav" aria-label="Main"><ul>{"".join(items)}</ul></nav>'
            f'<div class="lang-switch">{langs}</div>'
        )

    def card(self) -> str:
        words, rng = self.words, self.rng
        path = f"/{'produkte' if self.lang == 'de' else 'products'}/{words.slug()}"
        name = words.product()
        return (
            f'<div class="card"><a href="{self.internal(path)}"><img src="/media/{words.slug(2)}'
            f'.webp" alt="{name}" loading="lazy"></a><h3><a href="{self.internal(path)}">{name}'
            f"</a></h3><p>{words.sentence()}</p>"
            f'<a class="more" href="{self.internal(path + "#specs")}">{rng.choice(MORE[self.lang])}'
            "</a></div>"
        )

    def paragraph(self, inline_links: int = 0) -> str:
        words, rng = self.words, self.rng
        sentences = [words.sentence() for _ in range(rng.randrange(2, 6))]
        for _ in range(inline_links):
            path = f"/{words.slug(1)}/{words.slug()}"
            link = f'<a href="{self.internal(path)}">{words.thing()}</a>'
            sentences.insert(rng.randrange(len(sentences) + 1), words.sentence(tail=link))
        return f"<p>{' '.join(sentences)}</p>"

    def relation_section(self, links: int) -> str:
        """A heading over sentences naming related firms, then a logo list."""
        rng, words = self.rng, self.words
        relation = rng.choice(RELATIONS)
        headings, cues = SECTIONS[self.lang][relation]
        parts = [f'<section class="{relation}"><h2>{rng.choice(headings)}</h2>']
        in_text = rng.randrange(1, links + 1)
        for _ in range(in_text):
            target = self.other_firm()
            link = f'<a href="{self.firm_href(target)}">{escape_name(target.name)}</a>'
            cue = rng.choice(cues).format(
                a=link, year=rng.randrange(1990, 2025), thing=words.thing(), city=words.city()
            )
            parts.append(f"<p>{cue} {words.sentence()}</p>")
        if links > in_text:
            logos = []
            for _ in range(links - in_text):
                target = self.other_firm()
                name = escape_name(target.name)
                alt = f'alt="Logo {name}"' if rng.random() < 0.8 else f'alt="" title="{name}"'
                logos.append(
                    f'<li><a href="{self.firm_href(target)}" target="_blank" rel="noopener">'
                    f'<img src="/media/logos/{target.slug()}.svg" {alt}></a></li>'
                )
            parts.append(f'<ul class="logo-list">{"".join(logos)}</ul>')
        parts.append("</section>")
        return "".join(parts)

    def footer(self) -> str:
        rng, lang, slug = self.rng, self.lang, self.site.slug()
        legal = "".join(
            f'<li><a href="{self.internal("/" + path)}">{label}</a></li>'
            for label, path in rng.sample(FOOTER[lang], rng.randrange(4, 8))
        )
        social = "".join(
            f'<a href="{self.platform((template,))}" aria-label="{name}">'
            f'<i class="icon-{name.lower()}"></i></a>'
            for name, template in rng.sample(SOCIAL, rng.randrange(2, 7))
        )
        extra = []
        if rng.random() < 0.6:
            label = "Offene Stellen" if lang == "de" else "Open positions"
            extra.append(f'<a href="{self.platform(JOB_PORTALS)}">{label}</a>')
        if rng.random() < 0.4:
            extra.append(f'<a href="{self.platform(CERTIFICATES)}">ISO 9001</a>')
        if rng.random() < 0.3:
            extra.append(f'<a href="{self.platform(TOOLS)}">{self.words.city()}</a>')
        if rng.random() < 0.7:
            agency = self.other_firm()
            extra.append(
                f'<p>{rng.choice(AGENCY_CREDIT[lang])} <a href="{self.firm_href(agency)}" '
                f'rel="nofollow">{escape_name(agency.name)}</a></p>'
            )
        self.links += 4
        phone = f"+49 {rng.randrange(30, 9999)} {rng.randrange(10000, 9999999)}"
        mailbox = rng.choice(("info", "kontakt", "sales", "hello"))
        return (
            f'<footer><ul class="legal">{legal}</ul><div class="social">{social}</div>'
            f"{''.join(extra)}<address>{escape_name(self.site.name)}<br>"
            f"{self.words.city()}<br>"
            f'<a href="mailto:{mailbox}@{self.site.domain}">'
            f'E-Mail</a> <a href="tel:{phone.replace(" ", "")}">{phone}</a></address>'
            f'<a href="javascript:void(0)" onclick="cookieSettings()">Cookies</a> '
            f'<a href="JavaScript:window.print();">Drucken</a>'
            f"<p>© {rng.randrange(2015, 2025)} {escape_name(self.site.name)}</p></footer>"
            f'<!-- old footer: <a href="http://{slug}.example/">alt</a> -->'
        )

    def render(self) -> Page:
        rng, words, lang, site = self.rng, self.words, self.lang, self.site
        target_links = rng.randrange(210, 291)
        target_size = rng.randrange(self.kb[0], self.kb[1] + 1) * 1024
        external_goal = round(target_links * rng.uniform(0.07, 0.13))
        section_dir = rng.choice(NAV[lang]).lower().translate(UMLAUTS).replace(" ", "-")
        path = f"/{section_dir}/{words.slug()}-{self.number}"
        if rng.random() < 0.1:
            path += f"?id={self.number}&ref={words.slug(1)}"
        elif rng.random() < 0.3:
            path += ".html"
        scheme = "https" if rng.random() < 0.9 else "http"
        url = f"{scheme}://{self.host.encode('idna').decode('ascii')}{path}"  # as CC records it
        latin1 = lang == "de" and rng.random() < LATIN1_SHARE
        charset = "iso-8859-1" if latin1 else "utf-8"
        title = f"{words.heading()} | {escape_name(site.name)}"
        head = [
            f'<!DOCTYPE html>\n<html lang="{lang}"><head>',
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            if latin1 else f'<meta charset="{charset}">',
            f"<title>{title}</title>",
            f'<meta name="description" content="{words.sentence()}">',
            f'<link rel="canonical" href="{url}"><link rel="stylesheet" '
            f'href="/assets/css/main.{rng.getrandbits(32):08x}.css">',
        ]  # fmt: skip
        if rng.random() < BASE_HREF_SHARE:
            head.append(f'<base href="https://{self.host}/{words.slug(1)}/">')
        head.append(
            '<script type="application/ld+json">{"@context":"https://schema.org",'
            f'"@type":"Organization","name":"{site.name}","url":"https://{self.host}/"}}</script>'
            f"<style>.card{{margin:{rng.randrange(4, 30)}px}}</style></head>"
        )
        body = [
            f'<body class="page-{words.slug(1)}"><a class="skip" href="#main">'
            f"{'Zum Inhalt' if lang == 'de' else 'Skip to content'}</a><header>"
            f'<a class="logo" href="{self.internal("/")}"><img src="/logo.svg" '
            f'alt="{escape_name(site.name)}"></a>',
            self.navigation(),
            '<form action="/search" role="search"><input name="q" type="search"></form></header>',
        ]
        crumbs = " &gt; ".join(
            f'<a href="{self.internal("/" + words.slug(1) + "/")}">{words.heading()}</a>'
            for _ in range(rng.randrange(2, 5))
        )
        body.append(f'<nav class="breadcrumb">{crumbs}</nav><main id="main"><article>')
        body.append(f'<h1>{words.heading()}</h1><p class="date">{words.date()}</p>')
        body.append(self.paragraph(rng.randrange(1, 4)))
        footer = self.footer()  # rendered now, placed last: its links count toward the goals
        sections = []
        while self.external < external_goal:
            room = external_goal - self.external
            if room <= 2 and rng.random() < 0.5:  # an inline mention in running text
                target = self.other_firm()
                link = f'<a href="{self.firm_href(target)}">{escape_name(target.name)}</a>'
                sections.append(f"<p>{words.sentence(tail=link)}</p>")
            else:
                sections.append(self.relation_section(min(room, rng.randrange(2, 9))))
        cards = []
        while self.links < target_links - 6:
            if rng.random() < 0.8:
                cards.append(self.card())
            else:
                cards.append(self.paragraph(rng.randrange(1, 3)))
        body.append(f'<h2>{words.heading()}</h2><div class="grid">')
        # relation sections sit between product blocks, as on real pages
        split = rng.randrange(len(cards) + 1)
        body += cards[:split]
        body.append("</div>")
        body += sections
        body += cards[split:]
        pages = "".join(
            f'<a href="{self.internal(f"?page={n}")}">{n}</a>'
            for n in range(2, rng.randrange(3, 6))
        )
        body.append(f'<nav class="pagination">{pages}</nav>')
        size = sum(map(len, head)) + sum(map(len, body)) + len(footer)
        while size < target_size:
            paragraph = self.paragraph()
            body.append(paragraph)
            size += len(paragraph)
        body.append(f"</article></main>{footer}")
        body.append(
            f'<script async src="https://www.googletagmanager.com/gtag/js?id=G-{rng.getrandbits(40):X}">'
            "</script><script>window.dataLayer=window.dataLayer||[];</script></body></html>\n"
        )
        html = "".join(head) + "".join(body)
        if latin1:
            payload = html.encode("latin-1", "xmlcharrefreplace")
            content_type = "text/html; charset=ISO-8859-1"
        else:
            payload = html.encode("utf-8")
            content_type = "text/html; charset=UTF-8" if rng.random() < 0.9 else "text/html"
        headers = [("Cache-Control", "max-age=600"), ("Vary", "Accept-Encoding")]
        if rng.random() < 0.5:
            headers.append(("X-Powered-By", rng.choice(("PHP/8.1.27", "Express", "ASP.NET"))))
        if rng.random() < 0.4:
            headers.append(("Set-Cookie", f"sid={rng.getrandbits(64):016x}; Path=/; HttpOnly"))
        return Page(url, payload, content_type=content_type, lang=lang, headers=headers)


def escape_name(name: str) -> str:
    return name.replace("&", "&amp;")


def render_page(seed: int, number: int) -> Page:
    """Page ``number`` of the diverse crawl of ``seed``."""
    return PageBuilder(seed, number).render()


def write_diverse_warc(
    path: str | Path,
    records: int,
    *,
    seed: int = 0,
    first_page: int = 0,
    page_kb: tuple[int, int] = (30, 60),
) -> dict:
    """Write a Common Crawl-style WARC.gz of ``records`` diverse pages; return a summary.

    Pages ``first_page`` .. ``first_page + records - 1`` of the crawl of ``seed``: files
    of one crawl with disjoint page ranges hold distinct pages (generate them in parallel).
    ``page_kb`` bounds the HTML size of a page (a Common Crawl-sized file of ~45,000
    pages and ~1 GB needs ``(60, 100)``: real pages are larger than the default's).
    """
    from extraction.synthetic.sample import CRAWL_START, DEFAULT_CRAWL

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html_bytes = links = external = 0
    with path.open("wb") as out:
        writer = CrawlWarcWriter(
            out, path.name, crawl=DEFAULT_CRAWL, seed=seed, started=CRAWL_START
        )
        for number in range(first_page, first_page + records):
            builder = PageBuilder(seed, number, page_kb)
            page = builder.render()
            html_bytes += len(page.body)
            links += builder.links
            external += builder.external
            writer.write(Capture(page, CRAWL_START + timedelta(seconds=number)))
    return {
        "path": str(path),
        "pages": "diverse",
        "records": records,
        "bytes": path.stat().st_size,
        "html_bytes": html_bytes,
        "links": links,
        "external_links": external,
        "page_kb": list(page_kb),
    }
