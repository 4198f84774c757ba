"""The real extract asset on EMR Serverless (fake service, --py-files wheel): same tables."""

from __future__ import annotations

import pytest

from tests.fakes.emr_serverless import FakeEMRServerless
from tests.fakes.s3 import all_objects
from tests.pipelines.runtimes.conftest import (
    BUCKET,
    assert_no_secret_in,
    files_text,
    node_env,
)
from tests.pipelines.runtimes.extract_run import materializations, materialize_extract, table_rows
from tests.pipelines.runtimes.test_emr_serverless import serverless_runtime

pytestmark = pytest.mark.spark


def test_extract_on_emr_serverless_matches_local(
    local_reference, s3, cloud_env, tmp_path, use_clients
):
    service = FakeEMRServerless(s3, tmp_path / "serverless", node_env=node_env(cloud_env))
    use_clients(emr_serverless=service)
    warehouse = tmp_path / "warehouse"
    result = materialize_extract(serverless_runtime(), warehouse)
    assert result.success, result.log_text
    metadata = materializations(result)
    assert set(metadata) == {"pages", "hyperlinks"}
    for values in metadata.values():
        assert values["cost_runtime"] == "emr-serverless" and values["cost_estimated_usd"] > 0
        assert values["engine"] == "delta-spark" and values["rows_written"] > 0
    assert "[extract]" in result.log_text
    assert table_rows(warehouse) == local_reference
    assert_no_secret_in(
        result.log_text,
        metadata,
        service.requests,
        all_objects(s3, BUCKET),
        files_text(service.workdir),
        files_text(warehouse),
    )
