"""The cluster rehearsal: the real extract asset on the ``standalone`` runtime.

A Spark standalone master and worker on 127.0.0.1, a moto S3 server as the bucket; the
wheel and job script published by the runtime layer; ``spark-submit --master spark://...``
with the Pipes context and messages in S3; delta-spark writing ``s3a://.../warehouse``;
the tables read back with delta-rs, equal to the local delta-rs run, and the asset checks'
queries finding no problem.
"""

from __future__ import annotations

import sys
import time
import uuid

import pytest

from pipelines.crawl.checks import duplicate_key_problems, row_count_problems, zorder_problems
from pipelines.metadata import figure
from pipelines.runtimes import SparkRuntime
from pipelines.runtimes.specs import StandaloneSpec
from spark_jobs.tables import HYPERLINKS, PAGES
from tests.fakes.s3 import moto_s3_process, s3_client
from tests.fakes.spark_cluster import standalone_cluster
from tests.pipelines.runtimes.conftest import BUCKET, assert_no_secret_in, node_env
from tests.pipelines.runtimes.extract_run import materializations, materialize_extract, table_rows

pytestmark = pytest.mark.spark


@pytest.fixture
def s3_endpoint_process(cloud_env, monkeypatch):
    """The bucket on a moto server of its own process; every S3 client here points at it."""
    with moto_s3_process() as endpoint:
        for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"):  # boto3, pyarrow; delta-rs
            monkeypatch.setenv(name, endpoint)
        monkeypatch.setenv("AWS_ALLOW_HTTP", "true")
        monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # the driver binds to loopback
        s3_client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint


# A cluster, a wheel build and two delta-spark commits on s3a: ~10 min on a 2-core box
# at load 25 (shared by eight engineers), so the suite-wide 900 s limit is raised here.
@pytest.mark.timeout(1800)
def test_extract_on_a_standalone_cluster_matches_local(
    local_reference, cloud_env, s3_endpoint_process, tmp_path, capsys
):
    endpoint = s3_endpoint_process
    nodes = node_env(cloud_env) | {"AWS_ENDPOINT_URL_S3": endpoint}
    started = time.monotonic()
    with standalone_cluster(tmp_path / "cluster", nodes) as master:
        seconds = {"cluster_start": time.monotonic() - started}
        spec = StandaloneSpec(
            master=master,
            shared_dir=str(tmp_path / "shared"),
            bucket=BUCKET,
            prefix="standalone",
            s3_endpoint=endpoint,
            s3_path_style=True,
            python=sys.executable,
            executor_memory="1g",
            executor_cores=2,
            spark_conf={
                "spark.databricks.delta.snapshotPartitions": "2",
                "spark.ui.enabled": "false",
            },
            message_interval_seconds=1.0,
        )
        warehouse = f"s3a://{BUCKET}/warehouse-{uuid.uuid4().hex[:8]}"
        launched = time.monotonic()
        result = materialize_extract(SparkRuntime(runtime="standalone", standalone=spec), warehouse)
        seconds["extract_run"] = time.monotonic() - launched
    assert result.success, result.log_text
    metadata = materializations(result)
    assert set(metadata) == {"pages", "hyperlinks"}
    for values in metadata.values():
        assert values["engine"] == "delta-spark" and values["rows_written"] > 0
        assert values["cost_runtime"] == "standalone" and values["cost_cpu_seconds"] > 0
        assert values["cost_emr_spot_usd"] > 0 and values["cost_databricks_usd"] > 0
    assert "[extract]" in result.log_text  # the job's Pipes logs, back through S3
    checked = time.monotonic()
    assert table_rows(warehouse) == local_reference
    for spec_ in (PAGES, HYPERLINKS):
        assert duplicate_key_problems(warehouse, spec_) == []
        assert zorder_problems(warehouse, spec_) == []
    assert row_count_problems(warehouse) == []
    assert_no_secret_in(result.log_text, metadata)
    seconds["read_back_and_checks"] = time.monotonic() - checked
    seconds["total"] = time.monotonic() - started
    with capsys.disabled():  # in CI's output, whatever pytest's capture setting
        print("\n" + rehearsal_times(seconds, metadata["hyperlinks"]))


def rehearsal_times(seconds: dict[str, float], job: dict) -> str:
    """Where the rehearsal's wall time went: the cluster, the orchestrator side of the run
    (wheel, spark-submit's JVM, Pipes round trips: the run minus the job's own clock), and
    the job's phases as it reports them (``phase_seconds``, published run-wide as ``run_*``)."""
    outside = seconds["extract_run"] - float(job["run_duration_seconds"])
    parts = [f"cluster start {seconds['cluster_start']:.1f} s"]
    parts.append(f"extract run {seconds['extract_run']:.1f} s")
    parts.append(f"of it outside the job (wheel, spark-submit, Pipes) {outside:.1f} s")
    phases = figure(job, "run_phase_seconds")
    parts += [f"job {name} {value:.1f} s" for name, value in phases.items()]
    parts.append(f"read back and checks {seconds['read_back_and_checks']:.1f} s")
    return f"standalone rehearsal: {seconds['total']:.1f} s (" + ", ".join(parts) + ")"
