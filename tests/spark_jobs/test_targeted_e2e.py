"""A targeted run through the real assets (Dagster, Pipes, Spark, Delta) reading the sample
crawl over HTTP range requests from a real server on 127.0.0.1 gives the same seed-company
edges as a full scan: ``company_links`` and ``link_graph`` rows equal, and the seed pages."""

from __future__ import annotations

import pytest
from dagster import DagsterInstance, materialize
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from deltalake import DeltaTable

from pipelines.config import Settings
from pipelines.crawl.assets import company_links, extract, link_graph
from pipelines.crawl.partitions import crawl_partitions
from pipelines.crawl.resources import CrawlConfig
from pipelines.definitions import build_definitions
from spark_jobs.runner import load_seed_rows
from spark_jobs.storage import crawl_warc_segments
from spark_jobs.tables import COMPANY_LINKS, LINK_GRAPH, PAGES
from spark_jobs.targeted import seed_domains
from tests.paths import SAMPLES
from tests.rangeserver import mirror_with_index_listing, range_server

pytestmark = pytest.mark.spark
CC_ROOT = SAMPLES / "commoncrawl"
SEEDS = SAMPLES / "seeds" / "companies.csv"
CRAWL = "CC-MAIN-2024-22"
SEGMENTS = sorted(set(crawl_warc_segments(str(CC_ROOT), CRAWL).values()))


def run_crawl(warehouse: str, cc_root: str, mode: str) -> dict[str, dict]:
    settings = Settings(warehouse=warehouse, cc_root=cc_root, seeds=str(SEEDS), model="rules")
    resources = dict(build_definitions(settings).resources)
    resources["crawl_config"] = CrawlConfig(
        warehouse=warehouse, cc_root=cc_root, seeds=str(SEEDS), model="rules", mode=mode
    )
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(crawl_partitions.name, [CRAWL])
    first = materialize(  # every segment of the crawl in one run
        [extract, company_links],
        instance=instance,
        resources=resources,
        tags={
            ASSET_PARTITION_RANGE_START_TAG: f"{CRAWL}|{SEGMENTS[0]}",
            ASSET_PARTITION_RANGE_END_TAG: f"{CRAWL}|{SEGMENTS[-1]}",
        },
    )
    graph = materialize([link_graph], instance=instance, resources=resources, partition_key=CRAWL)
    assert first.success and graph.success
    return {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in first.get_asset_materialization_events()
    }


def rows(warehouse: str, spec, drop=()) -> list[dict]:
    table = DeltaTable(spec.path(warehouse)).to_pyarrow_table()
    records = [{k: v for k, v in r.items() if k not in drop} for r in table.to_pylist()]
    return sorted(records, key=repr)


def test_targeted_and_full_runs_give_identical_seed_company_edges(tmp_path):
    full_wh, targeted_wh = str(tmp_path / "full"), str(tmp_path / "targeted")
    full_meta = run_crawl(full_wh, str(CC_ROOT), "full")
    mirror = mirror_with_index_listing(CC_ROOT, tmp_path / "mirror")
    with range_server(mirror) as (base, log):
        targeted_meta = run_crawl(targeted_wh, base, "targeted")
    assert log.ranges > 0  # the records really came by range over HTTP

    full_links = rows(full_wh, COMPANY_LINKS)
    assert len(full_links) > 50
    assert rows(targeted_wh, COMPANY_LINKS) == full_links
    assert rows(targeted_wh, LINK_GRAPH) == rows(full_wh, LINK_GRAPH)
    domains = set(seed_domains(load_seed_rows(str(SEEDS))))
    seed_pages = [p for p in rows(full_wh, PAGES) if p["registered_domain"] in domains]
    assert rows(targeted_wh, PAGES) == seed_pages
    assert targeted_meta["pages"]["bytes_read"].value < full_meta["pages"]["bytes_read"].value
