"""Materialize the real ``extract`` asset on one sample slice, on any runtime.

Shared by the end-to-end module of each runtime (one Spark run per module) and the local
reference run the remote tables are compared with.
"""

from __future__ import annotations

from pathlib import Path

from dagster import DagsterEventType, DagsterInstance, materialize
from deltalake import DeltaTable

from extraction.commoncrawl import assign_segments, parse_warc_paths
from pipelines.crawl.assets import extract
from pipelines.crawl.partitions import crawl_partitions
from pipelines.crawl.resources import CrawlConfig
from pipelines.crawl.sensors import discover_crawls
from pipelines.runtimes import SparkRuntime
from spark_jobs.tables import HYPERLINKS, PAGES
from tests.paths import SAMPLES
from tests.pipelines.runtimes.conftest import event_log_text

CC_ROOT = SAMPLES / "commoncrawl"
SEEDS = SAMPLES / "seeds" / "companies.csv"


def sample_slice() -> tuple[str, str]:
    """The first (crawl, segment) of the sample crawl."""
    crawl = discover_crawls(str(CC_ROOT))[0]
    paths = parse_warc_paths((CC_ROOT / "crawl-data" / crawl / "warc.paths.gz").read_bytes())
    return crawl, sorted(set(assign_segments(paths).values()))[0]


def materialize_extract(spark_runtime: SparkRuntime, warehouse: Path):
    crawl, segment = sample_slice()
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(crawl_partitions.name, [crawl])
    config = CrawlConfig(
        warehouse=str(warehouse),
        cc_root=str(CC_ROOT),
        seeds=str(SEEDS),
        model="rules",
        max_files_per_segment=1,
    )
    result = materialize(
        [extract],
        partition_key=f"{crawl}|{segment}",
        instance=instance,
        resources={"spark_runtime": spark_runtime, "crawl_config": config},
        raise_on_error=False,
    )
    result.log_text = event_log_text(instance, result.run_id)
    return result


def materializations(result) -> dict[str, dict]:
    found = {}
    for event in result.all_events:
        if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.event_specific_data.materialization
            metadata = {k: v.value for k, v in materialization.metadata.items()}
            found[materialization.asset_key.to_user_string()] = metadata
    return found


def table_rows(warehouse: Path) -> dict[str, list]:
    """Both tables' rows, order-independent, for comparing runtimes."""
    rows = {}
    for spec in (PAGES, HYPERLINKS):
        table = DeltaTable(spec.path(str(warehouse))).to_pyarrow_table()
        rows[spec.name] = sorted(repr(sorted(r.items())) for r in table.to_pylist())
    return rows
