"""``supplylinks bench graph``: does Z-ordering ``link_graph`` pay off for neighbour queries?

Generates a synthetic ``link_graph`` slice of N edges (numpy/pyarrow, vectorised; heavy-tailed
target popularity), writes it as Delta tables of about F files each — once Z-ordered (rows
sorted along one global Z-curve over the registry's Z-order columns), once unordered (arrival
order) — and runs the same neighbour queries through :class:`pipelines.graph.queries.LinkGraph`
on both, reporting median latency and files scanned vs total. The last line is one JSON object.

Why not delta-rs ``OPTIMIZE ZORDER`` for the Z-ordered copy: delta-rs (1.x) Z-orders each
*bin* of input files (bins of ``target_size``) separately, so its output files each cover
nearly the whole key range and min/max skipping barely helps once a partition holds more
than one bin (``--delta-rs-zorder`` measures that copy too). One global sort — what
delta-spark's ``OPTIMIZE ZORDER BY`` does by range-partitioning on the interleaved key —
gives every file a narrow range of both columns.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extraction.labels import RELATION_LABELS
from spark_jobs.tables import LINK_GRAPH
from spark_jobs.zorder import zorder_indices

CRAWL = "CC-MAIN-2099-01"
#: Share of each label among generated edges (order of RELATION_LABELS).
LABEL_WEIGHTS = (0.25, 0.25, 0.2, 0.05, 0.03, 0.07, 0.15)
TARGET_MEDIAN_MS = 100.0
TARGET_SKIPPED = 0.90


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("graph", help="Z-ordered vs unordered link_graph neighbour queries")
    parser.add_argument("--edges", type=int, default=10_000_000, help="edges to generate")
    parser.add_argument("--files", type=int, default=400, help="data files per table (approx.)")
    parser.add_argument("--queries", type=int, default=50, help="neighbour queries per table")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", help="where to write the tables (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the tables afterwards")
    parser.add_argument(
        "--delta-rs-zorder",
        action="store_true",
        help="also measure a copy Z-ordered by delta-rs OPTIMIZE (which sorts per bin, see docs)",
    )
    parser.add_argument(
        "--skipping",
        action="store_true",
        help="instead: file skipping of point lookups in hyperlinks and company_links slice "
        "writes on both Delta writers (a local Spark job; needs `make jars`)",
    )
    parser.add_argument(
        "--rows", type=int, default=2_000_000, help="--skipping: rows in the one partition"
    )
    parser.add_argument(
        "--tasks", type=int, default=40, help="--skipping: extract tasks writing it (WARC files)"
    )
    parser.set_defaults(func=run)


def skipping(rows: int, tasks: int, seed: int) -> list[dict[str, Any]]:
    """Per table, what ``spark_jobs.skipping_bench`` measured (a subprocess: the orchestrator
    side never imports PySpark): files and point-lookup skip share per writer."""
    import subprocess
    import sys

    results = []
    for table in ("hyperlinks", "company_links"):
        command = [sys.executable, "-m", "spark_jobs.skipping_bench", "--table", table]
        command += ["--rows", str(rows), "--tasks", str(tasks), "--seed", str(seed)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"skipping bench of {table} failed:\n{done.stderr[-3000:]}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        for writer in ("delta-rs", "delta-spark"):
            if writer not in figures:
                continue
            shares = figures[writer]["point_lookup_skip"]
            figures[writer]["meets_target"] = min(shares.values()) >= TARGET_SKIPPED
            print(
                f"{table} {writer}: {figures[writer]['files']} files, point lookups skip "
                + ", ".join(f"{c} {v:.1%}" for c, v in shares.items())
                + f" (tasks' own files: {figures['tasks_files']}, skip "
                + ", ".join(f"{v:.1%}" for v in figures["tasks_point_lookup_skip"].values())
                + f"); {figures[writer]['seconds']} s"
            )
        results.append(figures)
    return results


def run(args: argparse.Namespace) -> int:
    if args.skipping:
        print(json.dumps(skipping(args.rows, args.tasks, args.seed)))
        return 0
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="bench-graph-"))
    try:
        figures = benchmark(
            root, args.edges, args.files, args.queries, args.seed, args.delta_rs_zorder
        )
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(figures))
    return 0


def benchmark(
    root: Path, edges: int, files: int, queries: int, seed: int, delta_rs_zorder: bool = False
) -> dict[str, Any]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    table = generate_edges(edges, seed)
    timings["generate_s"] = time.perf_counter() - started
    target_size = _bytes_per_file(table, files)

    started = time.perf_counter()
    write_table(root / "unordered", table, target_size)
    timings["write_unordered_s"] = time.perf_counter() - started
    started = time.perf_counter()
    order = zorder_indices(table, LINK_GRAPH.zorder_by)
    write_table(root / "zorder", table.take(order), target_size)
    del order
    timings["write_zorder_s"] = time.perf_counter() - started
    if delta_rs_zorder:
        started = time.perf_counter()
        _zorder_delta_rs(write_table(root / "delta_rs_zorder", table, target_size), target_size)
        timings["delta_rs_zorder_s"] = time.perf_counter() - started
    print(f"generated {edges:,} edges and wrote both tables: " + _fmt(timings), flush=True)

    rng = np.random.default_rng(seed + 1)
    sources = pc.unique(table["src_domain"]).to_numpy(zero_copy_only=False)
    targets = pc.unique(table["dst_domain"]).to_numpy(zero_copy_only=False)
    out_domains = [str(d) for d in rng.choice(sources, size=queries, replace=False)]
    in_domains = [str(d) for d in rng.choice(targets, size=queries, replace=False)]
    del table
    figures: dict[str, Any] = {"benchmark": "graph", "edges": edges, "queries": queries}
    variants = ["zorder", "unordered"] + (["delta_rs_zorder"] if delta_rs_zorder else [])
    for name in variants:
        warehouse = root / name
        result = {
            "out": measure(warehouse, out_domains, "out"),
            "in": measure(warehouse, in_domains, "in"),
        }
        figures[name] = result
        for direction, m in result.items():
            print(
                f"{name:>9} {direction:>3}: median {m['median_ms']:.1f} ms, "
                f"files scanned {m['files_scanned_median']:.0f}/{m['files_total']} "
                f"(skipped {m['skipped_fraction']:.1%}), rows {m['rows_median']:.0f}",
                flush=True,
            )
    z = figures["zorder"]["out"]
    figures["targets"] = {
        "median_ms_below_100": z["median_ms"] < TARGET_MEDIAN_MS,
        "zorder_skips_at_least_90pct": z["skipped_fraction"] >= TARGET_SKIPPED,
    }
    figures["setup"] = {k: round(v, 2) for k, v in timings.items()}
    return figures


def generate_edges(edges: int, seed: int) -> pa.Table:
    """N edges between ~N/10 domains in the registry's schema, in random (arrival) order."""
    rng = np.random.default_rng(seed)
    domains = max(1_000, edges // 10)
    ids = rng.permutation(domains)  # names unrelated to popularity
    suffix = np.array([".com", ".de", ".co.uk", ".nl", ".fr"])[ids % 5]
    names = pa.array(np.char.add(_letters(ids), suffix))
    company_ids = pa.array(np.char.add("c", ids.astype(str)))
    labels = pa.array(np.char.add("Firm ", ids.astype(str)))
    src = rng.integers(0, domains, edges)
    # targets: heavy-tailed (a few hubs named by many), as in firm hyperlink networks
    popularity = rng.pareto(1.2, domains) + 1.0
    dst = rng.choice(domains, size=edges, p=popularity / popularity.sum())
    dst = np.where(dst == src, (dst + 1) % domains, dst)
    relation = np.array(RELATION_LABELS)[
        rng.choice(len(RELATION_LABELS), size=edges, p=np.array(LABEL_WEIGHTS))
    ]
    is_company = rng.random(edges) < 0.6
    links = rng.geometric(0.3, edges).astype(np.int64)
    columns = {
        "src_company_id": company_ids.take(src),
        "src_domain": names.take(src),
        "src_name": labels.take(src),
        "dst_company_id": pc.if_else(is_company, company_ids.take(dst), None),
        "dst_domain": names.take(dst),
        "dst_name": pc.if_else(is_company, labels.take(dst), None),
        "relation": pa.array(relation),
        "links": links,
        "pages": np.maximum(1, links // 2),
        "crawls": np.ones(edges, dtype=np.int32),
        "mean_confidence": rng.uniform(0.3, 1.0, edges),
        "first_crawl": pa.array(np.full(edges, CRAWL)),
        "last_crawl": pa.array(np.full(edges, CRAWL)),
        "crawl": pa.array(np.full(edges, CRAWL)),
    }
    return pa.table(columns).cast(LINK_GRAPH.schema)


def _letters(ids: np.ndarray, width: int = 7) -> np.ndarray:
    """Distinct lowercase names, built without a Python loop.

    The ids are scattered over all 26**width names (multiplication by a unit modulo 26**width
    is a bijection), so first letters vary as in real domains: Z-order keys look at the
    leading bytes of a string.
    """
    codes = (ids.astype(np.int64) * 2_654_435_761) % 26**width
    digits = (codes[:, None] // 26 ** np.arange(width - 1, -1, -1)) % 26
    letters = (digits + ord("a")).astype(np.uint8)
    return np.ascontiguousarray(letters).view(f"S{width}").ravel().astype(str)


def _bytes_per_file(table: pa.Table, files: int) -> int:
    """Parquet bytes of 1/files of the rows: the target file size for ~``files`` files."""
    sample = table.slice(0, max(1, table.num_rows // files))
    buffer = io.BytesIO()
    pq.write_table(sample.drop_columns(["crawl"]), buffer, compression="snappy")
    return max(64 * 1024, buffer.tell())


def write_table(warehouse: Path, table: pa.Table, target_size: int) -> str:
    from deltalake import write_deltalake

    path = LINK_GRAPH.path(str(warehouse))
    write_deltalake(
        path,
        table,
        partition_by=list(LINK_GRAPH.partition_by),
        mode="overwrite",
        target_file_size=target_size,
    )
    return path


def _zorder_delta_rs(path: str, target_size: int) -> None:
    from deltalake import DeltaTable

    DeltaTable(path).optimize.z_order(list(LINK_GRAPH.zorder_by), target_size=target_size)
    DeltaTable(path).vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)


def measure(warehouse: Path, domains: list[str], direction: str) -> dict[str, Any]:
    """Median latency and files scanned of one neighbour query per domain (one warm-up)."""
    from pipelines.graph.queries import LinkGraph

    graph = LinkGraph(warehouse)
    graph.neighbors(domains[0], direction=direction)  # warm-up: table snapshot, caches
    latencies, scanned, read, rows = [], [], [], []
    for domain in domains:
        started = time.perf_counter()
        result = graph.neighbors(domain, direction=direction)
        latencies.append((time.perf_counter() - started) * 1000)
        scanned.append(graph.stats.files_scanned)
        read.append(graph.stats.files_read)
        rows.append(len(result))
    total = graph.graph.files_total
    median_scanned = statistics.median(scanned)
    return {
        "median_ms": round(statistics.median(latencies), 2),
        "p90_ms": round(float(np.percentile(latencies, 90)), 2),
        "files_scanned_median": median_scanned,
        # local tables: = files scanned (DuckDB opens them); remote: after the semi-join
        "files_read_median": statistics.median(read),
        "files_total": total,
        "skipped_fraction": round(1 - median_scanned / total, 4),
        "rows_median": statistics.median(rows),
    }


def _fmt(timings: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:.1f}" for k, v in timings.items())
