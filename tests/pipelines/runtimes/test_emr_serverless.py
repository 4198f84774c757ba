"""EMR Serverless runtime against the fake service + moto S3 (no Spark: the tiny job)."""

from __future__ import annotations

import pytest
from dagster import DagsterEventType, Failure
from dagster._core.errors import DagsterExecutionInterruptedError

from pipelines.runtimes import SparkRuntime, remote
from pipelines.runtimes.artifacts import Artifacts
from pipelines.runtimes.emr_serverless import start_job_run_params
from pipelines.runtimes.specs import EmrServerlessSpec
from tests.fakes.emr_serverless import FakeEMRServerless, parse_submit_parameters
from tests.pipelines.runtimes.conftest import BUCKET, node_env, run_report


def serverless_runtime(**overrides) -> SparkRuntime:
    spec = EmrServerlessSpec(
        application_id="00fakeapp",
        execution_role_arn="arn:aws:iam::123456789012:role/supplylinks-job",
        bucket=BUCKET,
        poll_seconds=0.2,
        message_interval_seconds=0.5,
        **overrides,
    )
    return SparkRuntime(runtime="emr-serverless", emr_serverless=spec)


@pytest.fixture
def fake_serverless(s3, cloud_env, tmp_path, use_clients):
    service = FakeEMRServerless(s3, tmp_path / "serverless", node_env=node_env(cloud_env))
    use_clients(emr_serverless=service)
    return service


def test_round_trip_with_py_files_and_cost(fake_serverless, capsys):
    result = run_report(serverless_runtime())
    assert result.success, result.log_text
    # the driver's stdout/stderr came back through the runtime's log transport
    forwarded = capsys.readouterr()
    assert "driver stdout: spark_jobs from" in forwarded.out
    assert "driver stderr line" in forwarded.err
    [event] = [
        e for e in result.all_events if e.event_type == DagsterEventType.ASSET_MATERIALIZATION
    ]
    metadata = {k: v.value for k, v in event.event_specific_data.materialization.metadata.items()}
    # --py-files: the driver imported the project from the uploaded wheel (a zip)
    assert ".whl/spark_jobs/__init__.py" in metadata["spark_jobs_file"]
    assert metadata["cost_runtime"] == "emr-serverless"
    assert metadata["cost_estimated_usd"] > 0
    assert metadata["cost_spot_share"] == 0
    assert "report job running with mode=ok" in result.log_text
    [request] = fake_serverless.requests
    assert request["tags"]["supplylinks:runtime"] == "emr-serverless"
    py_files, conf = parse_submit_parameters(
        request["jobDriver"]["sparkSubmit"]["sparkSubmitParameters"]
    )
    assert py_files[0].endswith(".whl")
    assert conf["spark.databricks.delta.vacuum.parallelDelete.enabled"] == "true"
    assert any(k.startswith("spark.emr-serverless.driverEnv.DAGSTER_PIPES") for k in conf)


def test_remote_failure_carries_the_error(fake_serverless):
    result = run_report(serverless_runtime(), mode="fail")
    assert not result.success
    assert "remote boom: the partition is broken" in result.log_text
    [run] = fake_serverless.runs.values()
    assert run.state == "FAILED"


def test_cancel_cancels_the_job_run(fake_serverless, monkeypatch):
    import time

    def interrupt_when_running(seconds):
        run = next(iter(fake_serverless.runs.values()), None)
        if run and run.driver and run.driver.process:
            raise DagsterExecutionInterruptedError("run cancelled")
        time.sleep(seconds)

    monkeypatch.setattr(remote.timing, "sleep", interrupt_when_running)
    with pytest.raises(DagsterExecutionInterruptedError):
        run_report(serverless_runtime(), mode="sleep", raise_on_error=True)
    [run] = fake_serverless.runs.values()
    run.thread.join(timeout=30)
    assert run.state == "CANCELLED" and run.driver.killed


def test_venv_archive_and_missing_application():
    artifacts = Artifacts("v", "s3://b/w.whl", "s3://b/j.py", "s3://b/b.sh")
    spec = EmrServerlessSpec(
        application_id="a", execution_role_arn="r", venv_archive_uri="s3://b/venv.tar.gz"
    )
    params = start_job_run_params(spec, artifacts, "extract", {}, "run1")
    _, conf = parse_submit_parameters(params["jobDriver"]["sparkSubmit"]["sparkSubmitParameters"])
    assert conf["spark.archives"] == "s3://b/venv.tar.gz#environment"
    assert conf["spark.emr-serverless.driverEnv.PYSPARK_PYTHON"] == "./environment/bin/python"
    with pytest.raises(Failure, match="application_id"):
        start_job_run_params(EmrServerlessSpec(), artifacts, "extract", {}, "run1")
