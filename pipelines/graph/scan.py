"""Read a Delta table with partition pruning and file skipping, counting the files scanned.

delta-rs gives every data file's partition values and per-column min/max statistics (the
Delta log's ``add`` actions). Before a query we keep only the files whose partition matches
and whose [min, max] range of a Z-order column can contain one of the looked-up values.
DuckDB then scans just those files: local tables with its built-in Parquet reader (row-group
pruning, late materialization; partition values added back as constants), remote ones
(``s3://``) as a ``pyarrow`` dataset of the kept fragments, after a cheap semi-join on the
looked-up columns. No DuckDB extension is needed, nothing is downloaded, and the number of
files scanned is known exactly, which is what ``supplylinks bench graph`` reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

#: delta-spark truncates string statistics to a 32-character prefix; a truncated max is then
#: only an upper bound for strings sharing that prefix, so widen it by the largest code point.
STATS_PREFIX_LENGTH = 32
_TOP = "\U0010ffff"
#: Beyond this many candidate files, first read only the looked-up columns to find the files
#: that really match (cheap), then read all columns of those.
REFINE_ABOVE = 2


class MissingTable(FileNotFoundError):
    """The warehouse has no such Delta table (yet)."""


@dataclass
class Scan:
    """The files one query reads, and how many the table has in total."""

    dataset: ds.Dataset
    files_scanned: int  # kept by partition values and min/max statistics
    files_total: int
    files_read: int  # read in full (after the semi-join on the looked-up columns)
    #: Local tables: the kept files grouped by partition values, for DuckDB's Parquet reader.
    local_parts: list[tuple[dict[str, str], list[str]]] | None = None

    def duckdb_source(self) -> str | None:
        """A SELECT over the kept local files with DuckDB's built-in Parquet reader, or None.

        Delta keeps partition values out of the files, so they come back as constants.
        DuckDB's reader (no extension) prunes row groups and decodes the other columns only
        for rows passing the filter: faster than Arrow datasets. Remote tables use Arrow.
        """
        if not self.local_parts:
            return None
        selects = []
        for values, files in self.local_parts:
            file_list = ", ".join(_sql_string(f) for f in files)
            constants = "".join(f", {_sql_string(v)} AS {k}" for k, v in values.items())
            # hive_partitioning off: the partition columns come from the Delta log, not paths
            options = "hive_partitioning = false, union_by_name = true"
            selects.append(f"SELECT *{constants} FROM read_parquet([{file_list}], {options})")
        return " UNION ALL ".join(selects)


class DeltaSource:
    """One Delta table snapshot: its files, partition values and column statistics."""

    def __init__(
        self,
        uri: str,
        *,
        skip_columns: Sequence[str],
        storage_options: dict[str, str] | None = None,
        native_reader: bool = True,
    ) -> None:
        """``native_reader=False`` reads local tables through Arrow too (as remote ones are)."""
        from deltalake import DeltaTable
        from deltalake.exceptions import TableNotFoundError

        try:
            table = DeltaTable(uri, storage_options=storage_options)
        except TableNotFoundError:
            raise MissingTable(f"no Delta table at {uri}") from None
        self.uri = uri
        self.version = table.version()
        self._local_root = _local_root(uri) if native_reader else None
        self.dataset = table.to_pyarrow_dataset()
        by_path = {fragment.path: fragment for fragment in self.dataset.get_fragments()}
        actions = pa.table(table.get_add_actions(flatten=True))
        paths = actions["path"].to_pylist()
        self._fragments = [_fragment_for(by_path, path) for path in paths]
        self._local_files = (
            None if self._local_root is None else [_local_file(self._local_root, p) for p in paths]
        )
        self._partitions = {
            name.removeprefix("partition."): np.array(actions[name].to_pylist(), dtype=object)
            for name in actions.column_names
            if name.startswith("partition.")
        }
        self._stats = {
            column: _stat_bounds(actions, column)
            for column in skip_columns
            if f"min.{column}" in actions.column_names
        }

    @property
    def files_total(self) -> int:
        return len(self._fragments)

    def partition_values(self, column: str) -> list[str]:
        values = self._partitions.get(column)
        return sorted({v for v in values if v is not None}) if values is not None else []

    def scan(
        self,
        *,
        partitions: Mapping[str, Iterable[str]] | None = None,
        any_of: Mapping[str, Iterable[str]] | None = None,
    ) -> Scan:
        """Files in the given partitions that may hold a row whose column takes one of the values.

        ``partitions`` maps a partition column to the accepted values (AND across columns);
        ``any_of`` maps skip columns to looked-up values (OR across columns, as in
        ``src_domain IN (...) OR dst_domain IN (...)``). ``None`` keeps everything.
        """
        keep = np.ones(self.files_total, dtype=bool)
        for column, accepted in (partitions or {}).items():
            keep &= np.isin(self._partitions[column], np.array(list(accepted), dtype=object))
        if any_of is not None:
            hit = np.zeros(self.files_total, dtype=bool)
            for column, values in any_of.items():
                hit |= self._may_contain(column, values)
            keep &= hit
        indices = np.flatnonzero(keep)
        chosen = [self._fragments[i] for i in indices]
        scanned = len(chosen)
        if self._local_files is not None:
            parts = self._local_parts(indices)
            return Scan(self._dataset_of(chosen), scanned, self.files_total, scanned, parts)
        if any_of is not None and scanned > REFINE_ABOVE:
            chosen = self._with_matches(chosen, any_of)
        return Scan(self._dataset_of(chosen), scanned, self.files_total, len(chosen))

    def _local_parts(self, indices: np.ndarray) -> list[tuple[dict[str, str], list[str]]]:
        assert self._local_files is not None
        groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
        for i in indices:
            key = tuple((column, values[i]) for column, values in self._partitions.items())
            groups.setdefault(key, []).append(self._local_files[i])
        return [(dict(key), files) for key, files in groups.items()]

    def _dataset_of(self, fragments: list[ds.Fragment]) -> ds.FileSystemDataset:
        return ds.FileSystemDataset(
            fragments, self.dataset.schema, self.dataset.format, self.dataset.filesystem
        )

    def _with_matches(
        self, fragments: list[ds.Fragment], any_of: Mapping[str, Iterable[str]]
    ) -> list[ds.Fragment]:
        """Of the files the statistics kept, those that really hold a matching row.

        Reads only the looked-up columns (a semi-join before the full read), so the query
        then decodes every column of a handful of files instead of all candidate files.
        """
        columns = list(any_of)
        condition = None
        for column, values in any_of.items():
            term = pc.field(column).isin(pa.array(sorted(set(values)), pa.string()))
            condition = term if condition is None else condition | term
        scanner = self._dataset_of(fragments).scanner(columns=columns, filter=condition)
        matched = {t.fragment.path for t in scanner.scan_batches() if t.record_batch.num_rows}
        return [f for f in fragments if f.path in matched]

    def _may_contain(self, column: str, values: Iterable[str]) -> np.ndarray:
        wanted = np.array(sorted(set(values)), dtype=object)
        if column not in self._stats:  # no statistics: every file may contain it
            return np.ones(self.files_total, dtype=bool)
        if not len(wanted):
            return np.zeros(self.files_total, dtype=bool)
        low, high = self._stats[column]
        first = np.searchsorted(wanted, low, side="left")
        last = np.searchsorted(wanted, high, side="right")
        return last > first


def _fragment_for(by_path: dict[str, ds.Fragment], path: str) -> ds.Fragment:
    if path in by_path:
        return by_path[path]
    from urllib.parse import unquote

    return by_path[unquote(path)]


def _stat_bounds(actions: pa.Table, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-file [low, high] of a string column; missing statistics become an open range."""
    lows = [("" if v is None else v) for v in actions[f"min.{column}"].to_pylist()]
    highs = [
        _TOP if v is None else (v + _TOP if len(v) >= STATS_PREFIX_LENGTH else v)
        for v in actions[f"max.{column}"].to_pylist()
    ]
    return np.array(lows, dtype=object), np.array(highs, dtype=object)


def _sql_string(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _local_root(uri: str) -> Path | None:
    if uri.startswith("file://"):
        uri = uri.removeprefix("file://")
    elif "://" in uri:
        return None
    return Path(uri).resolve()


def _local_file(root: Path, path: str) -> str:
    from urllib.parse import unquote

    if path.startswith("/"):
        return path
    return str(root / unquote(path))
