"""``supplylinks extract PATH... --out DIR``: see what the extractor makes of WARC files.

Writes ``DIR/pages.jsonl`` and ``DIR/links.jsonl`` (the ``pages``/``hyperlinks`` columns,
so only links that leave their page's registered domain) and prints one JSON summary line:
records read, pages, links, skips by reason and errors naming file and offset.
"""

from __future__ import annotations

import argparse
import json
import sys
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
    parser.add_argument(
        "--reader", choices=("warcio", "fastwarc"), default="fastwarc",
        help="WARC reader (default fastwarc; warcio is the pure-Python reference)",
    )  # fmt: skip
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


def run(args: argparse.Namespace) -> int:
    import orjson

    from extraction.companies import SeedCompanies
    from extraction.extract import ExtractStats, extract_warc_columns
    from pipelines.progress import bar

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
    dumps, newline = orjson.dumps, orjson.OPT_APPEND_NEWLINE  # datetimes as RFC 3339
    sizes = [path.stat().st_size for path in files]
    with (
        open(out / "pages.jsonl", "wb") as pages_out,
        open(out / "links.jsonl", "wb") as links_out,
        bar("extract", total=sum(sizes), unit="B", unit_scale=True) as shown,  # TTY only
    ):
        done = 0  # bytes of the files before this one
        for path, size in zip(files, sizes, strict=True):
            shown.describe(f"extract {path.name}")
            for page, links in extract_warc_columns(
                path, str(path), seeds, stats, reader=args.reader
            ):
                shown.advance_to(done + page["warc_record_offset"])
                pages_out.write(dumps(page, option=newline))
                if links["dst_url"]:  # one dict per cross-domain link (~1 in 10), none else
                    names = tuple(links)
                    links_out.write(b"".join(
                        dumps(dict(zip(names, row, strict=True)), option=newline)
                        for row in zip(*links.values(), strict=True)
                    ))  # fmt: skip
            done += size
            shown.advance_to(done)
    summary = {"files": len(files), **stats.as_dict(), "out": str(out)}
    summary["error_count"] = len(stats.errors)
    print(json.dumps(summary, ensure_ascii=False))
    if stats.errors:
        print(f"{len(stats.errors)} error(s); see 'errors' in the summary", file=sys.stderr)
    return 0
