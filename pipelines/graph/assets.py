"""``link_graph_picture``: the company graph of a crawl as a PNG, shown in the Dagster UI.

Built by a factory so the lead's ``crawl`` partitions definition (and resource key) is passed
in, not imported: ``Definitions(assets=[..., *build_graph_assets(crawl_partitions)])``.
The asset reads the ``link_graph`` slice of its partition (the ``link_graph`` asset writes
it), draws the ``top`` best-connected companies with edges coloured by relation, and attaches
the picture as a short markdown image the UI renders inline (see pipelines.metadata).
"""

from pathlib import Path
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    BackfillPolicy,
    Config,
    DynamicPartitionsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    PartitionsDefinition,
    asset,
)

from extraction.labels import NO_RELATION, RELATION_LABELS
from pipelines.metadata import inline_picture, table_of
from spark_jobs.tables import LINK_GRAPH

#: The labels that are a business relation: every label but ``other``.
BUSINESS_RELATIONS = tuple(r for r in RELATION_LABELS if r != NO_RELATION)

GROUP = "graph"


class GraphPictureConfig(Config):
    """How much of the graph to draw (per run, in the launchpad)."""

    top: int = 24
    #: None: the business relations (every label but ``other``); or one label.
    relation: str | None = None
    #: Draw the ``other`` layer too (links with no business relation: mostly noise).
    include_other: bool = False


def build_graph_assets(
    crawl_partitions: PartitionsDefinition, config_resource_key: str = "crawl_config"
) -> list[AssetsDefinition]:
    """The graph assets for a code location.

    ``config_resource_key`` names a resource with a ``warehouse`` attribute (``CrawlConfig``).
    """

    @asset(
        name="link_graph_picture",
        description=(
            "Picture of the company graph of a crawl: the best-connected companies and their "
            "business relations (edges coloured by relation), plus edges per relation."
        ),
        partitions_def=crawl_partitions,
        backfill_policy=BackfillPolicy.single_run(),
        deps=[AssetKey([LINK_GRAPH.name])],
        required_resource_keys={config_resource_key},
        group_name=GROUP,
        owners=["team:supplylinks"],
        kinds={"python", "duckdb"},
    )
    def link_graph_picture(
        context: AssetExecutionContext, config: GraphPictureConfig
    ) -> MaterializeResult:
        warehouse = getattr(context.resources, config_resource_key).warehouse
        relations = relations_to_draw(config.relation, config.include_other)
        crawls = [str(k) for k in context.partition_keys]
        for crawl in crawls:
            metadata = picture_of_crawl(warehouse, crawl, config.top, relations, context.instance)
            context.add_asset_metadata(metadata, partition_key=crawl)
        return MaterializeResult(metadata={"run_crawls_drawn": len(crawls)})

    return [link_graph_picture]


def relations_to_draw(relation: str | None, include_other: bool) -> list[str] | None:
    """One label if asked, else the business relations (``other`` only if asked)."""
    if relation:
        return [relation]
    return None if include_other else list(BUSINESS_RELATIONS)


def picture_of_crawl(
    warehouse: str,
    crawl: str,
    top: int = 24,
    relations: str | list[str] | None = None,
    instance=None,
) -> dict[str, Any]:
    """One crawl's graph and relation counts as inline pictures (metadata of its partition);
    the graph PNG is also written beside the table when the warehouse is local."""
    from pipelines.graph.queries import LinkGraph, MissingTable
    from pipelines.graph.render import render_graph, render_relation_bars

    graph = LinkGraph(warehouse)
    try:
        nodes, edges = graph.top_subgraph(top, relations, crawl)
        counts = relation_counts(warehouse, crawl)
    except (MissingTable, ValueError) as exc:
        raise Failure(f"cannot draw crawl {crawl}: {exc}") from exc
    drawn = "business relations" if relations == list(BUSINESS_RELATIONS) else relations or "all"
    what = f"top {len(nodes)} companies, {drawn if isinstance(drawn, str) else ', '.join(drawn)}"
    png = render_graph(edges, title=f"Company graph as of {crawl} ({what})")
    bars = render_relation_bars(counts, title=f"Edges per relation, {crawl}")
    metadata: dict[str, Any] = {
        "graph": inline_picture(instance, [LINK_GRAPH.name, crawl], png, f"company graph {crawl}"),
        "edges_per_relation": inline_picture(
            instance, [LINK_GRAPH.name, f"{crawl}-relations"], bars, f"edges per relation {crawl}"
        ),
        "nodes_drawn": len(nodes),
        "edges_drawn": len(edges),
        "png_bytes": len(png),
    }
    top_table = table_of(
        [
            {
                "company": n["name"] or n["domain"],
                "domain": n["domain"],
                "in": n["in_degree"],
                "out": n["out_degree"],
            }
            for n in nodes[:10]
        ]
    )
    if top_table is not None:
        metadata["top_companies"] = top_table
    if "://" not in warehouse:
        target = Path(warehouse) / "pictures" / LINK_GRAPH.name / f"{crawl}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png)
        metadata["path"] = MetadataValue.path(str(target))
    return metadata


def relation_metadata(warehouse: str, crawl: str, instance=None) -> dict[str, Any]:
    """A ``link_graph`` partition's edges per relation, as a bar chart and a table."""
    from pipelines.graph.render import render_relation_bars

    counts = relation_counts(warehouse, crawl)
    if not counts:
        return {}
    bars = render_relation_bars(counts, title=f"Edges per relation, {crawl}")
    name = [LINK_GRAPH.name, f"{crawl}-relations"]
    rows = [{"relation": r, "edges": counts[r]} for r in RELATION_LABELS if r in counts]
    return {
        "edges_per_relation": inline_picture(instance, name, bars, f"edges per relation {crawl}"),
        "edges_by_relation": table_of(rows),
        "business_edges": sum(n for r, n in counts.items() if r != NO_RELATION),
    }


def relation_counts(warehouse: str, crawl: str) -> dict[str, int]:
    """Edges per relation in one crawl's ``link_graph`` slice."""
    import pyarrow.dataset as ds

    from pipelines.warehouse import open_table, query

    table = open_table(warehouse, LINK_GRAPH)
    if table is None:
        return {}
    edges = table.to_pyarrow_dataset().to_table(
        columns=["relation"], filter=ds.field("crawl") == crawl
    )
    rows = query("SELECT relation, count(*) AS edges FROM g GROUP BY 1", g=edges)
    return {row["relation"]: row["edges"] for row in rows}


#: Ready to add to Definitions; Dagster matches the dynamic partitions by name ("crawl").
graph_assets = build_graph_assets(DynamicPartitionsDefinition(name="crawl"))
