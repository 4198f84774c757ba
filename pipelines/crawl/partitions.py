"""Partitions of DESIGN.md: ``crawl`` (dynamic, from collinfo.json) x ``segment`` (00..99)."""

from __future__ import annotations

from collections.abc import Sequence

from dagster import (
    DynamicPartitionsDefinition,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    StaticPartitionsDefinition,
)

from extraction.commoncrawl import SEGMENT_KEYS

crawl_partitions = DynamicPartitionsDefinition(name="crawl")
segment_partitions = StaticPartitionsDefinition(list(SEGMENT_KEYS))
crawl_segment_partitions = MultiPartitionsDefinition(
    {"crawl": crawl_partitions, "segment": segment_partitions}
)


def slices_of(partition_keys: Sequence[str]) -> list[tuple[str, str]]:
    """(crawl, segment) pairs of a run's multi-partition keys (one key or a backfill range)."""
    slices = []
    for key in partition_keys:
        if isinstance(key, MultiPartitionKey):
            parts = key.keys_by_dimension
        else:
            crawl, segment = str(key).split("|")
            parts = {"crawl": crawl, "segment": segment}
        slices.append((parts["crawl"], parts["segment"]))
    return sorted(set(slices))
