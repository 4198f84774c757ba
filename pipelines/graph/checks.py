"""``link_graph`` noise check: no business edge to a non-business target (issue 15).

An edge to a job portal, social network, shop system, agency, registry … (the curated
list of ``extraction/targets.py``) may only carry ``other``; the classifier's post-rule
(``models.base.with_target_rule``) makes it so, and this check proves it on the table.
"""

from __future__ import annotations

from dagster import AssetCheckResult, asset_check

from extraction.labels import NO_RELATION
from extraction.targets import target_kind
from pipelines.crawl.resources import CrawlConfig
from pipelines.warehouse import open_table, query
from spark_jobs.tables import LINK_GRAPH

Problems = list[dict]


def non_business_edge_problems(warehouse: str, limit: int = 20) -> Problems:
    """Edges of ``link_graph`` to a non-business target that carry a business relation."""
    graph = open_table(warehouse, LINK_GRAPH)
    if graph is None:
        return []
    edges = query(
        "SELECT dst_domain, relation, count(*) AS edges, sum(links) AS links FROM g "
        f"WHERE relation <> '{NO_RELATION}' GROUP BY 1, 2 ORDER BY links DESC",
        g=graph.to_pyarrow_dataset()
        .scanner(columns=["dst_domain", "relation", "links"])
        .to_reader(),
    )
    problems = []
    for edge in edges:
        kind = target_kind(edge["dst_domain"], edge["dst_domain"])
        if kind is not None:
            problems.append({**edge, "target_kind": kind})
    return problems[:limit]


@asset_check(
    asset=LINK_GRAPH.name,
    name="no_business_edge_to_non_business_target",
    blocking=False,
    description="No edge to a job portal, social network, tool, agency, registry … "
    "(extraction/targets.py) carries a business relation.",
)
def no_business_edge_to_non_business_target(context, crawl_config: CrawlConfig) -> AssetCheckResult:
    problems = non_business_edge_problems(crawl_config.warehouse)
    return AssetCheckResult(
        passed=not problems,
        description=(
            f"{len(problems)} business edges to non-business targets"
            if problems
            else "no business edge to a non-business target"
        ),
        metadata={"problems": problems},
    )


graph_checks = [no_business_edge_to_non_business_target]
