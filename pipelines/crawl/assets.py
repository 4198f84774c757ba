"""The crawl assets: ``pages``/``hyperlinks`` (extract), ``company_links`` (classify) and
``link_graph`` (graph), each one Spark job launched over Pipes by ``SparkRuntime``."""

from functools import partial

from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetDep,
    AssetExecutionContext,
    AssetSpec,
    BackfillPolicy,
    Failure,
    MaterializeResult,
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
from spark_jobs.targeted import ASSET_PREFIX

OWNERS = ["team:supplylinks"]
GROUP = "crawl"
#: Cluster start-up dominates remote cost: a backfill of many partitions is one Spark run.
ONE_RUN_PER_BACKFILL = BackfillPolicy.single_run()


def _table_metadata(spec: TableSpec) -> dict:
    return definition_metadata(spec)  # Columns section, table name (pipelines/metadata.py)


SEEDS = "seed_companies"
SEED_CHECK_DESCRIPTIONS = {
    "utf8": "The seed CSV is UTF-8 text.",
    "required_columns": "The seed CSV has the columns company_id and domains.",
    "has_companies": "The seed CSV lists at least one company.",
    "unique_company_ids": "No company_id occurs twice.",
    "unique_domains": "No registered domain belongs to two companies.",
    "valid_domains": "Every company has domains, each a valid registered domain.",
}


@asset(
    name=SEEDS,
    description="The seed company list (SUPPLYLINKS_SEEDS), validated before any Spark job "
    "reads it; its blocking checks stop extraction on a damaged list.",
    check_specs=[
        AssetCheckSpec(name, asset=SEEDS, blocking=True, description=description)
        for name, description in SEED_CHECK_DESCRIPTIONS.items()
    ],
    partitions_def=crawl_segment_partitions,  # so it runs in the same run as extract
    backfill_policy=ONE_RUN_PER_BACKFILL,
    kinds={"csv"},
    owners=OWNERS,
    group_name=GROUP,
)
def seed_companies(context: AssetExecutionContext, crawl_config: CrawlConfig):
    """Validate the seed list and resolve the classifier model before any table is written;
    a failure's message is its first problem, naming the file."""
    from extraction.companies import SEED_CHECKS, seed_problems
    from models import resolve_model_ref
    from spark_jobs.storage import read_bytes

    try:
        data = read_bytes(crawl_config.seeds)
    except OSError as exc:
        raise Failure(description=f"seed list {crawl_config.seeds} cannot be read: {exc}") from None
    problems = seed_problems(data, crawl_config.seeds)
    for name in SEED_CHECKS:
        yield AssetCheckResult(
            check_name=name,
            passed=not problems[name],
            metadata={"problems": problems[name][:20]},
        )
    found = [problem for name in SEED_CHECKS for problem in problems[name]]
    if found:
        more = f" (and {len(found) - 1} more problem(s))" if len(found) > 1 else ""
        raise Failure(description=f"{found[0]}{more}")
    try:
        model = resolve_model_ref(crawl_config.model)
    except (ValueError, OSError) as exc:
        raise Failure(description=f"classifier model cannot be used: {exc}") from None
    from extraction.companies import SeedCompanies

    companies = SeedCompanies.from_bytes(data, crawl_config.seeds)
    yield MaterializeResult(
        metadata={
            "seeds": crawl_config.seeds,
            "companies": len(companies),
            "domains": sum(len(c.domains) for c in companies),
            "model": model,
        }
    )


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
            deps=[AssetDep(SEEDS)],
        )
        for spec in (PAGES, HYPERLINKS)
    ],
    check_specs=[
        AssetCheckSpec(
            "slices_complete",
            asset=spec.name,
            description="Every WARC file of the written slices was read whole; WARN when the "
            "run allowed partial slices and some files failed (listed in its metadata).",
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
        ),
        AssetDep("companies"),  # legal names of non-seed targets (pipelines.companies)
        # or the seed companies' links of whole crawls, read by index (pipelines.crawl.targeted)
        AssetDep(f"{ASSET_PREFIX}{COMPANY_LINKS.name}"),
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


crawl_assets = [seed_companies, extract, company_links, link_graph]
