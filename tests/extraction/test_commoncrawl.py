"""Common Crawl layout helpers: listings, segment keys, the crawl list."""

from __future__ import annotations

import gzip
import json

import pytest

from extraction.commoncrawl import (
    SEGMENT_KEYS,
    assign_segments,
    parse_collinfo,
    parse_warc_paths,
)

CRAWL = "crawl-data/CC-MAIN-2024-22/segments"
PATHS = [
    f"{CRAWL}/1715971057216.39/warc/CC-MAIN-20240517213010-20240518003010-00000.warc.gz",
    f"{CRAWL}/1715971057216.39/warc/CC-MAIN-20240517213010-20240518003010-00001.warc.gz",
    f"{CRAWL}/1715971057216.40/warc/CC-MAIN-20240518003010-20240518033010-00002.warc.gz",
    f"{CRAWL}/1715971058001.12/warc/CC-MAIN-20240518033010-20240518063010-00003.warc.gz",
]


def test_segment_keys_are_00_to_99():
    assert SEGMENT_KEYS[0] == "00" and SEGMENT_KEYS[-1] == "99" and len(SEGMENT_KEYS) == 100


def test_parse_warc_paths_reads_gzip_and_plain_text():
    text = "\n".join(PATHS) + "\n\n"
    assert parse_warc_paths(gzip.compress(text.encode())) == PATHS
    assert parse_warc_paths(text.replace("\n", "\r\n").encode()) == PATHS


def test_parse_warc_paths_rejects_corrupt_gzip():
    broken = gzip.compress("\n".join(PATHS).encode())[:-12]
    with pytest.raises(ValueError, match="gzip"):
        parse_warc_paths(broken)


def test_assign_segments_ranks_sorted_segment_dirs():
    shuffled = [PATHS[3], PATHS[0], PATHS[2], PATHS[1]]
    keys = assign_segments(shuffled)
    assert keys == {PATHS[0]: "00", PATHS[1]: "00", PATHS[2]: "01", PATHS[3]: "02"}


def test_assign_segments_accepts_full_urls_and_ranks_per_crawl():
    other = "s3://commoncrawl/crawl-data/CC-MAIN-2024-18/segments/1712296815919.75/warc/x.warc.gz"
    keys = assign_segments([f"s3://commoncrawl/{PATHS[2]}", other])
    assert set(keys.values()) == {"00"}


def test_assign_segments_rejects_more_than_100_segments():
    paths = [f"{CRAWL}/17159710{i:05d}.10/warc/f.warc.gz" for i in range(101)]
    with pytest.raises(ValueError, match="101 segments"):
        assign_segments(paths)


def test_assign_segments_names_a_path_outside_the_layout():
    with pytest.raises(ValueError, match="not-a-cc-path"):
        assign_segments(["somewhere/not-a-cc-path.warc.gz"])


def test_parse_collinfo_keeps_published_order():
    entries = [
        {
            "id": f"CC-MAIN-2024-{week}",
            "name": f"Index {week}",
            "timegate": f"https://index.commoncrawl.org/CC-MAIN-2024-{week}/",
            "cdx-api": f"https://index.commoncrawl.org/CC-MAIN-2024-{week}-index",
            "from": "2024-05-17T21:30:10",
            "to": "2024-05-30T08:00:00",
        }
        for week in ("22", "18", "10")
    ]
    assert parse_collinfo(json.dumps(entries).encode()) == [
        "CC-MAIN-2024-22",
        "CC-MAIN-2024-18",
        "CC-MAIN-2024-10",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"id": "x"}', "JSON list"),
        (b'[{"name": 1}]', "entry 0"),
    ],
)
def test_parse_collinfo_rejects_bad_input_clearly(data, message):
    with pytest.raises(ValueError, match=message):
        parse_collinfo(data)
