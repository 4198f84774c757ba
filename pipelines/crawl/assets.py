"""The crawl assets: ``pages``/``hyperlinks`` (extract), ``company_links`` (classify) and
``link_graph`` (graph), each one Spark job launched over Pipes by ``SparkRuntime``."""

from functools import partial

from dagster import (
    AssetDep,
    AssetExecutionContext,
    AssetSpec,
    BackfillPolicy,
    MultiToSingleDimensionPartitionMapping,
    asset,
    multi_asset,
)

from pipelines.crawl.partitions import crawl_partitions, crawl_segment_partitions, slices_of
from pipelines.crawl.resources import CrawlConfig
from pipelines.graph.assets import relation_metadata
from pipelines.metadata import definition_metadata, publish_per_partition
from pipelines.runtimes import SparkRuntime
from spark_jobs.tables import COMPANY_LINKS, HYPERLINKS, LINK_GRAPH, PAGES, TABLES, TableSpec

OWNERS = ["team:supplylinks"]
GROUP = "crawl"
#: Cluster start-up dominates remote cost: a backfill of many partitions is one Spark run.
ONE_RUN_PER_BACKFILL = BackfillPolicy.single_run()


def _table_metadata(spec: TableSpec) -> dict:
    return definition_metadata(spec)  # Columns section, table name (pipelines/metadata.py)


@multi_asset(
    name="extract",
    specs=[
        AssetSpec(
            spec.name,
            description=spec.description,
            kinds={"spark", "deltalake"},
            owners=OWNERS,
            group_name=GROUP,
            metadata=_table_metadata(spec),
        )
        for spec in (PAGES, HYPERLINKS)
    ],
    partitions_def=crawl_segment_partitions,
    backfill_policy=ONE_RUN_PER_BACKFILL,
    can_subset=False,
)
def extract(context: AssetExecutionContext, spark_runtime: SparkRuntime, crawl_config: CrawlConfig):
    """Parse the WARC files of the crawl segments into pages and hyperlinks."""
    slices = slices_of(context.partition_keys)
    results = spark_runtime.launch(context, "extract", crawl_config.extras(slices=slices))
    return publish_per_partition(context, results, crawl_config.warehouse, TABLES)


@asset(
    name=COMPANY_LINKS.name,
    description=COMPANY_LINKS.description,
    partitions_def=crawl_segment_partitions,
    backfill_policy=ONE_RUN_PER_BACKFILL,
    deps=[AssetDep(HYPERLINKS.name), AssetDep("link_classifier")],
    kinds={"spark", "deltalake"},
    owners=OWNERS,
    group_name=GROUP,
    metadata=_table_metadata(COMPANY_LINKS),
)
def company_links(
    context: AssetExecutionContext, spark_runtime: SparkRuntime, crawl_config: CrawlConfig
):
    """Label the cross-domain links of seed company sites with their relation.

    Depends on ``link_classifier``: a newly trained model makes every partition stale, so a
    backfill reclassifies them with the configured model (``crawl_config.model``).
    """
    from models import resolve_model_ref

    slices = slices_of(context.partition_keys)
    # Resolved once per run: every executor uses the same model even if DEFAULT moves.
    model = resolve_model_ref(crawl_config.model)
    context.log.info(f"classifying with model {crawl_config.model!r} -> {model}")
    results = spark_runtime.launch(
        context, "classify", crawl_config.extras(slices=slices, model=model)
    )
    return publish_per_partition(context, results, crawl_config.warehouse, TABLES)


@asset(
    name=LINK_GRAPH.name,
    description=LINK_GRAPH.description,
    partitions_def=crawl_partitions,
    backfill_policy=ONE_RUN_PER_BACKFILL,
    deps=[
        AssetDep(
            COMPANY_LINKS.name,
            partition_mapping=MultiToSingleDimensionPartitionMapping(
                partition_dimension_name="crawl"
            ),
        )
    ],
    kinds={"spark", "deltalake"},
    owners=OWNERS,
    group_name=GROUP,
    metadata=_table_metadata(LINK_GRAPH),
)
def link_graph(
    context: AssetExecutionContext, spark_runtime: SparkRuntime, crawl_config: CrawlConfig
):
    """Aggregate company links into the company graph as of each crawl."""
    crawls = sorted(set(context.partition_keys))
    results = spark_runtime.launch(context, "graph", crawl_config.extras(crawls=crawls))
    pictures = partial(relation_metadata, crawl_config.warehouse, instance=context.instance)
    return publish_per_partition(context, results, crawl_config.warehouse, TABLES, pictures)


crawl_assets = [extract, company_links, link_graph]
