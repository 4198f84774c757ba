"""``supplylinks fetch --crawl C --seeds firms.csv --out DIR``: the seed companies' pages of a
crawl, found in its columnar index and fetched by byte range, kept as one local WARC file.

Reads ``SUPPLYLINKS_CC_ROOT`` (``https://data.commoncrawl.org``, ``s3://commoncrawl`` or a
local mirror; ``--cc-root`` overrides it). Writes ``DIR/<crawl>-seeds.warc.gz`` (the fetched
gzip members, in index order: inspect it with ``supplylinks extract``) and
``DIR/<crawl>-seeds.records.csv`` (each record's place in the new file and in the crawl),
then prints index rows matched, bytes fetched, requests, records parsed, failures and the
time, and a last line of JSON. Records that could not be fetched intact are listed by file,
offset and cause; the command then exits with 1 (what did arrive is kept).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from pipelines.cli import UserError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "fetch",
        help="fetch the seed companies' pages of a crawl by index lookup and byte ranges",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--crawl", required=True, help="crawl id, e.g. CC-MAIN-2025-08")
    parser.add_argument("--seeds", required=True, help="seed company CSV (domains ;-separated)")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--max-pages-per-domain", type=int, help="cap per registered domain")
    parser.add_argument("--cc-root", help="Common Crawl root (default: $SUPPLYLINKS_CC_ROOT)")
    parser.add_argument("--concurrency", type=int, default=8, help="parallel range requests")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from extraction.companies import SeedCompanies
    from extraction.warc import ReadStats, iter_html_records
    from pipelines.config import Settings
    from pipelines.progress import bar
    from spark_jobs.ccindex import lookup
    from spark_jobs.ranged import RecordRange, fetch_records

    started = time.monotonic()
    cc_root = args.cc_root or Settings.from_env().cc_root
    try:
        seeds = SeedCompanies.from_csv(args.seeds)
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read seeds: {exc}") from None
    domains = sorted({d for company in seeds for d in company.domains})
    try:
        with bar(f"index lookup of {args.crawl}", unit=None):  # TTY only: a ticking clock
            found = lookup(
                cc_root, args.crawl, domains, max_pages_per_domain=args.max_pages_per_domain
            )
    except (OSError, ValueError) as exc:
        raise UserError(f"index lookup of {args.crawl} under {cc_root} failed: {exc}") from None
    hits = found.hits.to_pylist()
    print(
        f"index: {found.rows_matched} rows matched for {len(domains)} domains of "
        f"{len(seeds)} companies, {len(hits)} selected, {found.seconds:.2f} s",
        flush=True,
    )
    ranges = [
        RecordRange(h["warc_filename"], h["warc_record_offset"], h["warc_record_length"])
        for h in hits
    ]
    with bar("fetch", total=len(ranges), unit="record") as shown:
        report = fetch_records(cc_root, ranges, concurrency=args.concurrency, on_done=shown.update)
    by_range = {RecordRange(h["warc_filename"], h["warc_record_offset"], h["warc_record_length"]): h
                for h in hits}  # fmt: skip
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    warc_path = out / f"{args.crawl}-seeds.warc.gz"
    with (
        open(warc_path, "wb") as warc,
        open(out / f"{args.crawl}-seeds.records.csv", "w", newline="") as manifest,
    ):
        rows = csv.writer(manifest)
        rows.writerow(["offset", "length", "url", "warc_filename", "warc_record_offset"])
        for member in report.members:
            hit = by_range[member.range]
            rows.writerow(
                [warc.tell(), member.range.length, hit["url"], hit["warc_filename"],
                 member.range.offset]
            )  # fmt: skip
            warc.write(member.data)
    parsed = ReadStats()
    pages = sum(1 for _ in iter_html_records(warc_path, stats=parsed))
    figures = {
        "crawl": args.crawl,
        "cc_root": cc_root,
        **found.summary(),
        **report.summary(),
        "records_parsed": pages,
        "parse_errors": len(parsed.errors),
        "warc": str(warc_path),
        "seconds": round(time.monotonic() - started, 3),
    }
    print(
        f"fetched {report.bytes_fetched:,} bytes in {report.requests} requests "
        f"({report.retries} retries), {len(report.members)} records intact, "
        f"{len(report.failures)} failed; {pages} HTML records parsed; "
        f"{figures['seconds']:.2f} s in all -> {warc_path}"
    )
    for failure in report.failures[:20]:
        print(f"failed: {failure}", file=sys.stderr)
    print(json.dumps(figures))
    return 1 if report.failures else 0
