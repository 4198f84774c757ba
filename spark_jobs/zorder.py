"""Z-order (Morton) keys over string columns, vectorised, and how well files keep to them.

A row's key interleaves the bits of the leading 8 UTF-8 bytes of each Z-order column
(zero-padded, so the key orders like the strings' prefixes; a null counts as the empty
string). Sorting by it places rows along one Z-curve: cut into files, each file then spans a
narrow range of *every* Z-order column, which is what lets per-file min/max statistics skip
files for a predicate on any one of them. This is the layout ``OPTIMIZE ZORDER BY`` builds;
the delta-rs writer sorts rows this way while writing instead of rewriting them afterwards.

Imports only numpy and pyarrow: it runs inside Spark's Python workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

PREFIX_BYTES = 8


#: MASKS[k] keeps the first k bytes of a big-endian 8-byte word.
_MASKS = np.array(
    [0] + [((1 << (8 * k)) - 1) << (8 * (PREFIX_BYTES - k)) for k in range(1, 9)],
    dtype=np.uint64,
)


def prefix_u64(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The first 8 UTF-8 bytes of each value as a big-endian integer (order-preserving)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if isinstance(array, pa.DictionaryArray):  # keys of the (small) dictionary, then gather
        keys = prefix_u64(array.dictionary)
        indices = array.indices.fill_null(0).to_numpy(zero_copy_only=False)
        out = keys[indices] if len(keys) else np.zeros(len(array), np.uint64)
        if array.null_count:
            out[np.asarray(array.is_null())] = 0
        return out
    if pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type):
        array = array.cast(pa.string() if pa.types.is_large_string(array.type) else pa.binary())
    count = len(array)
    if count == 0:
        return np.zeros(0, np.uint64)
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, count + 1, array.offset * 4)
    first, end = int(offsets[0]), int(offsets[-1])
    padded = np.zeros(end - first + PREFIX_BYTES, np.uint8)  # 8 spare bytes: no overrun
    if data_buffer is not None and end > first:
        padded[: end - first] = np.frombuffer(data_buffer, np.uint8, end - first, first)
    lengths = np.minimum(np.diff(offsets), PREFIX_BYTES)
    if array.null_count:
        lengths = np.where(np.asarray(array.is_null()), 0, lengths)
    # Every 8-byte window of the data, gathered at the values' starts (one copy of 8n bytes).
    windows = np.lib.stride_tricks.as_strided(
        padded, shape=(len(padded) - PREFIX_BYTES + 1, PREFIX_BYTES), strides=(1, 1)
    )
    words = windows[offsets[:-1] - first].view(">u8").reshape(count).astype(np.uint64)
    return words & _MASKS[lengths]


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
    return (_spread(a) << np.uint64(1)) | _spread(b)


def zorder_keys(columns: Sequence[pa.Array | pa.ChunkedArray]) -> list[np.ndarray]:
    """The Morton key of each row, most significant word first (for ``np.lexsort``).

    One column: its 8-byte prefix. Two columns: 128 bits, the prefixes' bits interleaved.
    """
    prefixes = [prefix_u64(column) for column in columns]
    if len(prefixes) == 1:
        return prefixes
    if len(prefixes) != 2:
        raise ValueError(f"Z-order over {len(prefixes)} columns: 1 or 2 supported")
    first, second = prefixes
    low32 = np.uint64(0xFFFFFFFF)
    high = _interleave32(first >> np.uint64(32), second >> np.uint64(32))
    low = _interleave32(first & low32, second & low32)
    return [high, low]


def zorder_indices(table: pa.Table, columns: Sequence[str]) -> np.ndarray:
    """Row order along the Z-curve; stable, so equal keys keep their arrival order.

    Rows share keys heavily (a page's internal links all have the same two domains), so
    the distinct keys are found by hashing, sorted among themselves, and rows are then
    placed by their key's rank with a linear-time radix sort.
    """
    keys = zorder_keys([table.column(name) for name in columns])
    return _sort_by_keys(keys)


def _sort_by_keys(keys: list[np.ndarray]) -> np.ndarray:
    import pyarrow.compute as pc

    count = len(keys[0])
    if count == 0:
        return np.zeros(0, np.int64)
    words = np.empty((count, len(keys)), dtype=">u8")
    for index, key in enumerate(keys):
        words[:, index] = key
    width = 8 * len(keys)
    packed = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), count, [None, pa.py_buffer(words.tobytes())]
    )
    encoded = pc.dictionary_encode(packed)
    distinct = np.frombuffer(encoded.dictionary.buffers()[1], dtype=">u8").reshape(-1, len(keys))
    order = np.lexsort(tuple(distinct[:, i] for i in reversed(range(len(keys)))))
    rank = np.empty(len(order), np.uint32)
    rank[order] = np.arange(len(order), dtype=np.uint32)
    row_rank = rank[encoded.indices.to_numpy()]
    if len(order) <= 1 << 16:  # numpy's stable sort of 16-bit integers is a radix sort
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
