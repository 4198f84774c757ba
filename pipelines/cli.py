"""The ``supplylinks`` command line.

Each sub-command lives in its own module under ``pipelines.commands`` exposing
``register(subparsers)``; the module is imported only when the CLI starts, and heavy
libraries (dagster, pyspark, torch) are imported inside the command that needs them, so
``supplylinks extract`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Sub-command modules, in help order.
COMMANDS = (
    "extract", "fetch", "classify", "train", "evaluate", "graph", "sample", "vacuum", "bench",
)  # fmt: skip


class UserError(Exception):
    """A problem the user can fix (bad input, unknown domain): printed without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supplylinks",
        description="Mine the supply-chain network hidden in company websites.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"pipelines.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"pipelines.commands.{name}":
                continue  # command not built (yet) in this checkout
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"supplylinks {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    # Import the module by name so `UserError` raised by commands is this module's class.
    from pipelines.cli import main as package_main

    sys.exit(package_main())
