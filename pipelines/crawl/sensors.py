"""A sensor that adds new Common Crawl crawls as ``crawl`` partitions.

The crawl list comes from ``collinfo.json`` (Common Crawl publishes it; a local mirror keeps
its own copy at its root) or, for a mirror without one, from its ``crawl-data/`` folders.
"""

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
    description="Adds crawls listed by the Common Crawl root as `crawl` partitions.",
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


crawl_sensors = [crawl_sensor]
