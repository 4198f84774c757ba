"""``supplylinks bench targeted``: index-targeted reads vs. the full scan of the same crawl.

Generates a crawl in Common Crawl's layout (the extraction benchmark's pages: ~40 KB, ~200
links) with its columnar index, where a handful of seed companies own ~2 % of the pages
(``--seed-share``) and the other firms the rest. Then writes ``pages``, ``hyperlinks`` and
``company_links`` of the crawl over Dagster Pipes on the local runtime twice, as a user
would, each into its own warehouse: the full scan (``extract`` + ``company_links`` over
every segment, one Spark job each) and the targeted read of the crawl partition
(``targeted_crawl``: index lookup, ranged reads of the seed records, extraction and labels
in one job, in-process for a few thousand records). It compares the end-to-end wall time
of the two runs, bytes read, the lookup's time, the requests made, and whether the seed
companies' ``company_links`` rows are equal. The last line is one JSON object.

Where the targeted run's time goes is printed too: the step around the job (Dagster's run
and the Pipes session), the job process's start (interpreter and imports, before the job's
own clock starts), the index lookup and the job's phases.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
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


def materialize_crawl(workdir: Path, root: Path, seeds: Path, targeted: bool) -> dict:
    """One run writing the crawl's three tables: ``targeted_crawl`` for the crawl partition,
    or ``extract`` + ``company_links`` over every segment; wall time and job metadata."""
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
    from pipelines.crawl.targeted import targeted
    from pipelines.definitions import build_definitions
    from pipelines.metadata import figure
    from spark_jobs.targeted import ASSET_PREFIX

    warehouse = workdir / f"warehouse-{'targeted' if targeted else 'full'}"
    shutil.rmtree(warehouse, ignore_errors=True)
    settings = Settings(warehouse=str(warehouse), cc_root=str(root), seeds=str(seeds))
    resources = dict(build_definitions(settings).resources)
    resources["crawl_config"] = CrawlConfig(
        warehouse=str(warehouse), cc_root=str(root), seeds=str(seeds), model="rules"
    )
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(crawl_partitions.name, [BENCH_CRAWL])
    if targeted:
        assets, selection = [targeted], {"partition_key": BENCH_CRAWL}
    else:
        segments = segments_with_files(str(root), BENCH_CRAWL)
        start, end = f"{BENCH_CRAWL}|{segments[0]}", f"{BENCH_CRAWL}|{segments[-1]}"
        assets = [extract, company_links]
        selection = {
            "tags": {ASSET_PARTITION_RANGE_START_TAG: start, ASSET_PARTITION_RANGE_END_TAG: end}
        }
    started = time.perf_counter()
    result = materialize(assets, instance=instance, resources=resources, **selection)
    seconds = time.perf_counter() - started
    metadata = {
        m.asset_key.to_user_string(): m.metadata
        for m in result.get_asset_materialization_events()
        for m in [m.event_specific_data.materialization]
    }
    # run-wide figures of a partitioned materialization are kept as run_*
    prefix = ASSET_PREFIX if targeted else ""
    pages, links = metadata[f"{prefix}pages"], metadata[f"{prefix}company_links"]

    def value(key: str):
        return figure(pages, f"run_{key}")

    figures = {
        "warehouse": str(warehouse),
        "seconds": round(seconds, 2),
        "extract_job_seconds": value("duration_seconds"),
        "bytes_read": value("bytes_read"),
        "records_read": value("records_read"),
        "pages": value("pages"),
        "files_failed": value("files_failed"),
        "phase_seconds": value("phase_seconds"),
        "step_seconds": step_seconds(instance, result.run_id),
        "company_links_job_seconds": figure(links, "run_duration_seconds"),
    }
    if targeted:
        figures.update(
            index_lookup_seconds=value("index_lookup_seconds"),
            records_planned=value("records_planned"),
            range_requests=value("range_requests"),
            tasks_engine=value("tasks_engine"),
        )
    return figures


def step_seconds(instance, run_id: str) -> dict[str, float]:
    """Each step's wall time in the run, from its start and success events."""
    from dagster import DagsterEventType

    starts, seconds = {}, {}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            starts[event.step_key] = record.timestamp
        elif event.event_type == DagsterEventType.STEP_SUCCESS:
            seconds[event.step_key] = round(record.timestamp - starts[event.step_key], 2)
    return seconds


def seed_company_links(warehouse: str) -> list[dict]:
    from deltalake import DeltaTable

    from spark_jobs.tables import COMPANY_LINKS

    rows = DeltaTable(COMPANY_LINKS.path(warehouse)).to_pyarrow_table().to_pylist()
    return sorted(rows, key=lambda r: (r["segment"], r["link_id"]))


def run(args: argparse.Namespace) -> int:
    from pipelines.bench.workdir import prepared_input

    wanted = {
        "records": args.records, "files": args.files, "seed_share": args.seed_share,
        "page_kb": args.page_kb, "crawl": BENCH_CRAWL, "seeds": list(SEED_IDS),
    }  # fmt: skip
    workdir, root = prepared_input(
        args.workdir, "bench-targeted-", wanted, lambda root: build_crawl(root, args)
    )
    seeds = workdir / "seeds.csv"
    write_seeds(seeds)
    crawl_bytes = sum(p.stat().st_size for p in root.rglob("*.warc.gz"))

    targeted = materialize_crawl(workdir, root, seeds, targeted=True)
    print(f"targeted run: {targeted}", flush=True)
    full = materialize_crawl(workdir, root, seeds, targeted=False)
    print(f"full run: {full}", flush=True)
    full_links = seed_company_links(full["warehouse"])
    identical = seed_company_links(targeted["warehouse"]) == full_links
    job = targeted["company_links_job_seconds"]  # the job reports company_links last
    figures = {
        "records": args.records,
        "files": args.files,
        "crawl_bytes": crawl_bytes,
        "seed_companies": len(SEED_IDS),
        "seed_pages": targeted["records_planned"],
        "seed_page_share": round(targeted["records_planned"] / args.records, 4),
        "index_lookup_seconds": targeted["index_lookup_seconds"],
        "range_requests": targeted["range_requests"],
        "targeted_bytes_fetched": targeted["bytes_read"],
        "full_bytes_read": full["bytes_read"],
        "bytes_share": round(targeted["bytes_read"] / crawl_bytes, 4),
        "targeted_seconds": targeted["seconds"],
        "full_seconds": full["seconds"],
        "speedup": round(full["seconds"] / targeted["seconds"], 2),
        "targeted_tasks_engine": targeted["tasks_engine"],
        # Where the targeted run's time goes: the job's own clock (lookup, reads, extraction,
        # commits, labels); outside it, Dagster's run and the job process's start.
        "targeted_job_seconds": job,
        "targeted_outside_job_seconds": round(targeted["seconds"] - job, 2),
        "targeted_step_seconds": targeted["step_seconds"],
        "targeted_phase_seconds": targeted["phase_seconds"],
        "full_step_seconds": full["step_seconds"],
        "full_extract_job_seconds": full["extract_job_seconds"],
        "full_company_links_job_seconds": full["company_links_job_seconds"],
        "full_phase_seconds": full["phase_seconds"],
        "company_links_rows": len(full_links),
        "company_links_identical": identical,
        "files_failed": targeted["files_failed"] + full["files_failed"],
        "targets": {"bytes_share_max": 0.05, "speedup_min": 10.0},
    }
    print(
        f"index lookup {figures['index_lookup_seconds']} s, {figures['range_requests']} range "
        f"requests for {figures['seed_pages']} records; the targeted read took "
        f"{figures['bytes_share']:.2%} of the bytes and finished {figures['speedup']}x faster "
        f"end to end ({targeted['seconds']} s vs {full['seconds']} s); company_links for the "
        f"seeds {'identical' if identical else 'DIFFER'} ({len(full_links)} rows)"
    )
    print(json.dumps(figures))
    return 0 if identical else 1
