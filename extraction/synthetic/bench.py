"""Pooled benchmark WARC files: N company pages of ~40 KB with ~200 links each.

The secondary case of the benchmarks (``--pages pooled``); the default is
:mod:`extraction.synthetic.diverse`. Pages are assembled from pre-rendered pools
(paragraphs, internal links, external links in context) so writing stays cheap: most of
the time goes into gzip and digests, as in a real crawler. Most links stay inside the site
(navigation, product lists); a few leave it, in sentences that name the relation, as on
real company sites. Because a few hundred link blocks repeat on every page, per-URL and
per-context caches hit almost always: the gap between its figures and the diverse pages'
is what such caches buy, not crawl speed.
"""

from __future__ import annotations

import random
from datetime import timedelta
from html import escape
from pathlib import Path

from extraction.synthetic.economy import SEEDS, firms_by_id
from extraction.synthetic.phrases import OTHER_TARGETS, THINGS, families_for
from extraction.synthetic.sites import Page, host_of, slug
from extraction.synthetic.text import paragraph
from extraction.synthetic.warcs import Capture, CrawlWarcWriter

EXTERNAL_SHARE = 0.12


class _Pools:
    """Pre-rendered HTML pieces per site, shared by all pages of the benchmark."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        firms = [f for f in firms_by_id().values()]
        self.paragraphs = {
            lang: [
                f"<p>{escape(paragraph(rng, lang, 4, name='Wir' if lang == 'de' else 'We', city='Berlin', thing=rng.choice(THINGS[lang])))}</p>"  # noqa: E501
                for _ in range(120)
            ]
            for lang in ("de", "en")
        }
        self.external = {lang: [] for lang in ("de", "en")}
        for lang in ("de", "en"):
            for label in ("customer", "supplier", "partner", "ownership", "investor", "membership"):
                for fam in families_for(label, lang):
                    for sentence in fam.sentences:
                        target = rng.choice(firms)
                        href = f"https://{host_of(target)}/"
                        link = f'<a href="{href}">{escape(target.name)}</a>'
                        self.external[lang].append(
                            f"<h3>{escape(fam.headings[0])}</h3><p>"
                            + escape(sentence.format(a="{a}", src="", thing=THINGS[lang][0],
                                                     year="2019")).replace("{a}", link)
                            + "</p>"
                        )  # fmt: skip
            for kind in ("social", "press", "tool"):
                for name, url, _ in OTHER_TARGETS[kind]:
                    href = url.format(slug="bench")
                    self.external[lang].append(f'<p><a href="{href}">{escape(name)}</a></p>')

    def page(self, firm_index: int, number: int, kb: int, links: int) -> Page:
        rng = self.rng
        firm = SEEDS[firm_index % len(SEEDS)]
        lang = firm.lang
        base = f"https://{host_of(firm)}"
        n_external = max(1, int(links * EXTERNAL_SHARE))
        n_nav = min(40, links - n_external)
        nav = "".join(
            f'<li><a href="/{"kategorie" if lang == "de" else "category"}/{i}">Menu {i}</a></li>'
            for i in range(n_nav)
        )
        parts = [
            f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(firm.short)} {number}</title></head><body><header><nav><ul>{nav}"
            "</ul></nav></header><main>"
        ]
        internal_left = links - n_external - n_nav - 1  # the footer's mailto link
        blocks = rng.choices(self.external[lang], k=n_external)
        size = sum(map(len, parts))
        target_size = kb * 1024
        serial = 0
        for position, block in enumerate(blocks):
            items = []
            product = f"/produkte/{slug(firm.short)}"
            for _ in range(internal_left // (n_external - position)):
                serial += 1
                items.append(f'<li><a href="{product}-{serial}.html">Produkt {serial}</a></li>')
            internal_left -= len(items)
            chunk = f"<ul>{''.join(items)}</ul>{block}"
            parts.append(chunk)
            size += len(chunk)
        while size < target_size:
            chunk = rng.choice(self.paragraphs[lang])
            parts.append(chunk)
            size += len(chunk)
        parts.append(f"</main><footer><a href=\"mailto:info@{firm.primary_domain}\">Mail</a>"
                     "</footer></body></html>\n")  # fmt: skip
        url = f"{base}/seite/{number}" if lang == "de" else f"{base}/page/{number}"
        return Page(url, "".join(parts).encode(), lang=lang)


def write_warc(
    path: str | Path,
    records: int,
    *,
    seed: int = 0,
    page_kb: int = 40,
    links_per_page: int = 200,
    first_page: int = 0,
) -> dict:
    """Write a gzip WARC of ``records`` HTML response records; return what was written.

    Pages are numbered from ``first_page``, so several files can hold distinct URLs.
    """
    from extraction.synthetic.sample import CRAWL_START, DEFAULT_CRAWL

    rng = random.Random(f"{seed}:bench")
    pools = _Pools(rng)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html_bytes = 0
    with path.open("wb") as out:
        writer = CrawlWarcWriter(
            out, path.name, crawl=DEFAULT_CRAWL, seed=seed, started=CRAWL_START, with_request=False
        )
        for number in range(first_page, first_page + records):
            page = pools.page(number % 97, number, page_kb, links_per_page)
            html_bytes += len(page.body)
            writer.write(Capture(page, CRAWL_START + timedelta(seconds=number)))
    return {
        "path": str(path),
        "records": records,
        "bytes": path.stat().st_size,
        "html_bytes": html_bytes,
        "page_kb": page_kb,
        "links_per_page": links_per_page,
    }
