"""The per-record extraction shared by the Spark job, the CLI and the benchmark.

``extract_record`` turns one HTML response into a ``pages`` row and ``hyperlinks`` rows
whose keys are exactly the columns of ``spark_jobs.tables`` (minus ``crawl``/``segment``,
which the caller adds). It is the hot path of a crawl-scale run: page-level values are
computed once, internal links (most of a page) get cheap rows built from a template, and
the context work (sentence, heading, weak label) runs only for links that leave the site.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from extraction.companies import SeedCompanies
from extraction.html import L_CONTEXT, L_HEADING, MAX_PARSE_CHARS, parse_raw
from extraction.urls import normalize_url, url_path
from extraction.warc import ReadStats, WarcRecord, iter_html_records
from extraction.weak_labels import weak_label

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
    "link_count",
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
    "internal",
    "anchor_text",
    "context",
    "section_heading",
    "page_path",
    "region",
    "rel",
    "position",
    "lang",
    "weak_label",
    "weak_confidence",
    "weak_rule",
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
    """One HTML response -> (page row, link rows). Unusable hrefs are counted in ``stats``."""
    parsed = parse_raw(record.payload, record.url, record.charset)
    src_url = normalize_url(record.url) or record.url
    src_host = parsed.host
    src_domain = parsed.domain
    company = seeds.company_for_domain(src_domain) if seeds is not None else None
    lang = parsed.lang or None
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
        "text_length": len(parsed.text),
        "link_count": len(parsed.links),
        "truncated": record.truncated or parsed.truncated,
        "warc_filename": record.warc_filename,
        "warc_record_offset": record.offset,
        "warc_record_length": record.length,
    }
    template = dict.fromkeys(LINK_COLUMNS)
    template.update(
        src_url=src_url,
        src_host=src_host,
        src_domain=src_domain,
        internal=True,
        page_path=url_path(src_url),
        lang=lang,
        fetch_time=record.fetch_time,
        warc_filename=record.warc_filename,
    )
    id_prefix = hashlib.blake2b(src_url.encode("utf-8", "replace"), digest_size=8).hexdigest()
    rows = []
    append = rows.append
    for link in parsed.links:
        dst_url, dst_host, dst_domain, internal, url_hash, anchor, region, rel, position = link[:9]
        row = template.copy()
        row["link_id"] = f"{id_prefix}{position:05x}{url_hash}"
        row["dst_url"] = dst_url
        row["dst_host"] = dst_host
        row["dst_domain"] = dst_domain
        row["anchor_text"] = anchor
        row["region"] = region
        row["rel"] = rel or None
        row["position"] = position
        if not internal:
            context, heading = link[L_CONTEXT], link[L_HEADING]
            verdict = weak_label(
                section_heading=heading,
                src_url=src_url,
                dst_url=dst_url,
                anchor_text=anchor,
                context=context,
                region=region,
            )
            row["internal"] = False
            row["context"] = context
            row["section_heading"] = heading
            row["weak_label"] = verdict.label
            row["weak_confidence"] = verdict.confidence
            row["weak_rule"] = verdict.rule
        append(row)
    if stats is not None:
        stats.pages += 1
        stats.links += len(rows)
        for reason, count in parsed.dropped_links.items():
            stats.skipped[f"link_{reason}"] += count
        if parsed.flattened:
            stats.skipped["html_flattened"] += 1
        elif parsed.truncated:
            stats.skipped["html_capped"] += 1
    return page, rows


def clear_caches() -> None:
    """Forget every memo of the extraction path (URL, domain, site and rule caches).

    Caches are bounded and make repeated pages cheap; benchmarks clear them so each run
    starts cold, as a fresh Spark task does.
    """
    from extraction import html, urls, weak_labels

    for cached in (urls.normalize_url, urls._host_of, urls.registered_domain, urls._absolute,
                   urls.resolver_for, weak_labels._first_rule, weak_labels._target_domain,
                   weak_labels._src_path):  # fmt: skip
        cached.cache_clear()
    html._SITE_CACHES.clear()


def extract_warc(
    source: str | os.PathLike | BinaryIO,
    warc_filename: str | None = None,
    seeds: SeedCompanies | None = None,
    stats: ExtractStats | None = None,
    reader: str = "warcio",
) -> Iterator[tuple[dict, list[dict]]]:
    """(page row, link rows) per HTML record of a WARC file; failures are counted, not raised."""
    stats = stats if stats is not None else ExtractStats()
    for record in iter_html_records(source, warc_filename, stats, reader=reader):
        try:
            result = extract_record(record, seeds, stats)
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
    "extract_record",
    "extract_warc",
]
