"""Ranged record fetches against real servers on 127.0.0.1: the sample mirror served by an
HTTP server with Range support (also with faults) and by a moto S3 server, and locally."""

from __future__ import annotations

import gzip
import urllib.request

import pytest

from extraction.warc import iter_html_records
from spark_jobs.ccindex import lookup
from spark_jobs.ranged import RecordRange, check_member, fetch_records, merge_adjacent
from tests.paths import SAMPLES
from tests.rangeserver import Faults, range_server

CC_ROOT = SAMPLES / "commoncrawl"
CRAWL = "CC-MAIN-2024-22"
DOMAINS = ["brunnhuber-antriebe.de", "brunnhuber.com", "kessler-voss.de"]


def sample_ranges() -> list[RecordRange]:
    hits = lookup(str(CC_ROOT), CRAWL, DOMAINS).hits
    return [
        RecordRange(f, o, n)
        for f, o, n in zip(
            hits.column("warc_filename").to_pylist(),
            hits.column("warc_record_offset").to_pylist(),
            hits.column("warc_record_length").to_pylist(),
            strict=True,
        )
    ]


def expected_bytes(r: RecordRange) -> bytes:
    with open(CC_ROOT / r.warc_filename, "rb") as handle:
        handle.seek(r.offset)
        return handle.read(r.length)


def urls_of(report) -> list[str]:
    urls = []
    for member in report.members:
        urls += [rec.url for rec in iter_html_records(gzip_stream(member.data))]
    return urls


def gzip_stream(data: bytes):
    import io

    return io.BytesIO(data)


def test_the_range_server_honours_range_206_and_416():
    ranges = sample_ranges()
    first = ranges[0]
    with range_server(CC_ROOT) as (base, _log):
        request = urllib.request.Request(
            f"{base}/{first.warc_filename}",
            headers={"Range": f"bytes={first.offset}-{first.offset + 9}"},
        )
        with urllib.request.urlopen(request) as response:
            assert response.status == 206
            assert response.headers["Content-Range"].startswith(f"bytes {first.offset}-")
            assert response.read() == expected_bytes(first)[:10]
        size = (CC_ROOT / first.warc_filename).stat().st_size
        past = urllib.request.Request(
            f"{base}/{first.warc_filename}", headers={"Range": f"bytes={size}-{size + 5}"}
        )
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(past)
        assert answer.value.code == 416


@pytest.mark.parametrize("where", ["local", "http"])
def test_each_record_is_fetched_intact_and_parses_as_the_original(where):
    ranges = sample_ranges()
    if where == "local":
        report = fetch_records(str(CC_ROOT), ranges, concurrency=4)
    else:
        with range_server(CC_ROOT) as (base, log):
            report = fetch_records(base, ranges, concurrency=4)
        assert log.ranges == report.requests
    assert not report.failures
    assert [m.range for m in report.members] == sorted(ranges)
    assert all(m.data == expected_bytes(m.range) for m in report.members)
    assert report.bytes_fetched == sum(r.length for r in ranges)
    assert report.requests == len(merge_adjacent(ranges))
    assert sorted(urls_of(report)) == sorted(
        rec.url for r in ranges for rec in iter_html_records(gzip_stream(expected_bytes(r)))
    )


def test_adjacent_records_merge_into_one_span_but_not_across_gaps_or_files():
    a, b, c = RecordRange("f", 0, 10), RecordRange("f", 10, 5), RecordRange("f", 20, 5)
    other = RecordRange("g", 15, 5)
    assert merge_adjacent([c, other, b, a, a]) == [[a, b], [c], [other]]
    assert merge_adjacent([a, b], max_bytes=12) == [[a], [b]]


def test_s3_ranged_gets_from_a_moto_server(monkeypatch):
    from tests.fakes.s3 import moto_s3_server, s3_client

    ranges = sample_ranges()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    with moto_s3_server() as endpoint:
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", endpoint)
        client = s3_client(endpoint)
        client.create_bucket(Bucket="cc-mirror")
        for name in sorted({r.warc_filename for r in ranges}):
            client.put_object(Bucket="cc-mirror", Key=name, Body=(CC_ROOT / name).read_bytes())
        report = fetch_records("s3://cc-mirror", ranges, concurrency=4)
    assert not report.failures
    assert all(m.data == expected_bytes(m.range) for m in report.members)


def test_503s_and_dropped_connections_are_retried_until_every_record_arrives():
    ranges = sample_ranges()
    faults = Faults(status_503_every=3, drop_every=4)
    # One worker: the server's faults follow its global request count, so with two workers
    # one record could meet a fault on every attempt (seen once in CI). Alone, a record's
    # attempts are consecutive requests, and at most 2 in a row fall on a multiple of 3 or 4.
    with range_server(CC_ROOT, faults) as (base, log):
        report = fetch_records(
            base, ranges, concurrency=1, attempts=6, backoff_seconds=0.001, max_merged_bytes=1
        )
    assert log.served_503 and log.dropped >= 2  # both kinds of drop happened
    assert not report.failures
    assert report.retries == log.served_503 + log.dropped
    assert all(m.data == expected_bytes(m.range) for m in report.members)


def test_a_server_that_keeps_failing_gives_counted_named_failures_never_pages():
    ranges = sample_ranges()
    with range_server(CC_ROOT, Faults(status_503_every=1)) as (base, _log):
        report = fetch_records(base, ranges, attempts=2, backoff_seconds=0.001)
    assert not report.members
    assert report.failure_counts() == {"http_503": len(ranges)}
    assert str(report.failures[0]).startswith(f"{sorted(ranges)[0].warc_filename} at offset ")


def test_a_range_of_the_wrong_length_is_a_named_error_never_a_wrong_page():
    ranges = sample_ranges()
    short_file = sorted(ranges)[0].warc_filename
    affected = [r for r in ranges if r.warc_filename == short_file]
    with range_server(CC_ROOT, Faults(short_by={short_file: 7})) as (base, _log):
        report = fetch_records(base, ranges, backoff_seconds=0.001)
    assert report.failure_counts() == {"wrong_length": len(affected)}
    assert {f.range for f in report.failures} == set(affected)
    assert {m.range.warc_filename for m in report.members}.isdisjoint({short_file})
    assert len(report.members) == len(ranges) - len(affected)


def test_an_index_entry_with_the_wrong_offset_or_length_is_caught_by_the_gzip_check():
    good = sample_ranges()[0]
    shifted = RecordRange(good.warc_filename, good.offset + 1, good.length)
    longer = RecordRange(good.warc_filename, good.offset, good.length + 30)
    shorter = RecordRange(good.warc_filename, good.offset, good.length - 30)
    report = fetch_records(str(CC_ROOT), [shifted, longer, shorter], max_merged_bytes=1)
    kinds = {f.range: f.kind for f in report.failures}
    assert kinds == {shifted: "not_gzip", longer: "trailing_bytes", shorter: "incomplete_gzip"}
    assert check_member(expected_bytes(good)) is None
    assert check_member(gzip.compress(b"x") + b"\x1f") == (
        "trailing_bytes",
        "gzip member ends before the range does",
    )


def test_past_the_end_is_range_not_satisfiable():
    first = sample_ranges()[0]
    size = (CC_ROOT / first.warc_filename).stat().st_size
    with range_server(CC_ROOT) as (base, _log):
        report = fetch_records(base, [RecordRange(first.warc_filename, size + 10, 50)])
    assert report.failure_counts() == {"range_not_satisfiable": 1}
    assert report.requests == 1  # never retried
