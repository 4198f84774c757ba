"""``supplylinks vacuum``: remove files the warehouse's Delta tables no longer reference
(orphans of killed writes, files of replaced slices) once older than Delta's retention.
Lists them only, unless ``--apply``."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("vacuum", help="remove unreferenced table files", description=__doc__)
    parser.add_argument("--apply", action="store_true", help="delete (default: dry run)")
    parser.add_argument(
        "--retention-hours",
        type=int,
        help="keep files younger than this (default: each table's delta retention; "
        "shorter than it is refused)",
    )
    parser.add_argument("--warehouse", help="warehouse root (default: SUPPLYLINKS_WAREHOUSE)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipelines.cli import UserError
    from pipelines.config import Settings
    from pipelines.housekeeping import vacuum_warehouse

    warehouse = args.warehouse or Settings.from_env().warehouse
    try:
        removed = vacuum_warehouse(warehouse, args.apply, args.retention_hours)
    except Exception as exc:  # delta-rs refuses a retention below the table's
        raise UserError(f"vacuum of {warehouse} failed: {exc}") from None
    counts = {table: len(files) for table, files in removed.items()}
    summary = {"warehouse": warehouse, "applied": args.apply, "files": counts}
    print(json.dumps({**summary, "removed": removed}))
    return 0
