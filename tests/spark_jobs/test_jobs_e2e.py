"""The three Spark jobs, launched by the real assets over ``PipesSubprocessClient``.

One module-scoped run of the sample crawl (extract + classify, then graph) is shared by
the content assertions; re-runs, a killed driver and concurrent partitions follow.
"""

from __future__ import annotations

import csv
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from dagster import DagsterInstance, materialize
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from deltalake import DeltaTable

from extraction.commoncrawl import assign_segments, parse_warc_paths
from extraction.labels import RELATION_LABELS
from pipelines.config import Settings
from pipelines.crawl.assets import company_links, extract, link_graph
from pipelines.crawl.checks import crawl_checks
from pipelines.crawl.partitions import crawl_partitions
from pipelines.crawl.sensors import discover_crawls
from pipelines.definitions import build_definitions
from spark_jobs.tables import COMPANY_LINKS, HYPERLINKS, LINK_GRAPH, PAGES
from tests.paths import SAMPLES

pytestmark = pytest.mark.spark
CC_ROOT = SAMPLES / "commoncrawl"
SEEDS = SAMPLES / "seeds" / "companies.csv"


def crawl_and_segments() -> tuple[str, list[str]]:
    crawl = discover_crawls(str(CC_ROOT))[0]
    paths = parse_warc_paths((CC_ROOT / "crawl-data" / crawl / "warc.paths.gz").read_bytes())
    return crawl, sorted(set(assign_segments(paths).values()))


CRAWL, SEGMENTS = crawl_and_segments()


class Deployment:
    """A warehouse + Dagster instance pair, materializing like `make sample` does."""

    def __init__(self, warehouse: Path) -> None:
        self.warehouse = str(warehouse)
        settings = Settings(
            warehouse=self.warehouse, cc_root=str(CC_ROOT), seeds=str(SEEDS), model="rules"
        )
        self.resources = build_definitions(settings).resources
        self.instance = DagsterInstance.ephemeral()
        self.instance.add_dynamic_partitions(crawl_partitions.name, [CRAWL])

    def extract_and_classify(self, segments: list[str], **kwargs):
        return materialize(
            [extract, company_links, *crawl_checks],
            instance=self.instance,
            resources=self.resources,
            tags={
                ASSET_PARTITION_RANGE_START_TAG: f"{CRAWL}|{segments[0]}",
                ASSET_PARTITION_RANGE_END_TAG: f"{CRAWL}|{segments[-1]}",
            },
            selection=kwargs.pop("selection", ["pages", "hyperlinks", "company_links"]),
            **kwargs,
        )

    def graph(self):
        return materialize(
            [link_graph, *crawl_checks],
            instance=self.instance,
            resources=self.resources,
            partition_key=CRAWL,
            selection=["link_graph"],
        )

    def table(self, spec) -> DeltaTable:
        return DeltaTable(spec.path(self.warehouse))

    def counts(self) -> dict[str, int]:
        return {spec.name: self.table(spec).count() for spec in (PAGES, HYPERLINKS, COMPANY_LINKS)}


def materializations(result) -> dict[str, dict]:
    return {
        event.asset_key.to_user_string(): event.step_materialization_data.materialization.metadata
        for event in result.get_asset_materialization_events()
    }


def partition_materializations(result, asset: str) -> list[dict]:
    return [
        event.step_materialization_data.materialization.metadata
        for event in result.get_asset_materialization_events()
        if event.asset_key.to_user_string() == asset
    ]


def check_results(result) -> dict[tuple[str, str], bool]:
    return {
        (e.asset_key.to_user_string(), e.check_name): e.passed
        for e in (
            ev.event_specific_data
            for ev in result.all_events
            if ev.event_type_value == "ASSET_CHECK_EVALUATION"
        )
    }


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    deployment = Deployment(tmp_path_factory.mktemp("sample") / "warehouse")
    first = deployment.extract_and_classify(SEGMENTS)
    graph = deployment.graph()
    return deployment, first, graph


def test_tables_hold_what_the_crawl_contains(sample):
    deployment, first, _ = sample
    pages = deployment.table(PAGES).to_pyarrow_table().to_pylist()
    assert pages and {p["segment"] for p in pages} == set(SEGMENTS)
    slice_urls = {(p["crawl"], p["segment"], p["url"]) for p in pages}
    assert len(slice_urls) == len(pages), "one row per page URL and slice"
    links = (
        deployment.table(HYPERLINKS)
        .to_pyarrow_table(columns=["src_url", "src_domain", "dst_domain", "anchor_text"])
        .to_pylist()
    )
    assert {link["src_url"] for link in links} <= {p["url"] for p in pages}
    assert links and all(link["src_domain"] != link["dst_domain"] for link in links)

    meta = materializations(first)
    # each partition shows its own slice; their figures add up to the run's (run_*)
    pages_meta = partition_materializations(first, "pages")
    assert sum(m["rows_written"].value for m in pages_meta) == len(pages)
    assert meta["pages"]["run_rows_written"].value == len(pages)
    assert meta["hyperlinks"]["run_rows_written"].value == len(links)
    for key in ("delta_version", "run_zorder", "spark_version", "engine", "files_read"):
        assert key in meta["pages"], key
    assert meta["pages"]["engine"].value == "delta-rs"
    files_read = sum(m["files_read"].value for m in pages_meta)
    assert files_read == meta["pages"]["run_files_read"].value >= 4
    assert meta["pages"]["cost_runtime"].value == "local"  # the local runtime's cost, too
    assert meta["pages"]["cost_cpu_seconds"].value > 0 < meta["pages"]["cost_emr_spot_usd"].value


def test_company_links_come_from_seed_sites_and_carry_labels(sample):
    deployment, first, _ = sample
    with SEEDS.open(encoding="utf-8") as handle:
        owner = {
            d.strip(): row["company_id"]
            for row in csv.DictReader(handle)
            for d in row["domains"].replace(";", " ").split()
        }
    rows = deployment.table(COMPANY_LINKS).to_pyarrow_table().to_pylist()
    assert rows
    assert all(owner.get(r["src_domain"]) == r["src_company_id"] for r in rows)
    assert all(r["dst_company_id"] != r["src_company_id"] for r in rows)
    assert {r["relation"] for r in rows} <= set(RELATION_LABELS)
    assert len({r["relation"] for r in rows}) >= 4
    assert {r["model_version"] for r in rows} == {
        materializations(first)["company_links"]["model_versions"].value
    }


def test_graph_edges_aggregate_company_links(sample):
    deployment, _, graph = sample
    edges = deployment.table(LINK_GRAPH).to_pyarrow_table().to_pylist()
    assert edges and all(e["crawl"] == CRAWL for e in edges)
    assert all(e["src_domain"] != e["dst_domain"] for e in edges)
    assert all(e["first_crawl"] == e["last_crawl"] == CRAWL and e["crawls"] == 1 for e in edges)
    keys = [(e["src_domain"], e["dst_domain"], e["relation"]) for e in edges]
    assert len(keys) == len(set(keys))
    links = deployment.table(COMPANY_LINKS).count()
    assert 0 < sum(e["links"] for e in edges) <= links
    assert materializations(graph)["link_graph"]["rows_written"].value == len(edges)


def test_asset_checks_pass_on_a_clean_run(sample):
    _, first, graph = sample
    results = {**check_results(first), **check_results(graph)}
    assert results and all(results.values()), results


def test_rerunning_a_partition_keeps_row_counts(sample):
    deployment, _, _ = sample
    before = deployment.counts()
    for _ in range(2):  # with the module's first run: the same partitions three times
        deployment.extract_and_classify(SEGMENTS)
    assert deployment.counts() == before


def _data_files(warehouse: Path) -> set[Path]:
    return set(warehouse.glob("*/crawl=*/**/*.parquet"))


def _kill_job_when_writing(warehouse: Path, stop: threading.Event) -> bool:
    """Kill this process's extract job child (``python -m spark_jobs.launch extract``) once
    executors have written new table files (not yet committed)."""
    before = _data_files(warehouse)
    while not stop.is_set():
        if _data_files(warehouse) - before:
            for proc in Path("/proc").iterdir():
                if not proc.name.isdigit():
                    continue
                try:
                    cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
                    ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                args = cmdline.split("\0")
                if args[1:4] == ["-m", "spark_jobs.launch", "extract"] and ppid == os.getpid():
                    os.kill(int(proc.name), signal.SIGKILL)
                    return True
        time.sleep(0.05)
    return False


def test_a_killed_driver_leaves_tables_at_their_previous_version(sample):
    deployment, _, _ = sample
    versions = {s.name: deployment.table(s).version() for s in (PAGES, HYPERLINKS)}
    counts = deployment.counts()
    stop, killed = threading.Event(), []
    watcher = threading.Thread(
        target=lambda: killed.append(_kill_job_when_writing(Path(deployment.warehouse), stop))
    )
    watcher.start()
    try:
        result = deployment.extract_and_classify(
            SEGMENTS, selection=["pages", "hyperlinks"], raise_on_error=False
        )
    finally:
        stop.set()
        watcher.join()
    assert killed == [True]
    assert not result.success
    assert {s.name: deployment.table(s).version() for s in (PAGES, HYPERLINKS)} == versions
    assert deployment.counts() == counts


def test_two_partitions_materialized_concurrently_both_land(sample, tmp_path):
    reference, _, _ = sample
    # Two deployments on one warehouse: separate Dagster instances, as two runs in two
    # processes would have; what races is the Delta commit of disjoint slices.
    deployments = [Deployment(tmp_path / "warehouse") for _ in range(2)]
    deployment = deployments[0]
    first, second = SEGMENTS[0], SEGMENTS[1]
    results = {}
    threads = [
        threading.Thread(
            target=lambda seg=seg, dep=dep: results.setdefault(
                seg,
                dep.extract_and_classify(
                    [seg], selection=["pages", "hyperlinks"], raise_on_error=False
                ).success,
            )
        )
        for seg, dep in zip((first, second), deployments, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {first: True, second: True}

    def per_segment(dep, spec):
        rows = dep.table(spec).to_pyarrow_table(columns=["segment"]).to_pylist()
        return {s: sum(r["segment"] == s for r in rows) for s in (first, second)}

    for spec in (PAGES, HYPERLINKS):  # each slice as if it had run alone
        assert per_segment(deployment, spec) == per_segment(reference, spec)
