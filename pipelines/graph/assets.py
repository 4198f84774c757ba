"""``link_graph_picture``: the company graph of a crawl as a PNG, shown in the Dagster UI.

Built by a factory so the lead's ``crawl`` partitions definition (and resource key) is passed
in, not imported: ``Definitions(assets=[..., *build_graph_assets(crawl_partitions)])``.
The asset reads the ``link_graph`` slice of its partition (the ``link_graph`` asset writes
it), draws the ``top`` best-connected companies with edges coloured by relation, and attaches
the picture as markdown metadata (a base64 ``data:`` URI), so no file server is needed.
"""

import base64
from pathlib import Path
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Config,
    DynamicPartitionsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    PartitionsDefinition,
    asset,
)

from spark_jobs.tables import LINK_GRAPH

GROUP = "graph"


class GraphPictureConfig(Config):
    """How much of the graph to draw (per run, in the launchpad)."""

    top: int = 40
    relation: str | None = None


def build_graph_assets(
    crawl_partitions: PartitionsDefinition, config_resource_key: str = "crawl_config"
) -> list[AssetsDefinition]:
    """The graph assets for a code location.

    ``config_resource_key`` names a resource with a ``warehouse`` attribute (``CrawlConfig``).
    """

    @asset(
        name="link_graph_picture",
        description="PNG of the company graph of a crawl (top companies, edges by relation).",
        partitions_def=crawl_partitions,
        deps=[AssetKey([LINK_GRAPH.name])],
        required_resource_keys={config_resource_key},
        group_name=GROUP,
        kinds={"python", "duckdb"},
    )
    def link_graph_picture(
        context: AssetExecutionContext, config: GraphPictureConfig
    ) -> MaterializeResult:
        warehouse = getattr(context.resources, config_resource_key).warehouse
        return picture_of_crawl(warehouse, context.partition_key, config.top, config.relation)

    return [link_graph_picture]


def picture_of_crawl(
    warehouse: str, crawl: str, top: int = 40, relation: str | None = None
) -> MaterializeResult:
    """Render one crawl's graph; the PNG goes into metadata (and beside the table if local)."""
    from pipelines.graph.queries import LinkGraph, MissingTable
    from pipelines.graph.render import render_graph

    graph = LinkGraph(warehouse)
    try:
        nodes, edges = graph.top_subgraph(top, relation, crawl)
    except (MissingTable, ValueError) as exc:
        raise Failure(f"cannot draw crawl {crawl}: {exc}") from exc
    what = f"top {len(nodes)} companies" + (f", {relation} edges" if relation else "")
    png = render_graph(edges, title=f"Company link graph as of {crawl} ({what})")
    metadata: dict[str, Any] = {
        "graph": MetadataValue.md(
            f"![company graph {crawl}](data:image/png;base64,{base64.b64encode(png).decode()})"
        ),
        "crawl": crawl,
        "nodes_drawn": len(nodes),
        "edges_drawn": len(edges),
        "png_bytes": len(png),
        "top_companies": MetadataValue.md(_markdown_table(nodes[:10])),
    }
    if "://" not in warehouse:
        target = Path(warehouse) / "pictures" / LINK_GRAPH.name / f"{crawl}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png)
        metadata["path"] = MetadataValue.path(str(target))
    return MaterializeResult(metadata=metadata)


def _markdown_table(nodes: list[dict[str, Any]]) -> str:
    if not nodes:
        return "_no edges in this crawl_"
    lines = ["| company | domain | in | out |", "| --- | --- | ---: | ---: |"]
    lines += [
        f"| {n['name'] or ''} | {n['domain']} | {n['in_degree']} | {n['out_degree']} |"
        for n in nodes
    ]
    return "\n".join(lines)


#: Ready to add to Definitions; Dagster matches the dynamic partitions by name ("crawl").
graph_assets = build_graph_assets(DynamicPartitionsDefinition(name="crawl"))
