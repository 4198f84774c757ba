"""The terminal side of the product: one line per step, logs in a file, bars only on a TTY.

Why: ``make sample`` used to print hundreds of DEBUG event lines and Spark warnings before
its summary. Here the file descriptors 1 and 2 are pointed at a log file while Dagster and
the Spark subprocesses run (so their output, the JVM's included, lands there whatever logger
wrote it), and the terminal gets one line per asset: partitions done/total, rows, elapsed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")


def interactive(stream: IO[str] | None = None) -> bool:
    """Progress bars and spinners only for a person at a terminal, never in CI."""
    stream = stream or sys.stderr
    if os.environ.get("CI"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def progress(iterable: Iterable[T], total: int | None = None, what: str = "") -> Iterable[T]:
    """A tqdm bar on a TTY (on stderr), the bare iterable elsewhere (quiet in CI and pipes)."""
    if not interactive():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=what, unit="item", leave=False)


@contextlib.contextmanager
def output_to(log_path: Path) -> Iterator[IO[str]]:
    """Send everything written to fds 1 and 2 (Dagster, Spark, the JVM) to ``log_path``;
    yield a stream to the original terminal for the progress lines."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    terminal = os.fdopen(os.dup(saved[1]), "w", buffering=1)
    with open(log_path, "a", buffering=1) as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield terminal
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            terminal.flush()
            terminal.close()


@dataclass
class AssetFigures:
    """What one run did to one asset, read back from the run's events."""

    asset: str
    partitions_done: int = 0
    partitions_total: int = 0
    rows: int | None = None
    seconds: float = 0.0
    partition_metadata: list[dict[str, Any]] = field(default_factory=list)


def run_figures(instance, run_id: str, partitions_total: int = 1) -> list[AssetFigures]:
    """Per asset of a run: partitions materialized, summed ``dagster/row_count``, step time."""
    from dagster import DagsterEventType

    figures: dict[str, AssetFigures] = {}
    step_started: dict[str, float] = {}
    step_seconds: dict[str, float] = {}
    step_assets: dict[str, set[str]] = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            step_started[event.step_key] = entry.timestamp
        elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            step_seconds[event.step_key] = entry.timestamp - step_started.get(
                event.step_key, entry.timestamp
            )
        elif event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.event_specific_data.materialization
            name = materialization.asset_key.to_user_string()
            slot = figures.setdefault(name, AssetFigures(name, partitions_total=partitions_total))
            slot.partitions_done += 1
            values = {k: getattr(v, "value", v) for k, v in materialization.metadata.items()}
            slot.partition_metadata.append(values)
            rows = values.get("dagster/row_count")
            if isinstance(rows, int):
                slot.rows = (slot.rows or 0) + rows
            step_assets.setdefault(event.step_key, set()).add(name)
    for step, names in step_assets.items():
        for name in names:
            figures[name].seconds = step_seconds.get(step, 0.0)
    return list(figures.values())


def step_line(job: str, figures: AssetFigures) -> str:
    rows = f"{figures.rows:>8,} rows" if figures.rows is not None else " " * 13
    done = f"{figures.partitions_done}/{figures.partitions_total}"
    return f"  {job:<18} {figures.asset:<19} {done:>7} partitions {rows} {figures.seconds:6.1f} s"


@contextlib.contextmanager
def spinner(terminal: IO[str], text: str) -> Iterator[None]:
    """A rich spinner while a step runs, on a TTY only; nothing elsewhere."""
    if not interactive(terminal):
        yield
        return
    from rich.console import Console

    started = time.monotonic()
    console = Console(file=terminal)
    with console.status(f"{text} …") as status:
        yield
        status.update(f"{text} done in {time.monotonic() - started:.1f} s")
