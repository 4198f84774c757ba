"""Fixtures of the remote-runtime tests: moto S3 on loopback, fake cloud clients, secrets.

``remote.cloud_clients`` is swapped for ``FakeClients`` so the launchers run unchanged
against the fakes; ``remote.job_script`` also knows the tiny ``report`` job of the fakes.
"""

from pathlib import Path

import pytest
from dagster import AssetExecutionContext, Config, DagsterInstance, asset, materialize

from pipelines.runtimes import SparkRuntime, remote
from pipelines.runtimes.local import job_script
from tests.fakes.s3 import moto_s3_server, s3_client

FAKE_JOBS = Path(__file__).resolve().parents[2] / "fakes" / "jobs"
BUCKET = "supplylinks-test"
#: Credentials the fakes' "instance role" hands to the driver; they must never show up in
#: anything a run emits (specs, tags, extras, logs, metadata, S3 objects, tables).
SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAFAKEKEYID0000001",
    "AWS_SECRET_ACCESS_KEY": "fake-secret-Zx81kq0PqAws",
    "DATABRICKS_TOKEN": "dapi-fake-token-9f8e7d6c5b",
}


@pytest.fixture(autouse=True)
def quick_log_drain(monkeypatch):
    """Pipes waits 10 s after a job for late log chunks; the fakes write them at once."""
    import dagster._core.pipes.utils as pipes_utils

    monkeypatch.setattr(pipes_utils, "WAIT_FOR_LOGS_AFTER_EXECUTION_INTERVAL", 0)
    monkeypatch.setattr(pipes_utils, "WAIT_FOR_LOGS_TIMEOUT", 1)


@pytest.fixture(scope="session")
def s3_endpoint():
    with moto_s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def cloud_env(monkeypatch, s3_endpoint, tmp_path_factory):
    """The orchestrator's environment: standard credential variables and the S3 endpoint."""
    for key, value in SECRETS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3_endpoint)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("DATABRICKS_HOST", "https://fake.cloud.databricks.com")
    monkeypatch.setenv("SUPPLYLINKS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    return {**SECRETS, "AWS_ENDPOINT_URL_S3": s3_endpoint, "AWS_REGION": "us-east-1"}


@pytest.fixture
def s3(cloud_env):
    client = s3_client(cloud_env["AWS_ENDPOINT_URL_S3"])
    existing = {b["Name"] for b in client.list_buckets()["Buckets"]}
    if BUCKET not in existing:
        client.create_bucket(Bucket=BUCKET)
    return client


def node_env(cloud_env: dict[str, str]) -> dict[str, str]:
    """What a node's instance role / the workspace gives the driver (never the spec)."""
    return {
        "AWS_ACCESS_KEY_ID": cloud_env["AWS_ACCESS_KEY_ID"],
        "AWS_SECRET_ACCESS_KEY": cloud_env["AWS_SECRET_ACCESS_KEY"],
        "AWS_ENDPOINT_URL_S3": cloud_env["AWS_ENDPOINT_URL_S3"],
    }


class FakeClients(remote.CloudClients):
    def __init__(self, emr=None, emr_serverless=None, workspace=None) -> None:
        self._emr, self._serverless, self._workspace = emr, emr_serverless, workspace

    def emr(self, region):
        return self._emr

    def emr_serverless(self, region):
        return self._serverless

    def databricks(self, profile):
        return self._workspace


@pytest.fixture
def use_clients(monkeypatch):
    def install(**fakes) -> FakeClients:
        clients = FakeClients(**fakes)
        monkeypatch.setattr(remote, "cloud_clients", clients)
        monkeypatch.setattr(remote, "job_script", _job_script)
        return clients

    return install


def _job_script(job: str) -> Path:
    fake = FAKE_JOBS / f"{job}.py"
    return fake if fake.is_file() else job_script(job)


class ReportConfig(Config):
    mode: str = "ok"


@asset
def report(context: AssetExecutionContext, config: ReportConfig, spark_runtime: SparkRuntime):
    """Runs the fakes' tiny ``report`` job on the configured runtime."""
    return spark_runtime.launch(context, "report", {"mode": config.mode})


def run_report(spark_runtime: SparkRuntime, mode: str = "ok", raise_on_error: bool = False):
    instance = DagsterInstance.ephemeral()
    result = materialize(
        [report],
        instance=instance,
        resources={"spark_runtime": spark_runtime},
        run_config={"ops": {"report": {"config": {"mode": mode}}}},
        raise_on_error=raise_on_error,
    )
    result.log_text = event_log_text(instance, result.run_id)
    return result


def event_log_text(instance, run_id: str) -> str:
    """Every message of the run's event log (events and plain log lines)."""
    return "\n".join(entry.user_message or "" for entry in instance.all_logs(run_id))


@pytest.fixture(scope="session")
def local_reference(tmp_path_factory):
    """The extract tables of the sample slice written by the local runtime (once)."""
    from tests.pipelines.runtimes.extract_run import materialize_extract, table_rows

    warehouse = tmp_path_factory.mktemp("local-warehouse")
    result = materialize_extract(SparkRuntime(runtime="local", delta_writer="delta-rs"), warehouse)
    assert result.success, result.log_text
    return table_rows(warehouse)


def assert_no_secret_in(*payloads) -> None:
    """The secret scan: no credential value the fakes were given appears anywhere."""
    for payload in payloads:
        text = payload if isinstance(payload, str) else repr(payload)
        for name, secret in SECRETS.items():
            assert secret not in text, f"{name} leaked"


def files_text(root: Path) -> str:
    """Every file under ``root`` (fake DBFS, fake cluster folders, warehouse), as text."""
    chunks = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            chunks.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(chunks)
