"""Open the Pipes session of a job, whatever runtime launched it.

The job scripts call ``open_pipes()`` and never name a runtime: the context loader and
message writer are chosen from what the orchestrator injected.
"""

from __future__ import annotations

from dagster_pipes import PipesContext, open_dagster_pipes


def open_pipes() -> PipesContext:
    """The Pipes context for this process (local runtime: temp files via env params)."""
    return open_dagster_pipes()
