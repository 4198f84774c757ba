"""Write a slice of a Delta table, Z-ordered: one function, two explicit writers.

``delta-rs`` (the local default) needs no JVM jars. Rows reach it either as files already
Z-sorted into the table's partition folders by one task per partition (a DataFrame's rows,
:func:`write_frame_files`), or as rows the extract tasks *staged* (Arrow IPC, in the run's
staging folder, as they came); staged rows are written once as the table's Parquet files,
each partition's rows one Z-curve, by parallel tasks (:func:`write_staged`). The driver
then commits the files in ONE transaction that removes the slices' previous files, with
per-file statistics from the Parquet footers and the Z-order recorded in the commit info.
Nothing is collected on the driver but the files' descriptions; a crashed run leaves
uncommitted orphan files and the table at its previous version. ``delta-spark`` (clusters,
where Delta ships with the runtime) reads staged Parquet back and uses the documented
``replaceWhere`` + ``executeZOrderBy`` API. Both share the predicate, the partition and
Z-order columns from ``spark_jobs.tables``. The writer is chosen by configuration; there is
no fallback from one to the other.

Staging replaced the tasks' own sorted Parquet files and their rewrite into one curve per
partition (``bench pipeline``, 100 k diverse pages, 2.5 M links, one core: the tasks spent
9.7 s sorting and writing files, the rewrite 15.0 s reading and writing them again).
"""

from __future__ import annotations

import json
import math
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession

from spark_jobs import storage
from spark_jobs.files import (
    ZORDER_FILE_ROWS,
    DataFile,
    delete_files,
    now_ms,
    read_staged,
    write_sorted_files,
)
from spark_jobs.tables import TableSpec, in_slices, slices_predicate
from spark_jobs.zorder import point_lookup_skip, range_overlap

Slices = dict[str, list[str] | None]  # crawl -> segments (None: crawl-partitioned table)
COMMIT_RETRIES = 8
T = TypeVar("T")
#: Commit-info key naming the Z-order columns a commit's files are sorted by (delta-rs).
ZORDER_COMMIT_KEY = "supplylinks.zorder_by"
#: Commit-info key: files a delta-rs slice write added (its commit has no operationMetrics).
FILES_ADDED_COMMIT_KEY = "supplylinks.files_added"
#: What the Spark side returns per written file (one small row each).
FILE_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("size", pa.int64()),
        ("partition_values", pa.string()),
        ("rows", pa.int64()),
        ("stats", pa.string()),
        ("source", pa.string()),
    ]
)


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


@dataclass
class WrittenFiles:
    """Files the executors wrote below ``root`` (the table itself, or a staging folder)."""

    root: str
    files: list[DataFile]


def new_staging_dir(staging_root: str, name: str) -> str:
    """A fresh folder per write, so parallel runs never share staged files."""
    return storage.join(staging_root, f"{name}-{uuid.uuid4().hex[:12]}")


def staged_format(writer: str) -> str:
    """How tasks stage rows for ``writer`` (:func:`spark_jobs.files.stage_rows`)."""
    formats = {"delta-rs": "arrow", "delta-spark": "parquet"}
    if writer not in formats:
        raise ValueError(f"unknown Delta writer {writer!r}")
    return formats[writer]


def files_root(spec: TableSpec, warehouse: str, writer: str, staging: str) -> str:
    """Where executors write ``spec``'s files: into the table (delta-rs, committed in place)
    or into ``staging`` (delta-spark reads them back and writes the table itself)."""
    if writer == "delta-rs":
        ensure_table(spec, spec.path(warehouse))
        return spec.path(warehouse)
    if writer == "delta-spark":
        return storage.join(staging, spec.name)
    raise ValueError(f"unknown Delta writer {writer!r}")


def ensure_table(spec: TableSpec, path: str) -> None:
    """Create the (empty) table once, so files can be committed into it; refuse a table
    whose columns are not the registry's (one an older version of this code wrote)."""
    from deltalake import DeltaTable

    _retrying(
        lambda: DeltaTable.create(
            path,
            schema=spec.schema,
            partition_by=list(spec.partition_by),
            configuration=spec.properties or None,
            mode="ignore",
        )
    )
    found = [field.name for field in DeltaTable(path).schema().fields]
    if found != spec.columns:
        extra = sorted(set(found) - set(spec.columns))
        missing = sorted(set(spec.columns) - set(found))
        raise ValueError(
            f"the {spec.name} table at {path} has other columns than this version writes "
            f"(extra: {extra or 'none'}, missing: {missing or 'none'}, or another order); "
            "write to a new warehouse (SUPPLYLINKS_WAREHOUSE) or delete that table and "
            "materialize its partitions again"
        )


def write_slices(
    spark: SparkSession | None,
    spec: TableSpec,
    warehouse: str,
    slices: Slices,
    data: DataFrame | WrittenFiles,
    *,
    writer: str,
    staging_root: str,
) -> WriteReport:
    """Replace exactly ``slices`` of ``spec``'s table with ``data``, Z-ordered.

    ``data`` is a DataFrame with the table's columns, files executors already wrote into
    the table (:func:`files_root` says where), or rows tasks staged outside it
    (:func:`spark_jobs.files.stage_rows`). ``spark`` is needed by delta-spark only: committing
    written files with delta-rs starts no SQL session.
    """
    started = time.monotonic()
    predicate = slices_predicate(spec, slices)
    path = spec.path(warehouse)
    if writer == "delta-spark":
        if spark is None:
            raise ValueError("delta-spark writes need a SparkSession")
        frame = data if isinstance(data, DataFrame) else read_files(spark, spec, data)
        report = _write_delta_spark(spark, spec, path, predicate, frame)
        if isinstance(data, WrittenFiles):
            storage.remove_tree(data.root)
    elif writer == "delta-rs":
        if isinstance(data, DataFrame):
            root = files_root(spec, warehouse, writer, staging_root)
            data = WrittenFiles(root, write_frame_files(data, spec, root))
        staged = data.root.rstrip("/") != path.rstrip("/")  # the tasks' rows, not table files
        files = write_staged(spark, spec, path, data) if staged else data.files
        try:
            report = commit_files(spec, path, slices, files)
        except BaseException:
            delete_files(path, files)  # never committed: would be orphans
            raise
        if staged:
            delete_files(data.root, data.files)
            report.zorder["files_staged"] = len(data.files)
    else:
        raise ValueError(f"unknown Delta writer {writer!r}")
    report.zorder["point_lookup_skip"] = slice_skip_shares(spec, path, slices)
    report.seconds = round(time.monotonic() - started, 3)
    return report


def write_staged(
    spark: SparkSession | None, spec: TableSpec, path: str, staged: WrittenFiles
) -> list[DataFile]:
    """The table's files from the tasks' staged rows: each partition's rows as ONE Z-curve
    cut into files of :data:`ZORDER_FILE_ROWS` rows, so each file covers a narrow range of
    every Z-order column and point lookups skip files (tasks that each sorted only their own
    rows left files that all spanned the whole range). A partition is written by as many
    tasks as the context runs at once (each orders all the partition's rows and writes its
    share of the files); without a context, on the driver."""
    groups: dict[str, list[DataFile]] = {}
    for data_file in staged.files:
        key = json.dumps(data_file.partition_values, sort_keys=True)
        groups.setdefault(key, []).append(data_file)
    context = spark.sparkContext if spark is not None else _active_context()
    parallel = context.defaultParallelism if context is not None else 1
    tasks = []
    for group in groups.values():
        files = math.ceil(sum(f.rows for f in group) / ZORDER_FILE_ROWS)
        pieces = max(1, min(parallel, files))
        tasks += [([f.as_dict() for f in group], (i, pieces)) for i in range(pieces)]
    write = _piece_writer(spec, staged.root, path, ZORDER_FILE_ROWS)
    if context is None or len(tasks) < 2:
        written = [row for task in tasks for row in write(task)]
    else:
        written = context.parallelize(tasks, numSlices=len(tasks)).flatMap(write).collect()
    return [DataFile.from_dict(row) for row in written]


def _active_context():
    try:
        from pyspark import SparkContext
    except ImportError:
        return None
    return SparkContext._active_spark_context


def _piece_writer(
    spec: TableSpec, staged_root: str, root: str, file_rows: int
) -> Callable[[tuple[list[dict], tuple[int, int]]], list[dict]]:
    def write(task: tuple[list[dict], tuple[int, int]]) -> list[dict]:
        described, piece = task
        staged = [DataFile.from_dict(d) for d in described]
        table = read_staged(staged_root, staged)
        values = staged[0].partition_values
        written = write_sorted_files(spec, root, values, table, file_rows=file_rows, piece=piece)
        return [f.as_dict() for f in written]

    return write


def slice_skip_shares(spec: TableSpec, path: str, slices: Slices) -> dict[str, float]:
    """Per Z-order column, the share of a partition's files a point lookup skips, from the
    Delta log's per-file statistics (whichever writer wrote them), mean over partitions."""
    from deltalake import DeltaTable

    actions = pa.table(DeltaTable(path).get_add_actions(flatten=True)).to_pylist()
    groups: dict[str, list[dict]] = {}
    for action in actions:
        values = {c: action[f"partition.{c}"] for c in spec.partition_by}
        if in_slices(spec, slices, values):
            groups.setdefault(json.dumps(values, sort_keys=True), []).append(action)
    shares = {}
    for column in spec.zorder_by:
        per_partition = [
            point_lookup_skip([(a.get(f"min.{column}"), a.get(f"max.{column}")) for a in group])
            for group in groups.values()
        ]
        shares[column] = round(sum(per_partition) / max(1, len(per_partition)), 4)
    return shares


def write_frame_files(frame: DataFrame, spec: TableSpec, root: str) -> list[DataFile]:
    """Executors write the frame's rows as Z-ordered files below ``root``; each Delta
    partition's rows go to one task (one sorted run). Only file descriptions come back."""
    from pyspark.sql.pandas.types import from_arrow_schema

    rows = (
        frame.select(*spec.columns)
        .repartition(*spec.partition_by)
        .mapInArrow(_frame_writer(spec, root), from_arrow_schema(FILE_SCHEMA))
        .collect()
    )
    return [_data_file(row.asDict()) for row in rows]


def _data_file(row: dict[str, Any]) -> DataFile:
    return DataFile.from_dict(row | {"partition_values": json.loads(row["partition_values"])})


def file_batch(files: list[DataFile]) -> pa.RecordBatch:
    """File descriptions as one Arrow batch of :data:`FILE_SCHEMA` (executor → driver)."""
    rows = [f.as_dict() | {"partition_values": json.dumps(f.partition_values)} for f in files]
    return pa.RecordBatch.from_pylist(rows, schema=FILE_SCHEMA)


def _frame_writer(spec: TableSpec, root: str) -> Callable[[Iterator], Iterator]:
    def write(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        received = [batch for batch in batches if batch.num_rows]
        if not received:
            return
        yield file_batch(write_partition_files(spec, root, pa.Table.from_batches(received)))

    return write


def write_partition_files(spec: TableSpec, root: str, table: pa.Table) -> list[DataFile]:
    """Rows of any partitions as Z-ordered files below ``root``, one sorted run per
    partition (a Spark task's rows, or a job's own table when it runs without Spark)."""
    import pyarrow.compute as pc

    keys = table.select(list(spec.partition_by)).group_by(list(spec.partition_by))
    written: list[DataFile] = []
    for values in keys.aggregate([]).to_pylist():
        mask = None
        for column, value in values.items():
            term = pc.equal(table.column(column), value)
            mask = term if mask is None else pc.and_(mask, term)
        written += write_sorted_files(spec, root, values, table.filter(mask))
    return written


def read_files(spark: SparkSession, spec: TableSpec, written: WrittenFiles) -> DataFrame:
    """The written files as a DataFrame (partition values from their folder names)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = from_arrow_schema(spec.schema)
    if not written.files:
        return spark.createDataFrame([], schema)
    uris = [storage.join(written.root, f.path) for f in written.files]
    return spark.read.schema(schema).option("basePath", written.root).parquet(*uris)


def commit_files(spec: TableSpec, path: str, slices: Slices, files: list[DataFile]) -> WriteReport:
    """One transaction: add ``files``, remove every current file of ``slices``."""
    from deltalake import CommitProperties, DeltaTable
    from deltalake.transaction import AddAction, RemoveAction

    _check_inside_slices(spec, slices, files)
    ensure_table(spec, path)
    stamp = now_ms()
    adds = [AddAction(f.path, f.size, f.partition_values, stamp, True, f.stats) for f in files]
    zorder = zorder_metrics(spec, files)
    removed = 0

    def commit() -> None:
        nonlocal removed
        table = DeltaTable(path)
        removes = [
            RemoveAction(old["path"], True, stamp, old["size_bytes"], old["partition_values"])
            for old in current_files(table, spec, slices)
        ]
        info = zorder_commit_info(spec) | {FILES_ADDED_COMMIT_KEY: str(len(adds))}
        table.create_write_transaction(
            [*adds, *removes],
            mode="append",  # with explicit removes: any set of slices in one commit
            schema=spec.schema,
            partition_by=list(spec.partition_by),
            commit_properties=CommitProperties(custom_metadata=info),
        )
        removed = len(removes)

    _retrying(commit)
    zorder["files_removed"] = removed
    return WriteReport(
        table=spec.name,
        writer="delta-rs",
        rows=sum(f.rows for f in files),
        version=DeltaTable(path).version(),
        predicate=slices_predicate(spec, slices),
        files_added=len(files),
        seconds=0.0,
        zorder=zorder,
    )


def current_files(table: Any, spec: TableSpec, slices: Slices) -> list[dict[str, Any]]:
    """The snapshot's files inside ``slices``: path, size and partition values."""
    actions = pa.table(table.get_add_actions(flatten=True))
    columns = [f"partition.{c}" for c in spec.partition_by]
    rows = actions.select(["path", "size_bytes", *columns]).to_pylist()
    found = []
    for row in rows:
        values = {c: row[f"partition.{c}"] for c in spec.partition_by}
        if in_slices(spec, slices, values):
            found.append({**row, "partition_values": values})
    return found


def _check_inside_slices(spec: TableSpec, slices: Slices, files: list[DataFile]) -> None:
    outside = sorted(
        {
            json.dumps(f.partition_values)
            for f in files
            if not in_slices(spec, slices, f.partition_values)
        }
    )
    if outside:
        raise ValueError(
            f"Invalid data: {spec.name} rows outside the slices being replaced: {outside[:5]}"
        )


def zorder_commit_info(spec: TableSpec) -> dict[str, str]:
    """Recorded on each Z-ordered commit, so a check can tell on what columns it ran."""
    return {ZORDER_COMMIT_KEY: ",".join(spec.zorder_by)}


def zorder_metrics(spec: TableSpec, files: list[DataFile]) -> dict[str, Any]:
    """What the sorted write did: files and rows per partition, and how little the files'
    ranges of each Z-order column overlap within a partition (0 = disjoint, 1 = all)."""
    by_partition: dict[str, list[DataFile]] = {}
    for data_file in files:
        by_partition.setdefault(json.dumps(data_file.partition_values), []).append(data_file)
    overlap = {
        column: round(
            sum(range_overlap([f.bounds(column) for f in group]) for group in by_partition.values())
            / max(1, len(by_partition)),
            4,
        )
        for column in spec.zorder_by
    }
    return {
        "columns": list(spec.zorder_by),
        "method": "rows sorted along the Z-curve as each task writes its files",
        "files_added": len(files),
        "files_removed": 0,
        "partitions_optimized": len(by_partition),
        "rows": sum(f.rows for f in files),
        "range_overlap": overlap,
    }


def _write_delta_spark(
    spark: SparkSession, spec: TableSpec, path: str, predicate: str, frame: DataFrame
) -> WriteReport:
    """The cluster path, over the documented delta-spark API (needs Delta on the cluster)."""
    DeltaTable = delta_tables(spark)  # noqa: N806 (the class)
    frame = frame.select(*spec.columns)
    creating = DeltaTable.createIfNotExists(spark).location(path).addColumns(frame.schema)
    for key, value in spec.properties.items():  # the registry's properties, as delta-rs sets
        creating = creating.property(key, value)
    creating.partitionedBy(*spec.partition_by).execute()
    (
        frame.write.format("delta")
        .mode("overwrite")
        .option("replaceWhere", predicate)
        .partitionBy(*spec.partition_by)
        .save(path)
    )
    table = DeltaTable.forPath(spark, path)
    written = table.history(1).first()["operationMetrics"] or {}  # the write's own commit
    rows = int(written.get("numOutputRows", 0) or 0)
    spark.conf.set(MAX_FILE_SIZE_CONF, str(_zorder_file_bytes(written)))
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


MAX_FILE_SIZE_CONF = "spark.databricks.delta.optimize.maxFileSize"


def _zorder_file_bytes(metrics: dict[str, str]) -> int:
    """OPTIMIZE's target file size for files of about :data:`ZORDER_FILE_ROWS` rows, from
    the bytes per row the slice write just committed (its commit's operation metrics)."""
    rows = int(metrics.get("numOutputRows", 0) or 0)
    per_row = int(metrics.get("numOutputBytes", 0) or 0) / max(rows, 1)
    return max(int(per_row * ZORDER_FILE_ROWS), 64 * 1024)


def delta_tables(spark: SparkSession):
    """delta-spark's ``DeltaTable`` class. EMR and Databricks install its Python package; a
    session given the jars of ``make jars`` (class path) imports it from the delta-spark
    jar itself, which carries it, so the Python API is always the JVM side's version."""
    try:
        from delta.tables import DeltaTable
    except ImportError:
        import sys

        conf = spark.sparkContext.getConf()
        listed = conf.get("spark.jars", "").split(",")
        listed += conf.get("spark.driver.extraClassPath", "").split(":")
        found = [j for j in listed if j.rsplit("/", 1)[-1].startswith("delta-spark_")]
        if not found:
            raise ImportError(
                "delta-spark writes need Delta's Python API: no `delta` package and no "
                "delta-spark jar in spark.jars (run `make jars`)"
            ) from None
        sys.path.append(found[0].removeprefix("local:").removeprefix("file:"))
        from delta.tables import DeltaTable
    return DeltaTable


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
