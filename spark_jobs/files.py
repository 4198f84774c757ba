"""Executors write a table's final Parquet files; the driver only commits their descriptions.

This is how delta-spark writes, done with pyarrow so the local runtime needs no JVM jars:
a task sorts a partition's rows along the table's Z-curve (:mod:`spark_jobs.zorder`), cuts
them into files inside the Delta partition folders (``crawl=…/segment=…/``) and returns a
:class:`DataFile` per file — path, size, partition
values and the Delta statistics (``numRecords``, ``minValues``, ``maxValues``,
``nullCount``) read from the Parquet footer it just wrote, so Delta-log file skipping works
as with any other writer. Statistics cover the registry's ``stats_columns`` (the table's
``delta.dataSkippingStatsColumns``): free text and ids are left out, as delta-spark would.
Nothing enters the table until the driver commits the files in one transaction; the files
of a crashed run are orphans no snapshot references. Extract tasks, whose rows of one
partition come from many tasks, stage them first (:func:`stage_rows`) and the commit writes
each partition's rows as one curve, in parallel shares (``piece`` of
:func:`write_sorted_files`).

Imports only pyarrow/numpy (and ``spark_jobs.storage``/``tables``/``zorder``): it runs in
Spark's Python workers.
"""

from __future__ import annotations

import json
import math
import re
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.fs  # noqa: F401 (pa.fs)
import pyarrow.ipc  # noqa: F401 (pa.ipc)
import pyarrow.parquet as pq

from spark_jobs import storage
from spark_jobs.tables import TableSpec
from spark_jobs.zorder import zorder_indices

#: Rows per data file at most; a task's sorted rows are cut along the Z-curve at this size.
FILE_ROWS = 2_000_000
#: Rows per row group: small enough for row-group statistics to skip inside a file
#: (see :mod:`spark_jobs.zorder`), large enough to keep encoding cost and size flat.
ROW_GROUP_ROWS = 128 * 1024
#: Rows per file where files themselves must be skippable (the partition writer of many
#: tasks' staged rows, and delta-spark's OPTIMIZE file size): with two Z-order columns a point
#: lookup on one of them reads about sqrt(files) of a partition's files, so skipping 90 %
#: takes ~100 files; 16 k rows cut a 2 M-row partition into 123 files of a few MB.
ZORDER_FILE_ROWS = 16_384
#: Longest string kept in min/max statistics (longer values are cut, as Delta does).
STATS_STRING_PREFIX = 64
#: How tasks stage rows for the commit: ``arrow`` (delta-rs), ``parquet`` (delta-spark).
STAGED_FORMATS = ("arrow", "parquet")
_SAFE_PARTITION_VALUE = re.compile(r"^[A-Za-z0-9._-]+$")


@dataclass
class DataFile:
    """One Parquet file written below a root (a Delta table, or a staging folder)."""

    path: str  # relative to the root, e.g. "crawl=X/segment=00/part-….parquet"
    size: int
    partition_values: dict[str, str]
    rows: int
    stats: str  # Delta statistics JSON
    source: str = ""  # what it was made from (the WARC file, for the extract job)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> DataFile:
        return cls(**values)

    def bounds(self, column: str) -> tuple[Any, Any]:
        stats = json.loads(self.stats)
        return stats["minValues"].get(column), stats["maxValues"].get(column)


def data_schema(spec: TableSpec) -> pa.Schema:
    """The columns stored in the files: partition values live in the folder names."""
    return pa.schema([f for f in spec.schema if f.name not in spec.partition_by])


def partition_folder(spec: TableSpec, values: dict[str, str]) -> str:
    parts = []
    for column in spec.partition_by:
        value = str(values[column])
        if not _SAFE_PARTITION_VALUE.match(value):
            raise ValueError(f"partition value {value!r} of {column} is not a plain name")
        parts.append(f"{column}={value}")
    return "/".join(parts)


def write_sorted_files(
    spec: TableSpec,
    root: str,
    partition_values: dict[str, str],
    table: pa.Table,
    *,
    source: str = "",
    file_rows: int = 0,
    piece: tuple[int, int] = (0, 1),
) -> list[DataFile]:
    """Sort ``table`` (the data columns of one partition) along the Z-curve and write it,
    ``file_rows`` rows per file (0: :data:`FILE_ROWS`).

    ``piece`` = (i, n) writes only the i-th of n consecutive shares of the curve's files,
    so n tasks write one partition's files in parallel, each ordering all its rows (the
    order costs ~0.8 s for 2.5 M rows) and then moving and encoding only its own share.
    """
    file_rows = file_rows or FILE_ROWS
    table = _validated(spec, table)
    if table.num_rows == 0:
        return []
    index, pieces = piece
    order = None
    if pieces > 1:
        keys = zorder_indices(table.select(list(spec.zorder_by)), spec.zorder_by)
        files = math.ceil(table.num_rows / file_rows)
        low, high = (
            min(table.num_rows, files * i // pieces * file_rows) for i in (index, index + 1)
        )
        if low == high:
            return []
        table = table.take(pa.array(keys[low:high]))
        order = np.arange(table.num_rows)  # already in curve order
    table = dictionary_encoded(table, spec)
    if order is None:
        order = zorder_indices(table, spec.zorder_by)
    order = pa.array(order)
    schema = data_schema(spec)
    # Each column in one piece (a take across many chunks costs several times more), without
    # copying the ones already in one piece; the sorted rows are gathered one row group at a
    # time while writing, so no sorted copy of the whole table is ever held.
    columns = [one_array(column) for column in table.columns]
    # The declared nullability, over the arrays' own types (dictionary arrays stay so: the
    # footer carries plain Parquet string columns, read back as strings).
    file_schema = pa.schema(
        pa.field(f.name, columns[i].type, f.nullable) for i, f in enumerate(schema)
    )
    folder = partition_folder(spec, partition_values)
    written = []
    for start in range(0, len(order), file_rows):
        data_file = _write_file(
            spec,
            root,
            folder,
            partition_values,
            file_schema,
            columns,
            order.slice(start, file_rows),
        )
        data_file.source = source
        written.append(data_file)
    return written


def _validated(spec: TableSpec, table: pa.Table) -> pa.Table:
    """The table's data columns in its types; nulls in a non-nullable column refused."""
    schema = data_schema(spec)
    table = _conform(table.select(schema.names), schema)
    for field in schema:
        if not field.nullable and table.column(field.name).null_count:
            raise ValueError(f"Invalid data: nulls in non-nullable column {spec.name}.{field.name}")
    return table


def stage_rows(
    spec: TableSpec,
    root: str,
    partition_values: dict[str, str],
    table: pa.Table,
    *,
    staged_format: str,
    source: str = "",
) -> list[DataFile]:
    """A task's rows of one partition as they came, in one staged file below ``root`` (a
    run's staging folder, never a table): the commit (:func:`spark_jobs.delta.write_slices`)
    writes the table's files from all tasks' staged rows at once.

    ``arrow`` (delta-rs): Arrow IPC, uncompressed, written at memory speed and memory-mapped
    back whole by the partition writer; on the 2.5 M links of ``bench pipeline``'s 100 k
    diverse pages the tasks spent 1.3-2.4 s staging (the IPC writes alone: 0.7 s), against
    9.7 s for their own sorted Parquet files plus 5.1 s to read those back for the rewrite.
    ``parquet`` (delta-spark): zstd Parquet, unsorted, which Spark reads back natively.
    """
    table = _validated(spec, table)
    if table.num_rows == 0:
        return []
    if staged_format not in STAGED_FORMATS:
        raise ValueError(f"unknown staged format {staged_format!r}")
    relative = f"{partition_folder(spec, partition_values)}/part-{uuid.uuid4().hex}.{staged_format}"
    filesystem, where = storage.filesystem(storage.join(root, relative))
    filesystem.create_dir(where.rsplit("/", 1)[0], recursive=True)
    with filesystem.open_output_stream(where) as sink:
        if staged_format == "arrow":
            with pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table, max_chunksize=ROW_GROUP_ROWS)
        else:
            pq.write_table(table, sink, compression="zstd", compression_level=1)
        size = sink.tell()
    return [
        DataFile(
            path=relative,
            size=size,
            partition_values=dict(partition_values),
            rows=table.num_rows,
            stats=json.dumps({"numRecords": table.num_rows}),
            source=source,
        )
    ]


def staged_format_of(data_file: DataFile) -> str:
    """The format :func:`stage_rows` wrote ``data_file`` in (its name's suffix)."""
    return data_file.path.rsplit(".", 1)[-1]


def read_staged(root: str, files: list[DataFile], columns: list[str] | None = None) -> pa.Table:
    """Staged rows of ``files`` (either format) as one table; local Arrow files are
    memory-mapped, so a reader holds only the rows it takes from them."""
    tables = []
    for data_file in files:
        uri = storage.join(root, data_file.path)
        filesystem, where = storage.filesystem(uri)
        if staged_format_of(data_file) == "parquet":
            tables.append(pq.read_table(where, filesystem=filesystem, columns=columns))
            continue
        if isinstance(filesystem, pa.fs.LocalFileSystem):
            source = pa.memory_map(where)
        else:
            source = filesystem.open_input_file(where)
        table = pa.ipc.open_file(source).read_all()
        tables.append(table.select(columns) if columns else table)
    if not tables:
        raise ValueError("no staged files to read")
    return pa.concat_tables(tables).unify_dictionaries()  # one dictionary per column


def dictionary_encoded(table: pa.Table, spec: TableSpec) -> pa.Table:
    """String columns Parquet dictionary-encodes anyway, encoded before the sort: the
    Z-order reuses their codes, the reorder moves 4-byte codes instead of strings, and the
    Parquet writer takes the dictionary as it is instead of hashing every value again.
    Columns already dictionary-encoded (by the extract tasks, per batch) stay as they are."""
    import pyarrow.compute as pc

    columns = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_string(column.type) and name not in spec.distinct_columns:
            column = pc.dictionary_encode(one_array(column))
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def one_array(column: pa.ChunkedArray) -> pa.Array:
    """A column as one array: its only chunk as it is (``combine_chunks`` copies even one
    chunk), several chunks joined."""
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Cast columns to the table's types; dictionary arrays of the right value type stay."""
    for index, field in enumerate(schema):
        column = table.column(index)
        kind = column.type
        if pa.types.is_dictionary(kind) and kind.value_type == field.type:
            continue
        if kind != field.type:
            table = table.set_column(index, field.name, column.cast(field.type))
    return table


def _write_file(
    spec: TableSpec,
    root: str,
    folder: str,
    partition_values: dict[str, str],
    schema: pa.Schema,
    columns: list[pa.Array],
    rows: pa.Array,
) -> DataFile:
    """Write the rows at positions ``rows`` of ``columns`` (in that order) as one file."""
    relative = f"{folder}/part-{uuid.uuid4().hex}.zstd.parquet"
    filesystem, where = storage.filesystem(storage.join(root, relative))
    filesystem.create_dir(where.rsplit("/", 1)[0], recursive=True)
    collected: list[pq.FileMetaData] = []
    with filesystem.open_output_stream(where) as sink:
        writer = pq.ParquetWriter(
            sink,
            schema,
            compression="zstd",
            compression_level=1,
            use_dictionary=[n for n in schema.names if n not in spec.distinct_columns],
            write_statistics=spec.stats_columns,
            store_schema=False,  # readers take the types from Parquet (dictionaries stay strings)
            write_batch_size=64 * 1024,
            metadata_collector=collected,
        )
        for start in range(0, len(rows), ROW_GROUP_ROWS):
            group = rows.slice(start, ROW_GROUP_ROWS)
            writer.write_table(
                pa.Table.from_arrays(
                    [_compacted(column.take(group)) for column in columns], schema=schema
                ),
                row_group_size=ROW_GROUP_ROWS,
            )
        writer.close()
        size = sink.tell()
    return DataFile(
        path=relative,
        size=size,
        partition_values=dict(partition_values),
        rows=len(rows),
        stats=json.dumps(delta_stats(collected[0], schema), separators=(",", ":")),
    )


def _compacted(array: pa.Array) -> pa.Array:
    """A dictionary array with only the entries its rows use.

    ``take`` keeps the whole dictionary of the task's table, and the Parquet writer writes a
    dictionary array's dictionary as it is: every row group of every file carried all the
    task's distinct anchors, contexts and ids (a 2.5 M-row partition took 5.6 GB in 16 k-row
    files of 38 MB, and 0.76 s a file to write)."""
    if not pa.types.is_dictionary(array.type):
        return array
    indices = array.indices
    valid = None if indices.null_count == 0 else pc.is_valid(indices).to_numpy(False)
    codes = pc.fill_null(indices, 0).to_numpy() if valid is not None else indices.to_numpy()
    # A mask and a lookup table over the dictionary, not np.unique + searchsorted: linear,
    # 0.28 s instead of 1.23 s for a 1.25 M-row share of bench pipeline's partition.
    kept = codes if valid is None else codes[valid]
    seen = np.zeros(len(array.dictionary), bool)
    seen[kept] = True
    used = np.flatnonzero(seen)
    lookup = np.empty(len(seen), np.int32)
    lookup[used] = np.arange(len(used), dtype=np.int32)
    if valid is None:
        local = lookup[codes]
    else:
        local = np.zeros(len(codes), np.int32)  # masked rows: any code will do
        local[valid] = lookup[kept]
    return pa.DictionaryArray.from_arrays(
        pa.array(local, mask=None if valid is None else ~valid),
        array.dictionary.take(pa.array(used, type=pa.int64())),
    )


def delta_stats(metadata: pq.FileMetaData, schema: pa.Schema) -> dict[str, Any]:
    """Delta's per-file statistics from a Parquet footer (every row group folded in)."""
    minimum: dict[str, Any] = {}
    maximum: dict[str, Any] = {}
    nulls: dict[str, int] = {}
    for index, field in enumerate(schema):
        lows, highs, null_count, complete = [], [], 0, True
        for group in range(metadata.num_row_groups):
            chunk = metadata.row_group(group).column(index)
            stats = chunk.statistics
            if stats is None or not stats.has_null_count:
                complete = False
                break
            null_count += stats.null_count
            if stats.has_min_max:
                lows.append(stats.min)
                highs.append(stats.max)
            elif stats.null_count < chunk.num_values:
                complete = False
        if not complete:
            continue
        nulls[field.name] = null_count
        low, high = (
            (_stat_value(min(lows), "min"), _stat_value(max(highs), "max"))
            if lows
            else (
                None,
                None,
            )
        )
        if low is not None and high is not None:
            minimum[field.name], maximum[field.name] = low, high
    return {
        "numRecords": metadata.num_rows,
        "minValues": minimum,
        "maxValues": maximum,
        "nullCount": nulls,
    }


def _stat_value(value: Any, side: str) -> Any:
    """A statistic as Delta's JSON holds it; None when it cannot bound the column safely."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes):
        return None
    if isinstance(value, str) and len(value) > STATS_STRING_PREFIX:
        prefix = value[:STATS_STRING_PREFIX]
        return prefix if side == "min" else prefix + "\U0010ffff"  # still >= every value
    return value


def delete_files(root: str, files: list[DataFile]) -> None:
    """Remove files that will never be committed (best effort: orphans are harmless)."""
    for data_file in files:
        try:
            filesystem, where = storage.filesystem(storage.join(root, data_file.path))
            filesystem.delete_file(where)
        except OSError:
            pass


def now_ms() -> int:
    return int(time.time() * 1000)
