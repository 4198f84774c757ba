"""Re-running the sample crawl over damaged input, with a real Dagster run on the local
runtime (issue 16): one WARC file truncated, one replaced by junk, one listed but missing.

By default the partitions fail, name the files and why, and the tables keep their previous
version; with ``allow_partial`` the partial slices are written and a WARN check says so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dagster import DagsterInstance, materialize
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from deltalake import DeltaTable

from extraction.commoncrawl import assign_segments, parse_warc_paths
from pipelines.config import Settings
from pipelines.crawl.assets import extract
from pipelines.crawl.partitions import crawl_partitions
from pipelines.crawl.resources import CrawlConfig
from pipelines.crawl.sensors import discover_crawls
from pipelines.definitions import build_definitions
from spark_jobs.tables import HYPERLINKS, PAGES
from tests.paths import SAMPLES

pytestmark = pytest.mark.spark


class Crawl:
    """A copy of the sample crawl, a warehouse and an instance; extract all its segments."""

    def __init__(self, root: Path) -> None:
        self.cc_root = root / "commoncrawl"
        shutil.copytree(SAMPLES / "commoncrawl", self.cc_root)
        self.crawl = discover_crawls(str(self.cc_root))[0]
        listing = self.cc_root / "crawl-data" / self.crawl / "warc.paths.gz"
        self.files = assign_segments(parse_warc_paths(listing.read_bytes()))
        self.segments = sorted(set(self.files.values()))
        self.warehouse = str(root / "warehouse")
        settings = Settings(
            warehouse=self.warehouse,
            cc_root=str(self.cc_root),
            seeds=str(SAMPLES / "seeds" / "companies.csv"),
            model="rules",
        )
        self.resources = build_definitions(settings).resources
        self.instance = DagsterInstance.ephemeral()
        self.instance.add_dynamic_partitions(crawl_partitions.name, [self.crawl])

    def extract(self, allow_partial: bool = False):
        # a new resource, as the launchpad's per-run config makes one (a pydantic copy
        # keeps Dagster's stored config)
        config = CrawlConfig(
            warehouse=self.warehouse,
            cc_root=str(self.cc_root),
            seeds=str(SAMPLES / "seeds" / "companies.csv"),
            model="rules",
            allow_partial=allow_partial,
        )
        return materialize(
            [extract],
            instance=self.instance,
            resources={**self.resources, "crawl_config": config},
            tags={
                ASSET_PARTITION_RANGE_START_TAG: f"{self.crawl}|{self.segments[0]}",
                ASSET_PARTITION_RANGE_END_TAG: f"{self.crawl}|{self.segments[-1]}",
            },
            raise_on_error=False,
        )

    def state(self) -> dict[str, tuple[int, int]]:
        """(Delta version, rows) per table."""
        tables = {spec.name: DeltaTable(spec.path(self.warehouse)) for spec in (PAGES, HYPERLINKS)}
        return {name: (t.version(), t.count()) for name, t in tables.items()}

    def damage(self) -> list[str]:
        """Truncate one file, turn one into junk, delete one, each in its own segment (so
        every slice keeps some pages): their relative paths."""
        by_segment: dict[str, list[str]] = {}
        for path, segment in sorted(self.files.items()):
            by_segment.setdefault(segment, []).append(path)
        # the truncated file is a segment's only file: it still yields its first pages
        ordered = sorted(by_segment.values(), key=len)
        truncated, junk, missing = ordered[0][0], ordered[1][0], ordered[2][0]
        data = (self.cc_root / truncated).read_bytes()
        (self.cc_root / truncated).write_bytes(data[: len(data) * 2 // 3])
        (self.cc_root / junk).write_bytes(b"this is no WARC file\n" * 200)
        (self.cc_root / missing).unlink()
        return [truncated, junk, missing]


def failure_message(result) -> str:
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failures, "the step did not fail"
    return failures[0].step_failure_data.user_failure_data.description  # what the UI shows


def check_evaluations(result) -> dict[tuple[str, str], tuple[bool, str, dict]]:
    return {
        (e.asset_key.to_user_string(), e.check_name): (e.passed, e.severity.value, e.metadata)
        for e in (
            ev.event_specific_data
            for ev in result.all_events
            if ev.event_type_value == "ASSET_CHECK_EVALUATION"
        )
    }


def test_rerun_over_damaged_input_fails_and_keeps_the_tables(tmp_path) -> None:
    crawl = Crawl(tmp_path)
    clean = crawl.extract()
    assert clean.success
    assert all(passed for passed, _, _ in check_evaluations(clean).values())
    before = crawl.state()
    assert before["pages"][1] > 0

    truncated, junk, missing = crawl.damage()
    damaged = crawl.extract()
    assert not damaged.success
    message = failure_message(damaged)
    first_line = message.splitlines()[0]
    assert first_line.startswith("Spark job 'extract' failed: SliceFailure: ")
    assert "nothing was committed" in first_line
    for name in (truncated, junk, missing):
        assert name in message, name
    assert "No such file" in message and "truncated" in message
    assert crawl.state() == before  # the previous version, untouched

    partial = crawl.extract(allow_partial=True)
    assert partial.success
    checks = check_evaluations(partial)
    passed, severity, metadata = checks[("pages", "slices_complete")]
    assert not passed and severity == "WARN"
    damaged_files = metadata["damaged_files"].value
    for name in (truncated, junk, missing):
        assert any(name in line for line in damaged_files), name
    after = crawl.state()
    assert after["pages"][0] > before["pages"][0]  # written: a new version
    assert 0 < after["pages"][1] < before["pages"][1]  # and smaller, as recorded
