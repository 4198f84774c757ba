"""A targeted run through the real assets (Dagster, Pipes, Spark, Delta) reading the sample
crawl over HTTP range requests from a real server on 127.0.0.1 gives the same seed-company
edges as a full scan: ``company_links`` and ``link_graph`` rows equal, and the seed pages —
in targeted mode of the crawl x segment assets, and with the crawl-partitioned
``targeted_crawl`` assets, two crawls in one run, without Spark."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import BackfillPolicy, DagsterInstance, materialize
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


@pytest.fixture(scope="module")
def full_run(tmp_path_factory) -> tuple[str, dict]:
    """The full scan of the sample crawl: its warehouse and materialization metadata."""
    warehouse = str(tmp_path_factory.mktemp("full"))
    return warehouse, run_crawl(warehouse, str(CC_ROOT), "full")


def test_targeted_and_full_runs_give_identical_seed_company_edges(tmp_path, full_run):
    full_wh, full_meta = full_run
    targeted_wh = str(tmp_path / "targeted")
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


def second_crawl(source: Path, dest: Path, crawl: str) -> Path:
    """A copy of the sample mirror with a second crawl: the same WARC files (links) under
    ``crawl``, its ``warc.paths.gz`` and its index rows renamed."""
    import gzip
    import shutil

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    dest.mkdir()
    (dest / "crawl-data").mkdir()
    (dest / "crawl-data" / CRAWL).symlink_to((source / "crawl-data" / CRAWL).resolve())
    shutil.copytree(source / "cc-index", dest / "cc-index")
    old_prefix, new_prefix = f"crawl-data/{CRAWL}/", f"crawl-data/{crawl}/"
    for path in crawl_warc_segments(str(source), CRAWL):
        target = dest / path.replace(old_prefix, new_prefix, 1)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to((source / path).resolve())
    listing = "\n".join(
        p.replace(old_prefix, new_prefix, 1) for p in crawl_warc_segments(str(source), CRAWL)
    )
    (dest / "crawl-data" / crawl / "warc.paths.gz").write_bytes(
        gzip.compress(listing.encode() + b"\n")
    )
    index = dest / "cc-index/table/cc-main/warc"
    for part in (index / f"crawl={CRAWL}").rglob("*.parquet"):
        table = pq.read_table(part)
        names = pc.replace_substring(table.column("warc_filename"), old_prefix, new_prefix)
        table = table.set_column(
            table.schema.get_field_index("warc_filename"), "warc_filename", names
        )
        out = index / f"crawl={crawl}" / part.relative_to(index / f"crawl={CRAWL}")
        out.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, out)
    return dest


def test_a_targeted_backfill_of_two_crawls_is_one_run_with_the_full_scans_edges(tmp_path, full_run):
    """The crawl-partitioned targeted assets over a range of two crawl partitions: ONE run
    (what the single-run backfill policy makes of a backfill), one Pipes job that starts no
    Spark, and each crawl's company_links equal the full scan's seed-company edges."""
    from pipelines.crawl.targeted import targeted

    full_wh, _meta = full_run
    later = "CC-MAIN-2024-26"
    mirror = mirror_with_index_listing(
        second_crawl(CC_ROOT, tmp_path / "src", later), tmp_path / "m"
    )
    warehouse = str(tmp_path / "targeted")
    assert targeted.backfill_policy == BackfillPolicy.single_run()
    with range_server(mirror) as (base, log):
        settings = Settings(warehouse=warehouse, cc_root=base, seeds=str(SEEDS), model="rules")
        resources = dict(build_definitions(settings).resources)
        instance = DagsterInstance.ephemeral()
        instance.add_dynamic_partitions(crawl_partitions.name, [CRAWL, later])
        result = materialize(
            [targeted],
            instance=instance,
            resources=resources,
            tags={ASSET_PARTITION_RANGE_START_TAG: CRAWL, ASSET_PARTITION_RANGE_END_TAG: later},
        )
    assert result.success and log.ranges > 0
    assert len(instance.get_runs()) == 1
    events = result.get_asset_materialization_events()
    by_key = {}
    for event in events:
        by_key.setdefault(event.asset_key.to_user_string(), set()).add(event.partition)
    assert by_key == {
        f"targeted_{t}": {CRAWL, later} for t in ("pages", "hyperlinks", "company_links")
    }
    meta = events[0].step_materialization_data.materialization.metadata
    assert meta["spark_version"].value == "none" and meta["run_tasks_engine"].value == "in-process"
    assert meta["dagster/row_count"].value > 100  # the crawl's own rows, summed over segments
    full_links = rows(full_wh, COMPANY_LINKS)
    links = rows(warehouse, COMPANY_LINKS)
    assert [r for r in links if r["crawl"] == CRAWL] == full_links
    later_links = [{**r, "crawl": CRAWL} for r in links if r["crawl"] == later]
    assert sorted(later_links, key=repr) == full_links
    domains = set(seed_domains(load_seed_rows(str(SEEDS))))
    seed_pages = [p for p in rows(full_wh, PAGES) if p["registered_domain"] in domains]
    assert [p for p in rows(warehouse, PAGES) if p["crawl"] == CRAWL] == seed_pages
    graph = materialize([link_graph], instance=instance, resources=resources, partition_key=CRAWL)
    assert graph.success  # link_graph reads the targeted crawl as it reads a full scan
    assert rows(warehouse, LINK_GRAPH) == rows(full_wh, LINK_GRAPH)


def test_a_targeted_crawl_over_the_local_limit_runs_as_spark_tasks_with_the_same_rows(tmp_path):
    """More records than ``targeted_local_max_records``: Spark tasks and the classify job's
    Spark labelling give the rows of the in-process run (which equal the full scan's)."""
    from pipelines.crawl.targeted import targeted

    found = {}
    for engine, limit in (("spark", 10), ("in-process", 20_000)):
        warehouse = str(tmp_path / engine)
        settings = Settings(warehouse=warehouse, cc_root=str(CC_ROOT), seeds=str(SEEDS))
        resources = dict(build_definitions(settings).resources)
        resources["crawl_config"] = CrawlConfig(
            warehouse=warehouse, cc_root=str(CC_ROOT), seeds=str(SEEDS), model="rules",
            targeted_local_max_records=limit,
        )  # fmt: skip
        instance = DagsterInstance.ephemeral()
        instance.add_dynamic_partitions(crawl_partitions.name, [CRAWL])
        result = materialize(
            [targeted], instance=instance, resources=resources, partition_key=CRAWL
        )
        assert result.success
        meta = result.get_asset_materialization_events()[0].step_materialization_data
        assert meta.materialization.metadata["run_tasks_engine"].value == engine
        found[engine] = [rows(warehouse, spec) for spec in (PAGES, COMPANY_LINKS)]
    assert found["spark"] == found["in-process"] and len(found["spark"][1]) > 50
