"""``companies``: one identity per registered domain and crawl, from the sites' imprints.

Downstream of ``pages`` (extract): the Spark job picks each domain's imprint pages from
``pages`` and re-reads only those WARC records by byte range, so extraction itself does
no imprint work (see ``spark_jobs/companies.py`` for the design and its cost).
"""

from dagster import (
    AssetDep,
    AssetExecutionContext,
    MultiToSingleDimensionPartitionMapping,
    asset,
)

from pipelines.crawl.assets import GROUP, ONE_RUN_PER_BACKFILL, OWNERS, _table_metadata
from pipelines.crawl.partitions import crawl_partitions
from pipelines.crawl.resources import CrawlConfig
from pipelines.runtimes import SparkRuntime
from spark_jobs.tables import COMPANIES, PAGES


@asset(
    name=COMPANIES.name,
    description=COMPANIES.description,
    partitions_def=crawl_partitions,
    backfill_policy=ONE_RUN_PER_BACKFILL,
    deps=[
        AssetDep(
            PAGES.name,
            partition_mapping=MultiToSingleDimensionPartitionMapping(
                partition_dimension_name="crawl"
            ),
        )
    ],
    kinds={"spark", "deltalake"},
    owners=OWNERS,
    group_name=GROUP,
    metadata=_table_metadata(COMPANIES),
)
def companies(
    context: AssetExecutionContext, spark_runtime: SparkRuntime, crawl_config: CrawlConfig
):
    """Read legal name, register number, VAT id, directors and address from imprints."""
    crawls = sorted(set(context.partition_keys))
    return spark_runtime.launch(context, "companies", crawl_config.extras(crawls=crawls))


companies_assets = [companies]
