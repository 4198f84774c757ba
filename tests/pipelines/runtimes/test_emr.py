"""EMR runtime against the fake EMR client + moto S3: round trip, failure, defects, cancel."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from dagster import DagsterEventType
from dagster._core.errors import DagsterExecutionInterruptedError
from dagster_aws.pipes import PipesEMRClient, PipesS3MessageReader
from dagster_aws.pipes.clients.utils import emr_inject_pipes_env_vars

from pipelines.runtimes import SparkRuntime, remote
from pipelines.runtimes.emr import SupplylinksEMRClient, inject_env, job_flow_params
from pipelines.runtimes.specs import EmrSpec, PriceTable
from tests.fakes.clock import FakeClock
from tests.fakes.emr import FakeEMR
from tests.pipelines.runtimes.conftest import BUCKET, node_env, run_report

PIPES_ENV = {"DAGSTER_PIPES_CONTEXT": "ctx-param", "DAGSTER_PIPES_MESSAGES": "msg-param"}


def emr_runtime(**overrides) -> SparkRuntime:
    spec = EmrSpec(
        bucket=BUCKET,
        poll_seconds=0.2,
        wait_for_s3_logs_seconds=0,
        message_interval_seconds=0.5,
        **overrides,
    )
    return SparkRuntime(runtime="emr", emr=spec)  # delta-spark, as EMR writes


@pytest.fixture
def fake_emr(s3, cloud_env, tmp_path, use_clients):
    emr = FakeEMR(s3, tmp_path / "emr", node_env=node_env(cloud_env))
    use_clients(emr=emr)
    return emr


def _materializations(result):
    return [
        e.event_specific_data.materialization
        for e in result.all_events
        if e.event_type == DagsterEventType.ASSET_MATERIALIZATION
    ]


def _messages(result) -> str:
    return result.log_text


def test_round_trip_runs_uploaded_wheel_and_reports_cost(fake_emr, s3, capsys):
    result = run_report(emr_runtime())
    assert result.success, _messages(result)
    # the driver's stdout/stderr came back through the runtime's log transport
    forwarded = capsys.readouterr()
    assert "driver stdout: spark_jobs from" in forwarded.out
    assert "driver stderr line" in forwarded.err
    [materialization] = _materializations(result)
    metadata = {k: v.value for k, v in materialization.metadata.items()}
    # the driver imported the project from the wheel the bootstrap action installed
    assert "/site-packages/spark_jobs/__init__.py" in metadata["spark_jobs_file"]
    assert str(fake_emr.workdir) in metadata["spark_jobs_file"]
    assert metadata["cost_runtime"] == "emr"
    assert metadata["cost_estimated_usd"] > 0
    assert metadata["cost_instance_types"] == "m5.xlarge, r5.2xlarge, r5a.2xlarge"
    assert 0 < metadata["cost_spot_share"] < 1
    assert "AWS EMR Cluster ID" in metadata
    # Pipes log messages came back through the S3 message transport
    assert "report job running with mode=ok" in _messages(result)
    # the artefacts are content-hashed objects of the bucket
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(k.endswith(".whl") and "/artifacts/wheels/" in k for k in keys)
    assert any("/artifacts/jobs/report-" in k for k in keys)
    # step logs were written where EMR puts them
    [request] = fake_emr.requests
    cluster_id = next(iter(fake_emr.clusters))
    assert any(f"emr-logs/{cluster_id}/steps/" in k and k.endswith("stdout.gz") for k in keys)
    assert {"Key": "supplylinks:runtime", "Value": "emr"} in request["Tags"]
    assert {"Key": "supplylinks:asset", "Value": "report"} in request["Tags"]


def test_same_code_uploads_the_wheel_once(fake_emr, s3, monkeypatch):
    from pipelines.runtimes import artifacts

    monkeypatch.setattr(artifacts, "source_hash", lambda root=None: "pinned-version")
    assert run_report(emr_runtime()).success
    assert run_report(emr_runtime()).success
    [first, second] = fake_emr.requests
    assert first["BootstrapActions"] == second["BootstrapActions"]


def test_remote_failure_fails_the_run_with_the_remote_error(fake_emr):
    result = run_report(emr_runtime(), mode="fail")
    assert not result.success
    assert "remote boom: the partition is broken" in _messages(result)
    [cluster] = fake_emr.clusters.values()
    assert cluster.state == "TERMINATED_WITH_ERRORS"


def test_job_that_reports_nothing_fails_the_run(fake_emr):
    result = run_report(emr_runtime(), mode="silent")
    assert not result.success
    assert "reported no materialization for: report" in result.log_text + repr(result.all_events)


def test_user_spark_env_and_spark_defaults_keep_the_pipes_env(fake_emr):
    """Defect: dagster_aws/pipes/clients/utils.py:71-72,75,86 drops the injected variables."""
    user = [
        {"Classification": "spark-defaults", "Properties": {"spark.executor.cores": "4"}},
        {
            "Classification": "spark-env",
            "Configurations": [{"Classification": "export", "Properties": {"MY_VAR": "1"}}],
        },
    ]
    result = run_report(emr_runtime(configurations=user))
    assert result.success, _messages(result)  # the driver found its Pipes context
    configurations = fake_emr.requests[0]["Configurations"]
    spark_defaults = next(c for c in configurations if c["Classification"] == "spark-defaults")
    assert spark_defaults["Properties"]["spark.executor.cores"] == "4"
    assert any(
        k.startswith("spark.yarn.appMasterEnv.DAGSTER_PIPES") for k in spark_defaults["Properties"]
    )
    spark_env = next(c for c in configurations if c["Classification"] == "spark-env")
    [export] = spark_env["Configurations"]
    assert export["Properties"]["MY_VAR"] == "1"
    assert "DAGSTER_PIPES_CONTEXT" in export["Properties"]


def _session(env=PIPES_ENV):
    session = MagicMock()
    session.get_bootstrap_env_vars.return_value = dict(env)
    session.default_remote_invocation_info = {"dagster/run_id": "r1"}
    return session


USER_CONFS = [
    {"Classification": "spark-defaults", "Properties": {"spark.executor.cores": "4"}},
    {
        "Classification": "spark-env",
        "Configurations": [{"Classification": "export", "Properties": {"MY_VAR": "1"}}],
    },
]


def _pipes_vars_survive(configurations) -> bool:
    spark_env = next(c for c in configurations if c["Classification"] == "spark-env")
    exports = [c for c in spark_env.get("Configurations", []) if isinstance(c, dict)]
    return any("DAGSTER_PIPES_CONTEXT" in c.get("Properties", {}) for c in exports)


def test_upstream_injection_still_drops_pipes_env():
    """Documents the defect we work around; when this fails, upstream fixed it."""
    import copy

    upstream = emr_inject_pipes_env_vars(_session(), copy.deepcopy(USER_CONFS), "standard")
    assert not _pipes_vars_survive(upstream)
    ours = inject_env(copy.deepcopy(USER_CONFS), PIPES_ENV)
    assert _pipes_vars_survive(ours)


def _client(cls, emr, s3, clock: FakeClock, **spec):
    reader = PipesS3MessageReader(bucket=BUCKET, client=s3)
    kwargs = dict(message_reader=reader, client=emr, context_injector=MagicMock())
    if cls is PipesEMRClient:
        return PipesEMRClient(**kwargs, wait_for_s3_logs_seconds=0)
    spec = EmrSpec(bucket=BUCKET, wait_for_s3_logs_seconds=0, **spec)
    return SupplylinksEMRClient(
        **kwargs, spec=spec, prices=PriceTable(), sleep=clock.sleep, clock=clock.monotonic
    )


def _start_long_job(tmp_path, s3, clock):
    emr = FakeEMR(s3, tmp_path, clock=clock, virtual_step_seconds=2 * 3600)
    params = job_flow_params(EmrSpec(bucket=BUCKET), _artifacts(), "report", {}, "run00000")
    return emr, emr.run_job_flow(**params)


def _artifacts():
    from pipelines.runtimes.artifacts import Artifacts

    return Artifacts("v", f"s3://{BUCKET}/w.whl", f"s3://{BUCKET}/j.py", f"s3://{BUCKET}/b.sh")


def test_two_hour_job_outlives_the_30_minute_waiter(tmp_path, s3, monkeypatch):
    """Defect: dagster_aws/pipes/clients/emr.py:173,176 uses boto waiters (30 s x 60)."""
    clock = FakeClock()
    emr, started = _start_long_job(tmp_path, s3, clock)
    client = _client(SupplylinksEMRClient, emr, s3, clock)
    cluster = client._wait_for_completion(MagicMock(), started)
    assert cluster["Cluster"]["Status"]["State"] == "TERMINATED"
    assert clock.now >= 2 * 3600


def test_upstream_waiter_gives_up_on_a_two_hour_job(tmp_path, s3):
    from botocore.exceptions import WaiterError

    clock = FakeClock()
    emr, started = _start_long_job(tmp_path, s3, clock)
    with pytest.raises(WaiterError):
        _client(PipesEMRClient, emr, s3, clock)._wait_for_completion(MagicMock(), started)
    assert clock.now < 2 * 3600


def test_timeout_terminates_a_stuck_cluster(tmp_path, s3):
    from dagster import Failure

    clock = FakeClock()
    emr, started = _start_long_job(tmp_path, s3, clock)
    client = _client(SupplylinksEMRClient, emr, s3, clock, timeout_hours=1.0)
    with pytest.raises(Failure, match="after 1.0 h"):
        client._wait_for_completion(MagicMock(), started)
    assert emr.clusters[started["JobFlowId"]].state == "TERMINATED"


@pytest.mark.parametrize("cls", [PipesEMRClient, SupplylinksEMRClient])
def test_empty_application_log_prefix(cls, s3, tmp_path):
    """Defect: dagster_aws/pipes/clients/emr.py:274-279 raises KeyError on no 'Contents'."""
    client = _client(cls, MagicMock(), s3, FakeClock())
    response = {"Cluster": {"Id": "j-NOLOGS", "LogUri": f"s3://{BUCKET}/nothing-here/"}}
    if cls is PipesEMRClient:
        with pytest.raises(KeyError):
            client._read_application_logs(MagicMock(), MagicMock(), response)
    else:
        client._read_application_logs(MagicMock(), MagicMock(), response)


def test_cancelling_the_run_terminates_the_cluster(fake_emr, monkeypatch):
    def interrupt_once_running(seconds):
        cluster = next(iter(fake_emr.clusters.values()), None)
        if cluster and cluster.driver and cluster.driver.process:
            raise DagsterExecutionInterruptedError("run cancelled")
        import time

        time.sleep(seconds)

    monkeypatch.setattr(remote.timing, "sleep", interrupt_once_running)
    with pytest.raises(DagsterExecutionInterruptedError):
        run_report(emr_runtime(), mode="sleep", raise_on_error=True)
    [cluster] = fake_emr.clusters.values()
    cluster.thread.join(timeout=30)
    assert cluster.reason["Code"] == "USER_REQUEST"
    assert cluster.driver.killed and cluster.driver.process.returncode is not None
    assert cluster.state == "TERMINATED"


def test_spec_defaults_and_overrides():
    spec = EmrSpec(bucket=BUCKET, fleet_mode=False)
    params = job_flow_params(spec, _artifacts(), "extract", {"a": "b"}, "abcdef123")
    classes = {c["Classification"]: c for c in params["Configurations"]}
    assert classes["spark"]["Properties"] == {"maximizeResourceAllocation": "true"}
    assert (
        classes["yarn-site"]["Properties"]["yarn.node-labels.am.default-node-label-expression"]
        == "CORE"
    )
    assert (
        classes["spark-defaults"]["Properties"][
            "spark.databricks.delta.vacuum.parallelDelete.enabled"
        ]
        == "true"
    )
    assert [g["Market"] for g in params["Instances"]["InstanceGroups"]] == [
        "ON_DEMAND",
        "ON_DEMAND",
        "SPOT",
    ]
    fleet = job_flow_params(EmrSpec(bucket=BUCKET), _artifacts(), "extract", {}, "abcdef123")
    assert "spark" not in {c["Classification"] for c in fleet["Configurations"]}  # fleets: off
    off = EmrSpec(bucket=BUCKET, am_on_core_node_label=False, delta_parallel_delete=False)
    classes = {
        c["Classification"]: c
        for c in job_flow_params(off, _artifacts(), "x", {}, "r")["Configurations"]
    }
    assert "yarn-site" not in classes
    assert (
        "spark.databricks.delta.vacuum.parallelDelete.enabled"
        not in classes["spark-defaults"]["Properties"]
    )
