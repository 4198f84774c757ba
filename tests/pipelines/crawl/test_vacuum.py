"""Vacuum (issue 16): orphan files of killed writes go once older than Delta's retention;
dry run by default; the CLI and the Dagster job do the same."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pyarrow as pa
from dagster import DagsterInstance
from deltalake import DeltaTable, write_deltalake

from pipelines.cli import main
from pipelines.crawl.resources import CrawlConfig
from pipelines.housekeeping import vacuum_warehouse_job
from pipelines.warehouse import read_table
from spark_jobs.tables import PAGES


def warehouse_with_orphans(tmp_path: Path) -> tuple[str, Path, Path]:
    warehouse = tmp_path / "warehouse"
    path = PAGES.path(str(warehouse))
    write_deltalake(path, pa.table({"url": ["https://a.de/"]}))
    old, young = Path(path) / "part-killed-old.parquet", Path(path) / "part-killed-new.parquet"
    for orphan in (old, young):
        orphan.write_bytes(b"PAR1 never committed")
    eight_days_ago = time.time() - 8 * 24 * 3600
    os.utime(old, (eight_days_ago, eight_days_ago))
    return str(warehouse), old, young


def test_cli_lists_by_default_and_removes_with_apply(tmp_path, capsys) -> None:
    warehouse, old, young = warehouse_with_orphans(tmp_path)
    assert main(["vacuum", "--warehouse", warehouse]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert not listed["applied"] and [Path(f).name for f in listed["removed"]["pages"]] == [
        old.name
    ]
    assert old.exists() and young.exists()  # dry run
    assert main(["vacuum", "--warehouse", warehouse, "--apply"]) == 0
    assert not old.exists() and young.exists()  # younger than the retention: kept
    assert read_table(PAGES.path(warehouse)).num_rows == 1  # committed data untouched


def test_dagster_job_applies_when_configured(tmp_path) -> None:
    warehouse, old, young = warehouse_with_orphans(tmp_path)
    config = CrawlConfig(warehouse=warehouse, cc_root="unused", seeds="unused")
    result = vacuum_warehouse_job.execute_in_process(
        instance=DagsterInstance.ephemeral(),
        resources={"crawl_config": config},
        run_config={"ops": {"vacuum_tables": {"config": {"apply": True}}}},
    )
    assert result.success
    assert [Path(f).name for f in result.output_for_node("vacuum_tables")["pages"]] == [old.name]
    assert not old.exists() and young.exists()
    assert DeltaTable(PAGES.path(warehouse)).version() >= 0
