"""Index lookups on the sample crawl's cc-index: locally, over HTTP (a real server with
Range support on 127.0.0.1) and from a moto S3 server, always the same rows."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from extraction.warc import HTML_TYPES
from spark_jobs.ccindex import PREFERRED_PATHS, index_folder, lookup, path_rank
from tests.paths import SAMPLES
from tests.rangeserver import mirror_with_index_listing, range_server

CC_ROOT = SAMPLES / "commoncrawl"
CRAWL = "CC-MAIN-2024-22"
BRUNNHUBER = ["brunnhuber-antriebe.de", "brunnhuber.com"]


def full_index():
    return pq.read_table(next((CC_ROOT / index_folder("", CRAWL).lstrip("/")).glob("*.parquet")))


def test_lookup_selects_every_html_200_row_of_the_seed_domains_and_nothing_else():
    index = full_index().to_pylist()
    expected = sorted(
        (r["warc_filename"], r["warc_record_offset"])
        for r in index
        if r["url_host_registered_domain"] in BRUNNHUBER
        and r["fetch_status"] == 200
        and r["content_mime_type"] in HTML_TYPES
    )
    assert len({r["url_host_registered_domain"] for r in index}) > 10  # a real selection
    found = lookup(str(CC_ROOT), CRAWL, BRUNNHUBER + ["BRUNNHUBER.COM "])
    got = list(
        zip(
            found.hits.column("warc_filename").to_pylist(),
            found.hits.column("warc_record_offset").to_pylist(),
            strict=True,
        )
    )
    assert got == expected and found.rows_matched == len(expected) > 3
    assert set(found.hits.column_names) == {
        "url",
        "url_host_registered_domain",
        "url_path",
        "fetch_time",
        "warc_filename",
        "warc_record_offset",
        "warc_record_length",
        "warc_segment",
    }


def test_a_domain_not_in_the_index_matches_nothing():
    assert lookup(str(CC_ROOT), CRAWL, ["nobody-here.example"]).hits.num_rows == 0


def test_a_cap_keeps_home_and_preferred_pages_first_per_domain():
    found = lookup(str(CC_ROOT), CRAWL, BRUNNHUBER, max_pages_per_domain=2)
    by_domain: dict[str, list[str]] = {}
    for domain, path in zip(
        found.hits.column("url_host_registered_domain").to_pylist(),
        found.hits.column("url_path").to_pylist(),
        strict=True,
    ):
        by_domain.setdefault(domain, []).append(path)
    assert all(len(paths) <= 2 for paths in by_domain.values())
    assert "/" in by_domain["brunnhuber-antriebe.de"]
    assert "/impressum" in by_domain["brunnhuber-antriebe.de"]  # imprint before /ueber-uns
    assert found.rows_matched > found.hits.num_rows


def test_path_rank_orders_home_partner_customer_reference_imprint_then_the_rest():
    paths = ["/blog/x", "/impressum", "/referenzen", "/kunden", "/partner", "/", "/a"]
    ranked = sorted(paths, key=lambda p: path_rank(p, PREFERRED_PATHS))
    assert ranked == ["/", "/partner", "/kunden", "/referenzen", "/impressum", "/a", "/blog/x"]


def test_lookup_over_http_range_requests_gives_the_same_rows(tmp_path):
    local = lookup(str(CC_ROOT), CRAWL, BRUNNHUBER).hits
    mirror = mirror_with_index_listing(CC_ROOT, tmp_path)
    with range_server(mirror) as (base, log):
        remote = lookup(base, CRAWL, BRUNNHUBER)
    assert remote.hits.equals(local)
    assert log.ranges >= 2  # footer and data pages, by range


def test_lookup_over_http_without_an_index_listing_names_the_listing(tmp_path):
    with range_server(tmp_path) as (base, _log), pytest.raises(Exception, match="cc-index"):
        lookup(base, CRAWL, BRUNNHUBER)


def test_lookup_from_s3_gives_the_same_rows(monkeypatch):
    from tests.fakes.s3 import moto_s3_server, s3_client

    local = lookup(str(CC_ROOT), CRAWL, BRUNNHUBER).hits
    for key, value in {"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t"}.items():
        monkeypatch.setenv(key, value)
    with moto_s3_server() as endpoint:
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", endpoint)
        client = s3_client(endpoint)
        client.create_bucket(Bucket="cc-mirror")
        for path in (CC_ROOT / "cc-index").rglob("*.parquet"):
            key = str(path.relative_to(CC_ROOT))
            client.put_object(Bucket="cc-mirror", Key=key, Body=path.read_bytes())
        remote = lookup("s3://cc-mirror", CRAWL, BRUNNHUBER)
    assert remote.hits.equals(local)
