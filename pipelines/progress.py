"""The terminal side of the product: one line per step, logs in a file, bars only on a TTY.

Why: ``make sample`` used to print hundreds of DEBUG event lines and Spark warnings before
its summary. Here the file descriptors 1 and 2 are pointed at a log file while Dagster and
the Spark subprocesses run (so their output, the JVM's included, lands there whatever logger
wrote it), and the terminal gets one line per asset: partitions done/total, rows, elapsed.

The long CLI commands (extract, fetch, train, bench) draw a tqdm bar on stderr while they
work, for a person at a terminal only: stdout carries exactly the lines it carries in a pipe
(benchmarks and tests parse its last line), and CI logs get no carriage-return noise.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any


def interactive(stream: IO[str] | None = None) -> bool:
    """Progress bars and spinners only for a person at a terminal, never in CI.

    ``stream`` is where the bar would go (stderr by default): a bar is drawn when that is a
    terminal, whatever stdout is, so ``supplylinks extract ... > summary.json`` still shows
    one; ``CI`` set or ``TERM=dumb`` turn bars off."""
    stream = stream or sys.stderr
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


class Bar:
    """What a command reports progress to: a tqdm bar on a TTY, nothing elsewhere."""

    def __init__(self, shown: Any = None) -> None:
        self._shown = shown

    def update(self, amount: int = 1) -> None:
        if self._shown is not None:
            self._shown.update(amount)

    def advance_to(self, position: int) -> None:
        """Move to ``position`` (e.g. a byte offset in the input); never backwards."""
        if self._shown is not None and position > self._shown.n:
            self._shown.update(position - self._shown.n)

    def describe(self, text: str) -> None:
        if self._shown is not None:
            self._shown.set_description_str(text, refresh=True)


class _LinesAboveTheBar(io.TextIOBase):
    """stdout while a bar is drawn: the bar is cleared before each complete line goes to the
    real stdout and redrawn after it, so a terminal shows no torn lines and a redirected
    stdout gets exactly the bytes that were printed."""

    def __init__(self, target: IO[str], shown: Any) -> None:
        self._target, self._shown, self._pending = target, shown, ""

    def write(self, text: str) -> int:
        head, newline, self._pending = (self._pending + text).rpartition("\n")
        if newline:
            with self._shown.get_lock():
                self._shown.clear(nolock=True)
                self._target.write(head + newline)
                self._target.flush()
                self._shown.refresh(nolock=True)
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._target.write(self._pending)
            self._pending = ""
        self._target.flush()


@contextlib.contextmanager
def bar(
    what: str, total: int | None = None, unit: str | None = "item", *, unit_scale: bool = False
) -> Iterator[Bar]:
    """A progress bar on stderr for as long as the block runs (TTY only; see ``interactive``).

    The clock ticks even while nothing advances (one long benchmark pass, one epoch);
    ``unit=None``: a step with nothing to count, shown as its name and the time it takes."""
    if not interactive():
        yield Bar()
        return
    from tqdm import tqdm

    stop = threading.Event()
    with tqdm(
        total=total,
        desc=what,
        unit=unit or "it",
        unit_scale=unit_scale,
        leave=False,
        file=sys.stderr,
        bar_format=None if unit else "{desc} … {elapsed}",
    ) as shown:
        above = _LinesAboveTheBar(sys.stdout, shown)
        ticker = threading.Thread(target=_tick, args=(shown, stop), daemon=True)
        ticker.start()
        try:
            with contextlib.redirect_stdout(above):
                yield Bar(shown)
        finally:
            stop.set()
            ticker.join()
            above.flush()


def _tick(shown: Any, stop: threading.Event) -> None:
    while not stop.wait(1.0):
        shown.refresh()


#: A log line that finishes a training epoch (models.spacy_model, models.transformer).
EPOCH_LINE = re.compile(r"\bepoch \d+\b")


class BarLogHandler(logging.Handler):
    """Log lines above the bar while it is drawn; an epoch line also advances the bar."""

    def __init__(self, shown: Bar, formatter: logging.Formatter) -> None:
        super().__init__()
        self.shown = shown
        self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        from tqdm import tqdm

        tqdm.write(self.format(record), file=sys.stderr)
        if EPOCH_LINE.search(record.getMessage()):
            self.shown.update()


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
