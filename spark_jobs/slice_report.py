"""Per-slice figures of an extract run, so each ``crawl|segment`` partition shows its own.

A backfill of many segments is one Spark run; without this, every partition would show the
run's totals. Keys are Dagster's multi-partition keys (``crawl|segment``); the figures of all
slices add up to the run's ``files_read``/``files_failed``/``bytes_read``/... totals.
"""

from __future__ import annotations

from typing import Any

#: The metadata key of the report (pipelines.metadata reads it back).
SLICE_REPORT_KEY = "by_slice"
#: Per-file counts summed per slice (names as in ``summarize_files``).
SUMMED = ("records_read", "bytes_read", "pages", "links")


def slice_figures(file_stats: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``{"crawl|segment": {files_read, files_failed, failed_files, records_read, ...}}``."""
    figures: dict[str, dict[str, Any]] = {}
    for stats in file_stats:
        key = f"{stats['crawl']}|{stats['segment']}"
        empty = {"files_read": 0, "files_failed": 0, "failed_files": [], **dict.fromkeys(SUMMED, 0)}
        slot = figures.setdefault(key, empty)
        if stats.get("failure"):
            slot["files_failed"] += 1
            slot["failed_files"].append(f"{stats['file']}: {stats['failure']}")
        else:
            slot["files_read"] += 1
        for name in SUMMED:
            slot[name] += stats.get(name, 0)
        for reason, count in (stats.get("skipped") or {}).items():
            slot[f"skipped_{reason}"] = slot.get(f"skipped_{reason}", 0) + count
    return figures
