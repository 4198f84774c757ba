"""The per-record extraction shared by the Spark job, the CLI and the benchmark.

``extract_columns`` turns one HTML response into a ``pages`` row and the page's
``hyperlinks`` as columns (``{column: list}``) whose names are exactly the columns of
``spark_jobs.tables`` (minus ``crawl``/``segment``, which the caller adds): the hot path of a
crawl-scale run. Only links that leave the page's registered domain become rows (links
inside a site, ~90 %, are counted on the page: ``internal_links``); resolving, the
registered domain and that split run in C, so Python touches only the external links
(their context sentence). ``extract_record`` gives the same as one dict per link;
``extract_warc``/``extract_warc_columns`` run either over a WARC file. Pages whose URL
breaks the URL limits (:func:`extraction.urls.url_limit_reason`) are counted skips.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from extraction.companies import SeedCompanies
from extraction.html import MAX_PARSE_CHARS, PageLinks, parse_raw
from extraction.native import pagewalk
from extraction.urls import idna_netloc, normalize_url, url_limit_reason, url_path
from extraction.warc import DEFAULT_READER, ReadStats, WarcRecord, iter_html_records

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

#: Link columns that repeat one value of their page for every link (a columnar consumer may
#: keep the value once per page: ``spark_jobs.extract.TableColumns`` does).
PAGE_LEVEL_LINK_COLUMNS = (
    "src_url",
    "src_host",
    "src_domain",
    "page_path",
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
    src_url = normalize_url(record.url) or record.url
    parsed = parse_raw(record.payload, record.url, record.charset, _id_prefix(src_url))
    links: PageLinks = parsed.links
    src_host = parsed.host
    src_domain = parsed.domain
    company = seeds.company_for_domain(src_domain) if seeds is not None else None
    lang = parsed.lang or None
    external = len(links)
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
        "internal_links": links.internal,
        "external_links": external,
        "truncated": record.truncated or parsed.truncated,
        "warc_filename": record.warc_filename,
        "warc_record_offset": record.offset,
        "warc_record_length": record.length,
    }
    columns = {
        "link_id": links.ids,
        "src_url": [src_url] * external,
        "src_host": [src_host] * external,
        "src_domain": [src_domain] * external,
        "dst_url": links.urls,
        "dst_host": links.hosts,
        "dst_domain": links.domains,
        "anchor_text": links.anchors,
        "context": links.contexts,
        "section_heading": links.headings,
        "page_path": [url_path(src_url) if external else None] * external,
        "region": links.regions,
        "rel": links.rels,
        "position": links.positions,
        "lang": [lang] * external,
        "fetch_time": [record.fetch_time] * external,
        "warc_filename": [record.warc_filename] * external,
    }
    if stats is not None:
        stats.pages += 1
        stats.links += links.internal + external
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
    """Forget what the extraction path memoises (the IDNA answers per non-ASCII netloc);
    benchmarks clear it so each run starts cold, as a fresh Spark task does. Nothing else
    is kept between pages: resolving in C costs less than a cache lookup did."""
    idna_netloc.cache_clear()


def extract_warc(
    source: str | os.PathLike | BinaryIO,
    warc_filename: str | None = None,
    seeds: SeedCompanies | None = None,
    stats: ExtractStats | None = None,
    reader: str = DEFAULT_READER,
) -> Iterator[tuple[dict, list[dict]]]:
    """(page row, link rows) per HTML record of a WARC file; failures are counted, not raised."""
    return _extract(extract_record, source, warc_filename, seeds, stats, reader)


def extract_warc_columns(
    source: str | os.PathLike | BinaryIO,
    warc_filename: str | None = None,
    seeds: SeedCompanies | None = None,
    stats: ExtractStats | None = None,
    reader: str = DEFAULT_READER,
) -> Iterator[tuple[dict, dict[str, list]]]:
    """(page row, link columns) per HTML record: :func:`extract_warc` without building a
    dict per link (see :func:`extract_columns`); the form for bulk writers."""
    return _extract(extract_columns, source, warc_filename, seeds, stats, reader)


def _extract(extract_one, source, warc_filename, seeds, stats, reader) -> Iterator[tuple]:
    stats = stats if stats is not None else ExtractStats()
    for record in iter_html_records(source, warc_filename, stats, reader=reader):
        refused = url_limit_reason(record.url)
        if refused is not None:  # never stored: a page row's url is its key
            stats.skipped[f"page_{refused}"] += 1
            continue
        try:
            result = extract_one(record, seeds, stats)
        except Exception as exc:  # one bad page never stops the file
            stats.skipped["parse_error"] += 1
            message = f"{type(exc).__name__}: {exc}"  # the record is counted: it was read
            stats.error(record.warc_filename, record.offset, message, record=False)
            continue
        yield result


__all__ = [
    "ExtractStats",
    "LINK_COLUMNS",
    "MAX_PARSE_CHARS",
    "PAGE_COLUMNS",
    "PAGE_LEVEL_LINK_COLUMNS",
    "clear_caches",
    "extract_columns",
    "extract_record",
    "extract_warc",
    "extract_warc_columns",
    "link_id",
]
