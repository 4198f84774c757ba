"""Write a slice of a Delta table and Z-order it: one function, two explicit writers.

``delta-rs`` (the local default) needs no JVM jars: Spark stages Parquet files, the driver
streams them as Arrow batches into ``deltalake.write_deltalake`` with a replace-where
predicate, then Z-orders the touched partitions. ``delta-spark`` (clusters, where Delta
ships with the runtime) uses the documented ``replaceWhere`` + ``executeZOrderBy`` API.
Both share the predicate, the partition and Z-order columns from ``spark_jobs.tables``.
The writer is chosen by configuration; there is no fallback from one to the other.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.dataset as ds
from pyspark.sql import DataFrame, SparkSession

from spark_jobs import storage
from spark_jobs.tables import TableSpec, slice_filters, slices_predicate

Slices = dict[str, list[str] | None]  # crawl -> segments (None: crawl-partitioned table)
COMMIT_RETRIES = 8
T = TypeVar("T")
#: Commit-info key naming the Z-order columns of an OPTIMIZE commit (delta-rs writer).
ZORDER_COMMIT_KEY = "supplylinks.zorder_by"


@dataclass
class WriteReport:
    """What a slice write did, reported as materialization metadata."""

    table: str
    writer: str
    rows: int
    version: int
    predicate: str
    files_added: int
    seconds: float
    zorder: dict[str, Any] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        return {
            f"delta_{k}" if k in ("version", "predicate") else k: v for k, v in asdict(self).items()
        }


def new_staging_dir(staging_root: str, name: str) -> str:
    """A fresh folder per write, so parallel runs never share staged files."""
    return storage.join(staging_root, f"{name}-{uuid.uuid4().hex[:12]}")


def write_slices(
    spark: SparkSession,
    spec: TableSpec,
    warehouse: str,
    slices: Slices,
    data: DataFrame | str,
    *,
    writer: str,
    staging_root: str,
) -> WriteReport:
    """Replace exactly ``slices`` of ``spec``'s table with ``data`` and Z-order them.

    ``data`` is a DataFrame with the table's columns, or a folder of staged Parquet files.
    """
    started = time.monotonic()
    predicate = slices_predicate(spec, slices)
    path = spec.path(warehouse)
    if writer == "delta-spark":
        frame = data if isinstance(data, DataFrame) else read_staged(spark, spec, data)
        report = _write_delta_spark(spark, spec, path, predicate, frame)
    elif writer == "delta-rs":
        staged = data if isinstance(data, str) else stage(data, spec, staging_root)
        try:
            report = _write_delta_rs(spec, path, predicate, staged, slices)
        finally:
            storage.remove_tree(staged)
    else:
        raise ValueError(f"unknown Delta writer {writer!r}")
    report.seconds = round(time.monotonic() - started, 3)
    return report


def stage(frame: DataFrame, spec: TableSpec, staging_root: str) -> str:
    """Let the executors write the frame as Parquet; nothing is collected on the driver."""
    target = new_staging_dir(staging_root, spec.name)
    frame.select(*spec.columns).write.mode("overwrite").parquet(target)
    return target


def read_staged(spark: SparkSession, spec: TableSpec, staged: str) -> DataFrame:
    from pyspark.sql.pandas.types import from_arrow_schema

    return spark.read.schema(from_arrow_schema(spec.schema)).parquet(staged)


def staged_batches(spec: TableSpec, staged: str) -> pa.RecordBatchReader:
    """Stream staged Parquet as Arrow batches in the table's exact schema."""
    dataset = ds.dataset(staged, format="parquet", exclude_invalid_files=True)
    scanner = dataset.scanner(columns=spec.columns, batch_size=64_000)

    def batches():
        for batch in scanner.to_batches():
            if batch.num_rows:
                yield batch.cast(spec.schema)

    return pa.RecordBatchReader.from_batches(spec.schema, batches())


def _write_delta_rs(
    spec: TableSpec, path: str, predicate: str, staged: str, slices: Slices
) -> WriteReport:
    from deltalake import DeltaTable, write_deltalake

    DeltaTable.create(path, schema=spec.schema, partition_by=list(spec.partition_by), mode="ignore")
    rows = 0

    def counted(reader: pa.RecordBatchReader):
        nonlocal rows
        for batch in reader:
            rows += batch.num_rows
            yield batch

    def write() -> None:
        nonlocal rows
        rows = 0
        reader = pa.RecordBatchReader.from_batches(
            spec.schema, counted(staged_batches(spec, staged))
        )
        write_deltalake(
            path,
            reader,
            mode="overwrite",
            predicate=predicate,
            partition_by=list(spec.partition_by),
        )

    _retrying(write)
    files_added = _last_operation_metric(DeltaTable(path), "numAddedFiles", "num_added_files")
    zorder = zorder_delta_rs(spec, path, slices)
    return WriteReport(
        table=spec.name,
        writer="delta-rs",
        rows=rows,
        version=DeltaTable(path).version(),
        predicate=predicate,
        files_added=files_added,
        seconds=0.0,
        zorder=zorder,
    )


def zorder_commit_info(spec: TableSpec) -> dict[str, str]:
    """Recorded on each OPTIMIZE commit, so a check can tell the Z-order ran on what columns."""
    return {ZORDER_COMMIT_KEY: ",".join(spec.zorder_by)}


def zorder_delta_rs(spec: TableSpec, path: str, slices: Slices) -> dict[str, Any]:
    """Z-order each touched partition; sums delta-rs's OPTIMIZE metrics."""
    from deltalake import CommitProperties, DeltaTable

    totals: dict[str, Any] = {
        "columns": list(spec.zorder_by),
        "files_added": 0,
        "files_removed": 0,
        "partitions_optimized": 0,
    }
    for crawl, segments in sorted(slices.items()):
        metrics = _retrying(
            lambda crawl=crawl, segments=segments: DeltaTable(path).optimize.z_order(
                list(spec.zorder_by),
                partition_filters=slice_filters(spec, crawl, segments),
                commit_properties=CommitProperties(custom_metadata=zorder_commit_info(spec)),
            )
        )
        totals["files_added"] += int(metrics.get("numFilesAdded", 0))
        totals["files_removed"] += int(metrics.get("numFilesRemoved", 0))
        totals["partitions_optimized"] += int(metrics.get("partitionsOptimized", 0))
    return totals


def _write_delta_spark(
    spark: SparkSession, spec: TableSpec, path: str, predicate: str, frame: DataFrame
) -> WriteReport:
    """The cluster path, over the documented delta-spark API (needs Delta on the cluster)."""
    from delta.tables import DeltaTable  # ships with EMR/Databricks runtimes

    frame = frame.select(*spec.columns).cache()
    rows = frame.count()
    (
        frame.write.format("delta")
        .mode("overwrite")
        .option("replaceWhere", predicate)
        .partitionBy(*spec.partition_by)
        .save(path)
    )
    frame.unpersist()
    table = DeltaTable.forPath(spark, path)
    metrics = table.optimize().where(predicate).executeZOrderBy(*spec.zorder_by).first()
    history = table.history(1).first()
    z = metrics["metrics"] if metrics is not None else {}
    return WriteReport(
        table=spec.name,
        writer="delta-spark",
        rows=rows,
        version=int(history["version"]),
        predicate=predicate,
        files_added=int(z["numFilesAdded"]) if z else 0,
        seconds=0.0,
        zorder={
            "columns": list(spec.zorder_by),
            "files_added": int(z["numFilesAdded"]) if z else 0,
            "files_removed": int(z["numFilesRemoved"]) if z else 0,
            "partitions_optimized": int(z["partitionsOptimized"]) if z else 0,
        },
    )


def _last_operation_metric(table: Any, *names: str) -> int:
    history = table.history(1)
    metrics = history[0].get("operationMetrics", {}) if history else {}
    for name in names:
        if name in metrics:
            return int(metrics[name])
    return 0


def _retrying(action: Callable[[], T]) -> T:
    """Optimistic-concurrency retries: concurrent partition writes may race on a commit."""
    from deltalake.exceptions import CommitFailedError

    for number in range(COMMIT_RETRIES):
        try:
            return action()
        except CommitFailedError:
            if number == COMMIT_RETRIES - 1:
                raise
            time.sleep(min(0.2 * 2**number, 5.0))
    raise AssertionError("unreachable")


def read_slices(
    spark: SparkSession, spec: TableSpec, warehouse: str, slices: Slices, *, reader: str
) -> DataFrame:
    """Read slices of a table as a DataFrame, with partition pruning on either engine.

    Without delta-spark, the current snapshot's Parquet files come from the Delta log
    (delta-rs) and Spark reads just those files; partition values come from their paths.
    """
    from pyspark.sql.pandas.types import from_arrow_schema

    path = spec.path(warehouse)
    if reader == "delta-spark":
        return spark.read.format("delta").load(path).where(slices_predicate(spec, slices))
    from deltalake import DeltaTable

    schema = from_arrow_schema(spec.schema)
    if not DeltaTable.is_deltatable(path):
        return spark.createDataFrame([], schema)
    files = DeltaTable(path).file_uris(file_pruning_predicate=slices_predicate(spec, slices))
    if not files:
        return spark.createDataFrame([], schema)
    return spark.read.schema(schema).option("basePath", path).parquet(*files)


def table_crawls(spark: SparkSession, spec: TableSpec, warehouse: str, *, reader: str) -> list[str]:
    """The crawls a table holds, from the Delta log (no data files are read)."""
    path = spec.path(warehouse)
    if reader == "delta-spark":
        frame = spark.read.format("delta").load(path).select("crawl").distinct()
        return sorted(row["crawl"] for row in frame.collect())
    from deltalake import DeltaTable

    if not DeltaTable.is_deltatable(path):
        return []
    return sorted({part["crawl"] for part in DeltaTable(path).partitions()})
