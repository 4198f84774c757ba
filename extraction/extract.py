"""The per-record extraction shared by the Spark job, the CLI and the benchmark.

``extract_columns`` turns one HTML response into a ``pages`` row and the page's
``hyperlinks`` as columns (``{column: list}``) whose names are exactly the columns of
``spark_jobs.tables`` (minus ``crawl``/``segment``, which the caller adds); ``extract_into``
appends the links to a C ``LinkSink`` in Arrow's layout instead: the hot path of a
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

#: Links a columnar consumer lets a ``LinkSink`` hold before it takes them as one batch.
SINK_BATCH_LINKS = 65_536

#: Link columns that repeat one value of their page for every link (a columnar consumer may
#: keep the value once per page: ``spark_jobs.extract.LinkColumns`` does).
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
    """One HTML response -> (page row, link columns) as Python lists.

    The link columns are a dict ``{column: list}`` over :data:`LINK_COLUMNS` (in that order,
    lists of equal length, one entry per link that leaves the site, in page order) with
    page-level values repeated: the form for row consumers (:func:`extract_record`, the JSONL
    CLI). Crawl-scale writers take :func:`extract_into`, which makes no object per link.
    """
    src_url = normalize_url(record.url) or record.url
    parsed = parse_raw(record.payload, record.url, record.charset, _id_prefix(src_url))
    links: PageLinks = parsed.links
    page = _page_row(record, src_url, parsed, seeds, stats)
    external = len(links)
    shared = page_link_values(page)
    columns = {
        "link_id": links.ids,
        "dst_url": links.urls,
        "dst_host": links.hosts,
        "dst_domain": links.domains,
        "anchor_text": links.anchors,
        "context": links.contexts,
        "section_heading": links.headings,
        "region": links.regions,
        "rel": links.rels,
        "position": links.positions,
        **{name: [value] * external for name, value in shared.items()},
    }
    return page, {name: columns[name] for name in LINK_COLUMNS}


def extract_into(
    record: WarcRecord,
    sink: pagewalk.LinkSink,
    seeds: SeedCompanies | None = None,
    stats: ExtractStats | None = None,
) -> dict:
    """One HTML response -> its page row, its links appended to ``sink``: the crawl's hot
    path. The sink holds the per-link columns of :data:`LINK_COLUMNS` (no ``link_id``: the
    tables derive it) in Arrow's layout (``LinkSink.take``); the :data:`PAGE_LEVEL_LINK_COLUMNS`
    are the page's (:func:`page_link_values`) for its ``external_links`` links. No Python
    object is made per link but its anchor and context. A page that fails leaves none of its
    links in the sink."""
    rows = sink.rows
    try:
        src_url = normalize_url(record.url) or record.url
        parsed = parse_raw(record.payload, record.url, record.charset, sink=sink)
        return _page_row(record, src_url, parsed, seeds, stats)
    except BaseException:
        sink.truncate(rows)
        raise


def page_link_values(page: dict) -> dict:
    """The :data:`PAGE_LEVEL_LINK_COLUMNS` of every link of ``page`` (a page row)."""
    return {
        "src_url": page["url"],
        "src_host": page["host"],
        "src_domain": page["registered_domain"],
        "page_path": url_path(page["url"]) if page["external_links"] else None,
        "lang": page["lang"],
        "fetch_time": page["fetch_time"],
        "warc_filename": page["warc_filename"],
    }


def _page_row(record: WarcRecord, src_url: str, parsed, seeds: SeedCompanies | None, stats) -> dict:
    """The ``pages`` row of a parsed response; the page and its links counted in ``stats``."""
    links = parsed.links
    company = seeds.company_for_domain(parsed.domain) if seeds is not None else None
    page = {
        "url": src_url,
        "host": parsed.host,
        "registered_domain": parsed.domain,
        "company_id": company.company_id if company else None,
        "fetch_time": record.fetch_time,
        "status": record.status,
        "content_type": record.content_type,
        "charset": parsed.charset,
        "lang": parsed.lang or None,
        "title": parsed.title or None,
        "text_length": parsed.text_length,
        "internal_links": links.internal,
        "external_links": len(links),
        "truncated": record.truncated or parsed.truncated,
        "warc_filename": record.warc_filename,
        "warc_record_offset": record.offset,
        "warc_record_length": record.length,
    }
    if stats is not None:
        stats.pages += 1
        stats.links += links.internal + len(links)
        for reason, dropped in parsed.dropped_links.items():
            stats.skipped[f"link_{reason}"] += dropped
        if parsed.flattened:
            stats.skipped["html_flattened"] += 1
        elif parsed.truncated:
            stats.skipped["html_capped"] += 1
    return page


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


def extract_warc_into(
    source: str | os.PathLike | BinaryIO,
    sink: pagewalk.LinkSink,
    warc_filename: str | None = None,
    seeds: SeedCompanies | None = None,
    stats: ExtractStats | None = None,
    reader: str = DEFAULT_READER,
) -> Iterator[dict]:
    """The page row of each HTML record, its links appended to ``sink``
    (:func:`extract_into`); the form for columnar writers (``spark_jobs.extract``)."""

    def extract_one(record, seeds, stats):
        return extract_into(record, sink, seeds, stats)

    return _extract(extract_one, source, warc_filename, seeds, stats, reader)


def new_link_sink() -> pagewalk.LinkSink:
    """An empty sink for :func:`extract_into`."""
    return pagewalk.LinkSink()


def _extract(extract_one, source, warc_filename, seeds, stats, reader) -> Iterator:
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
    "SINK_BATCH_LINKS",
    "clear_caches",
    "extract_columns",
    "extract_into",
    "extract_record",
    "extract_warc",
    "extract_warc_columns",
    "extract_warc_into",
    "link_id",
    "new_link_sink",
    "page_link_values",
]
