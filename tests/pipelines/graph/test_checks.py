"""The link_graph noise check: no business edge to a job portal, social network, tool …"""

from __future__ import annotations

import pyarrow as pa
from deltalake import write_deltalake

from pipelines.graph.checks import non_business_edge_problems
from spark_jobs.tables import LINK_GRAPH
from tests.pipelines.graph.graph_fixture import COMPANIES, build_warehouse, graph_rows


def _append_edges(root, edges):
    write_deltalake(
        LINK_GRAPH.path(str(root)),
        pa.Table.from_pylist(
            graph_rows(edges, "CC-MAIN-2024-30", "CC-MAIN-2024-30"), LINK_GRAPH.schema
        ),
        mode="append",
        partition_by=list(LINK_GRAPH.partition_by),
    )


def test_clean_graph_has_no_problem(tmp_path):
    warehouse = build_warehouse(tmp_path)
    assert non_business_edge_problems(str(warehouse)) == []
    assert non_business_edge_problems(str(tmp_path / "empty")) == []


def test_business_edge_to_a_job_portal_is_found(tmp_path):
    warehouse = build_warehouse(tmp_path)
    src = next(iter(COMPANIES))
    _append_edges(
        warehouse,
        [
            (src, "stepstone.de", "customer", 3, 1, 1, 0.8),
            (src, "linkedin.com", "other", 2, 2, 1, 0.9),  # other is fine
            (src, "karriere.at", "partner", 1, 1, 1, 0.7),
        ],
    )
    problems = non_business_edge_problems(str(warehouse))
    assert {(p["dst_domain"], p["relation"], p["target_kind"]) for p in problems} == {
        ("stepstone.de", "customer", "jobs"),
        ("karriere.at", "partner", "jobs"),
    }


def test_check_is_registered_on_link_graph():
    from dagster import AssetKey

    from pipelines.graph.checks import graph_checks

    [check] = graph_checks
    [spec] = check.check_specs
    assert spec.asset_key == AssetKey(LINK_GRAPH.name)
    assert spec.name == "no_business_edge_to_non_business_target"
