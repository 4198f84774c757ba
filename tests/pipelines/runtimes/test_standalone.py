"""The standalone runtime's submit command and the CPU-second cost metadata (no cluster:
the rehearsal test runs one)."""

from __future__ import annotations

import pytest

from pipelines.runtimes.cost import estimate_cpu
from pipelines.runtimes.specs import PriceTable, StandaloneSpec
from pipelines.runtimes.standalone import submit_command, submit_conf
from spark_jobs import jars


def test_cpu_seconds_are_priced_here_and_as_emr_spot_and_databricks():
    prices = PriceTable(local_usd_per_cpu_hour=0.02)
    cost = estimate_cpu("local", 7_200.0, prices.local_usd_per_cpu_hour, prices, "test")
    node = prices.instances[prices.reference_instance_type]
    assert cost["cost_estimated_usd"] == pytest.approx(0.04)
    # 2 CPU-hours on an 8-vCPU node = 0.25 node-hours
    assert cost["cost_emr_spot_usd"] == pytest.approx(0.25 * (node.spot + node.emr))
    databricks = 0.25 * (node.spot + node.dbu_per_hour * prices.databricks_usd_per_dbu)
    assert cost["cost_databricks_usd"] == pytest.approx(databricks)


def test_submit_puts_jars_on_the_class_path_and_points_s3a_at_the_endpoint(tmp_path):
    spec = StandaloneSpec(
        master="spark://10.0.0.1:7077",
        s3_endpoint="http://minio:9000",
        s3_path_style=True,
        spark_conf={"spark.executor.instances": "3"},
    )
    try:
        conf = submit_conf(spec, tmp_path / "site", "delta-spark")
    except jars.MissingJarsError as error:  # the error names the make target
        assert "make jars" in str(error)
        pytest.skip("no jar cache on this machine")
    classpath = conf["spark.executor.extraClassPath"].split(":")
    assert any("delta-spark_" in jar for jar in classpath)
    assert conf["spark.driver.extraClassPath"] == conf["spark.executor.extraClassPath"]
    assert "spark.jars.packages" not in conf and "spark.jars" not in conf
    assert conf["spark.hadoop.fs.s3a.endpoint"] == "http://minio:9000"
    assert conf["spark.hadoop.fs.s3a.path.style.access"] == "true"
    assert conf["spark.hadoop.fs.s3a.connection.ssl.enabled"] == "false"
    assert conf["spark.executorEnv.PYTHONPATH"] == str(tmp_path / "site")
    command = submit_command(spec, "/shared/jobs/extract-1.py", conf)
    assert command[1:5] == ["--master", "spark://10.0.0.1:7077", "--deploy-mode", "client"]
    assert command[-1] == "/shared/jobs/extract-1.py" and "--py-files" not in command
    assert "spark.executor.instances=3" in command


def test_missing_jars_name_the_make_target(tmp_path):
    with pytest.raises(jars.MissingJarsError, match="make jars"):
        jars.jar_paths(tmp_path)
