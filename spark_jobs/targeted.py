"""Index-targeted reads for the extract job: the seed companies' records only.

:func:`plan_targeted` looks the seed domains up in the crawl's columnar index
(:mod:`spark_jobs.ccindex`) and plans one task per WARC file holding hits, with the file's
record ranges; :func:`open_pages` is what a task reads: for a full-scan task the whole file
as before, for a targeted one its records fetched by range (:mod:`spark_jobs.ranged`), each
member parsed by the same extraction. A page keeps its place in the original file
(``warc_record_offset`` as in the index) and the segment key comes from the WARC path, so
``pages``/``hyperlinks`` rows are the rows a full scan writes for those pages.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from spark_jobs import storage
from spark_jobs.params import JobParams

MODES = ("full", "targeted")
#: The crawl-partitioned targeted assets (``targeted_crawl`` job) are named after the tables
#: they write: ``targeted_pages``, ``targeted_hyperlinks``, ``targeted_company_links``.
ASSET_PREFIX = "targeted_"
#: Targeted reads of up to this many records run in the job's own process, without Spark
#: (more: Spark tasks). One core reads and extracts ~1,000-7,000 records/s (diverse vs
#: pooled pages), so this is seconds of work: about what a local Spark start costs.
LOCAL_MAX_RECORDS = 20_000


class RangeFetchError(RuntimeError):
    """Some records of a WARC file could not be fetched intact (each is in the errors)."""


def seed_domains(seed_rows: list[dict]) -> list[str]:
    """Every registered domain of every seed company."""
    from extraction.companies import SeedCompanies

    return sorted({d for c in SeedCompanies.from_rows(seed_rows) for d in c.domains})


def plan_targeted(
    params: JobParams, seed_rows: list[dict], log: Callable[[str], Any] = print
) -> list[tuple[str, str, str, str, list[tuple[int, int]]]]:
    """(crawl, segment, path, uri, ranges) per WARC file with seed records in the requested
    slices: one index lookup per crawl, hits grouped by file."""
    domains = seed_domains(seed_rows)
    cap = params.extra.get("max_pages_per_domain")
    files = []
    for crawl, segments in params.segments_by_crawl().items():
        planned, found = plan_crawl(params.cc_root, crawl, domains, cap, set(segments))
        log(f"index lookup {crawl}: {found.summary()} for {len(domains)} seed domains")
        files += planned
    return files


def plan_crawl(
    cc_root: str,
    crawl: str,
    domains: list[str],
    max_pages_per_domain: int | None = None,
    segments: set[str] | None = None,
) -> tuple[list[tuple[str, str, str, str, list[tuple[int, int]]]], Any]:
    """The tasks of one crawl's seed records (of ``segments`` only, when given), and the
    :class:`~spark_jobs.ccindex.IndexLookup` they come from."""
    from spark_jobs.ccindex import lookup

    found = lookup(cc_root, crawl, domains, max_pages_per_domain=max_pages_per_domain)
    segment_of = storage.crawl_warc_segments(cc_root, crawl)
    by_file: dict[str, list[tuple[int, int]]] = {}
    hits = found.hits
    for path, offset, length in zip(
        hits.column("warc_filename").to_pylist(),
        hits.column("warc_record_offset").to_pylist(),
        hits.column("warc_record_length").to_pylist(),
        strict=True,
    ):
        by_file.setdefault(path, []).append((offset, length))
    files = []
    for path, ranges in sorted(by_file.items()):
        segment = segment_of.get(path)
        if segment is None:
            raise ValueError(f"index of {crawl} names {path}, which warc.paths.gz does not list")
        if segments is None or segment in segments:
            files.append((crawl, segment, path, storage.join(cc_root, path), ranges))
    return files, found


def range_requests(files: list[tuple]) -> int:
    """Requests the tasks' reads take: one per run of adjacent records (no retries)."""
    from spark_jobs.ranged import RecordRange, merge_adjacent

    return sum(
        len(merge_adjacent([RecordRange(task[2], o, n) for o, n in task[4]])) for task in files
    )


@contextmanager
def open_pages(
    task: tuple, seeds, stats, reader: str, sink, fetch_options: dict | None = None
) -> Iterator[Iterator[dict]]:
    """The page rows of one extract task, their links appended to ``sink`` (a
    ``LinkSink``: ``extraction.extract.extract_into``): the whole WARC file for a full-scan
    task ``(crawl, segment, path, uri)``, the given records for a targeted one (a fifth
    element, its ``(offset, length)`` ranges). Records that fail to fetch are counted in
    ``stats`` and end the iteration with a :class:`RangeFetchError`."""
    from extraction.extract import extract_warc_into

    _crawl, _segment, path, uri, *ranges = task
    if not ranges:
        with storage.open_input(uri) as stream:
            yield extract_warc_into(
                stream, sink, warc_filename=path, seeds=seeds, stats=stats, reader=reader
            )
        return
    root = uri[: -len(path)].rstrip("/") if uri.endswith(path) else ""
    yield _ranged_pages(root, path, ranges[0], seeds, stats, reader, sink, fetch_options or {})


def _ranged_pages(root, path, ranges, seeds, stats, reader, sink, fetch_options) -> Iterator[dict]:
    from extraction.extract import ExtractStats, extract_warc_into
    from spark_jobs.ranged import RecordRange, fetch_records

    wanted = [RecordRange(path, int(offset), int(length)) for offset, length in ranges]
    report = fetch_records(root, wanted, **fetch_options)
    for member in report.members:
        base = member.range.offset
        own = ExtractStats()
        for page in extract_warc_into(
            io.BytesIO(member.data), sink, warc_filename=path, seeds=seeds, stats=own,
            reader=reader,
        ):  # fmt: skip
            page["warc_record_offset"] = base  # its place in the original file
            yield page
        for error in own.errors:
            error["offset"] = base + (error["offset"] or 0)
        stats.merge(own)
    for failure in report.failures:
        stats.skipped[f"fetch_{failure.kind}"] += 1
        stats.error(path, failure.range.offset, f"fetch {failure.kind}: {failure.message}")
    if report.failures:
        raise RangeFetchError(
            f"{len(report.failures)} of {len(wanted)} records could not be fetched "
            f"({report.failure_counts()}); first: {report.failures[0]}"
        )
