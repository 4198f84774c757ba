"""Reading the warehouse's Delta tables from the orchestrator (delta-rs + DuckDB, no Spark)."""

from __future__ import annotations

from typing import Any

import duckdb
from deltalake import DeltaTable

from spark_jobs.tables import TableSpec


def open_table(warehouse: str, spec: TableSpec) -> DeltaTable | None:
    """The Delta table, or None when it was never written."""
    path = spec.path(warehouse)
    return DeltaTable(path) if DeltaTable.is_deltatable(path) else None


def query(sql: str, **tables: Any) -> list[dict[str, Any]]:
    """Run DuckDB SQL over Arrow datasets/tables passed by name; rows as dicts."""
    connection = duckdb.connect()
    try:
        for name, data in tables.items():
            connection.register(name, data)
        result = connection.execute(sql)
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
    finally:
        connection.close()
