"""``supplylinks bench ...``: benchmarks that print their figures (never timed tests).

Each benchmark lives in ``pipelines.bench.<name>`` exposing ``register(subparsers)``; the
last line a benchmark prints is one JSON object with its figures.
"""

from __future__ import annotations

import argparse
import functools
import importlib

BENCHMARKS = ("extract", "pipeline", "classify", "graph", "targeted")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", help="run a benchmark and print its figures")
    bench_sub = parser.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(f"pipelines.bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"pipelines.bench.{name}":
                continue
            raise
        module.register(bench_sub)
    for name, benchmark in bench_sub.choices.items():
        benchmark.set_defaults(func=_with_clock(name, benchmark.get_default("func")))


def _with_clock(name: str, func):
    """The benchmark under a ticking ``bench NAME … 00:12`` line on a TTY (see progress.bar);
    what it prints to stdout is unchanged."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        from pipelines.progress import bar

        with bar(f"bench {name}", unit=None):
            return func(args)

    return run
