"""``supplylinks bench targeted``: index-targeted reads vs. the full scan of the same crawl.

Generates a crawl in Common Crawl's layout (the extraction benchmark's pages: ~40 KB, ~200
links) with its columnar index, where a handful of seed companies own ~2 % of the pages
(``--seed-share``) and the other firms the rest. Then materializes ``pages``/``hyperlinks``
and ``company_links`` over Dagster Pipes on the local runtime twice, as a user would: once
as a full scan of every WARC file, once in targeted mode (index lookup, ranged reads of the
seed records only), each in its own warehouse, and compares: wall time of each run, bytes
read, the lookup's time, requests made, and whether the seed companies' ``company_links``
rows are equal. The last line is one JSON object.

Both runs pay the same fixed costs (Dagster, two Spark job start-ups); the extract jobs'
own clocks (``extract_job_seconds``) and their read-and-extract phase show less of them, and
the same planning and task loop run in this process on one core (no Spark, no writes:
``in_process_*``) show the reads and extraction alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

BENCH_CRAWL = "CC-MAIN-2099-02"
SEGMENTS = ("4000000000000.00", "4000000000001.00")
#: The seed companies of the benchmark: small sites of a big crawl (C01 owns two domains).
SEED_IDS = ("C01", "C07", "C12", "C23", "C31")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("targeted", help="index-targeted reads vs the full scan")
    parser.add_argument("--records", type=int, default=100_000, help="records to generate")
    parser.add_argument("--files", type=int, default=8, help="WARC files to spread them over")
    parser.add_argument("--seed-share", type=float, default=0.02, help="seed pages' share")
    parser.add_argument("--page-kb", type=int, default=40)
    parser.add_argument("--workdir", help="keep the crawl and tables here (default: temp dir)")
    parser.add_argument("--cores", type=int, default=2, help="processes generating files")
    parser.set_defaults(func=run)


def _firm_indexes(seed_share: float):
    from extraction.synthetic.economy import SEEDS

    seeds = [i for i, f in enumerate(SEEDS) if f.company_id in SEED_IDS]
    others = [i for i, f in enumerate(SEEDS) if f.company_id not in SEED_IDS]
    return seeds, others, seed_share


def write_file(path: Path, relative: str, segment: str, first: int, count: int, job: tuple):
    """One WARC file of ``count`` pages from ``first`` on; returns its cc-index rows."""
    from extraction.synthetic.bench import _Pools
    from extraction.synthetic.index import index_row
    from extraction.synthetic.sample import CRAWL_START
    from extraction.synthetic.warcs import Capture, CrawlWarcWriter

    seeds, others, share, page_kb = job
    pools = _Pools(random.Random(f"{first}:bench"))
    pick = random.Random(f"{first}:firms")
    rows = []
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        writer = CrawlWarcWriter(
            out, path.name, crawl=BENCH_CRAWL, seed=first, started=CRAWL_START, with_request=False
        )
        for number in range(first, first + count):
            firm = pick.choice(seeds) if pick.random() < share else pick.choice(others)
            page = pools.page(firm, number, page_kb, 200)
            written = writer.write(Capture(page, CRAWL_START + timedelta(seconds=number)))
            rows.append(index_row(written, relative, segment))
    return rows


def build_crawl(root: Path, args: argparse.Namespace) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from extraction.synthetic.index import COLUMNS

    seeds, others, share = _firm_indexes(args.seed_share)
    crawl_dir = root / "crawl-data" / BENCH_CRAWL
    jobs, first = [], 0
    for index in range(args.files):
        segment = SEGMENTS[index * len(SEGMENTS) // args.files]
        name = f"CC-MAIN-20990201000000-20990201010000-{index:05d}.warc.gz"
        relative = f"crawl-data/{BENCH_CRAWL}/segments/{segment}/warc/{name}"
        count = args.records // args.files + (1 if index < args.records % args.files else 0)
        jobs.append((root / relative, relative, segment, first, count))
        first += count
    with ProcessPoolExecutor(max_workers=max(1, args.cores)) as pool:
        futures = [
            pool.submit(write_file, *job, (seeds, others, share, args.page_kb)) for job in jobs
        ]
        rows = [row for done in futures for row in done.result()]
    listing = "\n".join(job[1] for job in jobs) + "\n"
    (crawl_dir / "warc.paths.gz").write_bytes(gzip.compress(listing.encode(), mtime=0))
    types = {"string": pa.string(), "int16": pa.int16(), "int32": pa.int32()}
    types["timestamp"] = pa.timestamp("us", tz="UTC")
    schema = pa.schema([pa.field(name, types[kind]) for name, kind in COLUMNS])
    rows.sort(key=lambda row: (row["url_surtkey"], row["fetch_time"], row["warc_filename"]))
    index = root / "cc-index/table/cc-main/warc" / f"crawl={BENCH_CRAWL}" / "subset=warc"
    index.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, index / "part-00000.parquet", compression="zstd", row_group_size=20_000)


def write_seeds(path: Path) -> None:
    from extraction.synthetic.economy import SEEDS

    lines = ["company_id,name,domains,country"]
    for firm in SEEDS:
        if firm.company_id in SEED_IDS:
            lines.append(f'{firm.company_id},"{firm.name}",{";".join(firm.domains)},{firm.country}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def materialize_crawl(workdir: Path, root: Path, seeds: Path, mode: str) -> dict:
    """extract + company_links of every segment in one run; wall time and metadata."""
    from dagster import DagsterInstance, materialize
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from pipelines.commands.sample import segments_with_files
    from pipelines.config import Settings
    from pipelines.crawl.assets import company_links, extract
    from pipelines.crawl.partitions import crawl_partitions
    from pipelines.crawl.resources import CrawlConfig
    from pipelines.definitions import build_definitions

    warehouse = workdir / f"warehouse-{mode}"
    shutil.rmtree(warehouse, ignore_errors=True)
    settings = Settings(warehouse=str(warehouse), cc_root=str(root), seeds=str(seeds))
    resources = dict(build_definitions(settings).resources)
    resources["crawl_config"] = CrawlConfig(
        warehouse=str(warehouse), cc_root=str(root), seeds=str(seeds), model="rules", mode=mode
    )
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(crawl_partitions.name, [BENCH_CRAWL])
    segments = segments_with_files(str(root), BENCH_CRAWL)
    started = time.perf_counter()
    result = materialize(
        [extract, company_links],
        instance=instance,
        resources=resources,
        tags={
            ASSET_PARTITION_RANGE_START_TAG: f"{BENCH_CRAWL}|{segments[0]}",
            ASSET_PARTITION_RANGE_END_TAG: f"{BENCH_CRAWL}|{segments[-1]}",
        },
    )
    seconds = time.perf_counter() - started
    metadata = {
        m.asset_key.to_user_string(): m.metadata
        for m in result.get_asset_materialization_events()
        for m in [m.event_specific_data.materialization]
    }
    pages = metadata["pages"]
    return {
        "warehouse": str(warehouse),
        "seconds": round(seconds, 2),
        "extract_job_seconds": pages["duration_seconds"].value,
        "bytes_read": pages["bytes_read"].value,
        "records_read": pages["records_read"].value,
        "pages": pages["pages"].value,
        "files_failed": pages["files_failed"].value,
        "phase_seconds": pages["phase_seconds"].value,
    }


def in_process(root: Path, seeds: Path, mode: str) -> dict:
    """The extract job's planning and task loop in this process on one core (no Spark, no
    writes): what the reads and extraction cost without Dagster's and Spark's fixed costs."""
    from extraction.companies import SeedCompanies
    from extraction.extract import ExtractStats
    from pipelines.commands.sample import segments_with_files
    from spark_jobs.params import JobParams
    from spark_jobs.storage import crawl_warc_segments
    from spark_jobs.targeted import open_pages, plan_targeted

    rows = SeedCompanies.from_csv(seeds).to_rows()
    slices = tuple((BENCH_CRAWL, s) for s in segments_with_files(str(root), BENCH_CRAWL))
    params = JobParams(
        warehouse="unused", slices=slices, cc_root=str(root), seeds=str(seeds),
        extra={"mode": mode},
    )  # fmt: skip
    started, cpu = time.perf_counter(), time.process_time()
    if mode == "targeted":
        tasks = plan_targeted(params, rows, log=lambda _m: None)
    else:  # every WARC file, as the extract job's full-scan plan lists them
        listing = crawl_warc_segments(str(root), BENCH_CRAWL)
        tasks = [(BENCH_CRAWL, seg, path, str(root / path)) for path, seg in listing.items()]
    companies, stats, pages = SeedCompanies.from_rows(rows), ExtractStats(), 0
    for task in tasks:
        with open_pages(task, companies, stats, "warcio") as records:
            pages += sum(1 for _ in records)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "pages": pages,
        "bytes_read": stats.bytes_read,
    }


def seed_company_links(warehouse: str) -> list[dict]:
    from deltalake import DeltaTable

    from spark_jobs.tables import COMPANY_LINKS

    rows = DeltaTable(COMPANY_LINKS.path(warehouse)).to_pyarrow_table().to_pylist()
    return sorted(rows, key=lambda r: (r["segment"], r["link_id"]))


def run(args: argparse.Namespace) -> int:
    from extraction.companies import SeedCompanies
    from spark_jobs.ccindex import lookup
    from spark_jobs.ranged import RecordRange, merge_adjacent
    from spark_jobs.targeted import seed_domains

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-targeted-"))
    root = workdir / "commoncrawl"
    if not (root / "crawl-data" / BENCH_CRAWL / "warc.paths.gz").exists():
        print(f"generating {args.records} records under {root} ...", flush=True)
        started = time.perf_counter()
        build_crawl(root, args)
        print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
    seeds = workdir / "seeds.csv"
    write_seeds(seeds)
    crawl_bytes = sum(p.stat().st_size for p in root.rglob("*.warc.gz"))

    domains = seed_domains(SeedCompanies.from_csv(seeds).to_rows())
    found = lookup(str(root), BENCH_CRAWL, domains)
    hits = found.hits
    ranges = [
        RecordRange(f, o, n)
        for f, o, n in zip(
            hits.column("warc_filename").to_pylist(),
            hits.column("warc_record_offset").to_pylist(),
            hits.column("warc_record_length").to_pylist(),
            strict=True,
        )
    ]
    requests = len(merge_adjacent(ranges))
    print(
        f"index lookup: {found.rows_matched} of {args.records} records for {len(domains)} "
        f"domains in {found.seconds:.3f} s; {requests} range requests planned",
        flush=True,
    )

    local = {mode: in_process(root, seeds, mode) for mode in ("targeted", "full")}
    print(f"in-process, one core: {local}", flush=True)
    targeted = materialize_crawl(workdir, root, seeds, "targeted")
    print(f"targeted run: {targeted}", flush=True)
    full = materialize_crawl(workdir, root, seeds, "full")
    print(f"full run: {full}", flush=True)
    full_links = seed_company_links(full["warehouse"])
    identical = seed_company_links(targeted["warehouse"]) == full_links
    figures = {
        "records": args.records,
        "files": args.files,
        "crawl_bytes": crawl_bytes,
        "seed_companies": len(SEED_IDS),
        "seed_domains": len(domains),
        "seed_pages": found.rows_matched,
        "seed_page_share": round(found.rows_matched / args.records, 4),
        "index_lookup_seconds": round(found.seconds, 3),
        "range_requests": requests,
        "targeted_bytes_fetched": targeted["bytes_read"],
        "full_bytes_read": full["bytes_read"],
        "bytes_share": round(targeted["bytes_read"] / crawl_bytes, 4),
        "targeted_seconds": targeted["seconds"],
        "full_seconds": full["seconds"],
        "speedup": round(full["seconds"] / targeted["seconds"], 2),
        "targeted_extract_job_seconds": targeted["extract_job_seconds"],
        "full_extract_job_seconds": full["extract_job_seconds"],
        "extract_job_speedup": round(
            full["extract_job_seconds"] / targeted["extract_job_seconds"], 2
        ),
        # Reading and extracting alone (the extract job's phase after Spark start-up and
        # planning, before the commits): what the targeted read saves, without fixed costs.
        "targeted_read_extract_seconds": targeted["phase_seconds"]["extract_and_write_files"],
        "full_read_extract_seconds": full["phase_seconds"]["extract_and_write_files"],
        "read_extract_speedup": round(
            full["phase_seconds"]["extract_and_write_files"]
            / targeted["phase_seconds"]["extract_and_write_files"],
            2,
        ),
        # The same reads and extraction in this process on one core, no Spark at all.
        "in_process_targeted_seconds": local["targeted"]["seconds"],
        "in_process_full_seconds": local["full"]["seconds"],
        "in_process_speedup": round(local["full"]["seconds"] / local["targeted"]["seconds"], 2),
        "in_process_bytes_share": round(
            local["targeted"]["bytes_read"] / max(1, local["full"]["bytes_read"]), 4
        ),
        "targeted_phase_seconds": targeted["phase_seconds"],
        "full_phase_seconds": full["phase_seconds"],
        "company_links_rows": len(full_links),
        "company_links_identical": identical,
        "files_failed": targeted["files_failed"] + full["files_failed"],
        "targets": {"bytes_share_max": 0.05, "speedup_min": 10.0},
    }
    print(
        f"targeted read {figures['bytes_share']:.2%} of the bytes and finished "
        f"{figures['speedup']}x faster ({targeted['seconds']} s vs {full['seconds']} s; extract "
        f"jobs {figures['extract_job_speedup']}x); company_links for the seeds "
        f"{'identical' if identical else 'DIFFER'} ({len(full_links)} rows)"
    )
    print(json.dumps(figures))
    return 0 if identical else 1
