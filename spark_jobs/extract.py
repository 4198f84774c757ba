"""Pipes entrypoint: WARC files of (crawl, segment) slices -> ``pages`` + ``hyperlinks``.

A thin shell in the cc-pyspark manner: list the WARC files of the slices from
``warc.paths.gz``, give each Spark task one file (shuffled, so big and small files mix),
run ``extraction.extract.extract_warc_into`` over it and stage the task's rows as they
came (Arrow IPC for delta-rs, Parquet for delta-spark: :func:`spark_jobs.files.stage_rows`);
the commit then writes each partition's staged rows once as the tables' Z-ordered files and
replaces the slices of both Delta tables (:func:`spark_jobs.delta.write_slices`). A file
that fails mid-way is counted and reported, and its slice is not committed unless the run
allows partial slices (:mod:`spark_jobs.completeness`).

The task adds nothing to the extraction's own work: pages arrive as rows, their
cross-domain links in a C sink already in Arrow's layout (links that stay inside a site
are only counted, on their page), wrapped as Arrow tables without copying.

Run by the orchestrator as ``python -m spark_jobs.launch extract`` (local) or ``spark-submit``.
"""

from __future__ import annotations

import hashlib
import random
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from typing import Any

from dagster_pipes import PipesContext

from spark_jobs import completeness, storage
from spark_jobs.delta import WrittenFiles, new_staging_dir, staged_format, write_slices
from spark_jobs.files import (
    DataFile,
    delete_files,
    dictionary_encoded,
    one_array,
    read_staged,
    stage_rows,
    staged_format_of,
)
from spark_jobs.params import JobParams
from spark_jobs.pipes_session import open_pipes
from spark_jobs.runner import JobRun, load_seed_rows
from spark_jobs.slice_report import SLICE_REPORT_KEY, slice_figures
from spark_jobs.tables import HYPERLINKS, PAGES, TableSpec
from spark_jobs.targeted import open_pages, plan_targeted


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


class TableColumns:
    """``pages`` rows of one task, column-wise: the page rows (dicts) are held as they come
    and become an Arrow record batch every :data:`BATCH_ROWS` rows, one column at a time
    (a list per column filled row by row cost ~8 µs a page, 1 % of the task; holding the
    dicts instead raised a 43,750-page task's peak RSS from 598 to 638 MB)."""

    #: Rows held as Python objects before they become one Arrow record batch.
    BATCH_ROWS = 65_536

    def __init__(self, spec: TableSpec) -> None:
        self.spec = spec
        self.names = [name for name in spec.columns if name not in spec.partition_by]
        self.pending: list[dict[str, Any]] = []
        self.batches: list = []
        self.rows = 0

    def add_row(self, row: dict[str, Any]) -> None:
        self.pending.append(row)
        self.rows += 1
        if len(self.pending) >= self.BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        schema, rows = self.spec.schema, self.pending
        arrays = [
            pa.array([row[n] for row in rows], type=schema.field(n).type) for n in self.names
        ]
        self.batches.append(pa.record_batch(arrays, names=self.names))
        self.pending = []

    def __len__(self) -> int:
        return self.rows

    def table(self):
        import pyarrow as pa

        if self.pending or not self.batches:
            self._flush()
        return pa.Table.from_batches(self.batches)


class LinkColumns:
    """``hyperlinks`` rows of one task. The extraction writes each link's own columns into
    a C ``LinkSink`` in Arrow's layout (``extraction.extract.extract_into``: no Python
    object per link but its anchor and context); this wraps the sink's buffers as Arrow
    arrays without copying, every :data:`BATCH_ROWS` links, and adds the
    ``PAGE_LEVEL_LINK_COLUMNS``, kept once per page and spread over its links as
    dictionary arrays (:func:`_spread`).

    Measured on one diverse WARC file of 156 k links (``bench pipeline``'s): collecting
    Python lists per link and converting them cost the task 0.77 s, 0.39 s with the
    page-level values kept once per page, and the lists' extraction itself 4 % more than
    the sink's.
    """

    def __init__(self) -> None:
        from extraction.extract import SINK_BATCH_LINKS, new_link_sink

        self.BATCH_ROWS = SINK_BATCH_LINKS

        self.sink = new_link_sink()
        self.names = [n for n in HYPERLINKS.columns if n not in HYPERLINKS.partition_by]
        self.pages: list[dict[str, Any]] = []  # pages with links, their values read at flush
        self.page_rows: list[int] = []  # links of each of those pages
        self.batches: list = []
        self.rows = 0

    def add_page(self, page: dict[str, Any]) -> None:
        """Count ``page``'s links, which extraction put into :attr:`sink`, as its own."""
        count = page["external_links"]
        if not count:
            return
        self.pages.append(page)
        self.page_rows.append(count)
        self.rows += count
        if self.sink.rows >= self.BATCH_ROWS:
            self._flush()

    def drop_page(self, page: dict[str, Any]) -> None:
        """Forget the links of ``page``, the last one extracted (a page not kept)."""
        self.sink.truncate(self.sink.rows - page["external_links"])

    def _flush(self) -> None:
        import numpy as np
        import pyarrow as pa

        from extraction.extract import PAGE_LEVEL_LINK_COLUMNS, page_link_values

        rows, positions, columns = self.sink.take()
        if rows != sum(self.page_rows):
            raise RuntimeError(f"link sink holds {rows} links, its pages {sum(self.page_rows)}")
        arrays = {
            name: pa.Array.from_buffers(
                pa.string(), rows, [_buffer(validity), _buffer(offsets), _buffer(data)], nulls
            )
            for name, (nulls, validity, offsets, data) in columns.items()
        }
        arrays["position"] = pa.Array.from_buffers(pa.int32(), rows, [None, _buffer(positions)])
        spread = np.repeat(np.arange(len(self.page_rows), dtype=np.int32), self.page_rows)
        schema = HYPERLINKS.schema
        per_page = [page_link_values(page) for page in self.pages]
        for name in PAGE_LEVEL_LINK_COLUMNS:
            values = pa.array([row[name] for row in per_page], type=schema.field(name).type)
            arrays[name] = _spread(values, spread)
        self.pages.clear()
        self.page_rows.clear()
        # encoded here, in the parallel tasks, not again in each commit share
        encoded = dictionary_encoded(
            pa.table([arrays[n] for n in self.names], names=self.names), HYPERLINKS
        )
        columns = [one_array(column) for column in encoded.columns]
        self.batches.append(pa.record_batch(columns, names=self.names))  # even with no rows

    def __len__(self) -> int:
        return self.rows

    def table(self):
        import pyarrow as pa

        if self.sink.rows or not self.batches:
            self._flush()
        return pa.Table.from_batches(self.batches).unify_dictionaries()


def _buffer(data: bytes | None):
    import pyarrow as pa

    return None if data is None else pa.py_buffer(data)


def _spread(values, rows):
    """Per-page ``values`` repeated for their links (``rows``: page index per link); strings
    as a dictionary array over the pages' values (no string is copied: the table writer
    takes dictionaries as they are), a page's None as a null index."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(values.type):
        return values.take(pa.array(rows))
    mask = None
    if values.null_count:
        mask = np.asarray(values.is_null())[rows]
        values = pc.fill_null(values, "")
    return pa.DictionaryArray.from_arrays(pa.array(rows, mask=mask), values)


def extract_files(
    files: Iterator[tuple[str, str, str, str]],
    roots: dict[str, str],
    seed_rows: list[dict] | None,
    reader: str,
    staged_format: str,
) -> Iterator[dict[str, Any]]:
    """Executor side: extract each WARC file of the task, stage its rows below ``roots``
    (:func:`spark_jobs.files.stage_rows`), yield its counts and the files' descriptions."""
    from extraction.companies import SeedCompanies
    from extraction.extract import ExtractStats

    seeds = SeedCompanies.from_rows(seed_rows) if seed_rows else None
    for task in files:
        crawl, segment, path, uri = task[:4]
        started, cpu_started = time.monotonic(), time.process_time()
        pages = TableColumns(PAGES)
        links = LinkColumns()
        stats = ExtractStats()
        failure = None
        seen_urls: set[str] = set()
        url_hashes = bytearray()  # 8 bytes per kept page: the driver's repeated-URL check
        try:
            with open_pages(task, seeds, stats, reader, links.sink) as pages_of_file:
                for page in pages_of_file:
                    if page["url"] in seen_urls:  # the same URL fetched twice in one file
                        stats.skipped["duplicate_url"] += 1
                        links.drop_page(page)
                        continue
                    seen_urls.add(page["url"])
                    url_hashes += url_hash(page["url"])
                    pages.add_row(page)
                    links.add_page(page)
        except Exception as exc:  # a file failing mid-way keeps what it read so far
            failure = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        extracted = time.monotonic()
        partition = {"crawl": crawl, "segment": segment}
        written = {
            spec.name: [
                f.as_dict()
                for f in stage_rows(
                    spec, roots[spec.name], partition, rows,
                    staged_format=staged_format, source=path,
                )
            ]
            for spec, rows in ((PAGES, pages.table()), (HYPERLINKS, links.table()))
        }  # fmt: skip
        yield {
            "crawl": crawl,
            "segment": segment,
            "file": path,
            "failure": failure,
            "seconds": round(time.monotonic() - started, 3),
            "cpu_seconds": round(time.process_time() - cpu_started, 3),
            "write_seconds": round(time.monotonic() - extracted, 3),
            "written": written,
            "url_hashes": bytes(url_hashes),
            **stats.as_dict(),
        }
        del pages, links, seen_urls


def repeated_url_hashes(file_stats: list[dict[str, Any]]) -> dict[tuple[str, str], set[bytes]]:
    """Per (crawl, segment) slice, the 8-byte URL hashes that two kept pages share, from the
    hashes each task returns (a hash collision only costs an exact check); slices without
    any are left out."""
    import numpy as np

    by_slice: dict[tuple[str, str], list[bytes]] = {}
    for stats in file_stats:
        by_slice.setdefault((stats["crawl"], stats["segment"]), []).append(stats["url_hashes"])
    repeated = {}
    for key, parts in by_slice.items():
        hashes, counts = np.unique(
            np.frombuffer(b"".join(parts), dtype=np.uint64), return_counts=True
        )
        if (counts > 1).any():
            repeated[key] = {h.tobytes() for h in hashes[counts > 1]}
    return repeated


def url_hash(url: str) -> bytes:
    return hashlib.blake2b(url.encode(), digest_size=8).digest()


def repeated_page_copies(
    tasks_engine, written: WrittenFiles, repeated: dict[tuple[str, str], set[bytes]]
) -> list[dict[str, str]]:
    """Pages fetched twice in one (crawl, segment) slice (CC rarely has them; samples do):
    every copy but the newest (ties: the first WARC file and offset), as (crawl, segment,
    url, warc_filename).

    Deduplication stays within a slice so a slice's rows never depend on which other
    slices shared its run: re-running one segment alone gives the same rows. Tasks read the
    staged pages of the slices with repeated hashes, and only the pages whose URL hash is
    repeated reach the driver.
    """

    def key(values: dict[str, str]) -> tuple[str, str]:
        return values["crawl"], values["segment"]

    suspects = [
        (f.as_dict(), repeated[key(f.partition_values)])
        for f in written.files
        if key(f.partition_values) in repeated
    ]
    root = written.root
    found = tasks_engine.map(suspects, lambda part: _pages_with_hashes(root, part))
    by_url: dict[tuple[str, str, str], list[dict]] = {}
    for row in found:
        by_url.setdefault((row["crawl"], row["segment"], row["url"]), []).append(row)
    losers = []
    for copies in by_url.values():
        copies.sort(key=lambda r: (r["warc_filename"], r["warc_record_offset"]))
        copies.sort(key=lambda r: r["fetch_time"], reverse=True)  # stable: newest first
        losers += [
            {k: r[k] for k in ("crawl", "segment", "url", "warc_filename")} for r in copies[1:]
        ]
    return losers


def _pages_with_hashes(root: str, tasks) -> Iterator[dict]:
    columns = ["url", "fetch_time", "warc_filename", "warc_record_offset"]
    for described, hashes in tasks:
        staged = DataFile.from_dict(described)
        for row in read_staged(root, [staged], columns).to_pylist():
            if url_hash(row["url"]) in hashes:
                yield row | staged.partition_values


def drop_copies(
    tasks_engine,
    spec: TableSpec,
    written: WrittenFiles,
    copies: list[dict[str, str]],
    url_column: str,
) -> WrittenFiles:
    """Stage the files holding dropped copies again without their rows."""
    drops: dict[tuple[str, str, str], list[str]] = {}
    for copy in copies:
        drops.setdefault((copy["warc_filename"], copy["crawl"], copy["segment"]), []).append(
            copy["url"]
        )

    def where(f: DataFile) -> tuple[str, str, str]:
        return (f.source, f.partition_values["crawl"], f.partition_values["segment"])

    affected = [f for f in written.files if where(f) in drops]
    if not affected:
        return written
    tasks = [(f.as_dict(), drops[where(f)]) for f in affected]
    root = written.root
    rewritten = tasks_engine.map(tasks, lambda part: _without_urls(spec, root, url_column, part))
    kept = [f for f in written.files if where(f) not in drops]
    return WrittenFiles(root, kept + [DataFile.from_dict(d) for d in rewritten])


def _without_urls(spec: TableSpec, root: str, url_column: str, tasks) -> Iterator[dict]:
    import pyarrow.compute as pc

    for described, urls in tasks:
        old = DataFile.from_dict(described)
        table = read_staged(root, [old])
        dropped = pc.is_in(table.column(url_column), value_set=pa_strings(urls))
        kept = table.filter(pc.invert(dropped))
        new = stage_rows(
            spec, root, old.partition_values, kept,
            staged_format=staged_format_of(old), source=old.source,
        )  # fmt: skip
        delete_files(root, [old])
        yield from (f.as_dict() for f in new)


def pa_strings(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


class SparkTasks:
    """Runs a job's tasks on Spark: one partition per item, results collected."""

    name = "spark"
    start_phase = "spark_start"  # the job's clock until the tasks can run

    def __init__(self, job: JobRun) -> None:
        self.job = job

    def start(self) -> str:
        return self.job.context.version  # the SQL session starts only if a step needs it

    def map(self, items: list, function) -> list:
        return self.job.context.parallelize(items, len(items)).mapPartitions(function).collect()


def run(pipes: PipesContext, params: JobParams) -> dict[str, Any]:
    job = JobRun(pipes, "extract", params)
    seed_rows = load_seed_rows(params.seeds)
    targeted = params.extra.get("mode") == "targeted"
    files = plan_targeted(params, seed_rows, job.log) if targeted else plan_files(params)
    job.log(f"{len(files)} WARC files in {len(params.slices)} slice(s)")
    counts, reports, verdict = extract_and_commit(
        job, params, files, seed_rows, SparkTasks(job), params.slices, params.segments_by_crawl()
    )
    for name, report in reports.items():
        job.report(name, report, counts)
        job.check(name, "slices_complete", not verdict.damaged, verdict.metadata(), "WARN")
    return {"files": counts, "reports": {k: v.metadata() for k, v in reports.items()}}


def extract_and_commit(
    job: JobRun,
    params: JobParams,
    files: list[tuple],
    seed_rows: list[dict],
    tasks_engine,
    judged: tuple[tuple[str, str], ...] | list[tuple[str, str]],
    replaced: dict[str, list[str] | None],
) -> tuple[dict[str, Any], dict[str, Any], completeness.Verdict]:
    """Extract ``files`` on ``tasks_engine`` (:class:`SparkTasks`, or in this process:
    :class:`spark_jobs.local_tasks.LocalTasks`), judge the ``judged`` slices whole, drop
    repeated pages and replace the ``replaced`` slices of ``pages`` and ``hyperlinks``
    (crawl -> segments, or None: the whole crawl). Returns the run's counts, the write
    reports and the verdict; nothing is committed when the verdict refuses."""
    staging = new_staging_dir(params.staging_root, "extract")
    roots = {spec.name: storage.join(staging, spec.name) for spec in (PAGES, HYPERLINKS)}
    fmt = staged_format(params.writer)
    from extraction.warc import DEFAULT_READER

    reader = params.extra.get("reader", DEFAULT_READER)
    version = tasks_engine.start()
    phases = {tasks_engine.start_phase: round(job.elapsed(), 2)}
    job.log(f"{tasks_engine.name} tasks ({version}) ready after {job.elapsed():.1f} s")
    file_stats: list[dict[str, Any]] = []
    if files:
        file_stats = tasks_engine.map(
            files, lambda part: extract_files(part, roots, seed_rows, reader, fmt)
        )
    described = [stats.pop("written") for stats in file_stats]
    written = {
        spec.name: WrittenFiles(
            roots[spec.name], [DataFile.from_dict(d) for w in described for d in w[spec.name]]
        )
        for spec in (PAGES, HYPERLINKS)
    }
    verdict = completeness.judge(judged, file_stats)
    if verdict.refuses(params.allow_partial):  # nothing committed: remove what was written
        for spec in (PAGES, HYPERLINKS):
            delete_files(written[spec.name].root, written[spec.name].files)
        storage.remove_tree(staging)
        raise completeness.SliceFailure(verdict.message(params.allow_partial))
    write_seconds = sum(s.get("write_seconds", 0.0) for s in file_stats)
    phases["extract_and_write_files"] = round(job.elapsed() - sum(phases.values()), 2)
    job.log(
        f"extracted {len(file_stats)} files after {job.elapsed():.1f} s "
        f"(tasks spent {write_seconds:.1f} s of it staging rows)"
    )
    repeats = repeated_url_hashes(file_stats)
    copies = repeated_page_copies(tasks_engine, written["pages"], repeats) if repeats else []
    if copies:
        written["pages"] = drop_copies(tasks_engine, PAGES, written["pages"], copies, "url")
        written["hyperlinks"] = drop_copies(
            tasks_engine, HYPERLINKS, written["hyperlinks"], copies, "src_url"
        )
    phases["repeated_urls"] = round(job.elapsed() - sum(phases.values()), 2)
    job.log(f"{len(copies)} duplicate page(s) dropped after {job.elapsed():.1f} s")
    reports = {}
    for spec in (PAGES, HYPERLINKS):
        reports[spec.name] = write_slices(
            job.spark if params.writer == "delta-spark" else None,
            spec,
            params.warehouse,
            dict(replaced),
            written[spec.name],
            writer=params.writer,
            staging_root=params.staging_root,
        )
        phases[f"commit_{spec.name}"] = round(job.elapsed() - sum(phases.values()), 2)
        job.log(f"{spec.name} committed after {job.elapsed():.1f} s")
    storage.remove_tree(staging)
    counts = summarize_files(file_stats, len(copies))
    counts["phase_seconds"] = phases
    counts["task_write_seconds"] = round(write_seconds, 3)
    counts["tasks_engine"] = tasks_engine.name
    counts[SLICE_REPORT_KEY] = slice_figures(file_stats)  # each partition's own figures
    for failed in counts["failed_files"]:
        job.log(f"file failed mid-way, kept what it read: {failed}", level="warning")
    counts.update(verdict.metadata())
    return counts, reports, verdict


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
        "task_cpu_seconds": round(sum(s.get("cpu_seconds", 0.0) for s in file_stats), 3),
    }


def main() -> None:
    with open_pipes() as pipes:
        run(pipes, JobParams.from_extras(pipes.extras))


if __name__ == "__main__":
    main()
