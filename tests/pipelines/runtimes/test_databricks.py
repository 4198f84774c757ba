"""Databricks runtime against the fake workspace (real SDK over a fake REST surface)."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from dagster import DagsterEventType
from dagster_databricks import PipesDatabricksClient
from dagster_databricks.pipes import PipesDbfsLogReader

from pipelines.runtimes import SparkRuntime
from pipelines.runtimes.artifacts import Artifacts
from pipelines.runtimes.databricks import (
    DbfsLogReader,
    SupplylinksDatabricksClient,
    submit_task,
    transport_for,
)
from pipelines.runtimes.specs import DatabricksSpec, PriceTable
from tests.fakes.databricks import FakeWorkspace
from tests.pipelines.runtimes.conftest import node_env, run_report


def databricks_spec(**overrides) -> DatabricksSpec:
    return DatabricksSpec(poll_seconds=0.2, message_interval_seconds=0.5, **overrides)


def databricks_runtime(**overrides) -> SparkRuntime:
    return SparkRuntime(runtime="databricks", databricks=databricks_spec(**overrides))


@pytest.fixture
def workspace(cloud_env, tmp_path, use_clients):
    fake = FakeWorkspace(tmp_path / "databricks", node_env=node_env(cloud_env))
    use_clients(workspace=fake)
    return fake


def test_round_trip_with_wheel_library_dbfs_transport_and_cost(workspace, capsys):
    result = run_report(databricks_runtime())
    assert result.success, result.log_text
    # the driver's stdout/stderr came back through the runtime's log transport
    forwarded = capsys.readouterr()
    assert "driver stdout: spark_jobs from" in forwarded.out
    assert "driver stderr line" in forwarded.err
    [event] = [
        e for e in result.all_events if e.event_type == DagsterEventType.ASSET_MATERIALIZATION
    ]
    metadata = {k: v.value for k, v in event.event_specific_data.materialization.metadata.items()}
    assert "/clusters/" in metadata["spark_jobs_file"]  # the library installed on the cluster
    assert metadata["cost_runtime"] == "databricks"
    assert metadata["cost_instance_types"] == "r5d.2xlarge"
    assert metadata["cost_spot_share"] == pytest.approx(8 / 9, abs=1e-3)
    assert "Databricks Job Run ID" in metadata
    assert "report job running with mode=ok" in result.log_text
    [body] = workspace.api_client.submitted
    [task] = body["tasks"]
    assert task["libraries"][0]["whl"].startswith("dbfs:/supplylinks/artifacts/wheels/")
    assert task["spark_python_task"]["python_file"].startswith(
        "dbfs:/supplylinks/artifacts/jobs/report-"
    )
    assert task["new_cluster"]["custom_tags"]["supplylinks:runtime"] == "databricks"
    conf = task["new_cluster"]["spark_conf"]
    assert conf["spark.databricks.delta.vacuum.parallelDelete.enabled"] == "true"
    # the driver's stdout was forwarded from the delivered cluster logs on DBFS
    logs = workspace.api_client.dbfs_root / "supplylinks" / "cluster-logs"
    assert any(p.name == "stdout" for p in logs.rglob("*"))


def test_round_trip_on_a_unity_catalog_volume(workspace):
    volume = "/Volumes/main/supplylinks/artifacts"
    result = run_report(databricks_runtime(storage="volumes", volume_path=volume))
    assert result.success, result.log_text
    assert "report job running with mode=ok" in result.log_text  # via the volume transport
    [task] = workspace.api_client.submitted[0]["tasks"]
    assert task["libraries"][0]["whl"].startswith(f"{volume}/supplylinks/artifacts/wheels/")
    assert task["spark_python_task"]["python_file"].startswith(f"{volume}/supplylinks/")


def test_remote_failure_carries_the_error_and_trace(workspace):
    result = run_report(databricks_runtime(), mode="fail")
    assert not result.success
    assert "RuntimeError: remote boom: the partition is broken" in result.log_text


def _client(cls, workspace):
    spec = databricks_spec()
    injector, reader = transport_for(spec, workspace, 0.5)
    kwargs = dict(client=workspace, context_injector=injector, message_reader=reader)
    if cls is PipesDatabricksClient:
        return PipesDatabricksClient(**kwargs, poll_interval_seconds=0.2)
    return SupplylinksDatabricksClient(**kwargs, spec=spec, prices=PriceTable())


def _task(workspace):
    from pipelines.runtimes.artifacts import DbfsStore, publish
    from tests.pipelines.runtimes.conftest import FAKE_JOBS

    uploaded = publish(DbfsStore(workspace, "dbfs:/supplylinks"), FAKE_JOBS / "report.py")
    return submit_task(databricks_spec(), uploaded, "report", {})


def _run_in_asset(cls, workspace):
    """Materialize an asset that runs ``cls`` (upstream or ours) on the sleeping job."""
    from dagster import DagsterInstance, asset, materialize

    @asset
    def sleeper(context):
        client = _client(cls, workspace)
        invocation = client.run(context=context, extras={"mode": "sleep"}, task=_task(workspace))
        return invocation.get_results()

    return materialize([sleeper], instance=DagsterInstance.ephemeral(), raise_on_error=False)


@pytest.mark.parametrize("cls", [PipesDatabricksClient, SupplylinksDatabricksClient])
def test_interrupt_cancels_the_run_and_is_re_raised(cls, workspace):
    """Defect: dagster_databricks/pipes.py:362-366 cancels but swallows the interrupt."""
    workspace.api_client.interrupt_when_running = True
    result = _run_in_asset(cls, workspace)
    # upstream: the cancelled run "succeeds"; ours: the interrupt fails the step
    assert result.success is (cls is PipesDatabricksClient)
    [run] = workspace.api_client.runs.values()
    run.thread.join(timeout=30)
    assert run.cancelled and run.driver.killed and run.result == "CANCELED"


def test_volumes_storage_needs_a_volume_path():
    from dagster import Failure

    with pytest.raises(Failure, match="volume_path"):
        transport_for(DatabricksSpec(storage="volumes"), MagicMock(), 1.0)


def test_task_spec_shape():
    artifacts = Artifacts("v", "dbfs:/x/w.whl", "dbfs:/x/j.py", "dbfs:/x/b.sh")
    task = submit_task(
        DatabricksSpec(delta_parallel_delete=False), artifacts, "extract", {"a": "b"}
    )
    spec = task.as_dict()
    assert spec["new_cluster"]["autoscale"] == {"min_workers": 1, "max_workers": 8}
    assert spec["new_cluster"]["aws_attributes"]["availability"] == "SPOT_WITH_FALLBACK"
    assert "spark.databricks.delta.vacuum.parallelDelete.enabled" not in spec["new_cluster"].get(
        "spark_conf", {}
    )


@pytest.mark.parametrize("cls", [PipesDbfsLogReader, DbfsLogReader])
def test_an_empty_driver_log_is_nothing_yet_not_a_dead_reader(cls, workspace):
    """Upstream's reader raises on the empty log file a cluster creates first."""
    import io

    logs = "/cluster-logs/run-1/driver"
    workspace.dbfs.mkdirs(logs)
    workspace.dbfs.put(f"{logs}/stdout", contents="", overwrite=True)
    reader = cls(client=workspace, remote_log_name="stdout", target_stream=io.StringIO())
    params = {"extras": {"cluster_driver_log_root": logs}}
    if cls is PipesDbfsLogReader:
        with pytest.raises(AssertionError):
            reader.download_log_chunk(params)
        return
    assert reader.download_log_chunk(params) is None
    workspace.dbfs.put(f"{logs}/stdout", contents="aGVsbG8K", overwrite=True)  # "hello\n"
    assert reader.download_log_chunk(params) == "hello\n"
