"""Sensors for new Common Crawl crawls.

``crawl_sensor`` adds new crawls as ``crawl`` partitions. The crawl list comes from
``collinfo.json`` (Common Crawl publishes it; a local mirror keeps its own copy at its root)
or, for a mirror without one, from its ``crawl-data/`` folders.

``new_crawl_backfill`` materializes them: for each ``crawl`` partition that no run has
extracted yet, it launches one backfill of every crawl asset (pages and hyperlinks of the
segments with WARC files, company_links, link_graph and its picture), which Dagster runs in
dependency order, one Spark run per asset thanks to the single-run backfill policies. Both
are stopped by default (the sample never starts them); turn them on in the UI (Automation).
"""

import json
import os
from pathlib import Path

from dagster import DefaultSensorStatus, SensorEvaluationContext, SensorResult, SkipReason, sensor

from extraction.commoncrawl import parse_collinfo
from pipelines.config import PUBLIC_COLLINFO
from pipelines.crawl.partitions import crawl_partitions
from pipelines.crawl.resources import CrawlConfig
from spark_jobs import storage


def collinfo_location(cc_root: str) -> str:
    """Where a Common Crawl root lists its crawls."""
    if cc_root.rstrip("/") in ("s3://commoncrawl", "https://data.commoncrawl.org"):
        return PUBLIC_COLLINFO
    return storage.join(cc_root, "collinfo.json")


def discover_crawls(cc_root: str) -> list[str]:
    """Crawl ids of a Common Crawl root, oldest first."""
    location = collinfo_location(cc_root)
    if storage.exists(location):
        return sorted(parse_collinfo(storage.read_bytes(location)))
    crawl_data = Path(cc_root) / "crawl-data"
    if storage.is_local(cc_root) and crawl_data.is_dir():
        return sorted(
            entry.name for entry in crawl_data.iterdir() if (entry / "warc.paths.gz").is_file()
        )
    raise FileNotFoundError(f"no collinfo.json and no crawl-data/ folders under {cc_root}")


@sensor(
    name="crawl_sensor",
    description="Adds the crawls listed by the Common Crawl root as crawl partitions.",
    minimum_interval_seconds=int(os.environ.get("SUPPLYLINKS_CRAWL_SENSOR_SECONDS", "3600")),
    default_status=DefaultSensorStatus.STOPPED,
)
def crawl_sensor(context: SensorEvaluationContext, crawl_config: CrawlConfig):
    known = set(context.instance.get_dynamic_partitions(crawl_partitions.name))
    new = [c for c in discover_crawls(crawl_config.cc_root) if c not in known]
    if not new:
        return SkipReason("no new crawls")
    context.log.info(f"adding {len(new)} crawl(s): {', '.join(new)}")
    return SensorResult(dynamic_partitions_requests=[crawl_partitions.build_add_request(new)])


CRAWL_SEGMENT_ASSETS = ("pages", "hyperlinks", "company_links")
CRAWL_ASSETS = ("link_graph", "link_graph_picture")


def backfill_targets(crawl: str, segments: list[str]) -> set:
    """(asset, partition) pairs of one crawl: every crawl asset of every segment given."""
    from dagster import AssetKey, MultiPartitionKey
    from dagster._core.definitions.events import AssetKeyPartitionKey

    targets = {AssetKeyPartitionKey(AssetKey(name), crawl) for name in CRAWL_ASSETS}
    for segment in segments:
        key = MultiPartitionKey({"crawl": crawl, "segment": segment})
        targets |= {AssetKeyPartitionKey(AssetKey(name), key) for name in CRAWL_SEGMENT_ASSETS}
    return targets


@sensor(
    name="new_crawl_backfill",
    description=(
        "Launches one backfill of all crawl assets for each crawl partition not yet "
        "extracted (off by default)."
    ),
    minimum_interval_seconds=int(os.environ.get("SUPPLYLINKS_CRAWL_SENSOR_SECONDS", "3600")),
    default_status=DefaultSensorStatus.STOPPED,
)
def new_crawl_backfill(context: SensorEvaluationContext, crawl_config: CrawlConfig):
    from dagster import AssetKey, RunRequest
    from dagster._core.definitions.assets.graph.asset_graph_subset import AssetGraphSubset

    handled = set(json.loads(context.cursor)) if context.cursor else set()
    extracted = {
        str(key).split("|")[0]
        for key in context.instance.get_materialized_partitions(AssetKey("pages"))
    }
    crawls = context.instance.get_dynamic_partitions(crawl_partitions.name)
    todo = [c for c in crawls if c not in handled and c not in extracted]
    if not todo:
        return SkipReason("every crawl partition is extracted or already requested")
    requests = []
    for crawl in todo:
        segments = sorted(set(storage.crawl_warc_segments(crawl_config.cc_root, crawl).values()))
        if not segments:
            context.log.info(f"{crawl}: no WARC files under {crawl_config.cc_root}, skipped")
            continue
        subset = AssetGraphSubset.from_asset_partition_set(
            backfill_targets(crawl, segments), context.repository_def.asset_graph
        )
        requests.append(
            RunRequest.for_asset_graph_subset(subset, tags={"supplylinks/crawl": crawl})
        )
        context.log.info(f"backfill of {crawl}: {len(segments)} segment(s)")
    return SensorResult(run_requests=requests, cursor=json.dumps(sorted(handled | set(todo))))


crawl_sensors = [crawl_sensor, new_crawl_backfill]
