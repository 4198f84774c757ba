"""The seed_companies asset (issue 16): a damaged seed list or an unknown model fails the
run before Spark starts, in one sentence naming the cause, and no table is created."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import DagsterInstance, materialize
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from pipelines.crawl.assets import extract, seed_companies
from pipelines.crawl.partitions import crawl_partitions
from pipelines.crawl.resources import CrawlConfig
from pipelines.runtimes import SparkRuntime
from tests.paths import SAMPLES

CRAWL = "CC-MAIN-2024-22"
SEEDS = SAMPLES / "seeds" / "companies.csv"


def run(tmp_path: Path, seeds: Path, model: str = "rules"):
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(crawl_partitions.name, [CRAWL])
    config = CrawlConfig(
        warehouse=str(tmp_path / "warehouse"),
        cc_root=str(SAMPLES / "commoncrawl"),
        seeds=str(seeds),
        model=model,
    )
    return materialize(
        [seed_companies, extract],
        instance=instance,
        resources={"crawl_config": config, "spark_runtime": SparkRuntime()},
        tags={
            ASSET_PARTITION_RANGE_START_TAG: f"{CRAWL}|00",
            ASSET_PARTITION_RANGE_END_TAG: f"{CRAWL}|02",
        },
        raise_on_error=False,
    )


def failure(result) -> tuple[str, str]:
    events = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert [e.step_key for e in events] == ["seed_companies"]
    return events[0].step_key, events[0].step_failure_data.user_failure_data.description


def checks(result) -> dict[str, bool]:
    return {
        e.event_specific_data.check_name: e.event_specific_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }


def good_rows() -> str:
    return SEEDS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "check", "cause"),
    [
        (lambda: good_rows().replace("domains", "sites", 1), "required_columns", "lacks column"),
        (lambda: good_rows() + "C99,Dup,brunnhuber.com,DE\n", "unique_domains", "both"),
        (lambda: good_rows() + "C01,Again,other-firm.de,DE\n", "unique_company_ids", "'C01'"),
        (lambda: good_rows().splitlines()[0] + "\n", "has_companies", "no company"),
        (lambda: good_rows().replace("Antriebstechnik", "Antriebstechnik Straße"), "utf8", "UTF-8"),
    ],
    ids=["no-domains-column", "dup-domain", "dup-id", "header-only", "latin-1"],
)
def test_a_damaged_seed_list_stops_the_run_before_spark(tmp_path, content, check, cause) -> None:
    seeds = tmp_path / "seeds.csv"
    text = content()
    seeds.write_bytes(text.encode("latin-1" if check == "utf8" else "utf-8"))
    result = run(tmp_path, seeds)
    assert not result.success
    _, message = failure(result)
    assert message.startswith(f"{seeds}: ") and cause in message.splitlines()[0]
    assert checks(result)[check] is False
    assert not (tmp_path / "warehouse").exists()  # extract never started: no table created


def test_an_unknown_model_stops_the_run_before_any_table(tmp_path) -> None:
    result = run(tmp_path, SEEDS, model="nonexistent")
    assert not result.success
    _, message = failure(result)
    assert message.startswith("classifier model cannot be used: unknown model 'nonexistent'")
    assert all(checks(result).values())  # the seed list itself is fine
    assert not (tmp_path / "warehouse").exists()
