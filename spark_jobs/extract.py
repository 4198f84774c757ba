"""Pipes entrypoint: WARC files of (crawl, segment) slices -> ``pages`` + ``hyperlinks``.

A thin shell in the cc-pyspark manner: list the WARC files of the slices from
``warc.paths.gz``, give each Spark task one file (shuffled, so big and small files mix),
run ``extraction.extract.extract_warc`` over it, stage the rows as Parquet, then replace the
slices of both Delta tables. A file that fails mid-way is counted and reported; what it
yielded before failing is kept.

Run by the orchestrator as ``python spark_jobs/extract.py`` (local) or ``spark-submit``.
"""

from __future__ import annotations

import random
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

from dagster_pipes import PipesContext

from spark_jobs import storage
from spark_jobs.delta import new_staging_dir, write_slices
from spark_jobs.params import JobParams
from spark_jobs.pipes_session import open_pipes
from spark_jobs.runner import JobRun, load_seed_rows
from spark_jobs.tables import HYPERLINKS, PAGES, TableSpec

BATCH_ROWS = 20_000


def plan_files(params: JobParams) -> list[tuple[str, str, str, str]]:
    """(crawl, segment, path, uri) per WARC file of the requested slices, shuffled.

    ``path`` is relative to the Common Crawl root, as the cc-index names files.
    """
    files = []
    for crawl, segments in params.segments_by_crawl().items():
        by_segment: dict[str, list[str]] = {}
        for path, segment in storage.crawl_warc_segments(params.cc_root, crawl).items():
            if segment in segments:
                by_segment.setdefault(segment, []).append(path)
        for segment, seg_paths in by_segment.items():
            for path in seg_paths[: params.max_files or None]:
                files.append((crawl, segment, path, storage.join(params.cc_root, path)))
    random.Random(42).shuffle(files)
    return files


class _ColumnBuffer:
    """Rows buffered column-wise and flushed to one Parquet file per task and table."""

    def __init__(self, spec: TableSpec, folder: str) -> None:
        self.spec, self.folder = spec, folder
        self.columns: dict[str, list] = {name: [] for name in spec.columns}
        self.size = 0
        self.writer = None

    def add(self, row: dict[str, Any], crawl: str, segment: str) -> None:
        for name, values in self.columns.items():
            values.append(row.get(name))
        self.columns["crawl"][-1] = crawl
        self.columns["segment"][-1] = segment
        self.size += 1
        if self.size >= BATCH_ROWS:
            self.flush()

    def extend(self, columns: dict[str, list], crawl: str, segment: str) -> None:
        """Append a page's links, given column-wise (``extract_warc_columns``)."""
        count = len(columns["link_id"])
        if not count:
            return
        for name, values in self.columns.items():
            if name == "crawl":
                values.extend([crawl] * count)
            elif name == "segment":
                values.extend([segment] * count)
            else:
                values.extend(columns[name])
        self.size += count
        if self.size >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.size:
            return
        table = pa.table(self.columns, schema=self.spec.schema)
        if self.writer is None:
            path = storage.join(self.folder, f"part-{uuid.uuid4().hex}.parquet")
            filesystem, where = _filesystem(path)
            filesystem.create_dir(where.rsplit("/", 1)[0], recursive=True)
            self.writer = pq.ParquetWriter(where, self.spec.schema, filesystem=filesystem)
        self.writer.write_table(table)
        self.columns = {name: [] for name in self.spec.columns}
        self.size = 0

    def close(self) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()


def _filesystem(uri: str):
    from pyarrow import fs

    if storage.is_local(uri):
        return fs.LocalFileSystem(), uri.removeprefix("file://")
    return fs.FileSystem.from_uri(uri)


def extract_files(
    files: Iterator[tuple[str, str, str, str]],
    staging: dict[str, str],
    seed_rows: list[dict] | None,
    reader: str,
) -> Iterator[dict[str, Any]]:
    """Executor side: extract each WARC file of the task, stage its rows, yield its counts."""
    from extraction.companies import SeedCompanies
    from extraction.extract import ExtractStats, extract_warc_columns

    seeds = SeedCompanies.from_rows(seed_rows) if seed_rows else None
    for crawl, segment, path, uri in files:
        started = time.monotonic()
        pages = _ColumnBuffer(PAGES, staging["pages"])
        links = _ColumnBuffer(HYPERLINKS, staging["hyperlinks"])
        stats = ExtractStats()
        failure = None
        seen_urls: set[str] = set()
        try:
            with storage.open_input(uri) as stream:
                for page, link_columns in extract_warc_columns(
                    stream, warc_filename=path, seeds=seeds, stats=stats, reader=reader
                ):
                    if page["url"] in seen_urls:  # the same URL fetched twice in one file
                        stats.skipped["duplicate_url"] += 1
                        continue
                    seen_urls.add(page["url"])
                    pages.add(page, crawl, segment)
                    links.extend(link_columns, crawl, segment)
        except Exception as exc:  # a file failing mid-way keeps what it read so far
            failure = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        finally:
            pages.close()
            links.close()
        summary = stats.as_dict()
        yield {
            "crawl": crawl,
            "segment": segment,
            "file": path,
            "failure": failure,
            "seconds": round(time.monotonic() - started, 3),
            **summary,
        }


def _has_repeated_urls(spark, staged_pages: str) -> bool:
    """Whether any URL repeats within a slice: Arrow on the driver when staging is local
    (three small columns, no Spark job), a Spark aggregation otherwise."""
    key = ["crawl", "segment", "url"]
    if storage.is_local(staged_pages):
        import pyarrow.compute as pc
        import pyarrow.dataset as ds

        table = ds.dataset(staged_pages.removeprefix("file://"), format="parquet").to_table(
            columns=key
        )
        counts = table.group_by(key).aggregate([("url", "count")])
        return bool(pc.any(pc.greater(counts["url_count"], 1)).as_py())
    from spark_jobs.delta import read_staged

    pages = read_staged(spark, PAGES, staged_pages)
    return bool(pages.groupBy(*key).count().where("count > 1").take(1))


def dedupe_pages(spark, staged: dict[str, str]):
    """Drop pages fetched twice in one (crawl, segment) slice (CC rarely has them; samples do).

    Deduplication stays within a slice so a slice's rows never depend on which other
    slices shared its run: re-running one segment alone gives the same rows.

    Only the small pages table is shuffled; links of a dropped copy are removed with a
    broadcast anti-join on (src_url, warc_filename). Returns (pages, links, dropped) where
    pages/links are staged folders when nothing was dropped, else DataFrames.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from spark_jobs.delta import read_staged

    if not _has_repeated_urls(spark, staged["pages"]):  # the common case: nothing to drop
        return staged["pages"], staged["hyperlinks"], 0
    pages = read_staged(spark, PAGES, staged["pages"])
    order = Window.partitionBy("crawl", "segment", "url").orderBy(
        F.col("fetch_time").desc(), "warc_filename", "warc_record_offset"
    )
    ranked = pages.withColumn("_rank", F.row_number().over(order)).cache()
    dropped = ranked.where("_rank > 1").select(
        F.col("url").alias("src_url"), "warc_filename", "crawl", "segment"
    )
    n_dropped = dropped.count()
    kept_pages = ranked.where("_rank = 1").drop("_rank")
    links = read_staged(spark, HYPERLINKS, staged["hyperlinks"]).join(
        F.broadcast(dropped), ["crawl", "segment", "src_url", "warc_filename"], "left_anti"
    )
    return kept_pages, links, n_dropped


def run(pipes: PipesContext, params: JobParams) -> dict[str, Any]:
    job = JobRun(pipes, "extract", params)
    files = plan_files(params)
    job.log(f"{len(files)} WARC files in {len(params.slices)} slice(s)")
    staging_root = new_staging_dir(params.staging_root, "extract")
    staged = {name: storage.join(staging_root, name) for name in ("pages", "hyperlinks")}
    seed_rows = load_seed_rows(params.seeds)
    reader = params.extra.get("reader", "warcio")
    spark = job.spark
    job.log(f"Spark {spark.version} ready after {job.elapsed():.1f} s")
    file_stats: list[dict[str, Any]] = []
    if files:
        rdd = spark.sparkContext.parallelize(files, numSlices=len(files))
        file_stats = rdd.mapPartitions(
            lambda part: extract_files(part, staged, seed_rows, reader)
        ).collect()
    job.log(f"extracted {len(file_stats)} files after {job.elapsed():.1f} s")
    _ensure_staged(staged)
    pages, links, duplicates = dedupe_pages(spark, staged)
    job.log(f"{duplicates} duplicate page(s) dropped after {job.elapsed():.1f} s")
    slices = params.segments_by_crawl()
    reports = {}
    for spec, data in ((PAGES, pages), (HYPERLINKS, links)):
        reports[spec.name] = write_slices(
            spark,
            spec,
            params.warehouse,
            dict(slices),
            data,
            writer=params.writer,
            staging_root=params.staging_root,
        )
        job.log(f"{spec.name} written and Z-ordered after {job.elapsed():.1f} s")
    storage.remove_tree(staging_root)
    counts = summarize_files(file_stats, duplicates)
    for failed in counts["failed_files"]:
        job.log(f"file failed mid-way, kept what it read: {failed}", level="warning")
    for name, report in reports.items():
        job.report(name, report, counts)
    return {"files": counts, "reports": {k: v.metadata() for k, v in reports.items()}}


def _ensure_staged(staged: dict[str, str]) -> None:
    """An empty slice still stages an empty file, so the writers see the schema."""
    import pyarrow.parquet as pq

    for name, folder in staged.items():
        spec = PAGES if name == "pages" else HYPERLINKS
        filesystem, where = _filesystem(folder)
        filesystem.create_dir(where, recursive=True)
        marker = storage.join(folder, "part-empty.parquet")
        filesystem, where = _filesystem(marker)
        pq.write_table(spec.schema.empty_table(), where, filesystem=filesystem)


def summarize_files(file_stats: list[dict[str, Any]], duplicates: int) -> dict[str, Any]:
    """Per-file counts folded into the partition's read/skip/error figures."""
    skipped: Counter[str] = Counter()
    errors: list[dict] = []
    for stats in file_stats:
        skipped.update(stats.get("skipped", {}))
        errors.extend(stats.get("errors", []))
    if duplicates:
        skipped["duplicate_url"] += duplicates
    failed = [f"{s['file']}: {s['failure']}" for s in file_stats if s.get("failure")]
    return {
        "files_read": len(file_stats) - len(failed),
        "files_failed": len(failed),
        "failed_files": failed,
        "records_read": sum(s.get("records_read", 0) for s in file_stats),
        "bytes_read": sum(s.get("bytes_read", 0) for s in file_stats),
        "pages": sum(s.get("pages", 0) for s in file_stats),
        "links": sum(s.get("links", 0) for s in file_stats),
        "skipped": dict(sorted(skipped.items())),
        "errors": len(errors),
        "error_samples": errors[:20],
        "task_seconds": round(sum(s.get("seconds", 0.0) for s in file_stats), 3),
    }


def main() -> None:
    with open_pipes() as pipes:
        run(pipes, JobParams.from_extras(pipes.extras))


if __name__ == "__main__":
    main()
