"""Pipes entrypoint: WARC files of (crawl, segment) slices -> ``pages`` + ``hyperlinks``.

A thin shell in the cc-pyspark manner: list the WARC files of the slices from
``warc.paths.gz``, give each Spark task one file (shuffled, so big and small files mix),
run ``extraction.extract.extract_warc_columns`` over it and write the task's rows as the
tables' own Parquet files, Z-ordered (:mod:`spark_jobs.files`); the driver then replaces
the slices of both Delta tables by committing those files. A file that fails mid-way is
counted and reported; what it yielded before failing is kept.

The task loop is the hot path: link columns arrive as lists (one entry per link) and C
helpers append them straight to Arrow buffers (UTF-8 bytes + offsets, or dictionary codes),
the ones a page repeats for all its links are kept once per page and expanded as Arrow
dictionary indices, so no per-link Python or Arrow conversion work is added to the
extraction's own.

Run by the orchestrator as ``python -m spark_jobs.launch extract`` (local) or ``spark-submit``.
"""

from __future__ import annotations

import gc
import hashlib
import random
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from typing import Any

from dagster_pipes import PipesContext

from extraction.native import pagewalk
from spark_jobs import storage
from spark_jobs.delta import WrittenFiles, files_root, new_staging_dir, read_files, write_slices
from spark_jobs.files import DataFile, delete_files, write_sorted_files
from spark_jobs.memory import HeapPrefault
from spark_jobs.params import JobParams
from spark_jobs.pipes_session import open_pipes
from spark_jobs.runner import JobRun, load_seed_rows
from spark_jobs.slice_report import SLICE_REPORT_KEY, slice_figures
from spark_jobs.tables import HYPERLINKS, PAGES, TableSpec

#: Link columns whose value is the same for every link of a page (``extract_columns``
#: repeats them): stored once per page and expanded as dictionary indices.
PAGE_CONSTANT_LINK_COLUMNS = (
    "src_url",
    "src_host",
    "src_domain",
    "page_path",
    "lang",
    "fetch_time",
    "warc_filename",
)
#: Link columns of (nearly) distinct strings: appended as UTF-8 bytes and int32 offsets.
#: (Extraction's ``link_id`` is not stored: see ``spark_jobs.tables.LINK_ID_SQL``.)
UTF8_LINK_COLUMNS = ("dst_url",)
#: Link columns of repeated strings: appended as int32 codes into the file's dictionary.
#: Anchors, contexts and headings belong here: a site's navigation repeats them on every
#: page (the real WARC samples hold 5-12 distinct contexts and 4-6 headings in 229-1,280
#: links), and the writer dictionary-encodes them anyway; coding them as they arrive skips
#: buffering each copy's bytes and hashing them all again before the sort.
CODED_LINK_COLUMNS = (
    "dst_host",
    "dst_domain",
    "region",
    "rel",
    "weak_label",
    "weak_rule",
    "anchor_text",
    "context",
    "section_heading",
)
#: Link columns of booleans: appended as one byte each (``bytes(list)`` and a numpy view
#: convert 2.5 M values in ~0.01 s; ``pyarrow.array`` over the list takes ~0.3 s).
BOOL_LINK_COLUMNS = ("internal",)
#: The rest: kept as lists, converted per chunk.
LIST_LINK_COLUMNS = ("weak_confidence",)
#: Links per Arrow chunk at most (bounds the two lists held); a chunk also ends once a string
#: column holds CHUNK_BYTES, far below the 2 GiB its int32 offsets can address. Most files
#: make one chunk, so the reorder needs no concatenation.
CHUNK_LINKS = 4_000_000
CHUNK_BYTES = 1 << 30
#: Populated free heap kept ahead of the buffers while a file is read (the largest single
#: allocation is a growing string buffer's next size, an eighth more than it holds), and
#: the heap the table building and sorting need per buffered link.
PREFAULT_BYTES = 96 << 20
PREFAULT_EVERY_PAGES = 128  # mallinfo2 walks the free lists: ~0.15 ms a call
TABLE_BYTES_PER_LINK = 64


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


class PageColumns:
    """Page rows of one task, column-wise."""

    def __init__(self) -> None:
        self.names = [n for n in PAGES.columns if n not in PAGES.partition_by]
        self.columns: dict[str, list] = {name: [] for name in self.names}

    def add(self, page: dict[str, Any]) -> None:
        for name, values in self.columns.items():
            values.append(page.get(name))

    def table(self):
        import pyarrow as pa

        schema = PAGES.schema
        return pa.table(
            {n: pa.array(v, type=schema.field(n).type) for n, v in self.columns.items()}
        )


class LinkColumns:
    """Link columns of one task, held as Arrow buffers rather than Python lists.

    The extraction hands each page's links as lists; the C helpers of
    ``extraction._pagewalk`` append them straight to buffers: distinct-valued strings as
    UTF-8 bytes + int32 offsets (:data:`UTF8_LINK_COLUMNS`), repeated strings as int32 codes
    into one task-wide dictionary (:data:`CODED_LINK_COLUMNS`), booleans as bytes, so no
    per-value Arrow conversion runs. Page-constant values are kept once per page and
    expanded as dictionary indices; ``weak_confidence`` stays a list.
    """

    def __init__(self) -> None:
        self.utf8 = {name: _Utf8Buffers() for name in UTF8_LINK_COLUMNS}
        self.codes: dict[str, dict[str, int]] = {name: {} for name in CODED_LINK_COLUMNS}
        self.code_buffers = {name: bytearray() for name in CODED_LINK_COLUMNS}
        self.bools = {name: bytearray() for name in BOOL_LINK_COLUMNS}
        self.lists: dict[str, list] = {name: [] for name in LIST_LINK_COLUMNS}
        self.chunks: dict[str, list] = {
            name: [] for name in UTF8_LINK_COLUMNS + BOOL_LINK_COLUMNS + LIST_LINK_COLUMNS
        }
        self.constants: dict[str, list] = {name: [] for name in PAGE_CONSTANT_LINK_COLUMNS}
        self.counts: list[int] = []
        self.pending = 0  # links not yet converted to Arrow chunks

    def add(self, columns: dict[str, list]) -> None:
        count = len(columns["dst_url"])
        if not count:
            return
        for name, buffers in self.utf8.items():
            buffers.append(columns[name])
        for name, codes in self.codes.items():
            pagewalk.append_codes(columns[name], codes, self.code_buffers[name])
        for name, flags in self.bools.items():
            flags += bytes(columns[name])
        for name, values in self.lists.items():
            values.extend(columns[name])
        for name, values in self.constants.items():
            values.append(columns[name][0])
        self.counts.append(count)
        self.pending += count
        if self.pending >= CHUNK_LINKS or any(
            len(buffers.data) >= CHUNK_BYTES for buffers in self.utf8.values()
        ):
            self._convert()

    def _convert(self) -> None:
        import numpy as np
        import pyarrow as pa

        schema = HYPERLINKS.schema
        for name, buffers in self.utf8.items():
            self.chunks[name].append(buffers.array())
            self.utf8[name] = _Utf8Buffers()
        for name, flags in self.bools.items():
            self.chunks[name].append(pa.array(np.frombuffer(flags, dtype=np.bool_)))
            self.bools[name] = bytearray()
        for name, values in self.lists.items():
            self.chunks[name].append(pa.array(values, type=schema.field(name).type))
            values.clear()
        self.pending = 0

    def table(self):
        import numpy as np
        import pyarrow as pa

        self._convert()
        schema = HYPERLINKS.schema
        counts = np.asarray(self.counts, dtype=np.int64)
        total = int(counts.sum())
        page_index = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        page_of_link = pa.array(page_index)
        starts = np.repeat(np.cumsum(counts) - counts, counts)
        columns: dict[str, Any] = {
            name: pa.chunked_array(chunks, type=schema.field(name).type)
            for name, chunks in self.chunks.items()
        }
        for name, codes in self.codes.items():
            indices = np.frombuffer(self.code_buffers[name], dtype=np.int32)
            columns[name] = pa.DictionaryArray.from_arrays(
                pa.array(indices, mask=indices < 0), pa.array(list(codes), pa.string())
            )
        for name, values in self.constants.items():
            per_page = pa.array(values, type=schema.field(name).type)
            if pa.types.is_string(per_page.type):  # distinct values once; nulls in the indices
                encoded = per_page.dictionary_encode()
                columns[name] = pa.DictionaryArray.from_arrays(
                    encoded.indices.take(page_of_link), encoded.dictionary
                )
            else:
                columns[name] = per_page.take(page_of_link)
        columns["position"] = pa.array((np.arange(total) - starts + 1).astype(np.int32))
        names = [n for n in schema.names if n in columns]
        return pa.table([columns[n] for n in names], names=names)


class _Utf8Buffers:
    """One Arrow string array being built: UTF-8 data, int32 offsets, a validity byte each."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.offsets = bytearray(4)  # the first offset, 0
        self.valid = bytearray()

    def append(self, values: list) -> None:
        pagewalk.append_utf8(values, self.data, self.offsets, self.valid)

    def array(self):
        import numpy as np
        import pyarrow as pa

        count = len(self.valid)
        valid = np.frombuffer(self.valid, dtype=np.uint8)
        nulls = count - int(np.count_nonzero(valid))
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little")) if nulls else None
        return pa.Array.from_buffers(
            pa.string(),
            count,
            [bitmap, pa.py_buffer(self.offsets), pa.py_buffer(self.data)],
            null_count=nulls,
        )


def extract_files(
    files: Iterator[tuple[str, str, str, str]],
    roots: dict[str, str],
    seed_rows: list[dict] | None,
    reader: str,
) -> Iterator[dict[str, Any]]:
    """Executor side: extract each WARC file of the task, write its rows as Z-ordered
    table files below ``roots``, yield its counts and the files' descriptions."""
    from extraction.companies import SeedCompanies
    from extraction.extract import ExtractStats, extract_warc_columns

    heap = HeapPrefault()  # keeps the heap between files and populates it ahead of use
    seeds = SeedCompanies.from_rows(seed_rows) if seed_rows else None
    for crawl, segment, path, uri in files:
        started, cpu_started = time.monotonic(), time.process_time()
        pages, links = PageColumns(), LinkColumns()
        stats = ExtractStats()
        failure = None
        seen_urls: set[str] = set()
        url_hashes = bytearray()  # 8 bytes per kept page: the driver's repeated-URL check
        # The buffered columns are many long-lived objects that every cyclic-GC pass would
        # traverse again; extraction makes next to no cycles, so collect once per file.
        gc.disable()
        try:
            with storage.open_input(uri) as stream:
                for page, link_columns in extract_warc_columns(
                    stream, warc_filename=path, seeds=seeds, stats=stats, reader=reader
                ):
                    if page["url"] in seen_urls:  # the same URL fetched twice in one file
                        stats.skipped["duplicate_url"] += 1
                        continue
                    seen_urls.add(page["url"])
                    url_hashes += hashlib.blake2b(page["url"].encode(), digest_size=8).digest()
                    pages.add(page)
                    links.add(link_columns)
                    if len(seen_urls) % PREFAULT_EVERY_PAGES == 0:
                        heap.ensure(PREFAULT_BYTES)
        except Exception as exc:  # a file failing mid-way keeps what it read so far
            failure = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        finally:
            gc.enable()
        extracted = time.monotonic()
        heap.ensure(TABLE_BYTES_PER_LINK * sum(links.counts))
        partition = {"crawl": crawl, "segment": segment}
        written = {
            spec.name: [
                f.as_dict()
                for f in write_sorted_files(spec, roots[spec.name], partition, rows, source=path)
            ]
            for spec, rows in ((PAGES, pages.table()), (HYPERLINKS, links.table()))
        }
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
        # The file's objects are all young (no pass ran while it was read): a young-generation
        # pass finds its cycles without walking the ~100k long-lived objects (0.06 s a file).
        gc.collect(1)


def slices_with_repeats(file_stats: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """The (crawl, segment) slices where some page URL was kept by two WARC files, from the
    8-byte URL hashes each task returns (a hash collision only costs an exact check)."""
    import numpy as np

    by_slice: dict[tuple[str, str], list[bytes]] = {}
    for stats in file_stats:
        by_slice.setdefault((stats["crawl"], stats["segment"]), []).append(stats["url_hashes"])
    repeated = set()
    for key, parts in by_slice.items():
        hashes = np.frombuffer(b"".join(parts), dtype=np.uint64)
        if len(np.unique(hashes)) < len(hashes):
            repeated.add(key)
    return repeated


def repeated_page_copies(
    spark, written: WrittenFiles, slices: set[tuple[str, str]]
) -> list[dict[str, str]]:
    """Pages fetched twice in one (crawl, segment) slice (CC rarely has them; samples do):
    every copy but the newest, as (crawl, segment, url, warc_filename).

    Deduplication stays within a slice so a slice's rows never depend on which other
    slices shared its run: re-running one segment alone gives the same rows. Only the
    slices with repeated hashes are read, and only the repeated URLs reach the driver.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    key = ["crawl", "segment", "url"]
    suspects = [
        f
        for f in written.files
        if (f.partition_values["crawl"], f.partition_values["segment"]) in slices
    ]
    if not suspects:
        return []
    pages = read_files(spark, PAGES, WrittenFiles(written.root, suspects)).select(
        *key, "fetch_time", "warc_filename", "warc_record_offset"
    )
    repeated = pages.groupBy(*key).count().where("count > 1").select(*key)
    order = Window.partitionBy(*key).orderBy(
        F.col("fetch_time").desc(), "warc_filename", "warc_record_offset"
    )
    losers = (
        pages.join(repeated, key)
        .withColumn("_rank", F.row_number().over(order))
        .where("_rank > 1")
        .select(*key, "warc_filename")
    )
    return [row.asDict() for row in losers.collect()]


def drop_copies(
    context, spec: TableSpec, written: WrittenFiles, copies: list[dict[str, str]], url_column: str
) -> WrittenFiles:
    """Rewrite the (uncommitted) files holding dropped copies without their rows."""
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
    rewritten = (
        context.parallelize(tasks, len(tasks))
        .mapPartitions(lambda part: _without_urls(spec, root, url_column, part))
        .collect()
    )
    kept = [f for f in written.files if where(f) not in drops]
    return WrittenFiles(root, kept + [DataFile.from_dict(d) for d in rewritten])


def _without_urls(spec: TableSpec, root: str, url_column: str, tasks) -> Iterator[dict]:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    for described, urls in tasks:
        old = DataFile.from_dict(described)
        filesystem, where = storage.filesystem(storage.join(root, old.path))
        table = pq.read_table(where, filesystem=filesystem)
        dropped = pc.is_in(table.column(url_column), value_set=pa_strings(urls))
        kept = table.filter(pc.invert(dropped))
        new = write_sorted_files(spec, root, old.partition_values, kept, source=old.source)
        delete_files(root, [old])
        yield from (f.as_dict() for f in new)


def pa_strings(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def run(pipes: PipesContext, params: JobParams) -> dict[str, Any]:
    job = JobRun(pipes, "extract", params)
    files = plan_files(params)
    job.log(f"{len(files)} WARC files in {len(params.slices)} slice(s)")
    staging = new_staging_dir(params.staging_root, "extract")
    roots = {
        spec.name: files_root(spec, params.warehouse, params.writer, staging)
        for spec in (PAGES, HYPERLINKS)
    }
    seed_rows = load_seed_rows(params.seeds)
    reader = params.extra.get("reader", "warcio")
    context = job.context  # the SQL session starts only if a step below needs it
    phases = {"spark_start": round(job.elapsed(), 2)}
    job.log(f"Spark {context.version} ready after {job.elapsed():.1f} s")
    file_stats: list[dict[str, Any]] = []
    if files:
        rdd = context.parallelize(files, numSlices=len(files))
        file_stats = rdd.mapPartitions(
            lambda part: extract_files(part, roots, seed_rows, reader)
        ).collect()
    described = [stats.pop("written") for stats in file_stats]
    written = {
        spec.name: WrittenFiles(
            roots[spec.name], [DataFile.from_dict(d) for w in described for d in w[spec.name]]
        )
        for spec in (PAGES, HYPERLINKS)
    }
    write_seconds = sum(s.get("write_seconds", 0.0) for s in file_stats)
    phases["extract_and_write_files"] = round(job.elapsed() - sum(phases.values()), 2)
    job.log(
        f"extracted {len(file_stats)} files after {job.elapsed():.1f} s "
        f"(tasks spent {write_seconds:.1f} s of it sorting and writing files)"
    )
    repeats = slices_with_repeats(file_stats)
    copies = repeated_page_copies(job.spark, written["pages"], repeats) if repeats else []
    if copies:
        written["pages"] = drop_copies(context, PAGES, written["pages"], copies, "url")
        written["hyperlinks"] = drop_copies(
            context, HYPERLINKS, written["hyperlinks"], copies, "src_url"
        )
    phases["repeated_urls"] = round(job.elapsed() - sum(phases.values()), 2)
    job.log(f"{len(copies)} duplicate page(s) dropped after {job.elapsed():.1f} s")
    slices = params.segments_by_crawl()
    reports = {}
    for spec in (PAGES, HYPERLINKS):
        reports[spec.name] = write_slices(
            job.spark if params.writer == "delta-spark" else None,
            spec,
            params.warehouse,
            dict(slices),
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
    counts[SLICE_REPORT_KEY] = slice_figures(file_stats)  # each partition's own figures
    for failed in counts["failed_files"]:
        job.log(f"file failed mid-way, kept what it read: {failed}", level="warning")
    for name, report in reports.items():
        job.report(name, report, counts)
    return {"files": counts, "reports": {k: v.metadata() for k, v in reports.items()}}


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
