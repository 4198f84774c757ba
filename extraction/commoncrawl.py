"""Common Crawl layout facts: WARC listings, segment partition keys, the published crawl list.

Pure functions over bytes and strings so the orchestrator, the Spark jobs and the tests agree
on one reading of ``warc.paths.gz`` and ``collinfo.json``. A crawl has 100 segments; their
directory names (``1715971057216.39``) sort in crawl order, so a segment's rank is its
partition key ``"00"``..``"99"``.
"""

from __future__ import annotations

import gzip
import json
import re

#: Static segment partition keys: every Common Crawl crawl has (at most) 100 segments.
SEGMENT_KEYS: tuple[str, ...] = tuple(f"{i:02d}" for i in range(100))

_GZIP_MAGIC = b"\x1f\x8b"
_WARC_PATH = re.compile(r"(?:^|/)crawl-data/(?P<crawl>[^/]+)/segments/(?P<segment>[^/]+)/")


def parse_warc_paths(data: bytes) -> list[str]:
    """The WARC paths listed in a ``warc.paths.gz`` (gzip or plain text), in listed order.

    Blank lines are ignored; a corrupt gzip stream raises a ValueError saying so.
    """
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ValueError(f"warc.paths listing is not valid gzip: {exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"warc.paths listing is not UTF-8 text: {exc}") from exc
    return [line.strip() for line in text.splitlines() if line.strip()]


def segment_of(path: str) -> tuple[str, str]:
    """(crawl id, segment directory) of a WARC path, or a ValueError naming the path."""
    match = _WARC_PATH.search(path)
    if not match:
        raise ValueError(
            "not a Common Crawl WARC path "
            f"(expected crawl-data/<crawl>/segments/<id>/...): {path!r}"
        )
    return match["crawl"], match["segment"]


def assign_segments(paths: list[str]) -> dict[str, str]:
    """Map each WARC path to its segment partition key ``"00"``..``"99"``.

    The key is the rank of the path's segment directory among the crawl's distinct segment
    directories, sorted. Paths of several crawls are ranked per crawl. More than 100
    segments in one crawl cannot be keyed and raise a ValueError.
    """
    located = {path: segment_of(path) for path in paths}
    segments_by_crawl: dict[str, set[str]] = {}
    for crawl, segment in located.values():
        segments_by_crawl.setdefault(crawl, set()).add(segment)
    rank: dict[tuple[str, str], str] = {}
    for crawl, segments in segments_by_crawl.items():
        if len(segments) > len(SEGMENT_KEYS):
            raise ValueError(
                f"crawl {crawl} has {len(segments)} segments; at most {len(SEGMENT_KEYS)} "
                "can be mapped to segment partition keys 00..99"
            )
        for index, segment in enumerate(sorted(segments)):
            rank[(crawl, segment)] = SEGMENT_KEYS[index]
    return {path: rank[located[path]] for path in paths}


def parse_collinfo(data: bytes) -> list[str]:
    """Crawl ids from a ``collinfo.json`` (a JSON list of {"id", "name", ...}), as published.

    Common Crawl publishes the list newest first; the order is kept. Anything that is not
    such a list raises a ValueError saying what is wrong.
    """
    try:
        entries = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"collinfo.json is not valid JSON: {exc}") from exc
    if not isinstance(entries, list):
        raise ValueError(f"collinfo.json must be a JSON list, got {type(entries).__name__}")
    crawls = []
    for position, entry in enumerate(entries):
        crawl = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(crawl, str) or not crawl.strip():
            raise ValueError(f"collinfo.json entry {position} has no crawl id: {entry!r}")
        crawls.append(crawl.strip())
    return crawls
