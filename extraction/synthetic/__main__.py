"""``python -m extraction.synthetic``: (re)build the sample tree or a benchmark WARC."""

from __future__ import annotations

import argparse
import json
import sys

from extraction.synthetic import DEFAULT_CRAWL, build_sample, write_diverse_warc, write_warc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extraction.synthetic", description=__doc__)
    parser.add_argument("--out", required=True, help="root of the tree (e.g. data_samples)")
    parser.add_argument("--records", type=int, help="HTML pages in the crawl (default: ~330)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--crawl", default=DEFAULT_CRAWL, help="crawl id, CC-MAIN-YYYY-WW")
    parser.add_argument(
        "--bench-warc", action="store_true", help="write one benchmark WARC to --out instead"
    )
    parser.add_argument(
        "--pages", choices=("diverse", "pooled"), default="diverse",
        help="benchmark pages: diverse (nothing repeated) or pooled (the old benchmark's)",
    )  # fmt: skip
    parser.add_argument(
        "--page-kb", default="30-60", help="diverse pages' HTML size range in KB (MIN-MAX)"
    )
    args = parser.parse_args(argv)
    if args.records is not None and args.records < 1:
        parser.error("--records must be at least 1")
    if args.bench_warc:
        if args.pages == "pooled":
            summary = write_warc(args.out, args.records or 5000, seed=args.seed)
        else:
            low, _, high = args.page_kb.partition("-")
            if not (low.isdigit() and high.isdigit() and 0 < int(low) <= int(high)):
                parser.error("--page-kb must be MIN-MAX in KB, e.g. 60-100")
            kb = (int(low), int(high))
            summary = write_diverse_warc(args.out, args.records or 5000, seed=args.seed, page_kb=kb)
    else:
        summary = build_sample(args.out, crawl=args.crawl, seed=args.seed, records=args.records)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
