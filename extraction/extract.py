"""The per-record extraction shared by the Spark job, the CLI and the benchmark.

``extract_columns`` turns one HTML response into a ``pages`` row and the page's
``hyperlinks`` as columns (``{column: list}``) whose names are exactly the columns of
``spark_jobs.tables`` (minus ``crawl``/``segment``, which the caller adds): the hot path of a
crawl-scale run. Page-level values are computed once and repeated, internal links (most of
a page) get cheap fields, and the context work (sentence, heading, weak label) runs only
for links that leave the site. ``extract_record`` gives the same as one dict per link
(about a third slower: building 200 dicts per page costs more than the extraction's
context work); ``extract_warc``/``extract_warc_columns`` run either over a WARC file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from extraction.companies import SeedCompanies
from extraction.html import MAX_PARSE_CHARS, PageLinks, parse_raw, sentence_around
from extraction.native import pagewalk
from extraction.urls import normalize_url, url_path
from extraction.warc import ReadStats, WarcRecord, iter_html_records

#: Column order of the rows (spark_jobs.tables.PAGES / HYPERLINKS minus crawl and segment);
#: tests check these against the table registry, which extraction must not import.
PAGE_COLUMNS = (
    "url",
    "host",
    "registered_domain",
    "company_id",
    "fetch_time",
    "status",
    "content_type",
    "charset",
    "lang",
    "title",
    "text_length",
    "internal_links",
    "external_links",
    "truncated",
    "warc_filename",
    "warc_record_offset",
    "warc_record_length",
)
LINK_COLUMNS = (
    "link_id",
    "src_url",
    "src_host",
    "src_domain",
    "dst_url",
    "dst_host",
    "dst_domain",
    "anchor_text",
    "context",
    "section_heading",
    "page_path",
    "region",
    "rel",
    "position",
    "lang",
    "fetch_time",
    "warc_filename",
)


@dataclass
class ExtractStats(ReadStats):
    """Read counts plus what extraction made of them (pages, links)."""

    pages: int = 0
    links: int = 0


def extract_record(
    record: WarcRecord, seeds: SeedCompanies | None = None, stats: ExtractStats | None = None
) -> tuple[dict, list[dict]]:
    """One HTML response -> (page row, link rows). Unusable hrefs are counted in ``stats``.

    Rows are :func:`extract_columns` turned around; bulk consumers should take the columns.
    """
    page, columns = extract_columns(record, seeds, stats)
    names = tuple(columns)
    return page, [
        dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def extract_columns(
    record: WarcRecord, seeds: SeedCompanies | None = None, stats: ExtractStats | None = None
) -> tuple[dict, dict[str, list]]:
    """One HTML response -> (page row, link columns): the hot path.

    The link columns are a dict ``{column: list}`` over :data:`LINK_COLUMNS` (in that order,
    lists of equal length, one entry per link in page order), ready for ``list.extend`` or
    ``pyarrow.table``. Page-level values are repeated, internal links get cheap fields
    (``context``, ``section_heading`` and ``weak_*`` are None), and only links that leave
    the site get the context work and a weak label.
    """
    parsed = parse_raw(record.payload, record.url, record.charset)
    links: PageLinks = parsed.links
    src_url = normalize_url(record.url) or record.url
    src_host = parsed.host
    src_domain = parsed.domain
    company = seeds.company_for_domain(src_domain) if seeds is not None else None
    lang = parsed.lang or None
    count = len(links.targets)
    page = {
        "url": src_url,
        "host": src_host,
        "registered_domain": src_domain,
        "company_id": company.company_id if company else None,
        "fetch_time": record.fetch_time,
        "status": record.status,
        "content_type": record.content_type,
        "charset": parsed.charset,
        "lang": lang,
        "title": parsed.title or None,
        "text_length": parsed.text_length,
        "internal_links": 0,
        "external_links": 0,
        "truncated": record.truncated or parsed.truncated,
        "warc_filename": record.warc_filename,
        "warc_record_offset": record.offset,
        "warc_record_length": record.length,
    }
    id_prefix = _id_prefix(src_url)
    outside = links.outside
    external = len(outside)
    page["internal_links"] = count - external
    page["external_links"] = external
    targets = links.targets
    anchors, regions, rels, headings = links.anchors, links.regions, links.rels, links.headings
    dst_urls = [targets[index][0] for index in outside]
    page_path = url_path(src_url) if external else None
    columns = {
        "link_id": [f"{id_prefix}{index + 1:05x}{targets[index][4]}" for index in outside],
        "src_url": [src_url] * external,
        "src_host": [src_host] * external,
        "src_domain": [src_domain] * external,
        "dst_url": dst_urls,
        "dst_host": [targets[index][1] for index in outside],
        "dst_domain": [targets[index][2] for index in outside],
        "anchor_text": [anchors[index] for index in outside],
        "context": [
            sentence_around(block, anchors[index])
            for index, block in zip(outside, links.blocks, strict=True)
        ],
        "section_heading": [headings[index] for index in outside],
        "page_path": [page_path] * external,
        "region": [regions[index] for index in outside],
        "rel": [rels[index] for index in outside],
        "position": [index + 1 for index in outside],
        "lang": [lang] * external,
        "fetch_time": [record.fetch_time] * external,
        "warc_filename": [record.warc_filename] * external,
    }
    if stats is not None:
        stats.pages += 1
        stats.links += count
        for reason, dropped in parsed.dropped_links.items():
            stats.skipped[f"link_{reason}"] += dropped
        if parsed.flattened:
            stats.skipped["html_flattened"] += 1
        elif parsed.truncated:
            stats.skipped["html_capped"] += 1
    return page, columns


def link_id(src_url: str, position: int, dst_url: str) -> str:
    """The id :func:`extract_columns` gives the link at ``position`` (1-based) of the page
    ``src_url`` to ``dst_url``: stable across runs, unique within a crawl slice. Spark jobs
    derive the same id from ``hyperlinks`` rows (``spark_jobs.tables.LINK_ID_SQL``)."""
    return f"{_id_prefix(src_url)}{position:05x}{pagewalk.url_hash(dst_url)}"


def _id_prefix(src_url: str) -> str:
    return hashlib.sha256(src_url.encode("utf-8", "replace")).hexdigest()[:16]


def clear_caches() -> None:
    """Forget every memo of the extraction path (URL, domain, site and rule caches).

    Caches are bounded and make repeated pages cheap; benchmarks clear them so each run
    starts cold, as a fresh Spark task does.
    """
    from extraction import html, urls, weak_labels

    for cached in (urls.normalize_url, urls._host_of, urls.registered_domain, urls._absolute,
                   urls.resolver_for, weak_labels._first_rule, weak_labels._target_domain,
                   weak_labels._src_path, weak_labels._link_rule):  # fmt: skip
        cached.cache_clear()
    html._SITE_CACHES.clear()
    html._SENTENCES.clear()
    pagewalk.clear_interned()


def extract_warc(
    source: str | os.PathLike | BinaryIO,
    warc_filename: str | None = None,
    seeds: SeedCompanies | None = None,
    stats: ExtractStats | None = None,
    reader: str = "warcio",
) -> Iterator[tuple[dict, list[dict]]]:
    """(page row, link rows) per HTML record of a WARC file; failures are counted, not raised."""
    return _extract(extract_record, source, warc_filename, seeds, stats, reader)


def extract_warc_columns(
    source: str | os.PathLike | BinaryIO,
    warc_filename: str | None = None,
    seeds: SeedCompanies | None = None,
    stats: ExtractStats | None = None,
    reader: str = "warcio",
) -> Iterator[tuple[dict, dict[str, list]]]:
    """(page row, link columns) per HTML record: :func:`extract_warc` without building a
    dict per link (see :func:`extract_columns`); the form for bulk writers."""
    return _extract(extract_columns, source, warc_filename, seeds, stats, reader)


def _extract(extract_one, source, warc_filename, seeds, stats, reader) -> Iterator[tuple]:
    stats = stats if stats is not None else ExtractStats()
    for record in iter_html_records(source, warc_filename, stats, reader=reader):
        try:
            result = extract_one(record, seeds, stats)
        except Exception as exc:  # one bad page never stops the file
            stats.skipped["parse_error"] += 1
            stats.error(record.warc_filename, record.offset, f"{type(exc).__name__}: {exc}")
            continue
        yield result


__all__ = [
    "ExtractStats",
    "LINK_COLUMNS",
    "MAX_PARSE_CHARS",
    "PAGE_COLUMNS",
    "clear_caches",
    "extract_columns",
    "extract_record",
    "extract_warc",
    "extract_warc_columns",
    "link_id",
]
