"""WARC reading with both readers: fields, skips by reason, and every kind of bad input."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime

import pytest

from extraction.warc import MAX_PAYLOAD_BYTES, ReadStats, iter_html_records
from tests.extraction.builders import gz, html_record, http_response, page, warc_record

READERS = ["warcio", "fastwarc"]


def good(i: int) -> bytes:
    return gz(html_record(page(body=f"<a href='https://x{i}.com'>x</a>"), url=f"https://a.com/{i}"))


def read(source, reader: str, name: str = "t.warc.gz"):
    stats = ReadStats()
    records = list(iter_html_records(source, name, stats, reader=reader))
    return records, stats


class Unseekable(io.RawIOBase):
    """A stream like an S3 body: read only, no seek."""

    def __init__(self, data: bytes) -> None:
        self.inner = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@pytest.mark.parametrize("reader", READERS)
def test_fields_offsets_and_lengths(reader: str, warc_file) -> None:
    members = [good(1), good(2), good(3)]
    path = warc_file(b"".join(members))
    records, stats = read(path, reader)
    assert [r.url for r in records] == ["https://a.com/1", "https://a.com/2", "https://a.com/3"]
    offsets = [0, len(members[0]), len(members[0]) + len(members[1])]
    assert [r.offset for r in records] == offsets
    assert [r.length for r in records] == [len(m) for m in members]
    first = records[0]
    assert first.status == 200 and first.content_type == "text/html" and first.charset == "utf-8"
    assert first.fetch_time == datetime(2024, 5, 18, 1, 58, 14, tzinfo=UTC)
    assert first.payload.startswith(b"<!DOCTYPE html>") and not first.truncated
    assert first.warc_filename == "t.warc.gz"
    assert stats.records_read == 3 and stats.bytes_read == path.stat().st_size
    assert not stats.errors and not stats.skipped
    # the offset and length locate the record: one range request gets it back
    data = path.read_bytes()
    again, _ = read(io.BytesIO(data[first.offset + first.length : records[2].offset]), reader)
    assert [r.url for r in again] == ["https://a.com/2"]


@pytest.mark.parametrize("reader", READERS)
def test_non_page_records_are_skipped_by_reason(reader: str, warc_file) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    records = [
        warc_record(b"software: test\r\n", url=None, rec_type="warcinfo",
                    content_type="application/warc-fields"),
        warc_record(b"GET / HTTP/1.1\r\nHost: a.com\r\n\r\n", rec_type="request",
                    content_type="application/http; msgtype=request"),
        html_record(page(), url="https://a.com/page"),
        warc_record(b"fetchTimeMs: 12\r\n", rec_type="metadata",
                    content_type="application/warc-fields"),
        warc_record(http_response(b"", None, "304 Not Modified"), rec_type="revisit"),
        warc_record(http_response(b"%PDF-1.4 ...", "application/pdf")),
        warc_record(http_response(png, "text/html")),  # an image labelled text/html
        warc_record(http_response(b"", "text/html")),
        warc_record(http_response(b"<html>moved</html>", "text/html", "301 Moved")),
        warc_record(http_response(b"<html>gone</html>", "text/html", "404 Not Found")),
        warc_record(b"\x00\x01binary resource", rec_type="resource", content_type="image/png"),
    ]  # fmt: skip
    got, stats = read(warc_file(b"".join(gz(r) for r in records)), reader)
    assert [r.url for r in got] == ["https://a.com/page"]
    assert stats.records_read == len(records)
    assert dict(stats.skipped) == {
        "warcinfo": 1,
        "request": 1,
        "metadata": 1,
        "revisit": 1,
        "not_html": 1,
        "binary_payload": 1,
        "empty_payload": 1,
        "status_3xx": 1,
        "status_4xx": 1,
        "other_type": 1,
    }
    assert not stats.errors


@pytest.mark.parametrize("reader", READERS)
def test_truncated_gzip_member_at_end_is_an_error(reader: str, warc_file) -> None:
    g1, g2, g3 = good(1), good(2), good(3)
    path = warc_file(g1 + g2 + g3[: len(g3) // 2])
    records, stats = read(path, reader)
    assert [r.url for r in records] == ["https://a.com/1", "https://a.com/2"]
    assert [e["offset"] for e in stats.errors] == [len(g1) + len(g2)]
    assert stats.errors[0]["file"] == "t.warc.gz"


def _corrupt_header() -> bytes:
    return gz(html_record(page(), url="https://a.com/2").replace(b"WARC/1.0", b"WARX/9", 1))


def _too_long() -> bytes:
    return gz(html_record(page(body="x" * 400), url="https://a.com/2", content_length=9000))


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda: good(2)[: len(good(2)) // 2], id="truncated-member"),
        pytest.param(_corrupt_header, id="corrupt-warc-header"),
        pytest.param(_too_long, id="content-length-too-long"),
    ],
)
def test_broken_record_in_the_middle_is_reported_and_the_rest_read(
    reader: str, broken, warc_file
) -> None:
    g1, bad, g3 = good(1), broken(), good(3)
    records, stats = read(warc_file(g1 + bad + g3), reader)
    urls = [r.url for r in records]
    assert urls[0] == "https://a.com/1" and urls[-1] == "https://a.com/3"
    assert "https://a.com/3" in urls
    if "https://a.com/2" not in urls:  # lost records must be reported, at their offset
        assert [e["offset"] for e in stats.errors] == [len(g1)]
        assert all(e["file"] == "t.warc.gz" for e in stats.errors)


@pytest.mark.parametrize("reader", READERS)
def test_content_length_too_short_is_reported_and_next_record_read(reader, warc_file) -> None:
    g1, g3 = good(1), good(3)
    short = gz(html_record(page(body="x" * 500), url="https://a.com/2", content_length=100))
    records, stats = read(warc_file(g1 + short + g3), reader)
    assert [r.url for r in records][-1] == "https://a.com/3"
    if reader == "warcio":  # warcio notices the missing blank line; FastWARC reads on quietly
        assert [e["offset"] for e in stats.errors] == [len(g1)]


@pytest.mark.parametrize("reader", READERS)
def test_unseekable_stream_reads_and_stops_cleanly_at_a_broken_member(reader: str) -> None:
    g1, g2 = good(1), good(2)
    records, stats = read(io.BufferedReader(Unseekable(g1 + g2)), reader)
    assert [r.url for r in records] == ["https://a.com/1", "https://a.com/2"]
    assert [r.offset for r in records] == [0, len(g1)]
    broken = g1 + b"\x1f\x8b\x08garbage" * 5 + g2
    records, stats = read(io.BufferedReader(Unseekable(broken)), reader)
    assert [r.url for r in records] == ["https://a.com/1"]
    assert len(stats.errors) == 1


@pytest.mark.parametrize("reader", READERS)
def test_uncompressed_warc(reader: str, warc_file) -> None:
    data = html_record(page(), url="https://a.com/1") + html_record(page(), url="https://a.com/2")
    records, stats = read(warc_file(data, "plain.warc"), reader)
    assert [r.url for r in records] == ["https://a.com/1", "https://a.com/2"]
    assert records[1].offset > 0 and not stats.errors


@pytest.mark.parametrize("reader", READERS)
def test_chunked_and_gzip_encoded_http_bodies_are_decoded(reader: str, warc_file) -> None:
    html = page(body="<a href='https://partner.com/'>P</a>").encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(html), html)
    encoded = gzip.compress(html)
    records = [
        warc_record(http_response(chunked, extra_headers="Transfer-Encoding: chunked\r\n")),
        warc_record(http_response(encoded, extra_headers="Content-Encoding: gzip\r\n")),
    ]
    got, stats = read(warc_file(b"".join(gz(r) for r in records)), reader)
    assert [r.payload for r in got] == [html, html], stats


@pytest.mark.parametrize("reader", READERS)
def test_huge_page_is_capped_and_says_so(reader: str, warc_file) -> None:
    line = b"<p>Lorem ipsum <a href='/x'>x</a></p>\n"
    body = b"<html><body>" + line * (50 * 1000 * 1000 // len(line) + 1)  # a 50 MB page
    member = gzip.compress(html_record(body, url="https://big.com/"), compresslevel=1)
    records, stats = read(warc_file(member + good(2)), reader)
    assert [r.url for r in records] == ["https://big.com/", "https://a.com/2"]
    assert len(records[0].payload) == MAX_PAYLOAD_BYTES and records[0].truncated
    assert stats.skipped["payload_capped"] == 1
    assert records[1].offset == len(member)


@pytest.mark.parametrize("reader", READERS)
def test_warc_truncated_header_marks_record(reader: str, warc_file) -> None:
    record = gz(html_record(page(), url="https://a.com/t", extra="WARC-Truncated: length"))
    records, _ = read(warc_file(record), reader)
    assert records[0].truncated


def test_missing_file_is_an_error_not_an_exception(tmp_path) -> None:
    records, stats = read(tmp_path / "nope.warc.gz", "warcio", name=None)
    assert records == [] and stats.errors[0]["file"].endswith("nope.warc.gz")


def test_unknown_reader_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown WARC reader"):
        list(iter_html_records(io.BytesIO(b""), reader="nope"))


def test_stats_merge_and_as_dict() -> None:
    a, b = ReadStats(records_read=2, bytes_read=10), ReadStats(records_read=1, bytes_read=5)
    a.skipped["request"] += 1
    b.skipped["request"] += 2
    b.error("f", 7, "bad")
    merged = a.merge(b).as_dict()
    assert merged == {
        "records_read": 4,  # the error stands for a record seen
        "records_skipped": 0,
        "records_failed": 1,
        "bytes_read": 15,
        "skipped": {"request": 3},
        "errors": [{"file": "f", "offset": 7, "error": "bad"}],
    }


def test_readers_agree_on_real_files(real_warc) -> None:
    for path in sorted(real_warc.glob("*.warc.gz")):
        results = {}
        for reader in READERS:
            records, stats = read(path, reader)
            results[reader] = ([(r.url, r.offset, r.length, r.payload) for r in records],
                               stats.as_dict())  # fmt: skip
        assert results["warcio"] == results["fastwarc"], path.name


def test_whirlwind_has_one_response_and_three_skips(real_warc) -> None:
    records, stats = read(real_warc / "whirlwind.warc.gz", "warcio")
    assert [r.url for r in records] == ["https://an.wikipedia.org/wiki/Escopete"]
    assert dict(stats.skipped) == {"warcinfo": 1, "request": 1, "metadata": 1}
    assert stats.records_read == 4 and not stats.errors
    assert records[0].offset == 1023 and records[0].charset == "utf-8"
