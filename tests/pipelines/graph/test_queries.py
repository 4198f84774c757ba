"""Exact answers of the link-graph queries on the known graph of conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.graph.queries import LinkGraph, MissingTable, UnknownDomain, pagerank
from spark_jobs.tables import LINK_GRAPH
from tests.pipelines.graph.graph_fixture import NEW, OLD


@pytest.fixture(scope="module", params=["duckdb-parquet", "arrow-dataset"])
def graph(request: pytest.FixtureRequest, warehouse: Path) -> LinkGraph:
    """Both read paths: DuckDB's Parquet reader (local) and Arrow datasets (remote tables)."""
    return LinkGraph(warehouse, native_reader=request.param == "duckdb-parquet")


def pairs(rows: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["src_domain"], r["relation"], r["dst_domain"]) for r in rows]


def test_crawls_and_newest_slice(graph: LinkGraph) -> None:
    assert graph.crawls() == [OLD, NEW]
    assert graph.resolve_crawl(None) == NEW


def test_out_neighbors_strongest_first_without_self_links(graph: LinkGraph) -> None:
    rows = graph.neighbors("acme.de")
    assert pairs(rows) == [
        ("acme.de", "supplier", "bolt.de"),
        ("acme.de", "customer", "ela.nl"),
        ("acme.de", "membership", "vdma.org"),
    ]
    first = rows[0]
    assert sorted(first) == sorted([*LINK_GRAPH.columns, "direction", "node", "neighbor"])
    assert (first["direction"], first["neighbor"]) == ("out", "bolt.de")
    assert (first["links"], first["pages"], first["crawls"]) == (8, 3, 2)
    assert first["mean_confidence"] == pytest.approx(0.9)
    assert first["dst_company_id"] == "c2"


def test_in_neighbors_and_relation_filter(graph: LinkGraph) -> None:
    rows = graph.neighbors("acme.de", direction="in")
    assert pairs(rows) == [
        ("dyna.de", "supplier", "acme.de"),
        ("cog.co.uk", "customer", "acme.de"),
        ("ela.nl", "supplier", "acme.de"),
    ]
    assert {r["direction"] for r in rows} == {"in"}
    both = graph.neighbors("acme.de", relation="supplier", direction="both")
    assert sorted((r["direction"], r["neighbor"]) for r in both) == [
        ("in", "dyna.de"),
        ("in", "ela.nl"),
        ("out", "bolt.de"),
    ]


def test_older_crawl_slice(graph: LinkGraph) -> None:
    rows = graph.neighbors("acme.de", direction="both", crawl=OLD)
    assert pairs(rows) == [
        ("acme.de", "supplier", "bolt.de"),
        ("cog.co.uk", "customer", "acme.de"),
    ]
    assert rows[0]["links"] == 3
    with pytest.raises(ValueError, match="not in link_graph"):
        graph.neighbors("acme.de", crawl="CC-MAIN-1999-01")


def test_plain_domain_and_secondary_domain(graph: LinkGraph) -> None:
    assert pairs(graph.neighbors("rawsteel.com", direction="in")) == [
        ("bolt.de", "supplier", "rawsteel.com")
    ]
    assert graph.neighbors("vdma.org") == []  # known, no outgoing edges
    # acme.com is no node of link_graph: company_links says it belongs to c1 (acme.de)
    assert pairs(graph.neighbors("https://www.ACME.com/about")) == pairs(graph.neighbors("acme.de"))
    assert graph.resolve("acme.com").domain == "acme.de"


def test_unknown_domain(graph: LinkGraph) -> None:
    with pytest.raises(UnknownDomain, match="nowhere.org"):
        graph.neighbors("nowhere.org")
    with pytest.raises(UnknownDomain):
        graph.chain("nowhere.org")


def test_chain_upstream_follows_supplier_out_and_customer_in(graph: LinkGraph) -> None:
    hits = {h.domain: h for h in graph.chain("acme.de", "supplier", depth=3)}
    assert {d: h.depth for d, h in hits.items()} == {
        "bolt.de": 1,
        "cog.co.uk": 1,
        "rawsteel.com": 2,
        "dyna.de": 2,
    }
    assert hits["dyna.de"].path == ["acme.de", "bolt.de", "dyna.de"]
    last = hits["dyna.de"].hops[-1]
    assert (last["src_domain"], last["relation"], last["dst_domain"]) == (
        "dyna.de",
        "customer",
        "bolt.de",
    )
    assert last["walked"] == "reversed"
    assert hits["cog.co.uk"].hops[0]["walked"] == "reversed"
    assert hits["bolt.de"].hops[0]["walked"] == "as stated"
    assert hits["rawsteel.com"].company_id is None
    assert hits["bolt.de"].name == "Bolt AG"
    assert {h.domain for h in graph.chain("acme.de", depth=1)} == {"bolt.de", "cog.co.uk"}


def test_chain_downstream_handles_the_cycle(graph: LinkGraph) -> None:
    # Acme supplies Ela (stated twice) and Dyna; Dyna supplies Bolt; Bolt supplies Acme (cycle).
    hits = {h.domain: h.depth for h in graph.chain("acme.de", "customer", depth=5)}
    assert hits == {"ela.nl": 1, "dyna.de": 1, "bolt.de": 2}
    same = {h.domain: h.depth for h in graph.chain("acme.de", depth=5, direction="downstream")}
    assert same == hits


def test_chain_of_other_label_follows_edges_as_stated(graph: LinkGraph) -> None:
    assert [h.domain for h in graph.chain("bolt.de", "partner", depth=2)] == ["cog.co.uk"]
    assert [h.domain for h in graph.chain("cog.co.uk", "partner", direction="downstream")] == [
        "bolt.de"
    ]


def test_path_undirected_directed_and_by_relation(graph: LinkGraph) -> None:
    found = graph.path("rawsteel.com", "cog.co.uk")
    assert found is not None
    assert (found.length, found.nodes) == (2, ["rawsteel.com", "bolt.de", "cog.co.uk"])
    assert [h["walked"] for h in found.hops] == ["reversed", "as stated"]
    assert graph.path("rawsteel.com", "cog.co.uk", directed=True) is None
    directed = graph.path("acme.com", "cog.co.uk", directed=True)
    assert directed is not None and directed.nodes == ["acme.de", "bolt.de", "cog.co.uk"]
    assert graph.path("acme.de", "cog.co.uk", relations=["supplier"], directed=True) is None
    assert graph.path("acme.de", "acme.com").length == 0
    assert graph.path("acme.de", "rawsteel.com", max_depth=1) is None


def test_top_by_degree(graph: LinkGraph) -> None:
    by_in = graph.top(by="in_degree", limit=2)
    assert [(r["domain"], r["in_degree"]) for r in by_in] == [("acme.de", 3), ("bolt.de", 2)]
    assert by_in[0]["in_links"] == 4 + 1 + 6 and by_in[0]["name"] == "Acme GmbH"
    by_out = graph.top(by="out_degree", limit=3)
    assert [(r["domain"], r["out_degree"]) for r in by_out] == [
        ("acme.de", 3),
        ("dyna.de", 2),  # 8 links beat bolt.de's 5
        ("bolt.de", 2),
    ]
    suppliers = graph.top(relation="supplier", by="in_degree", limit=1)
    assert [(r["domain"], r["in_degree"]) for r in suppliers] == [("acme.de", 2)]


def test_top_by_pagerank(graph: LinkGraph) -> None:
    ranked = graph.top(by="pagerank", limit=10)
    assert len(ranked) == 7  # every node of the newest slice, self-links gone
    scores = [r["pagerank"] for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0, abs=1e-4)
    assert ranked[0]["domain"] in {"acme.de", "bolt.de"}


def test_pagerank_of_a_star() -> None:
    import numpy as np

    # three leaves point at node 0: it must rank first, leaves equal
    scores = pagerank(4, np.array([1, 2, 3]), np.array([0, 0, 0]))
    assert scores.argmax() == 0
    assert scores[1] == pytest.approx(scores[2])
    assert scores.sum() == pytest.approx(1.0)


def test_company_profile_from_the_tables_alone(graph: LinkGraph) -> None:
    profile = graph.company("acme.com")
    assert (profile.domain, profile.company_id, profile.crawl) == ("acme.de", "c1", NEW)
    assert profile.names == ["Acme GmbH"]
    assert profile.domains == ["acme.com", "acme.de"]
    assert profile.relations == {
        "customer": {"out": 1, "in": 1, "out_links": 5, "in_links": 4},
        "membership": {"out": 1, "in": 0, "out_links": 1, "in_links": 0},
        "supplier": {"out": 1, "in": 2, "out_links": 8, "in_links": 7},
    }
    # four company links touch Acme outside itself (the acme.com -> acme.de one is a self-link)
    assert profile.evidence_total == 4
    assert profile.evidence[0]["context"] == "Our suppliers include Bolt AG."
    assert profile.evidence[0]["src_domain"] == "acme.com"
    assert all(e["src_company_id"] != e["dst_company_id"] for e in profile.evidence)
    older = graph.company("acme.de", crawl=OLD)
    assert older.evidence_total == 1


def test_seeds_map_every_domain_of_a_company(warehouse: Path, seeds_csv: Path) -> None:
    graph = LinkGraph(warehouse, seeds=seeds_csv)
    assert graph.resolve("acme.com").domain == "acme.de"
    assert pairs(graph.neighbors("acme.com")) == pairs(graph.neighbors("acme.de"))
    profile = graph.company("www.acme.com")
    assert profile.domains == ["acme.com", "acme.de"]
    assert profile.evidence_total == 4


def test_missing_table(tmp_path: Path) -> None:
    with pytest.raises(MissingTable):
        LinkGraph(tmp_path).neighbors("acme.de")


def test_files_are_skipped_by_domain_statistics(graph: LinkGraph) -> None:
    graph.neighbors("acme.de")
    assert graph.stats.files_total == 2
    assert graph.stats.files_scanned == 1  # partition pruning: only the newest slice
