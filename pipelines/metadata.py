"""Typed, standard metadata for every asset: what the Dagster UI shows a user at a glance.

Why one module: the catalog reads standard keys (``dagster/row_count``,
``dagster/column_schema``, ``dagster/table_name``, ``dagster/uri``) to show row counts, a
Columns section and where a table lives; the partitions page plots numbers per partition.
The Spark jobs report one materialization per asset for the whole run (a backfill of many
segments is one Spark run), so Dagster would copy the run's figures onto every partition.
:func:`publish_per_partition` turns that into per-partition truth: each partition gets the
figures of its own slice (rows and bytes from the Delta log, files read/failed from the job's
per-slice report), and the run's figures stay, renamed ``run_*``, so no sum double-counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
from dagster import (
    JsonMetadataValue,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableMetadataValue,
    TableRecord,
    TableSchema,
)

from spark_jobs.slice_report import SLICE_REPORT_KEY
from spark_jobs.tables import TableSpec

#: Figures that are true of the whole Spark run, whatever partition shows them.
RUN_WIDE_PREFIX = "run_"
#: The cost estimate of remote runs (pipelines/runtimes/cost.py) already names itself.
RUN_COST_PREFIX = "cost_"
#: Keys kept as they are: the same for every partition of the write (one Delta commit).
SHARED_KEYS = frozenset(
    {
        "delta_version",
        "delta_predicate",
        "engine",
        "spark_version",
        "zorder_columns",
        "model",
        "model_versions",
    }
)


def _type_name(data_type: pa.DataType) -> str:
    return str(data_type).replace("large_", "")


def column_schema(spec: TableSpec) -> TableSchema:
    """The table's columns from the one registry of tables (spark_jobs/tables.py)."""
    columns = []
    for field in spec.schema:
        roles = []
        if field.name in spec.partition_by:
            roles.append("partition column")
        if field.name in spec.zorder_by:
            roles.append("Z-order column")
        if field.name in spec.key:
            roles.append("key")
        columns.append(
            TableColumn(
                name=field.name,
                type=_type_name(field.type),
                description=", ".join(roles) or None,
            )
        )
    return TableSchema(columns=columns)


def definition_metadata(spec: TableSpec) -> dict[str, Any]:
    """Metadata of the asset definition: the catalog's Columns section and table name."""
    return {
        "dagster/column_schema": column_schema(spec),
        "dagster/table_name": spec.name,
        "partition_columns": ", ".join(spec.partition_by),
        "zorder_columns": ", ".join(spec.zorder_by),
    }


def table_of(data: Any) -> MetadataValue | None:
    """A JSON value as a table the UI renders; None for empty values (no empty rows)."""
    if data in (None, [], {}, ""):
        return None
    if isinstance(data, Mapping):
        if all(isinstance(v, Mapping) for v in data.values()):
            rows = [{"name": k, **v} for k, v in data.items()]
            return table_of(rows)
        return table_of([{"name": str(k), "value": v} for k, v in data.items()])
    if isinstance(data, Sequence) and not isinstance(data, str):
        if all(isinstance(r, Mapping) for r in data):
            columns: list[str] = []
            for row in data:
                columns += [c for c in row if c not in columns]
            records = [TableRecord({c: _cell(row.get(c)) for c in columns}) for row in data]
            schema = TableSchema(columns=[TableColumn(c, _column_type(data, c)) for c in columns])
            return MetadataValue.table(records=records, schema=schema)
        return MetadataValue.text("\n".join(str(v) for v in data))
    return None


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _column_type(rows: Sequence[Mapping[str, Any]], column: str) -> str:
    values = [r.get(column) for r in rows if r.get(column) is not None]
    if values and all(isinstance(v, bool) for v in values):
        return "bool"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "float"
    return "string"


def typed(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """JSON entries as tables or text, empty entries dropped, everything else as it is."""
    out: dict[str, Any] = {}
    for key, value in metadata.items():
        if isinstance(value, JsonMetadataValue):
            value = value.data
        elif isinstance(value, MetadataValue):
            if getattr(value, "value", 0) not in (None, ""):
                out[key] = value
            continue
        if isinstance(value, Mapping | list | tuple):
            rendered = table_of(value)
            if rendered is not None:
                out[key] = rendered
        elif value not in (None, ""):
            out[key] = value
    return out


def figure(metadata: Mapping[str, Any], name: str) -> Any:
    """A figure of a materialization by name, the inverse of :func:`typed`: ``run_<name>``
    where the run spans partitions; name/value tables come back as dicts, other tables as
    lists of rows, everything else as its plain value; None where the figure is absent."""
    key = name if name in metadata else f"run_{name}"
    if key not in metadata:
        return None
    value = metadata[key]
    if isinstance(value, TableMetadataValue):
        rows = [record.data for record in value.records]
        if rows and set(rows[0]) == {"name", "value"}:
            return {row["name"]: row["value"] for row in rows}
        return rows
    return value.value if isinstance(value, MetadataValue) else value


def slice_rows(warehouse: str, spec: TableSpec, version: int | None = None) -> dict[str, dict]:
    """Rows, bytes and files per partition (``crawl`` or ``crawl|segment``) of a Delta table,
    from its log's add actions: exact, and read without touching a data file."""
    from deltalake import DeltaTable

    path = spec.path(warehouse)
    if not DeltaTable.is_deltatable(path):
        return {}
    table = DeltaTable(path, version=version)
    actions = pa.table(table.get_add_actions(flatten=True))
    columns = [f"partition.{c}" for c in spec.partition_by]
    figures: dict[str, dict] = {}
    for row in actions.select([*columns, "num_records", "size_bytes"]).to_pylist():
        key = "|".join(str(row[c]) for c in columns)
        slot = figures.setdefault(key, {"rows": 0, "bytes": 0, "files": 0})
        slot["rows"] += int(row["num_records"] or 0)
        slot["bytes"] += int(row["size_bytes"] or 0)
        slot["files"] += 1
    return figures


def figures_of(figures: Mapping[str, dict], key: str) -> dict | None:
    """A partition's figures: its own slice's, or the sum of its slices' when the asset is
    partitioned by crawl and the table by crawl and segment (the targeted assets)."""
    if key in figures:
        return figures[key]
    parts = [f for k, f in figures.items() if k.split("|")[0] == key]
    if not parts:
        return None
    return {name: sum(f[name] for f in parts) for name in ("rows", "bytes", "files")}


def partition_metadata(
    figures: Mapping[str, Any] | None, slice_report: Mapping[str, Any] | None
) -> dict[str, Any]:
    """One partition's own figures: rows written (standard row count), bytes, files."""
    figures = figures or {"rows": 0, "bytes": 0, "files": 0}
    metadata: dict[str, Any] = {
        "dagster/row_count": figures["rows"],
        "rows_written": figures["rows"],
        "bytes_written": figures["bytes"],
        "table_files": figures["files"],
    }
    for key, value in (slice_report or {}).items():
        if isinstance(value, list):
            if value:
                metadata[key] = MetadataValue.text("\n".join(map(str, value)))
        else:
            metadata[key] = value
    return metadata


def publish_per_partition(
    context,
    results: Iterable[Any],
    warehouse: str,
    specs: Mapping[str, TableSpec],
    extra: Callable[[str], Mapping[str, Any]] | None = None,
) -> tuple[Any, ...]:
    """Rewrite the Pipes results of a (possibly multi-partition) run so each partition's
    materialization shows its own slice's figures; run-wide figures become ``run_*``.

    ``context.add_asset_metadata(partition_key=...)`` scopes metadata to one partition's
    event; Dagster merges it over the result's metadata (which every partition shares).
    ``extra(partition_key)`` adds more of a partition's own metadata (e.g. its pictures).
    """
    partitioned = context.has_partition_key or context.has_partition_key_range
    out = []
    for result in results:
        if not isinstance(result, MaterializeResult) or result.asset_key is None:
            out.append(result)
            continue
        name = result.asset_key.to_user_string()
        spec = specs.get(name)
        raw = dict(result.metadata or {})
        report = raw.pop(SLICE_REPORT_KEY, None)
        by_slice = report.data if isinstance(report, JsonMetadataValue) else (report or {})
        shared: dict[str, Any] = {}
        for key, value in raw.items():
            if key in SHARED_KEYS or key.startswith(RUN_COST_PREFIX) or not partitioned:
                shared[key] = value
            else:
                shared[f"{RUN_WIDE_PREFIX}{key}"] = value
        if spec is not None:
            shared["dagster/uri"] = MetadataValue.path(spec.path(warehouse))
            shared["dagster/table_name"] = spec.name
        version = _int(raw.get("delta_version"))
        if spec is not None and partitioned:
            figures = slice_rows(warehouse, spec, version)
            keys = [str(k) for k in context.partition_keys]
            shared[f"{RUN_WIDE_PREFIX}partitions"] = len(keys)
            run_wide = typed(shared)
            for key in keys:
                # The partition's own figures first: they are what its page is read for.
                own = partition_metadata(figures_of(figures, key), by_slice.get(key))
                context.add_asset_metadata(
                    {**own, **(extra(key) if extra else {}), **run_wide},
                    asset_key=result.asset_key,
                    partition_key=key,
                )
            out.append(result._replace(metadata={}))
            continue
        if spec is not None:
            total = sum(f["rows"] for f in slice_rows(warehouse, spec, version).values())
            shared["dagster/row_count"] = total
        out.append(result._replace(metadata=typed(shared)))
    return tuple(out)  # Dagster takes a tuple of results, not a list


def _int(value: Any) -> int | None:
    data = getattr(value, "value", value)
    try:
        return int(data) if data is not None else None
    except (TypeError, ValueError):
        return None


#: Pictures are served from the instance's compute-log folder by the webserver's ``/logs``
#: route, so the metadata holds a short markdown image (rendered inline: the UI opens a
#: modal only for markdown of 1000 characters or more) instead of ~300 KB of base64.
PICTURES_LOG_NAMESPACE = "supplylinks-pictures"


def inline_picture(instance, name: Sequence[str], png: bytes, alt: str) -> MetadataValue:
    """A markdown image of ``png`` that renders inline in the Dagster UI.

    The PNG is written where the local compute-log manager keeps files, under ``name``
    (``["link_graph", crawl]``); ``dagster-webserver`` serves it at ``/logs/<name>/png``.
    On an instance without local compute logs, the PNG is embedded as a ``data:`` URI.
    """
    from dagster._core.storage.local_compute_log_manager import LocalComputeLogManager

    manager = getattr(instance, "compute_log_manager", None)
    if isinstance(manager, LocalComputeLogManager):
        log_key = [PICTURES_LOG_NAMESPACE, *name]
        from pathlib import Path

        target = Path(manager.get_captured_local_path(log_key, "png"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png)
        return MetadataValue.md(f"![{alt}](/logs/{'/'.join(log_key)}/png)")
    import base64

    return MetadataValue.md(f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode()})")


def confusion_matrix_metadata(instance, version: str, evaluation: Any) -> dict[str, Any]:
    """The classifier's dev confusion matrix (rows: true label, columns: predicted) as an
    inline picture and a table, for the ``link_classifier`` asset's metadata
    (``evaluation``: a ``models.evaluation.Evaluation``)."""
    from pipelines.graph.render import render_confusion

    labels, matrix = list(evaluation.labels), evaluation.confusion

    png = render_confusion(labels, matrix, title=f"confusion matrix of {version} (dev)")
    rows = [
        {"true label": label, **{p: int(n) for p, n in zip(labels, row, strict=True)}}
        for label, row in zip(labels, matrix, strict=True)
    ]
    return {
        "confusion_matrix": inline_picture(
            instance, ["link_classifier", version], png, "confusion matrix"
        ),
        "confusion_table": table_of(rows),
    }


def check_metadata(problems: Sequence[Mapping[str, Any]], limit: int = 20) -> dict[str, Any]:
    """A check's figures: the problem count (a number, so the UI plots it per evaluation)
    and the first problems as a table (left out when there are none)."""
    metadata: dict[str, Any] = {"problems_found": len(problems)}
    shown = table_of(list(problems[:limit]))
    if shown is not None:
        metadata["problems"] = shown
    return metadata
