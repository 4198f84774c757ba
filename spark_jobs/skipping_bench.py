"""File skipping of a Z-ordered slice write, on both writers (``supplylinks bench graph
--skipping`` runs it: the orchestrator side never imports PySpark).

Generates one partition of synthetic rows for a table of the registry (heavy-tailed source
and target domains, every other column filled by its type), writes them as the extract job
does: T tasks stage their rows as they came (a task = one WARC file), then the slice is
written with delta-rs (the staged rows written as one Z-curve) and with delta-spark
(``replaceWhere`` + ``OPTIMIZE ZORDER BY``). Prints one JSON object: per writer, files,
seconds and the share of the partition's files a point lookup on each Z-order column skips
(the Delta log's statistics against 500 domains drawn from the column's distinct values),
plus that share if each task's rows were one file.

``python -m spark_jobs.skipping_bench --table hyperlinks --rows 2000000 --tasks 40``
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from spark_jobs import jars, tables
from spark_jobs.delta import WrittenFiles, slice_skip_shares, staged_format, write_slices
from spark_jobs.files import stage_rows
from spark_jobs.tables import TableSpec
from spark_jobs.zorder import point_lookup_skip

CRAWL, SEGMENT = "CC-MAIN-2099-01", "00"


def synthetic_rows(spec: TableSpec, rows: int, seed: int) -> pa.Table:
    """Rows of ``spec``'s schema: Z-order columns from Zipf-distributed domains, pages of ~60
    links (a page's links share their source), other columns filled by type."""
    rng = np.random.default_rng(seed)
    domains = np.array([f"d{i:06d}-{rng.integers(1 << 30):08x}.example" for i in range(50_000)])
    pages = max(rows // 60, 1)
    page_domain = domains[np.minimum(rng.zipf(1.3, pages) - 1, len(domains) - 1)]
    page_of_row = np.sort(rng.integers(0, pages, rows))
    columns = {}
    stamp = pa.scalar(datetime(2099, 1, 1, tzinfo=UTC), tables.TIMESTAMP)
    for field in spec.schema:
        name, type_ = field.name, field.type
        if name == "src_domain":
            values = page_domain[page_of_row]
        elif name == "dst_domain":
            values = domains[np.minimum(rng.zipf(1.2, rows) - 1, len(domains) - 1)]
        elif name == "crawl":
            values = np.full(rows, CRAWL)
        elif name == "segment":
            values = np.full(rows, SEGMENT)
        elif name.endswith("url") or name == "link_id":
            values = np.char.add(f"https://{name}/", np.arange(rows).astype(str))
        elif pa.types.is_string(type_):
            values = np.full(rows, f"{name}-value")
        elif pa.types.is_integer(type_):
            columns[name] = pa.array(np.arange(rows) % 1000, type_)
            continue
        elif pa.types.is_floating(type_):
            columns[name] = pa.array(rng.random(rows), type_)
            continue
        elif pa.types.is_boolean(type_):
            columns[name] = pa.array(rng.random(rows) < 0.5)
            continue
        elif pa.types.is_timestamp(type_):
            columns[name] = pa.array([stamp.value] * rows, pa.int64()).cast(type_)
            continue
        else:
            raise ValueError(f"no synthetic values for {spec.name}.{name} ({type_})")
        columns[name] = pa.array(values.tolist(), pa.string())
    return pa.table(columns, schema=spec.schema)


def probe_values(data: pa.Table, column: str, count: int, seed: int) -> list[str]:
    """Domains to look up: drawn uniformly from the column's distinct values (a user asks
    about a domain, not about a link), so rare domains weigh as much as popular ones."""
    distinct = data.column(column).unique().drop_null().to_pylist()
    rng = np.random.default_rng(seed)
    return [distinct[i] for i in rng.choice(len(distinct), min(count, len(distinct)), False)]


def lookup_skip(path: str, spec: TableSpec, probes: dict[str, list[str]]) -> dict[str, float]:
    """Per Z-order column, the share of the partition's files the probes' lookups skip."""
    actions = [a for a in _actions(path) if a["partition.segment"] == SEGMENT]
    return {
        column: point_lookup_skip(
            [(a.get(f"min.{column}"), a.get(f"max.{column}")) for a in actions], probes[column]
        )
        for column in spec.zorder_by
    }


def task_parts(rows: pa.Table, tasks: int) -> list[pa.Table]:
    """What ``tasks`` extract tasks read: each its own slice of the pages."""
    chunks = np.array_split(np.arange(rows.num_rows), tasks)
    return [rows.slice(int(chunk[0]), len(chunk)) for chunk in chunks if len(chunk)]


def task_files(spec: TableSpec, root: str, parts: list[pa.Table], writer: str) -> WrittenFiles:
    """What the extract tasks leave for ``writer``: each task's rows, staged."""
    written = []
    values = {"crawl": CRAWL, "segment": SEGMENT}
    fmt = staged_format(writer)
    for index, part in enumerate(parts):
        written += stage_rows(spec, root, values, part, staged_format=fmt, source=f"task-{index}")
    return WrittenFiles(root, written)


def measure(
    spec: TableSpec,
    rows: int,
    tasks: int,
    seed: int,
    folder: str,
    writers: tuple[str, ...] = ("delta-rs", "delta-spark"),
) -> dict:
    from spark_jobs.session import spark_session

    data = synthetic_rows(spec, rows, seed)
    probes = {c: probe_values(data, c, 500, seed) for c in spec.zorder_by}
    spark = spark_session("supplylinks-skipping-bench")
    slices = {CRAWL: [SEGMENT]}
    figures: dict = {"table": spec.name, "rows": rows, "tasks": tasks}
    for writer in writers:
        warehouse = os.path.join(folder, writer)
        staging = os.path.join(folder, "staging")
        root = os.path.join(staging, writer, spec.name)
        parts = task_parts(data, tasks)
        written = task_files(spec, root, parts, writer)
        if "tasks_files" not in figures:
            figures["tasks_files"] = len(written.files)
            figures["tasks_point_lookup_skip"] = {
                c: point_lookup_skip(
                    [tuple(pc.min_max(p.column(c)).as_py().values()) for p in parts], probes[c]
                )
                for c in spec.zorder_by
            }
        started = time.perf_counter()
        write_slices(spark, spec, warehouse, slices, written, writer=writer, staging_root=staging)
        figures[writer] = {
            "seconds": round(time.perf_counter() - started, 1),
            "files": len(
                [a for a in _actions(spec.path(warehouse)) if a["partition.segment"] == SEGMENT]
            ),
            "point_lookup_skip": lookup_skip(spec.path(warehouse), spec, probes),
            "point_lookup_skip_at_file_bounds": slice_skip_shares(
                spec, spec.path(warehouse), slices
            ),
        }
    return figures


def _actions(path: str) -> list[dict]:
    from deltalake import DeltaTable

    return pa.table(DeltaTable(path).get_add_actions(flatten=True)).to_pylist()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", default="hyperlinks", choices=["hyperlinks", "company_links"])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--writers", default="delta-rs,delta-spark")
    args = parser.parse_args(argv)
    os.environ[jars.DELTA_SPARK_ENV] = "1"  # both writers in one local session
    spec = {"hyperlinks": tables.HYPERLINKS, "company_links": tables.COMPANY_LINKS}[args.table]
    with tempfile.TemporaryDirectory(prefix="skipping-bench-") as folder:
        writers = tuple(args.writers.split(","))
        figures = measure(spec, args.rows, args.tasks, args.seed, folder, writers)
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
