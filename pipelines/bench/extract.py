"""``supplylinks bench extract``: extraction throughput on one core, every pass in one run.

From the same run on the same WARC file — generated diverse pages by default
(``extraction.synthetic.write_diverse_warc``: nothing pooled, as on real crawl pages),
``--pages pooled`` for the old benchmark's pre-rendered blocks, ``--pages both`` for the
two side by side, or any WARC with ``--file`` — it measures records/s and compressed MB/s of

* ``read``: reading the HTML records alone (both readers; the faster one is used below),
* ``bare``: read + Lexbor parse (``extraction.html.load_tree``, the same charset handling
  as the full pass) + every ``a[href]`` value + visible text, nothing else,
* ``full``: ``extraction.extract.extract_warc_into`` (page rows, and each cross-domain
  link's URL, host, domain, anchor, context, heading, region and rel in the C sink in
  Arrow's layout, taken every 65,536 links: what the Spark tasks run),
* ``full columns``: ``extraction.extract.extract_warc_columns`` (the same as Python lists,
  with link ids),
* ``full rows``: ``extraction.extract.extract_warc`` (the same, one dict per link),
* ``extract (JSONL)``: ``supplylinks extract PATH --out DIR`` as the CLI runs it,

the ratios to the bare pass and the process's peak RSS. A record is an HTML page (a
response record): Common Crawl files also hold a request and a metadata record per page,
which cost little to skip and would triple the figure. Times are CPU seconds of this
process pinned to one core (the machine is shared, so wall time is reported too but not
used for rates); each pass runs ``--repeat`` times and the best run counts, the passes
taking turns (a burst of load then hits all alike). The last line printed is one JSON
object (the first case's figures at the top level, the second's under its name).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pipelines.cli import UserError

TARGET_RECORDS_PER_S = 2500
TARGET_RATIO = 0.85
TARGET_JSONL_RECORDS_PER_S = 1000
PAGE_KINDS = ("diverse", "pooled")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("extract", help="extraction records/s: full vs bare parse vs read")
    parser.add_argument("--records", type=int, default=3000, help="records to generate")
    parser.add_argument("--file", help="use this WARC file instead of generating one")
    parser.add_argument(
        "--pages", choices=(*PAGE_KINDS, "both"), default="diverse",
        help="generated pages: diverse (nothing repeated, default), pooled (the old "
        "benchmark's pre-rendered blocks) or both, side by side",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs per pass (best counts)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument(
        "--reader", choices=("auto", "warcio", "fastwarc"), default="auto",
        help="reader for the bare and full passes (auto: the faster at reading)",
    )  # fmt: skip
    parser.set_defaults(func=run)


def _pin_one_core() -> int | None:
    """Pin this process to one CPU so the figures are per core; None where unsupported."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError):
        return None


def read_pass(path: Path, reader: str) -> dict:
    from extraction.warc import ReadStats, iter_html_records

    stats = ReadStats()
    pages = 0
    for record in iter_html_records(path, stats=stats, reader=reader):
        pages += bool(record.payload)
    return {"records": stats.records_read, "pages": pages}


def bare_pass(path: Path, reader: str) -> dict:
    """What any extractor must do: read, decode, parse, take every href and the text."""
    from extraction.html import load_tree, visible_text
    from extraction.warc import ReadStats, iter_html_records

    stats = ReadStats()
    pages = links = 0
    for record in iter_html_records(path, stats=stats, reader=reader):
        tree = load_tree(record.payload, record.charset)[0]
        hrefs = [node.attrs["href"] for node in tree.css("a[href]")]
        visible_text(tree)
        pages += 1
        links += len(hrefs)
    return {"records": stats.records_read, "pages": pages, "links": links}


def full_pass(path: Path, reader: str, seeds=None) -> dict:
    from extraction.extract import ExtractStats

    stats = ExtractStats()
    return _extracted(stats, sink_pass(path, None, seeds, stats, reader))


def sink_pass(source, warc_filename: str | None, seeds, stats, reader: str | None = None) -> int:
    """Extract one WARC file as the Spark tasks do: links into a C sink, taken every
    ``SINK_BATCH_LINKS`` links (no table built); returns the links that leave their site."""
    from extraction.extract import SINK_BATCH_LINKS, extract_warc_into, new_link_sink
    from extraction.warc import DEFAULT_READER

    sink = new_link_sink()
    external = 0
    for page in extract_warc_into(
        source, sink, warc_filename, seeds=seeds, stats=stats, reader=reader or DEFAULT_READER
    ):
        external += page["external_links"]
        if sink.rows >= SINK_BATCH_LINKS:
            sink.take()
    sink.take()
    return external


def full_columns_pass(path: Path, reader: str, seeds=None) -> dict:
    from extraction.extract import ExtractStats, extract_warc_columns

    stats = ExtractStats()
    external = 0
    for page, _columns in extract_warc_columns(path, seeds=seeds, stats=stats, reader=reader):
        external += page["external_links"]
    return _extracted(stats, external)


def full_rows_pass(path: Path, reader: str, seeds=None) -> dict:
    from extraction.extract import ExtractStats, extract_warc

    stats = ExtractStats()
    external = 0
    for page, _rows in extract_warc(path, seeds=seeds, stats=stats, reader=reader):
        external += page["external_links"]
    return _extracted(stats, external)


def _extracted(stats, external: int) -> dict:
    """What a full pass reports: its ExtractStats counts and the links leaving their site."""
    return {
        "records": stats.records_read,
        "pages": stats.pages,
        "links": stats.links,
        "external_links": external,
        "errors": len(stats.errors),
    }


def measure(fn: Callable[[], dict], size: int, repeat: int) -> dict:
    """Best of ``repeat`` runs by CPU time, each from cold caches; rates from CPU seconds."""
    return measure_rounds({"pass": fn}, size, repeat)["pass"]


def measure_rounds(passes: dict[str, Callable[[], dict]], size: int, repeat: int) -> dict:
    """:func:`measure` for several passes run in turns (one of each per round), so a burst
    of load on the shared machine hits every pass alike instead of one pass's runs."""
    from extraction.extract import clear_caches

    best: dict[str, dict] = {}
    for _ in range(max(1, repeat)):
        for name, fn in passes.items():
            clear_caches()
            cpu, wall = time.process_time(), time.perf_counter()
            result = fn()
            result["cpu_seconds"] = round(time.process_time() - cpu, 4)
            result["wall_seconds"] = round(time.perf_counter() - wall, 4)
            if name not in best or result["cpu_seconds"] < best[name]["cpu_seconds"]:
                best[name] = result
    for result in best.values():
        seconds = max(result["cpu_seconds"], 1e-9)
        # per HTML page: request/metadata records cost little and would flatter CC files
        result["records_per_s"] = round(result["pages"] / seconds, 1)
        result["mb_per_s"] = round(size / 1e6 / seconds, 2)
    return best


def generate(path: Path, records: int, seed: int, pages: str) -> dict:
    """The benchmark file: ``diverse`` pages (nothing pooled, like real crawl pages; the
    default) or ``pooled`` ones (the old benchmark's pre-rendered blocks: what caches
    that hit on repeated links gain)."""
    try:
        from extraction.synthetic import write_diverse_warc, write_warc
    except ImportError as exc:
        raise UserError(
            f"cannot generate a benchmark WARC ({exc}); pass --file PATH to a WARC file"
        ) from None
    if pages == "pooled":
        return write_warc(path, records, seed=seed, page_kb=40, links_per_page=200)
    return write_diverse_warc(path, records, seed=seed)


def jsonl_pass(path: Path, seeds_csv: Path | None) -> dict:
    """``supplylinks extract PATH --out DIR``, the JSONL tool, run as its CLI runs it
    (``pipelines.cli.main`` in this process: the rate leaves out only interpreter start)."""
    from pipelines.cli import main

    with tempfile.TemporaryDirectory(prefix="bench-jsonl-") as out:
        argv = ["extract", str(path), "--out", out]
        if seeds_csv is not None:
            argv += ["--seeds", str(seeds_csv)]
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = main(argv)
        if code != 0:
            raise UserError(f"supplylinks extract {path} failed with exit code {code}")
        summary = json.loads(printed.getvalue().strip().splitlines()[-1])
        jsonl_mb = sum(f.stat().st_size for f in Path(out).iterdir()) / 1e6
    return {
        "records": summary["records_read"],
        "pages": summary["pages"],
        "links": summary["links"],
        "errors": summary["error_count"],
        "jsonl_mb": round(jsonl_mb, 1),
    }


SEEDS_CSV = Path(__file__).resolve().parents[2] / "data_samples" / "seeds" / "companies.csv"


def _seeds():
    """The sample seed list, if the checkout has one (company ids for the page rows)."""
    from extraction.companies import SeedCompanies

    try:
        return SeedCompanies.from_csv(SEEDS_CSV) if SEEDS_CSV.is_file() else None
    except ValueError:
        return None


def bench_file(path: Path, reader: str, repeat: int) -> dict:
    """Every pass over one file, in turns; the figures of one case."""
    size = path.stat().st_size
    reads = {
        name: measure(lambda r=name: read_pass(path, r), size, repeat)
        for name in ("warcio", "fastwarc")
    }
    if reader == "auto":
        reader = max(reads, key=lambda name: reads[name]["records_per_s"])
    seeds = _seeds()
    seeds_csv = SEEDS_CSV if seeds is not None else None
    passes = {
        "bare": lambda: bare_pass(path, reader),
        "full": lambda: full_pass(path, reader, seeds),
        "full_columns": lambda: full_columns_pass(path, reader, seeds),
        "full_rows": lambda: full_rows_pass(path, reader, seeds),
        "jsonl": lambda: jsonl_pass(path, seeds_csv),
    }
    measured = measure_rounds(passes, size, repeat)
    bare, full = measured["bare"], measured["full"]

    def ratio(name: str) -> float:
        return round(measured[name]["records_per_s"] / max(bare["records_per_s"], 1e-9), 3)

    return {
        "file_mb": round(size / 1e6, 3),
        "reader": reader,
        "read": reads[reader],
        "read_warcio": reads["warcio"],
        "read_fastwarc": reads["fastwarc"],
        **measured,
        "ratio_full_bare": ratio("full"),
        "ratio_full_columns_bare": ratio("full_columns"),
        "ratio_full_rows_bare": ratio("full_rows"),
        "ratio_jsonl_bare": ratio("jsonl"),
        "meets_targets": full["records_per_s"] >= TARGET_RECORDS_PER_S
        and ratio("full") >= TARGET_RATIO
        and measured["jsonl"]["records_per_s"] >= TARGET_JSONL_RECORDS_PER_S,
    }


ROWS = (
    ("read (warcio)", "read_warcio"),
    ("read (fastwarc)", "read_fastwarc"),
    ("bare", "bare"),
    ("full", "full"),
    ("full columns", "full_columns"),
    ("full rows", "full_rows"),
    ("extract (JSONL)", "jsonl"),
)


def print_case(name: str, figures: dict) -> None:
    full = figures["full"]
    print(f"{name}: {figures['file_mb']:.1f} MB compressed, {full['pages']} pages "
          f"({full['records']} WARC records), {full['links']} links "
          f"({full['external_links']} external); bare/full reader {figures['reader']}, "
          "JSONL as the CLI runs it")  # fmt: skip
    print(f"{'pass':18s} {'records/s':>10s} {'MB/s':>8s} {'cpu s':>8s} {'wall s':>8s}")
    for label, key in ROWS:
        row = figures[key]
        print(
            f"{label:18s} {row['records_per_s']:>10.0f} {row['mb_per_s']:>8.2f} "
            f"{row['cpu_seconds']:>8.2f} {row['wall_seconds']:>8.2f}"
        )
    print(f"full/bare ratio: {figures['ratio_full_bare']}  JSONL/bare: "
          f"{figures['ratio_jsonl_bare']}  (targets: full >= {TARGET_RECORDS_PER_S} rec/s, "
          f"ratio >= {TARGET_RATIO}, JSONL >= {TARGET_JSONL_RECORDS_PER_S} rec/s)")  # fmt: skip


def print_side_by_side(cases: dict[str, dict]) -> None:
    names = list(cases)
    print(f"{'records/s':18s}" + "".join(f"{name:>12s}" for name in names))
    for label, key in ROWS[2:]:
        print(f"{label:18s}" + "".join(f"{cases[n][key]['records_per_s']:>12.0f}" for n in names))
    for key in ("ratio_full_bare", "ratio_jsonl_bare"):
        print(f"{key:18s}" + "".join(f"{cases[n][key]:>12.3f}" for n in names))


def run(args: argparse.Namespace) -> int:
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    cpu = _pin_one_core()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
            if args.file:
                path = Path(args.file)
                if not path.is_file():
                    raise UserError(f"no such WARC file: {path}")
                cases = {str(path): bench_file(path, args.reader, args.repeat)}
                generated = None
            else:
                kinds = PAGE_KINDS if args.pages == "both" else (args.pages,)
                cases, generated = {}, {}
                for kind in kinds:
                    path = Path(tmp) / kind / "bench.warc.gz"
                    summary = generate(path, args.records, args.seed, kind)
                    generated[kind] = {k: v for k, v in summary.items() if k != "path"}
                    cases[kind] = bench_file(path, args.reader, args.repeat)
                    path.unlink()
    finally:
        if affinity is not None and cpu is not None:
            os.sched_setaffinity(0, affinity)
    peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"one core (cpu {cpu}); records/s = HTML pages per CPU second, best of {args.repeat}")
    for name, figures in cases.items():
        print_case(name, figures)
    if len(cases) > 1:
        print_side_by_side(cases)
    print(f"peak RSS of this process: {peak_rss_mb} MB")
    main_case = next(iter(cases.values()))
    result = {
        "benchmark": "extract",
        "pages": None if args.file else args.pages,
        "generated": generated,
        "cpu": cpu,
        **main_case,
        "peak_rss_mb": peak_rss_mb,
        "targets": {
            "full_records_per_s": TARGET_RECORDS_PER_S,
            "ratio": TARGET_RATIO,
            "jsonl_records_per_s": TARGET_JSONL_RECORDS_PER_S,
        },
    }
    if len(cases) > 1:
        result.update({name: figures for name, figures in list(cases.items())[1:]})
    print(json.dumps(result, default=str))
    return 0
