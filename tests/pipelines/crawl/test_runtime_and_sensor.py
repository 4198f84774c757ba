"""A job that reports nothing fails its run; the sensor discovers crawls of a root."""

from __future__ import annotations

import json
import sys

import pytest
from dagster import (
    DagsterInstance,
    PipesSubprocessClient,
    asset,
    build_sensor_context,
    materialize,
)

from pipelines.crawl.resources import CrawlConfig
from pipelines.crawl.sensors import crawl_sensor, discover_crawls
from pipelines.runtimes import expected_materializations
from pipelines.runtimes.local import job_script
from tests.paths import SAMPLES

SILENT_JOB = """
from dagster_pipes import open_dagster_pipes
with open_dagster_pipes() as pipes:
    pipes.log.info("did some work, reported nothing")
"""
REPORTING_JOB = """
from dagster_pipes import open_dagster_pipes
with open_dagster_pipes() as pipes:
    pipes.report_asset_materialization(metadata={"rows_written": 3})
"""


def run_script(tmp_path, source: str):
    script = tmp_path / "job.py"
    script.write_text(source)

    @asset(name="pages")
    def pages(context):
        results = (
            PipesSubprocessClient()
            .run(context=context, command=[sys.executable, str(script)])
            .get_results(implicit_materializations=False)
        )
        expected_materializations(context, results)
        return results

    return materialize([pages], instance=DagsterInstance.ephemeral(), raise_on_error=False)


def test_a_job_that_reports_no_materialization_fails_the_run(tmp_path):
    result = run_script(tmp_path, SILENT_JOB)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "reported no materialization for: pages" in str(failure.event_specific_data.error)


def test_a_job_that_reports_passes(tmp_path):
    result = run_script(tmp_path, REPORTING_JOB)
    assert result.success
    [event] = result.get_asset_materialization_events()
    assert event.step_materialization_data.materialization.metadata["rows_written"].value == 3


def test_job_scripts_are_the_spark_jobs_modules():
    assert job_script("extract").name == "extract.py"
    with pytest.raises(ValueError, match="unknown Spark job"):
        job_script("nope")


def test_crawls_come_from_collinfo_or_crawl_data(tmp_path):
    assert discover_crawls(str(SAMPLES / "commoncrawl")) == ["CC-MAIN-2024-22"]
    (tmp_path / "crawl-data" / "CC-MAIN-2030-01").mkdir(parents=True)
    (tmp_path / "crawl-data" / "CC-MAIN-2030-01" / "warc.paths.gz").write_bytes(b"")
    (tmp_path / "crawl-data" / "not-a-crawl").mkdir()
    assert discover_crawls(str(tmp_path)) == ["CC-MAIN-2030-01"]
    (tmp_path / "collinfo.json").write_text(
        json.dumps([{"id": "CC-MAIN-2030-05", "name": "x"}, {"id": "CC-MAIN-2030-01", "name": "y"}])
    )
    assert discover_crawls(str(tmp_path)) == ["CC-MAIN-2030-01", "CC-MAIN-2030-05"]
    with pytest.raises(FileNotFoundError):
        discover_crawls(str(tmp_path / "empty"))


def test_sensor_adds_only_new_crawls(tmp_path):
    (tmp_path / "collinfo.json").write_text(json.dumps([{"id": "CC-A"}, {"id": "CC-B"}]))
    config = CrawlConfig(warehouse=str(tmp_path), cc_root=str(tmp_path), seeds="")
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("crawl", ["CC-A"])
    result = crawl_sensor(build_sensor_context(instance=instance), crawl_config=config)
    [request] = result.dynamic_partitions_requests
    assert request.partitions_def_name == "crawl" and list(request.partition_keys) == ["CC-B"]
    instance.add_dynamic_partitions("crawl", ["CC-B"])
    skipped = crawl_sensor(build_sensor_context(instance=instance), crawl_config=config)
    assert "no new crawls" in skipped.skip_message
