"""Damaged WARC input (issue 16): a record whose framing lies is an error at its offset,
never a page carrying another record's bytes, and every record seen is counted once."""

from __future__ import annotations

import io
import re

import pytest

from extraction.warc import ReadStats, iter_html_records
from tests.extraction.builders import gz, html_record, page

READERS = ["warcio", "fastwarc"]


def records(n: int, lengths: dict[int, int] | None = None) -> list[bytes]:
    """``n`` uncompressed page records, record ``i`` declaring ``lengths[i]`` if given;
    each page names its own marker ``MARK<i>`` so a swallowed record is visible."""
    lengths = lengths or {}
    return [
        html_record(
            page(body=f"<a href='https://x{i}.com/'>x</a> MARK{i}."),
            url=f"https://a.com/{i}",
            content_length=lengths.get(i),
        )
        for i in range(n)
    ]


def read(data: bytes, reader: str, name: str):
    stats = ReadStats()
    pages = list(iter_html_records(io.BytesIO(data), name, stats, reader=reader))
    return pages, stats


def assert_exact(pages, stats) -> None:
    """Counts add up and no page holds another record's marker."""
    assert stats.records_read == len(pages) + stats.records_skipped + stats.records_failed
    assert stats.records_failed <= len(stats.errors)
    for got in pages:
        own = got.url.rsplit("/", 1)[1]
        assert set(re.findall(rb"MARK(\d+)", got.payload)) == {own.encode()}, got.url


def with_length(record: bytes, value: str) -> bytes:
    new = f"Content-Length: {value}\r\n".encode()
    return re.sub(rb"Content-Length: [^\r]*\r\n", new, record, count=1)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_too_long_content_length_is_an_error_and_swallows_nothing(reader, compressed) -> None:
    recs = records(8, {3: 3000})  # record 4 of 8 claims far more than it holds
    members = [gz(r) for r in recs] if compressed else recs
    name = "t.warc.gz" if compressed else "t.warc"
    pages, stats = read(b"".join(members), reader, name)
    assert [p.url[-1] for p in pages] == list("0124567")
    offset = sum(len(m) for m in members[:3])
    assert [(e["file"], e["offset"]) for e in stats.errors] == [(name, offset)]
    assert "Content-Length 3000" in stats.errors[0]["error"]
    assert stats.records_read == 8
    assert_exact(pages, stats)


@pytest.mark.parametrize("reader", READERS)
def test_corrupt_gzip_magic_is_a_counted_error(reader) -> None:
    members = [gz(r) for r in records(4)]
    members[1] = b"\x1f\x8c" + members[1][2:]
    pages, stats = read(b"".join(members), reader, "t.warc.gz")
    assert [p.url[-1] for p in pages] == ["0", "2", "3"]
    assert [e["offset"] for e in stats.errors] == [len(members[0])]
    assert stats.records_read == 4
    assert_exact(pages, stats)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("value", ["-5", "abc", "10"], ids=["negative", "non-numeric", "short"])
def test_bad_content_length_is_counted_once(reader, compressed, value) -> None:
    recs = records(4)
    recs[1] = with_length(recs[1], value)
    members = [gz(r) for r in recs] if compressed else recs
    pages, stats = read(b"".join(members), reader, "t.warc.gz" if compressed else "t.warc")
    assert [p.url[-1] for p in pages] == ["0", "2", "3"]
    assert [e["offset"] for e in stats.errors] == [len(members[0])]
    assert value in stats.errors[0]["error"]
    assert stats.records_read == 4 and stats.records_failed == 1 and not stats.skipped
    assert_exact(pages, stats)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("keep", [0.3, 0.7, 0.95])
def test_truncated_last_record_is_an_error_not_a_clean_page(reader, compressed, keep) -> None:
    members = [gz(r) for r in records(3)] if compressed else records(3)
    cut = sum(len(m) for m in members[:2]) + int(len(members[2]) * keep)
    pages, stats = read(b"".join(members)[:cut], reader, "t.warc")
    assert [(p.url[-1], p.truncated) for p in pages] == [("0", False), ("1", False)]
    assert [e["offset"] for e in stats.errors] == [sum(len(m) for m in members[:2])]
    assert stats.records_read == 3
    assert_exact(pages, stats)


@pytest.mark.parametrize("reader", READERS)
def test_empty_file_is_an_error_of_the_file(reader, warc_file) -> None:
    stats = ReadStats()
    assert list(iter_html_records(warc_file(b"", "e.warc.gz"), "e.warc.gz", stats, reader)) == []
    error = {"file": "e.warc.gz", "offset": 0, "error": "empty file: no WARC records"}
    assert stats.errors == [error]
    assert stats.records_read == 0
