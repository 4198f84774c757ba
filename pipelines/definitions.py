"""The Dagster code location: ``dagster dev -m pipelines.definitions``."""

from __future__ import annotations

from dagster import Definitions

from pipelines.classifier.assets import ClassifierConfig, classifier_assets, classifier_checks
from pipelines.companies.assets import companies_assets
from pipelines.companies.checks import companies_checks
from pipelines.config import Settings
from pipelines.crawl.assets import crawl_assets
from pipelines.crawl.checks import crawl_checks
from pipelines.crawl.partitions import crawl_partitions
from pipelines.crawl.resources import CrawlConfig
from pipelines.crawl.sensors import crawl_sensors
from pipelines.crawl.targeted import targeted_assets
from pipelines.graph.assets import build_graph_assets
from pipelines.graph.checks import graph_checks
from pipelines.housekeeping import vacuum_warehouse_job
from pipelines.jobs import build_jobs
from pipelines.runtimes import SparkRuntime


def build_definitions(settings: Settings | None = None) -> Definitions:
    """All assets, checks, sensors and resources for one deployment's settings."""
    settings = settings or Settings.from_env()
    return Definitions(
        assets=[
            *crawl_assets,
            *targeted_assets,
            *companies_assets,
            *classifier_assets,
            *build_graph_assets(crawl_partitions),
        ],
        asset_checks=[*crawl_checks, *companies_checks, *classifier_checks, *graph_checks],
        sensors=[*crawl_sensors],
        jobs=[*build_jobs(settings), vacuum_warehouse_job],
        resources={
            "spark_runtime": SparkRuntime.for_deployment(settings.runtime, settings.runtime_config),
            "crawl_config": CrawlConfig.from_settings(settings),
            "classifier_config": ClassifierConfig.from_settings(settings),
        },
    )


defs = build_definitions()
