"""Pipes entrypoint: ``pages`` of a crawl -> ``companies``, one identity per registered domain.

Design (why not at extract time): an imprint is one page per site, well under 1 % of a
crawl's pages, and ``pages`` already says where each record sits (``warc_filename``,
``warc_record_offset``, ``warc_record_length``). So the extract hot path stays untouched
(0 % added) and this job, after it, (1) picks each domain's imprint candidates from
``pages`` by URL path and title (a JVM filter over two columns, then
:func:`extraction.imprint.imprint_score`), the best few per domain, newest fetch first;
(2) re-reads just those records by byte range (:func:`read_record`: a local seek or an S3 /
HTTP ranged read, one small function so a general ranged fetcher can replace it); (3)
parses them (:func:`extraction.imprint.parse_imprint_html`) and keeps per domain the page
with the most complete identity, reporting ids on its other imprint pages that disagree.
"""

from __future__ import annotations

import gzip
import io
import json
import time
from collections.abc import Iterable, Iterator
from typing import Any

from dagster_pipes import PipesContext

from spark_jobs import storage
from spark_jobs.delta import read_slices, write_slices
from spark_jobs.params import JobParams
from spark_jobs.pipes_session import open_pipes
from spark_jobs.runner import JobRun
from spark_jobs.tables import COMPANIES, PAGES

#: Imprint candidates re-read per domain (a site may have /impressum and /en/imprint).
CANDIDATES_PER_DOMAIN = 3
#: Cheap JVM-side pre-filter on URL and title; imprint_score decides exactly.
_PATH_CUES = (
    "impressum|imprint|legal|mentions|aviso-legal|colofon|disclaimer|offenlegung|"
    "company-information|anbieterkennzeichnung|note-legali"
)
PREFILTER_SQL = (
    f"status = 200 AND registered_domain IS NOT NULL AND (lower(url) RLIKE '({_PATH_CUES})' "
    "OR lower(coalesce(title, '')) RLIKE '(impressum|imprint|legal notice|mentions l|colofon)')"
)


def read_record(cc_root: str, warc_filename: str, offset: int, length: int) -> bytes:
    """The bytes of one WARC record (one gzip member) by its byte range below ``cc_root``."""
    uri = storage.join(cc_root, warc_filename)
    if uri.startswith(("http://", "https://")):
        import urllib.request

        request = urllib.request.Request(  # noqa: S310 (user-configured root)
            uri, headers={"Range": f"bytes={offset}-{offset + length - 1}"}
        )
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.read()
    filesystem, path = storage.filesystem(uri)
    with filesystem.open_input_file(path) as handle:
        handle.seek(offset)
        data = handle.read(length)
    if len(data) != length:
        raise OSError(f"{warc_filename} at offset {offset}: read {len(data)} of {length} bytes")
    return data


def imprint_html(record: bytes, warc_filename: str, offset: int) -> str:
    """The decoded HTML of a re-read response record (gzip member or plain)."""
    from extraction.html import decode_html
    from extraction.warc import ReadStats, iter_html_records

    data = gzip.decompress(record) if record[:2] == b"\x1f\x8b" else record
    stats = ReadStats()
    for found in iter_html_records(io.BytesIO(data), warc_filename, stats=stats):
        html, _ = decode_html(found.payload, found.charset)
        return html
    reason = stats.errors[0]["error"] if stats.errors else dict(stats.skipped) or "no record"
    raise ValueError(f"{warc_filename} at offset {offset}: no HTML response ({reason})")


def _completeness(identity) -> tuple[int, ...]:
    return (
        bool(identity.register_number),
        bool(identity.vat_id),
        bool(identity.legal_form),
        len(identity.fields()),
    )


def identities(rows: Iterable[dict[str, Any]], cc_root: str) -> Iterator[dict[str, Any]]:
    """One domain's candidate pages (best first) -> at most one ``companies`` row, plus
    ``{"_skip": reason}`` rows for records that could not be read (counted, not fatal)."""
    from extraction.imprint import IDENTITY_FIELDS, parse_imprint_html

    parsed = []
    for row in rows:
        try:
            record = read_record(
                cc_root, row["warc_filename"], row["warc_record_offset"], row["warc_record_length"]
            )
            identity = parse_imprint_html(
                imprint_html(record, row["warc_filename"], row["warc_record_offset"])
            )
        except Exception as exc:  # unreadable record or a parser bug: a counted skip
            where = f"{row['warc_filename']} at offset {row['warc_record_offset']}"
            yield {"_skip": f"{where}: {type(exc).__name__}: {exc}"[:300]}
            continue
        if identity.found:
            parsed.append((row, identity))
    if not parsed:
        return
    row, best = max(parsed, key=lambda item: _completeness(item[1]))
    ids = {f.value for f in (best.register_number, best.vat_id) if f}
    conflicts = sorted(
        {
            f"{f.value} ({other_row['url']})"
            for other_row, other in parsed
            for f in (other.register_number, other.vat_id)
            if f and f.value not in ids and f.value not in best.other_ids
        }
    )
    fields = best.fields()
    confidences = [f.confidence for f in fields.values()]
    yield {
        "registered_domain": row["registered_domain"],
        "company_id": row["company_id"],
        **{name: (fields[name].value if name in fields else None) for name in IDENTITY_FIELDS},
        "confidence": round(sum(confidences) / len(confidences), 3),
        "evidence": json.dumps(
            {
                name: {"value": f.value, "evidence": f.evidence, "confidence": f.confidence}
                for name, f in fields.items()
            },
            ensure_ascii=False,
        ),
        "other_ids": "; ".join(best.other_ids) or None,
        "conflicts": "; ".join(conflicts) or None,
        "imprint_pages": len(parsed),
        "source_url": row["url"],
        "fetch_time": row["fetch_time"],
        "crawl": row["crawl"],
    }


def candidates(pages):
    """Each domain's best imprint candidates: score, then newest fetch (pages rows)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.types import IntegerType

    from extraction.imprint import imprint_score

    score = F.udf(lambda url, title: imprint_score(url, title), IntegerType())
    scored = (
        pages.where(PREFILTER_SQL).withColumn("score", score("url", "title")).where("score > 0")
    )
    order = Window.partitionBy("crawl", "registered_domain").orderBy(
        F.col("score").desc(), F.col("fetch_time").desc(), F.col("url")
    )
    return (
        scored.withColumn("rank", F.row_number().over(order))
        .where(F.col("rank") <= CANDIDATES_PER_DOMAIN)
        .drop("rank")
    )


def parse_partition(cc_root: str):
    """Executor side: rows sorted by (crawl, domain, rank) -> companies rows and skips."""
    from itertools import groupby

    def run(rows: Iterator) -> Iterator[dict[str, Any]]:
        dicts = (r.asDict() for r in rows)
        for _, group in groupby(dicts, key=lambda r: (r["crawl"], r["registered_domain"])):
            yield from identities(list(group), cc_root)

    return run


def run(pipes: PipesContext, params: JobParams) -> dict[str, Any]:
    from pyspark.sql import functions as F

    job = JobRun(pipes, "companies", params)
    spark = job.spark
    crawls = sorted(set(params.crawls) or {c for c, _ in params.slices})
    if not crawls:
        raise ValueError("the companies job needs at least one crawl (extra 'crawls')")
    if not params.cc_root:
        raise ValueError("the companies job re-reads imprint records: no 'cc_root' given")
    wanted = {c: None for c in crawls}
    pages = read_slices(spark, PAGES, params.warehouse, wanted, reader=params.writer)
    picked = candidates(pages).select(
        "crawl", "registered_domain", "company_id", "url", "fetch_time", "score",
        "warc_filename", "warc_record_offset", "warc_record_length",
    )  # fmt: skip
    ordered = picked.repartition("crawl", "registered_domain").sortWithinPartitions(
        "crawl", "registered_domain", F.col("score").desc(), F.col("fetch_time").desc(), "url"
    )
    started = time.monotonic()
    # Identities stay distributed (one row per domain: tens of millions at crawl scale);
    # unreadable records come out as skip rows, counted and logged, never fatal.
    results = ordered.rdd.mapPartitions(parse_partition(params.cc_root)).cache()
    skips = results.filter(lambda r: "_skip" in r)
    skipped = skips.count()
    for reason in skips.map(lambda r: r["_skip"]).take(20):
        job.log(f"imprint record skipped: {reason}", level="warning")
    columns = COMPANIES.columns
    frame = spark.createDataFrame(
        results.filter(lambda r: "_skip" not in r).map(lambda r: tuple(r[c] for c in columns)),
        schema=_spark_schema(),
    )
    parse_seconds = round(time.monotonic() - started, 3)
    report = write_slices(
        spark,
        COMPANIES,
        params.warehouse,
        wanted,
        frame,
        writer=params.writer,
        staging_root=params.staging_root,
    )
    written = read_slices(spark, COMPANIES, params.warehouse, wanted, reader=params.writer)
    counts = written.agg(
        F.count("*").alias("identities"),
        F.count("register_number").alias("with_register_number"),
        F.count("vat_id").alias("with_vat_id"),
        F.count("conflicts").alias("with_conflicts"),
    ).collect()[0]
    extra = {
        "crawls_built": crawls,
        "imprint_candidates": picked.count(),
        **counts.asDict(),
        "records_skipped": skipped,
        "parse_seconds": parse_seconds,
    }
    results.unpersist()
    job.report(COMPANIES.name, report, extra)
    return {"report": report.metadata(), **extra}


def _spark_schema():
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(COMPANIES.schema)


def main() -> None:
    with open_pipes() as pipes:
        run(pipes, JobParams.from_extras(pipes.extras))


if __name__ == "__main__":
    main()
