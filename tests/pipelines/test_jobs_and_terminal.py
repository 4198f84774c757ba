"""Named jobs with tags, the runtime enum, the new-crawl backfill sensor, the terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from dagster import AssetKey, DagsterInstance, build_sensor_context
from pydantic import ValidationError

from pipelines.config import Settings
from pipelines.crawl.resources import CrawlConfig
from pipelines.crawl.sensors import crawl_sensors, new_crawl_backfill
from pipelines.definitions import build_definitions
from pipelines.jobs import CODE_VERSION_TAG, JOB_ASSETS, RUNTIME_TAG
from pipelines.progress import AssetFigures, bar, interactive, output_to, step_line
from pipelines.runtimes import SparkRuntime
from tests.paths import SAMPLES

CRAWL = "CC-MAIN-2024-22"


@pytest.fixture(scope="module")
def defs():
    return build_definitions(Settings.from_env({"SUPPLYLINKS_WAREHOUSE": "/tmp/nowhere"}))


def test_named_jobs_carry_runtime_and_code_version_tags(defs):
    for name, (assets, _) in JOB_ASSETS.items():
        job = defs.resolve_job_def(name)
        assert job.tags[RUNTIME_TAG] == "local" and job.tags[CODE_VERSION_TAG]
        selected = {k.to_user_string() for k in job.asset_layer.selected_asset_keys}
        assert selected == set(assets)


def test_runtime_is_an_enum_that_refuses_typos():
    assert SparkRuntime(runtime="emr-serverless").writer() == "delta-spark"
    with pytest.raises(ValidationError, match="local"):
        SparkRuntime(runtime="emrr")


def test_sensor_descriptions_read_as_text():
    for sensor in crawl_sensors:
        assert sensor.description and "`" not in sensor.description


def test_new_crawls_get_one_backfill_of_every_crawl_asset(defs):
    config = CrawlConfig(warehouse="/tmp/nowhere", cc_root=str(SAMPLES / "commoncrawl"), seeds="")
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("crawl", [CRAWL])
    context = build_sensor_context(instance=instance, definitions=defs)
    result = new_crawl_backfill(context, crawl_config=config)
    [request] = result.run_requests
    subset = request.asset_graph_subset
    assert request.tags["supplylinks/crawl"] == CRAWL
    pages = subset.partitions_subsets_by_asset_key[AssetKey("pages")]
    assert sorted(str(k) for k in pages.get_partition_keys()) == [
        f"{CRAWL}|00",
        f"{CRAWL}|01",
        f"{CRAWL}|02",
    ]
    graph = subset.partitions_subsets_by_asset_key[AssetKey("link_graph")]
    assert list(graph.get_partition_keys()) == [CRAWL]
    again = build_sensor_context(instance=instance, definitions=defs, cursor=result.cursor)
    assert "already requested" in new_crawl_backfill(again, crawl_config=config).skip_message


def test_output_of_children_goes_to_the_log_file(tmp_path, capfd):
    log = tmp_path / "logs" / "run.log"
    with output_to(log) as terminal:
        subprocess.run([sys.executable, "-c", "import sys; print('jvm says hi', file=sys.stderr)"])
        os.write(1, b"dagster event\n")
        print("progress line", file=terminal, flush=True)
    assert "jvm says hi" in log.read_text() and "dagster event" in log.read_text()
    out, err = capfd.readouterr()
    assert "progress line" in out and "jvm says hi" not in out + err


def test_step_line_and_quiet_progress_without_a_tty(monkeypatch):
    line = step_line("extract_crawl", AssetFigures("pages", 3, 3, 326, 15.25))
    assert "pages" in line and "3/3 partitions" in line and "326 rows" in line
    assert line.rstrip().endswith("15.2 s") or line.rstrip().endswith("15.3 s")
    monkeypatch.setenv("CI", "true")
    assert not interactive()
    stdout = sys.stdout
    with bar("quiet", total=2) as shown:  # the stand-in: nothing drawn, stdout left alone
        shown.update()
        assert sys.stdout is stdout
