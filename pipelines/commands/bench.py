"""``supplylinks bench ...``: benchmarks that print their figures (never timed tests).

Each benchmark lives in ``pipelines.bench.<name>`` exposing ``register(subparsers)``; the
last line a benchmark prints is one JSON object with its figures.
"""

from __future__ import annotations

import argparse
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
