"""Z-order keys: ordered like the strings' prefixes, interleaved over two columns."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from spark_jobs.zorder import prefix_u64, range_overlap, zorder_indices, zorder_keys


def test_prefix_keys_order_like_the_strings():
    values = ["b.de", "a.de", "", None, "zürich.ch", "aaaaaaaaaaaa.com", "aaaaaaaab.com", "ab"]
    keys = prefix_u64(pa.array(values))
    by_key = [values[i] for i in np.argsort(keys, kind="stable")]
    assert by_key == [
        "",
        None,
        "a.de",
        "aaaaaaaaaaaa.com",  # equal 8-byte prefixes keep their order
        "aaaaaaaab.com",
        "ab",
        "b.de",
        "zürich.ch",
    ]


def test_dictionary_and_sliced_arrays_give_the_same_keys():
    plain = pa.array(["x.de", None, "a.com", "x.de", "m.org"])
    encoded = plain.dictionary_encode()
    assert (prefix_u64(encoded) == prefix_u64(plain)).all()
    assert (prefix_u64(plain.slice(2)) == prefix_u64(plain)[2:]).all()
    chunked = pa.chunked_array([plain.slice(0, 2), plain.slice(2)])
    assert (prefix_u64(chunked) == prefix_u64(plain)).all()


def test_two_columns_interleave_their_bits():
    table = pa.table({"a": ["a", "a", "b", "b"], "b": ["a", "b", "a", "b"]})
    high, low = zorder_keys([table["a"], table["b"]])
    assert len(high) == len(low) == 4
    # Z-curve order over the 2x2 grid: (a,a) (a,b) (b,a) (b,b) — "a"=0x61, "b"=0x62 differ
    # in their lowest bit, so the first column's bit ranks above the second's.
    assert zorder_indices(table, ["a", "b"]).tolist() == [0, 1, 2, 3]
    swapped = pa.table({"a": ["b", "a", "b", "a"], "b": ["b", "b", "a", "a"]})
    assert zorder_indices(swapped, ["a", "b"]).tolist() == [3, 1, 2, 0]


def test_range_overlap():
    assert range_overlap([("a", "b"), ("c", "d"), ("e", "f")]) == 0.0
    assert range_overlap([("a", "z"), ("b", "y"), ("c", "x")]) == 1.0
    assert range_overlap([("a", "c"), ("b", "d"), ("e", "f")]) == round((0.5 + 0.5 + 0) / 3, 4)
    assert range_overlap([("a", "b"), (None, None)]) == 1.0
    assert range_overlap([("a", "b")]) == 0.0
