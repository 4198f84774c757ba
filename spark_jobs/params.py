"""What a job needs to know, read from the Pipes context the orchestrator injected.

The orchestrator passes everything as Pipes extras (plain JSON), so a job runs the same way
under ``PipesSubprocessClient``, EMR or Databricks, and from a test with a hand-built dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_WRITER = "delta-rs"
WRITERS = ("delta-rs", "delta-spark")


@dataclass(frozen=True)
class JobParams:
    """Parameters shared by the extract, classify and graph jobs."""

    warehouse: str
    slices: tuple[tuple[str, str], ...] = ()  # (crawl, segment) pairs
    crawls: tuple[str, ...] = ()  # graph job: the crawls to (re)build
    cc_root: str = ""
    seeds: str = ""
    model: str = "default"
    writer: str = DEFAULT_WRITER
    staging: str = ""  # where executors stage files; default: <warehouse>/_staging
    max_files: int | None = None  # cap WARC files per segment (samples, smoke runs)
    allow_partial: bool = False  # commit slices some of whose files failed (recorded, warned)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.writer not in WRITERS:
            raise ValueError(f"unknown Delta writer {self.writer!r}; expected one of {WRITERS}")
        if not self.warehouse:
            raise ValueError("no warehouse root given (extra 'warehouse')")

    @classmethod
    def from_extras(cls, extras: dict[str, Any]) -> JobParams:
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        slices = tuple((str(c), str(s)) for c, s in extras.get("slices", ()))
        crawls = tuple(str(c) for c in extras.get("crawls", ()))
        values = {k: v for k, v in extras.items() if k in known and k not in ("slices", "crawls")}
        rest = {k: v for k, v in extras.items() if k not in known}
        return cls(slices=slices, crawls=crawls, extra=rest, **values)

    def segments_by_crawl(self) -> dict[str, list[str]]:
        """The slices grouped by crawl, segments sorted: one replace-where per crawl."""
        grouped: dict[str, list[str]] = {}
        for crawl, segment in self.slices:
            grouped.setdefault(crawl, []).append(segment)
        return {crawl: sorted(set(segs)) for crawl, segs in sorted(grouped.items())}

    @property
    def staging_root(self) -> str:
        return self.staging or f"{self.warehouse.rstrip('/')}/_staging"
