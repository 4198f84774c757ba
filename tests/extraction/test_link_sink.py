"""The C ``LinkSink`` (``extract_into``): the same links as the list form, field by field,
on real and diverse pages; a page that fails or is dropped leaves none of its links."""

from __future__ import annotations

from pathlib import Path

import pytest

import extraction.extract as extract_module
from extraction.extract import (
    LINK_COLUMNS,
    PAGE_LEVEL_LINK_COLUMNS,
    extract_into,
    extract_warc_columns,
    extract_warc_into,
    new_link_sink,
    page_link_values,
)
from extraction.synthetic import write_diverse_warc
from extraction.warc import iter_html_records


def sink_columns(sink) -> dict[str, list]:
    """What ``take()`` hands over, decoded without pyarrow: the layout is Arrow's."""
    import array

    rows, positions, columns = sink.take()
    decoded = {"position": array.array("i", positions).tolist()}
    for name, (nulls, validity, offsets, data) in columns.items():
        ends = array.array("i", offsets)
        assert len(ends) == rows + 1 and ends[0] == 0 and ends[-1] == len(data)
        values = []
        for row in range(rows):
            valid = validity is None or validity[row >> 3] >> (row & 7) & 1
            values.append(data[ends[row] : ends[row + 1]].decode() if valid else None)
        assert values.count(None) == nulls
        decoded[name] = values
    assert sink.rows == 0  # take() empties it
    return decoded


def assert_same_links(path: Path) -> int:
    expected: dict[str, list] = {name: [] for name in LINK_COLUMNS}
    pages = []
    for page, columns in extract_warc_columns(path, warc_filename="f.warc.gz"):
        pages.append(page)
        for name in LINK_COLUMNS:
            expected[name] += columns[name]
    sink = new_link_sink()
    got_pages = list(extract_warc_into(path, sink, warc_filename="f.warc.gz"))
    assert got_pages == pages
    got = sink_columns(sink)
    for page in pages:  # the page-level values the sink leaves to its consumer
        for name, value in page_link_values(page).items():
            got.setdefault(name, []).extend([value] * page["external_links"])
    assert set(got) == set(LINK_COLUMNS) - {"link_id"}
    for name in got:
        assert got[name] == expected[name], name
    assert set(PAGE_LEVEL_LINK_COLUMNS) < set(got)
    return len(expected["dst_url"])


def test_the_sink_holds_every_field_of_every_link_on_the_real_warc_files(real_warc):
    links = sum(assert_same_links(path) for path in sorted(real_warc.glob("*.warc.gz")))
    assert links > 50


def test_the_sink_holds_every_field_of_every_link_on_diverse_pages(tmp_path):
    path = tmp_path / "diverse.warc.gz"
    write_diverse_warc(path, 40, seed=11)
    assert assert_same_links(path) > 500


def test_a_failed_or_dropped_page_leaves_none_of_its_links(tmp_path, monkeypatch):
    path = tmp_path / "diverse.warc.gz"
    write_diverse_warc(path, 3, seed=5)
    first, second, _third = iter_html_records(path, "d.warc.gz")
    sink = new_link_sink()
    kept = extract_into(first, sink)
    assert sink.rows == kept["external_links"] > 0

    def broken(*_args):
        raise RuntimeError("seed table unreadable")

    monkeypatch.setattr(extract_module, "_page_row", broken)
    with pytest.raises(RuntimeError):
        extract_into(second, sink)
    assert sink.rows == kept["external_links"]  # the failed page's links are gone
    monkeypatch.undo()
    again = extract_into(second, sink)
    sink.truncate(sink.rows - again["external_links"])  # a page the caller drops
    urls = [url for _page, c in extract_warc_columns(path, "d.warc.gz") for url in c["dst_url"]]
    assert sink_columns(sink)["dst_url"] == urls[: kept["external_links"]]


def test_a_sink_refuses_internal_links():
    from extraction.html import parse_raw

    with pytest.raises(ValueError, match="leave the site"):
        parse_raw(b"<a href='/x'>x</a>", "https://a.example/", keep_internal=True,
                  sink=new_link_sink())  # fmt: skip
