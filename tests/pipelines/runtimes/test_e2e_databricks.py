"""The real extract asset on Databricks (fake workspace, DBFS transport): same tables."""

from __future__ import annotations

import pytest

from tests.fakes.databricks import FakeWorkspace
from tests.pipelines.runtimes.conftest import assert_no_secret_in, files_text, node_env
from tests.pipelines.runtimes.extract_run import materializations, materialize_extract, table_rows
from tests.pipelines.runtimes.test_databricks import databricks_runtime

pytestmark = pytest.mark.spark


def test_extract_on_databricks_matches_local(local_reference, cloud_env, tmp_path, use_clients):
    workspace = FakeWorkspace(tmp_path / "databricks", node_env=node_env(cloud_env))
    use_clients(workspace=workspace)
    warehouse = tmp_path / "warehouse"
    result = materialize_extract(databricks_runtime(), warehouse)
    assert result.success, result.log_text
    metadata = materializations(result)
    assert set(metadata) == {"pages", "hyperlinks"}
    for values in metadata.values():
        assert values["cost_runtime"] == "databricks" and values["cost_estimated_usd"] > 0
    assert "[extract]" in result.log_text
    assert table_rows(warehouse) == local_reference
    assert_no_secret_in(
        result.log_text,
        metadata,
        workspace.api_client.submitted,
        files_text(workspace.api_client.workdir),
        files_text(warehouse),
    )
