"""``supplylinks extract PATH... --out DIR``: see what the extractor makes of WARC files.

Writes ``DIR/pages.jsonl`` and ``DIR/links.jsonl`` (the ``pages``/``hyperlinks`` columns,
so src/dst registered domains and weak labels included) and prints one JSON summary line:
records read, pages, links, skips by reason and errors naming file and offset.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from pipelines.cli import UserError

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "extract",
        help="extract pages and links of WARC files to JSONL",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="WARC file or directory")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--seeds", help="seed company CSV (company_id,name,domains,country)")
    parser.add_argument("--reader", choices=("warcio", "fastwarc"), default="warcio")
    parser.set_defaults(func=run)


def warc_files(paths: list[str]) -> list[Path]:
    """The WARC files named, directories expanded (sorted); a clear error for the rest."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.name.endswith(WARC_SUFFIXES))
            if not found:
                raise UserError(f"no WARC files (*.warc, *.warc.gz) under {path}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UserError(f"no such file or directory: {path}")
    return files


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def run(args: argparse.Namespace) -> int:
    from extraction.companies import SeedCompanies
    from extraction.extract import ExtractStats, extract_warc
    from pipelines.progress import progress

    files = warc_files(args.paths)
    seeds = None
    if args.seeds:
        try:
            seeds = SeedCompanies.from_csv(args.seeds)
        except (OSError, ValueError) as exc:
            raise UserError(f"cannot read seeds: {exc}") from None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stats = ExtractStats()
    dumps = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    with (
        open(out / "pages.jsonl", "w", encoding="utf-8") as pages_out,
        open(out / "links.jsonl", "w", encoding="utf-8") as links_out,
    ):
        for path in progress(files, total=len(files), what="WARC files"):  # TTY only
            for page, links in extract_warc(path, str(path), seeds, stats, reader=args.reader):
                pages_out.write(dumps(page) + "\n")
                for link in links:
                    links_out.write(dumps(link) + "\n")
    summary = {"files": len(files), **stats.as_dict(), "out": str(out)}
    summary["error_count"] = len(stats.errors)
    print(json.dumps(summary, ensure_ascii=False))
    if stats.errors:
        print(f"{len(stats.errors)} error(s); see 'errors' in the summary", file=sys.stderr)
    return 0
