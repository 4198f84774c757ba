"""The real extract asset on EMR (fake cluster, local PySpark, moto S3): same tables as local."""

from __future__ import annotations

import pytest

from tests.fakes.emr import FakeEMR
from tests.fakes.s3 import all_objects
from tests.pipelines.runtimes.conftest import (
    BUCKET,
    assert_no_secret_in,
    files_text,
    node_env,
)
from tests.pipelines.runtimes.extract_run import materializations, materialize_extract, table_rows
from tests.pipelines.runtimes.test_emr import emr_runtime

pytestmark = pytest.mark.spark


def test_extract_on_emr_matches_local(local_reference, s3, cloud_env, tmp_path, use_clients):
    emr = FakeEMR(s3, tmp_path / "emr", node_env=node_env(cloud_env))
    use_clients(emr=emr)
    warehouse = tmp_path / "warehouse"
    result = materialize_extract(emr_runtime(), warehouse)
    assert result.success, result.log_text
    metadata = materializations(result)
    assert set(metadata) == {"pages", "hyperlinks"}
    for values in metadata.values():
        assert values["cost_runtime"] == "emr" and values["cost_estimated_usd"] > 0
        assert values["engine"] == "delta-spark" and values["rows_written"] > 0
    assert "[extract]" in result.log_text  # the job's Pipes logs, back through S3
    assert table_rows(warehouse) == local_reference
    assert_no_secret_in(
        result.log_text,
        metadata,
        emr.requests,
        all_objects(s3, BUCKET),
        files_text(emr.workdir),
        files_text(warehouse),
    )
