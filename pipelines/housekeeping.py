"""Housekeeping: remove the files Delta tables no longer need (``supplylinks vacuum`` and
the ``vacuum_warehouse`` Dagster job).

A write killed before its commit leaves Parquet files in the table folder that no log
entry names (orphans), and replaced slices leave removed files behind. delta-rs's *full*
vacuum deletes both, but only once they are older than the table's retention
(``delta.deletedFileRetentionDuration``, default one week): a younger unreferenced file
may belong to a write that is still running, and readers of older versions still need
removed files. Dry run by default: listing what would go is safe, deleting is explicit.
"""

# No ``from __future__ import annotations``: Dagster reads the op's config type at runtime.
from dagster import Config, OpExecutionContext, job, op

from pipelines.warehouse import open_table
from spark_jobs.tables import TABLES


def vacuum_warehouse(
    warehouse: str, apply: bool = False, retention_hours: int | None = None
) -> dict[str, list[str]]:
    """Per table, the files a full vacuum removes (``apply``) or would remove (dry run).

    ``retention_hours`` shorter than the table's retention is refused by delta-rs.
    """
    removed: dict[str, list[str]] = {}
    for name, spec in TABLES.items():
        table = open_table(warehouse, spec)
        if table is None:
            continue
        removed[name] = sorted(
            table.vacuum(retention_hours=retention_hours, dry_run=not apply, full=True)
        )
    return removed


class VacuumConfig(Config):
    apply: bool = False  # False: list the files only
    retention_hours: int | None = None  # None: each table's own retention


@op(required_resource_keys={"crawl_config"})
def vacuum_tables(context: OpExecutionContext, config: VacuumConfig) -> dict[str, list[str]]:
    """Full vacuum of every warehouse table, with Delta's retention rules."""
    warehouse = context.resources.crawl_config.warehouse
    removed = vacuum_warehouse(warehouse, config.apply, config.retention_hours)
    verb = "removed" if config.apply else "would remove (dry run)"
    for table, files in removed.items():
        context.log.info(f"{table}: {verb} {len(files)} file(s)")
    return removed


@job(description="Remove orphan and expired files of the warehouse tables (dry run unless "
     "config apply: true).")  # fmt: skip
def vacuum_warehouse_job():
    vacuum_tables()
