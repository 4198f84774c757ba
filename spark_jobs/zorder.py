"""Z-order (Morton) keys over string columns, vectorised, and how well files keep to them.

A row's key interleaves the bits of each Z-order column's *dense rank*: the position of its
value among the distinct values of the rows being sorted (full string order; a null ranks
first, like the empty string), scaled to 32 bits. Sorting by it places rows along one
Z-curve: cut into files, each file then spans a narrow range of *every* Z-order column,
which is what lets per-file min/max statistics skip files for a predicate on any one of
them. This is the layout ``OPTIMIZE ZORDER BY`` builds (delta-spark interleaves range ids
too); the delta-rs writer sorts rows this way while writing instead of rewriting them.

Why ranks, not the strings' bytes: a point lookup asks about one domain and reads every
file whose [min, max] holds it, so a file costs lookups in proportion to the number of
*distinct values* its range covers. With ranks every distinct value gets the same share of
the curve, and the curve's cells are as wide in one column as in the other in that measure.
The first key of this module interleaved the leading 8 bytes instead: ASCII leaves most of
those bits constant, domains sharing an 8-byte prefix could not be told apart, and a column
of few, popular values (``src_domain``: a page's ~60 links share it) got cells many values
wide. On 2 M synthetic links cut into 123 files (``spark_jobs.skipping_bench``, 500 random
distinct domains per column) lookups skipped 89.3 % (src_domain) / 94.3 % (dst_domain) of
the files with byte keys and 95.7 % / 93.2 % with rank keys, the same file count.

Files of different tasks overlap (each task's rows make their own curve), so the writer also
cuts each file into row groups of 128 k rows (``spark_jobs.files.ROW_GROUP_ROWS``): along
the curve each row group spans a narrow slice of both columns, and a reader that uses
Parquet row-group statistics (Spark, DuckDB, pyarrow datasets) skips most row groups inside
every file it cannot skip whole. Measured on 2.5 M links: 64 k-row groups cost ~10 % more
encoding time and ~20 % more bytes (dictionaries per group) for finer skipping; 1 M-row
groups save ~10 % and skip little.

Imports only numpy and pyarrow: it runs inside Spark's Python workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def dense_ranks(column: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, rank per code): codes index the column's distinct values (a null gets
    the last code), ranks order them as strings from 1 (a null ranks 0)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if not isinstance(column, pa.DictionaryArray):
        column = pc.dictionary_encode(column)
    distinct = len(column.dictionary)
    ranks = np.zeros(distinct + 1, np.uint64)
    # a dictionary may repeat a value (unified chunks): equal values share their rank
    ordered = pc.sort_indices(column.dictionary).to_numpy()
    values = column.dictionary.take(pa.array(ordered))
    if distinct > 1:
        changed = pc.not_equal(values.slice(1), values.slice(0, distinct - 1))
        steps = np.concatenate([[1], changed.to_numpy(zero_copy_only=False)]).astype(np.uint64)
    else:
        steps = np.ones(distinct, np.uint64)
    ranks[ordered] = np.cumsum(steps, dtype=np.uint64)
    indices = column.indices
    if indices.null_count:
        indices = indices.fill_null(distinct)
    return indices.to_numpy(zero_copy_only=False), ranks


def _spread(x: np.ndarray) -> np.ndarray:
    """Insert a zero bit after each of the low 32 bits (classic Morton bit tricks)."""
    x = x & np.uint64(0xFFFFFFFF)
    for shift, mask in (
        (16, 0x0000FFFF0000FFFF),
        (8, 0x00FF00FF00FF00FF),
        (4, 0x0F0F0F0F0F0F0F0F),
        (2, 0x3333333333333333),
        (1, 0x5555555555555555),
    ):
        x = (x | (x << np.uint64(shift))) & np.uint64(mask)
    return x


def _interleave32(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """64-bit Morton keys: ``a``'s bit above ``b``'s at every level."""
    return (_spread(a) << np.uint64(1)) | _spread(b)


def _scaled(ranks: np.ndarray) -> np.ndarray:
    """Ranks spread over 32 bits, so two columns of any cardinalities share the key evenly."""
    return (ranks << np.uint64(32)) // np.uint64(int(ranks.max(initial=0)) + 1)


def zorder_indices(table: pa.Table, columns: Sequence[str]) -> np.ndarray:
    """Row order along the Z-curve; stable, so equal keys keep their arrival order.

    Rows share values heavily (a page's links all have its ``src_domain``, most of them the
    same ``dst_domain``), so each column is dictionary-encoded, the rows' combinations of
    codes are hashed to their distinct tuples, and Morton keys are computed and sorted for
    those tuples only; rows are then placed by their tuple's rank with a linear radix sort.
    """
    if table.num_rows == 0:
        return np.zeros(0, np.int64)
    if not 1 <= len(columns) <= 2:
        raise ValueError(f"Z-order over {len(columns)} columns: 1 or 2 supported")
    codes, ranks = zip(*(dense_ranks(table.column(name)) for name in columns), strict=True)
    if len(codes) == 1:
        return _radix_order(ranks[0], codes[0])
    width = np.int64(len(ranks[1]))
    distinct, combined = _distinct(codes[0].astype(np.int64) * width + codes[1])
    keys = _interleave32(_scaled(ranks[0])[distinct // width], _scaled(ranks[1])[distinct % width])
    return _radix_order(np.unique(keys, return_inverse=True)[1].astype(np.uint32), combined)


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values in first-seen order, index of each value among them), by hashing."""
    encoded = pc.dictionary_encode(pa.array(values))
    return encoded.dictionary.to_numpy(), encoded.indices.to_numpy()


def _radix_order(rank: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Rows ordered by the rank of their code, stable (numpy's 16-bit stable sort is radix)."""
    row_rank = rank[code]
    if int(rank.max(initial=0)) < 1 << 16:
        return np.argsort(row_rank.astype(np.uint16), kind="stable")
    low_first = np.argsort((row_rank & 0xFFFF).astype(np.uint16), kind="stable")
    high = (row_rank[low_first] >> 16).astype(np.uint16)
    return low_first[np.argsort(high, kind="stable")]


def range_overlap(bounds: Sequence[tuple[Any, Any]]) -> float:
    """How much files' [min, max] ranges of one column overlap, from 0 (disjoint) to 1.

    The mean, over files, of the share of the *other* files whose range intersects the
    file's own: a point lookup on a value in a file's range reads about ``1 + overlap *
    (files - 1)`` files. Files without bounds count as overlapping everything.
    """
    files = len(bounds)
    if files < 2:
        return 0.0
    known = [(low, high) for low, high in bounds if low is not None and high is not None]
    unknown = files - len(known)
    lows = sorted(low for low, _ in known)
    highs = sorted(high for _, high in known)
    import bisect

    shares = []
    for low, high in known:
        # ranges intersecting [low, high]: not (other.high < low or other.low > high)
        disjoint = bisect.bisect_left(highs, low) + (len(lows) - bisect.bisect_right(lows, high))
        intersecting = len(known) - disjoint - 1 + unknown
        shares.append(intersecting / (files - 1))
    shares.extend([1.0] * unknown)
    return round(sum(shares) / files, 4)


def point_lookup_skip(
    bounds: Sequence[tuple[Any, Any]], probes: Sequence[Any] | None = None
) -> float:
    """The share of a partition's files a point lookup skips on min/max statistics, averaged
    over lookups of ``probes`` (default: each file's own low and high bound, values that
    exist, the popular ones weighted as they start and end files). One file: nothing to
    skip (0). A file whose column is all null is always skipped."""
    files = len(bounds)
    known = [(low, high) for low, high in bounds if low is not None and high is not None]
    if files < 2 or not known:
        return 0.0
    import bisect

    lows = sorted(low for low, _ in known)
    highs = sorted(high for _, high in known)
    values = list(probes) if probes is not None else [v for pair in known for v in pair]
    read = 0
    for value in values:
        # files with low <= value <= high: all minus (high < value) minus (low > value)
        read += (
            len(known)
            - bisect.bisect_left(highs, value)
            - (len(lows) - bisect.bisect_right(lows, value))
        )
    return round(1 - read / (max(len(values), 1) * files), 4)
