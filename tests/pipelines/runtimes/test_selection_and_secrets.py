"""Runtime selection (deployment default, per-run override) and the secret guard/scan."""

from __future__ import annotations

import pytest
from dagster import DagsterInstance, Failure, materialize

from pipelines.runtimes import SparkRuntime
from pipelines.runtimes.tags import assert_no_secrets, resource_tags, tag_value
from tests.fakes.databricks import FakeWorkspace
from tests.fakes.emr import FakeEMR
from tests.fakes.emr_serverless import FakeEMRServerless
from tests.fakes.s3 import all_objects
from tests.pipelines.runtimes.conftest import (
    BUCKET,
    SECRETS,
    assert_no_secret_in,
    event_log_text,
    files_text,
    node_env,
    report,
    run_report,
)
from tests.pipelines.runtimes.test_databricks import databricks_runtime
from tests.pipelines.runtimes.test_emr import emr_runtime
from tests.pipelines.runtimes.test_emr_serverless import serverless_runtime


def test_launchpad_run_config_overrides_the_deployment_runtime(
    s3, cloud_env, tmp_path, use_clients
):
    emr = FakeEMR(s3, tmp_path / "emr", node_env=node_env(cloud_env))
    use_clients(emr=emr)
    deployment_default = SparkRuntime(runtime="local")
    overrides = emr_runtime().model_dump(exclude={"runtime"})
    instance = DagsterInstance.ephemeral()
    result = materialize(
        [report],
        instance=instance,
        resources={"spark_runtime": deployment_default},
        run_config={
            "resources": {"spark_runtime": {"config": {"runtime": "emr", **_config(overrides)}}},
            "ops": {"report": {"config": {"mode": "ok"}}},
        },
    )
    assert result.success, event_log_text(instance, result.run_id)
    assert len(emr.requests) == 1  # ran on (fake) EMR, not locally


def _config(values: dict) -> dict:
    """Run config accepts the same shape as the model, without None values."""
    return {k: v for k, v in values.items() if v is not None}


def test_unknown_runtime_fails_clearly():
    # an enum in config: refused when the run is configured, naming the runtimes it knows
    with pytest.raises(Exception, match="Input should be 'local'"):
        SparkRuntime(runtime="kubernetes").launch(_FakeContext(), "report", {})


class _FakeContext:
    class log:  # noqa: N801
        @staticmethod
        def info(message):
            pass


@pytest.mark.parametrize("runtime", ["emr", "emr-serverless", "databricks"])
def test_secret_scan_of_everything_a_run_emits(runtime, s3, cloud_env, tmp_path, use_clients):
    if runtime == "emr":
        fake = FakeEMR(s3, tmp_path / "fake", node_env=node_env(cloud_env))
        use_clients(emr=fake)
        spark_runtime, specs, root = emr_runtime(), fake.requests, fake.workdir
    elif runtime == "emr-serverless":
        fake = FakeEMRServerless(s3, tmp_path / "fake", node_env=node_env(cloud_env))
        use_clients(emr_serverless=fake)
        spark_runtime, specs, root = serverless_runtime(), fake.requests, fake.workdir
    else:
        fake = FakeWorkspace(tmp_path / "fake", node_env=node_env(cloud_env))
        use_clients(workspace=fake)
        spark_runtime, specs, root = databricks_runtime(), fake.api_client.submitted, tmp_path
    result = run_report(spark_runtime)
    assert result.success, result.log_text
    emitted = [
        result.log_text,
        [e.to_json() if hasattr(e, "to_json") else repr(e) for e in result.all_events],
        specs,
        all_objects(s3, BUCKET),
        files_text(root),
    ]
    # the scan can fail: the driver really had the secrets (its "instance role")
    assert any(SECRETS["AWS_SECRET_ACCESS_KEY"] == v for v in node_env(cloud_env).values())
    assert_no_secret_in(*emitted)


def test_guard_refuses_specs_with_credentials(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "a-very-secret-value")
    with pytest.raises(Failure, match="credential"):
        assert_no_secrets("extras", {"note": "key=a-very-secret-value"})
    assert_no_secrets("extras", {"note": "harmless"})


def test_tags_are_sanitized_and_carry_asset_partition_run_runtime():
    assert tag_value("CC-MAIN-2024-22|07") == "CC-MAIN-2024-22_07"

    class Key:
        def to_user_string(self):
            return "pages"

    class Context:
        selected_asset_keys = [Key()]
        has_partition_key = True
        partition_keys = ["CC-MAIN-2024-22|07"]

        class run:  # noqa: N801
            run_id = "1234-abcd"

    tags = resource_tags(Context(), "emr", "v1")
    assert tags == {
        "supplylinks:asset": "pages",
        "supplylinks:partition": "CC-MAIN-2024-22_07",
        "supplylinks:run_id": "1234-abcd",
        "supplylinks:runtime": "emr",
        "supplylinks:code_version": "v1",
    }


def test_deployment_config_file_sets_the_typed_runtime_config(tmp_path):
    config = tmp_path / "runtime.json"
    config.write_text(
        '{"emr": {"bucket": "my-bucket", "fleet_mode": false},'
        ' "prices": {"databricks_usd_per_dbu": 0.2}}'
    )
    runtime = SparkRuntime.for_deployment("emr", str(config))
    assert runtime.runtime == "emr" and runtime.emr.bucket == "my-bucket"
    assert runtime.emr.fleet_mode is False and runtime.prices.databricks_usd_per_dbu == 0.2
    assert runtime.prices.instances  # defaults kept where the file says nothing
    local = SparkRuntime.for_deployment("local")
    assert local.databricks is None and local.spec("databricks").storage == "dbfs"
    config.write_text('{"emr": {}, "aws_secret_access_key": "x"}')
    with pytest.raises(ValueError, match="unknown runtime config keys"):
        SparkRuntime.for_deployment("emr", str(config))
