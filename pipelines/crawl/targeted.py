"""The crawl-partitioned targeted read: ``targeted_pages``, ``targeted_hyperlinks`` and
``targeted_company_links``, one multi-asset over the ``crawl`` partitions.

Why a separate asset and not a mode of ``extract``: a targeted read's unit is a crawl (one
index lookup finds the seed records of every segment), while the full scan's is a
(crawl, segment) slice, and a Dagster asset has one partitioning. So the seed companies'
records of whole crawls are their own assets, writing the same Delta tables as ``extract``
and ``company_links`` (the ``dagster/table_name`` metadata says which), and ``link_graph``
reads them as it reads a full scan. With the single-run backfill policy, a backfill over
crawls is ONE run of the ``targeted_crawl`` job (the multi-asset ``targeted``): per crawl
one lookup, then ranged reads, extraction, commits and labels, in-process when the records
are few (no Spark at all).

A crawl partition replaces that crawl's slices of the three tables: write targeted and
full-scan runs of the same crawl to different warehouses.
"""

from dagster import (
    AssetCheckSpec,
    AssetDep,
    AssetExecutionContext,
    AssetSpec,
    multi_asset,
)

from pipelines.crawl.assets import GROUP, ONE_RUN_PER_BACKFILL, OWNERS
from pipelines.crawl.partitions import crawl_partitions
from pipelines.crawl.resources import CrawlConfig
from pipelines.metadata import definition_metadata, publish_per_partition
from pipelines.runtimes import SparkRuntime
from spark_jobs.tables import COMPANY_LINKS, HYPERLINKS, PAGES
from spark_jobs.targeted import ASSET_PREFIX

#: asset key -> the table it writes.
TARGETED_TABLES = {ASSET_PREFIX + spec.name: spec for spec in (PAGES, HYPERLINKS, COMPANY_LINKS)}
#: The Pipes job (spark_jobs/targeted_crawl.py); the Dagster job of these assets has its name.
TARGETED_JOB = "targeted_crawl"


def _spec(key: str) -> AssetSpec:
    table = TARGETED_TABLES[key]
    deps = []
    if table is COMPANY_LINKS:  # a new model makes every crawl stale, as for company_links
        deps = [AssetDep(ASSET_PREFIX + HYPERLINKS.name), AssetDep("link_classifier")]
    elif table is HYPERLINKS:
        deps = [AssetDep(ASSET_PREFIX + PAGES.name)]
    return AssetSpec(
        key,
        description=f"The seed companies' rows of {table.name}, read by index lookup and byte "
        f"range for whole crawls. {table.description}",
        kinds={"deltalake"},
        owners=OWNERS,
        group_name=GROUP,
        metadata=definition_metadata(table),
        deps=deps,
    )


@multi_asset(
    name="targeted",
    specs=[_spec(key) for key in TARGETED_TABLES],
    check_specs=[
        AssetCheckSpec(
            "slices_complete",
            asset=ASSET_PREFIX + spec.name,
            description="Every seed record of the crawl was fetched and read whole; WARN when "
            "the run allowed partial slices and some records failed (listed in its metadata).",
        )
        for spec in (PAGES, HYPERLINKS)
    ],
    partitions_def=crawl_partitions,
    backfill_policy=ONE_RUN_PER_BACKFILL,
    can_subset=False,
)
def targeted(
    context: AssetExecutionContext, spark_runtime: SparkRuntime, crawl_config: CrawlConfig
):
    """Look the seed domains up in each crawl's columnar index, fetch their records by byte
    range, and write their pages, hyperlinks and labelled company links."""
    from models import resolve_model_ref

    crawls = sorted(set(context.partition_keys))
    model = resolve_model_ref(crawl_config.model)  # once per run, as company_links does
    extras = crawl_config.extras(
        crawls=crawls, model=model, local_max_records=crawl_config.targeted_local_max_records
    )
    results = spark_runtime.launch(context, TARGETED_JOB, extras)
    return publish_per_partition(context, results, crawl_config.warehouse, TARGETED_TABLES)


targeted_assets = [targeted]
