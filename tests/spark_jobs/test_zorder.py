"""Z-order keys: ordered like the strings, their ranks interleaved over two columns."""

from __future__ import annotations

import pyarrow as pa

from spark_jobs.zorder import dense_ranks, range_overlap, zorder_indices


def order_of(values: list, column: pa.Array | pa.ChunkedArray | None = None) -> list:
    table = pa.table({"a": column if column is not None else pa.array(values)})
    order = zorder_indices(table, ["a"])
    return [values[i] for i in order]


def test_one_column_orders_like_the_strings():
    values = ["b.de", "a.de", "", None, "zürich.ch", "aaaaaaaab.com", "aaaaaaaaaaaa.com", "ab"]
    assert order_of(values) == [
        None,  # a null ranks first, then the empty string
        "",
        "a.de",
        "aaaaaaaaaaaa.com",  # the whole string counts, not a prefix of it
        "aaaaaaaab.com",
        "ab",
        "b.de",
        "zürich.ch",
    ]


def test_dictionary_and_chunked_arrays_give_the_same_order():
    values = ["x.de", None, "a.com", "x.de", "m.org", "a.com"]
    plain = pa.array(values)
    expected = order_of(values)
    assert expected == [None, "a.com", "a.com", "m.org", "x.de", "x.de"]
    assert order_of(values, plain.dictionary_encode()) == expected
    chunked = pa.chunked_array([plain.slice(0, 2), plain.slice(2)])
    assert order_of(values, chunked) == expected
    codes, ranks = dense_ranks(plain)
    assert [int(ranks[c]) for c in codes] == [3, 0, 1, 3, 2, 1]  # dense: equal values, one rank


def test_two_columns_interleave_their_ranks():
    table = pa.table({"a": ["a", "a", "b", "b"], "b": ["a", "b", "a", "b"]})
    # Z-curve order over the 2x2 grid: (a,a) (a,b) (b,a) (b,b); the first column's bit ranks
    # above the second's at every level.
    assert zorder_indices(table, ["a", "b"]).tolist() == [0, 1, 2, 3]
    swapped = pa.table({"a": ["b", "a", "b", "a"], "b": ["b", "b", "a", "a"]})
    assert zorder_indices(swapped, ["a", "b"]).tolist() == [3, 1, 2, 0]


def test_columns_of_different_cardinality_share_the_curve_evenly():
    """Few values in one column, many in the other, the few differing only in a late byte:
    each column's ranks span the same 32 bits, so 4 equal runs of the curve are 2 x 2 cells
    (with keys from the strings' leading bytes, ``d`` alone would decide the order)."""
    rows = [(s, f"d{d:03d}") for s in ("shop-p", "shop-q") for d in range(100)]
    table = pa.table({"s": [s for s, _ in rows], "d": [d for _, d in rows]})
    ordered = table.take(pa.array(zorder_indices(table, ["s", "d"])))
    runs = [ordered.slice(start, 50) for start in range(0, 200, 50)]
    assert [len(set(run["s"].to_pylist())) for run in runs] == [1, 1, 1, 1]
    assert [(run["d"][0].as_py(), run["d"][49].as_py()) for run in runs] == [
        ("d000", "d049"),
        ("d050", "d099"),
    ] * 2


def test_range_overlap():
    assert range_overlap([("a", "b"), ("c", "d"), ("e", "f")]) == 0.0
    assert range_overlap([("a", "z"), ("b", "y"), ("c", "x")]) == 1.0
    assert range_overlap([("a", "c"), ("b", "d"), ("e", "f")]) == round((0.5 + 0.5 + 0) / 3, 4)
    assert range_overlap([("a", "b"), (None, None)]) == 1.0
    assert range_overlap([("a", "b")]) == 0.0
