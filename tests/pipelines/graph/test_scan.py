"""File skipping: partition pruning and min/max statistics keep exactly the files that can match."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from deltalake import write_deltalake

from pipelines.bench.graph import benchmark, generate_edges
from pipelines.graph.queries import LinkGraph
from pipelines.graph.scan import DeltaSource
from spark_jobs.tables import LINK_GRAPH
from spark_jobs.zorder import zorder_indices


def _edge(src: str, dst: str, crawl: str = "C1") -> dict:
    return {
        "src_company_id": src,
        "src_domain": src,
        "src_name": None,
        "dst_company_id": None,
        "dst_domain": dst,
        "dst_name": None,
        "relation": "partner",
        "links": 1,
        "pages": 1,
        "crawls": 1,
        "mean_confidence": 0.5,
        "first_crawl": crawl,
        "last_crawl": crawl,
        "crawl": crawl,
    }


@pytest.fixture(scope="module")
def three_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three files with disjoint source ranges (a*, m*, x*) in C1, one file in C2."""
    root = tmp_path_factory.mktemp("skip")
    batches = [
        [_edge("a1.de", "m1.de"), _edge("a2.de", "x1.de")],
        [_edge("m1.de", "a1.de"), _edge("m2.de", "m1.de")],
        [_edge("x1.de", "a2.de"), _edge("x2.de", "m2.de")],
        [_edge("a1.de", "x2.de", "C2")],
    ]
    for rows in batches:
        write_deltalake(
            LINK_GRAPH.path(str(root)),
            pa.Table.from_pylist(rows, LINK_GRAPH.schema),
            partition_by=list(LINK_GRAPH.partition_by),
            mode="append",
        )
    return root


def test_statistics_skip_files(three_files: Path) -> None:
    source = DeltaSource(LINK_GRAPH.path(str(three_files)), skip_columns=LINK_GRAPH.zorder_by)
    assert source.files_total == 4
    assert source.partition_values("crawl") == ["C1", "C2"]
    scan = source.scan(partitions={"crawl": ["C1"]}, any_of={"src_domain": ["m2.de"]})
    assert (scan.files_scanned, scan.files_read) == (1, 1)
    both = source.scan(
        partitions={"crawl": ["C1"]}, any_of={"src_domain": ["a1.de"], "dst_domain": ["a1.de"]}
    )
    assert both.files_scanned == 2  # the a* file by source, the m* file by target
    assert (
        source.scan(partitions={"crawl": ["C1"]}, any_of={"src_domain": ["b.de"]}).files_scanned
        == 0
    )


def test_semi_join_reads_only_matching_files(three_files: Path) -> None:
    """The Arrow path (remote tables) first reads the looked-up columns only."""
    source = DeltaSource(
        LINK_GRAPH.path(str(three_files)), skip_columns=LINK_GRAPH.zorder_by, native_reader=False
    )
    # a target range check keeps all three C1 files for "m1.de"; two really hold it
    scan = source.scan(partitions={"crawl": ["C1"]}, any_of={"dst_domain": ["m1.de"]})
    assert scan.files_scanned == 3
    assert scan.files_read == 2


def test_queries_over_many_files(three_files: Path) -> None:
    graph = LinkGraph(three_files)
    rows = graph.neighbors("a1.de", direction="both", crawl="C1")
    assert sorted((r["direction"], r["neighbor"]) for r in rows) == [
        ("in", "m1.de"),
        ("out", "m1.de"),
    ]
    assert graph.neighbors("a1.de")[0]["dst_domain"] == "x2.de"  # newest crawl: C2
    assert graph.chain("a2.de", "partner", depth=3) == []  # a2.de has no edge in C2
    hits = graph.chain("a2.de", "partner", depth=3, crawl="C1")
    assert [(h.domain, h.depth) for h in hits] == [("x1.de", 1)]


def test_zorder_indices_follow_a_morton_curve() -> None:
    table = pa.table(
        {"s": ["b", "a", "b", "a"], "d": ["b", "b", "a", "a"]}
    )  # quadrants: (a,a) (a,b)... interleaving puts s-bit above d-bit
    order = zorder_indices(table, ("s", "d"))
    assert [(table["s"][i].as_py(), table["d"][i].as_py()) for i in order] == [
        ("a", "a"),
        ("a", "b"),
        ("b", "a"),
        ("b", "b"),
    ]


def test_benchmark_runs_small(tmp_path: Path) -> None:
    table = generate_edges(2_000, seed=1)
    assert table.schema == LINK_GRAPH.schema
    assert all(
        s != d
        for s, d in zip(
            table["src_domain"].to_pylist(), table["dst_domain"].to_pylist(), strict=True
        )
    )
    figures = benchmark(tmp_path, edges=5_000, files=8, queries=3, seed=1)
    json.dumps(figures)
    assert (
        figures["unordered"]["out"]["files_scanned_median"]
        == figures["unordered"]["out"]["files_total"]
    )
    assert (
        figures["zorder"]["out"]["files_scanned_median"] < figures["zorder"]["out"]["files_total"]
    )
