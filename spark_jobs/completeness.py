"""Is every requested slice whole? The extract job's commit decision.

A slice is replaced as a whole (replace-where on crawl and segment), so a slice written
from fewer files than it has would silently shrink the table. The job therefore judges the
per-file results before it commits anything: a file that failed (missing, unreadable) or
whose reader reported errors (truncated, junk, broken records) makes its slice *damaged*;
a slice that yields no page from files that exist is *empty*. Damaged slices are refused
unless the run explicitly allows partial slices; empty slices are refused always (nothing
would be written but an empty slice recorded as materialized).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Slice = tuple[str, str]


class SliceFailure(RuntimeError):
    """The job refused to commit: its message is the cause, in one first line."""


@dataclass
class Verdict:
    """What the files of each slice came to."""

    damaged: dict[Slice, list[str]] = field(default_factory=dict)  # slice -> "file: why"
    empty: dict[Slice, str] = field(default_factory=dict)  # slice -> why no rows

    def refuses(self, allow_partial: bool) -> bool:
        return bool(self.empty) or (bool(self.damaged) and not allow_partial)

    def message(self, allow_partial: bool) -> str:
        """One sentence first (what was refused and why), the details after it."""
        parts = []
        if self.damaged and not allow_partial:
            files = sum(len(v) for v in self.damaged.values())
            first = next(iter(self.damaged.values()))[0]
            parts.append(
                f"{files} WARC file(s) of {len(self.damaged)} slice(s) failed (first: {first}); "
                "nothing was committed, the tables keep their previous version "
                "(re-run with allow_partial to write the partial slices)"
            )
        if self.empty:
            first_slice, why = next(iter(self.empty.items()))
            parts.append(
                f"{len(self.empty)} slice(s) yielded no page ({'/'.join(first_slice)}: {why}); "
                "nothing was committed"
            )
        details = [
            f"  {'/'.join(s)}: {problem}"
            for s, problems in sorted(self.damaged.items())
            for problem in problems
        ] + [f"  {'/'.join(s)}: {why}" for s, why in sorted(self.empty.items())]
        return "; ".join(parts) + ("\n" + "\n".join(details) if details else "")

    def metadata(self) -> dict[str, Any]:
        return {
            "partial_slices": ["/".join(s) for s in sorted(self.damaged)],
            "damaged_files": [
                f"{'/'.join(s)}: {p}" for s, ps in sorted(self.damaged.items()) for p in ps
            ][:50],
        }


def file_problem(stats: dict[str, Any]) -> str | None:
    """Why one file's result damages its slice, or None when it was read whole."""
    if stats.get("failure"):
        return f"{stats['file']}: {stats['failure']}"
    errors = stats.get("errors") or []
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        at = f" at offset {first['offset']}" if first.get("offset") is not None else ""
        return f"{stats['file']}{at}: {first['error']}{more}"
    return None


def judge(slices: list[Slice] | tuple[Slice, ...], file_stats: list[dict[str, Any]]) -> Verdict:
    """The verdict over the per-file results of the requested slices."""
    verdict = Verdict()
    by_slice: dict[Slice, list[dict[str, Any]]] = {tuple(s): [] for s in slices}
    for stats in file_stats:
        by_slice.setdefault((stats["crawl"], stats["segment"]), []).append(stats)
    for key, files in sorted(by_slice.items()):
        problems = [p for p in map(file_problem, files) if p]
        if problems:
            verdict.damaged[key] = problems
        if not files:
            verdict.empty[key] = "no WARC file is listed for it"
        elif sum(s.get("pages", 0) for s in files) == 0:
            verdict.empty[key] = (
                f"all {len(files)} file(s) failed"
                if len(problems) == len(files)
                else f"0 pages from {len(files)} file(s), {len(problems)} of them damaged"
            )
    return verdict
