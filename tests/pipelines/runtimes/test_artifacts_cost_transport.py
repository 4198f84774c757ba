"""Artefacts (built once per code version, content-hashed names), cost estimates and the
job-side transport choice of ``open_pipes`` — all without Spark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.runtimes import artifacts
from pipelines.runtimes.cost import estimate_databricks, estimate_emr, estimate_emr_serverless
from pipelines.runtimes.specs import DatabricksSpec, EmrServerlessSpec, EmrSpec, PriceTable
from spark_jobs import pipes_session
from tests.pipelines.runtimes.conftest import BUCKET

PYPROJECT = """[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"
[project]
name = "mini"
version = "0.1.0"
[tool.setuptools.packages.find]
include = ["spark_jobs*"]
"""


@pytest.fixture
def mini_project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "spark_jobs").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "spark_jobs" / "__init__.py").write_text("VERSION = 1\n")
    (root / "spark_jobs" / "job.py").write_text("print('job v1')\n")
    return root


def test_wheel_is_built_once_per_code_version(mini_project, tmp_path):
    cache = tmp_path / "cache"
    first = artifacts.build_wheel(mini_project, cache)
    built_at = first.stat().st_mtime_ns
    assert artifacts.build_wheel(mini_project, cache) == first
    assert first.stat().st_mtime_ns == built_at  # cached, not rebuilt
    (mini_project / "spark_jobs" / "__init__.py").write_text("VERSION = 2\n")
    second = artifacts.build_wheel(mini_project, cache)
    assert second != first and second.parent.name != first.parent.name
    assert first.exists()  # the older version stays for runs still using it


def test_the_project_wheel_carries_the_compiled_page_walk(tmp_path):
    """Clusters import extraction from this wheel: without the C module it cannot run."""
    import zipfile

    wheel = artifacts.build_wheel(artifacts.REPO_ROOT, tmp_path / "cache")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("extraction/_pagewalk") and n.endswith(".so") for n in names), names
    assert "none-any" not in wheel.name  # a platform wheel, not a pure-Python one


def test_uploads_are_content_hashed_and_never_overwrite(mini_project, tmp_path, s3):
    cache = tmp_path / "cache"
    store = artifacts.S3Store(s3, BUCKET, "hash-test")
    job = mini_project / "spark_jobs" / "job.py"
    v1 = artifacts.publish(store, job, artifacts.build_wheel(mini_project, cache))
    again = artifacts.publish(store, job, artifacts.build_wheel(mini_project, cache))
    assert again == v1
    job.write_text("print('job v2')\n")
    (mini_project / "spark_jobs" / "__init__.py").write_text("VERSION = 2\n")
    v2 = artifacts.publish(store, job, artifacts.build_wheel(mini_project, cache))
    assert v2.script_uri != v1.script_uri and v2.wheel_uri != v1.wheel_uri
    bucket, key = v1.script_uri.removeprefix("s3://").split("/", 1)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"print('job v1')\n"
    assert v1.wheel_uri.endswith("/mini-0.1.0-py3-none-any.whl")  # a valid wheel file name


def test_emr_cost_prices_on_demand_spot_and_surcharge():
    spec = EmrSpec(
        fleet_mode=False,
        master_instance_type="m5.xlarge",
        core_instance_types=["r5.2xlarge"],
        core_instance_count=2,
        task_instance_types=["r5.2xlarge"],
        task_spot_count=4,
    )
    estimate = estimate_emr(spec, PriceTable(), hours=2.0)
    expected = 2.0 * ((0.192 + 0.048) + 2 * (0.504 + 0.126) + 4 * (0.17 + 0.126))
    assert estimate.usd == pytest.approx(expected)
    assert estimate.instance_hours == pytest.approx(14.0)
    assert estimate.spot_share == pytest.approx(4 / 7)
    with pytest.raises(ValueError, match="no price for instance type"):
        estimate_emr(EmrSpec(master_instance_type="x9.huge"), PriceTable(), 1.0)


def test_databricks_and_serverless_cost():
    spec = DatabricksSpec(node_type_id="r5d.2xlarge", max_workers=3, first_on_demand=1)
    estimate = estimate_databricks(spec, PriceTable(), hours=1.0)
    dbu = 1.8 * 0.15
    assert estimate.usd == pytest.approx((0.576 + dbu) + 3 * (0.19 + dbu))
    assert estimate.spot_share == pytest.approx(3 / 4)
    usage = {"vCPUHour": 10.0, "memoryGBHour": 40.0, "storageGBHour": 100.0}
    serverless = estimate_emr_serverless(EmrServerlessSpec(), PriceTable(), usage, 0.5)
    assert serverless.usd == pytest.approx(10 * 0.052624 + 40 * 0.0057785 + 100 * 0.000111)
    assert serverless.metadata()["cost_runtime"] == "emr-serverless"


def test_open_pipes_picks_the_injected_transport(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    s3_loader, s3_writer = pipes_session.choose_io(
        {"bucket": "b", "key": "k/context.json"}, {"bucket": "b", "key_prefix": "m"}
    )
    assert type(s3_loader).__name__ == "PipesS3ContextLoader"
    assert type(s3_writer).__name__ == "PipesS3MessageWriter"
    default_loader, _ = pipes_session.choose_io({"path": "/tmp/c.json"}, {"path": "/tmp/m"})
    assert type(default_loader).__name__ == "PipesDefaultContextLoader"
    # DBFS: read through the mount, which a fake (or the cluster) provides
    mount = tmp_path / "dbfs"
    (mount / "tmp" / "abc").mkdir(parents=True)
    (mount / "tmp" / "abc" / "context.json").write_text(json.dumps({"extras": {"x": 1}}))
    monkeypatch.setenv(pipes_session.DBFS_MOUNT_ENV, str(mount))
    loader, writer = pipes_session.choose_io(
        {"path": "/tmp/abc/context.json", "transport": "dbfs"},
        {"path": "/tmp/m", "transport": "dbfs"},
    )
    with loader.load_context({"path": "/tmp/abc/context.json"}) as data:
        assert data == {"extras": {"x": 1}}
    assert writer.make_channel({"path": "/tmp/m"})._path == str(mount / "tmp" / "m")
    volumes_loader, _ = pipes_session.choose_io(
        {"path": "/Volumes/c/s/v/tmp/x/context.json", "transport": "volumes"},
        {"transport": "volumes"},
    )
    assert type(volumes_loader).__name__ == "VolumesContextLoader"
