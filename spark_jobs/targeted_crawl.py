"""Pipes entrypoint: the seed companies' records of whole crawls -> ``pages``,
``hyperlinks`` and ``company_links``, in one job (the crawl-partitioned targeted assets).

A backfill over crawls is one run of this job: per crawl, one index lookup, then the hits'
ranged reads and extraction, one commit per table replacing the crawls, and the links of
the seed companies labelled. A targeted read is small, and its fixed costs are what a run
of it measures: up to ``local_max_records`` records (:data:`spark_jobs.targeted.
LOCAL_MAX_RECORDS`) the whole job runs in this process and never starts Spark (with the
delta-rs writer); more records run as Spark tasks and ``company_links`` as the classify
job does it. Same task function, writers and commit as :mod:`spark_jobs.extract`.

Run by the orchestrator as ``python -m spark_jobs.launch targeted_crawl``.
"""

from __future__ import annotations

import time
from typing import Any

from dagster_pipes import PipesContext

from spark_jobs.completeness import SliceFailure
from spark_jobs.extract import SparkTasks, extract_and_commit
from spark_jobs.in_process import LocalTasks, classify_crawls
from spark_jobs.params import JobParams
from spark_jobs.pipes_session import open_pipes
from spark_jobs.runner import JobRun, load_seed_rows
from spark_jobs.slice_report import SLICE_REPORT_KEY
from spark_jobs.tables import COMPANY_LINKS
from spark_jobs.targeted import (
    ASSET_PREFIX,
    LOCAL_MAX_RECORDS,
    plan_crawl,
    range_requests,
    seed_domains,
)


def by_crawl(by_slice: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per-slice figures (``crawl|segment``) summed per crawl: the partitions of this job."""
    crawls: dict[str, dict[str, Any]] = {}
    for key, figures in sorted(by_slice.items()):
        slot = crawls.setdefault(key.split("|")[0], {})
        for name, value in figures.items():
            slot[name] = slot.get(name, [] if isinstance(value, list) else 0) + value
    return crawls


def run(pipes: PipesContext, params: JobParams) -> dict[str, Any]:
    job = JobRun(pipes, "targeted_crawl", params)
    if not params.crawls:
        raise ValueError("no crawls given (extra 'crawls')")
    seed_rows = load_seed_rows(params.seeds)
    domains = seed_domains(seed_rows)
    cap = params.extra.get("max_pages_per_domain")
    files, lookups = [], {}
    for crawl in params.crawls:
        planned, found = plan_crawl(params.cc_root, crawl, domains, cap)
        if not planned:
            raise SliceFailure(
                f"the index of {crawl} holds no HTML page of the {len(domains)} seed domains; "
                "nothing was committed"
            )
        lookups[crawl] = {**found.summary(), "range_requests": range_requests(planned)}
        job.log(f"index lookup {crawl}: {lookups[crawl]}")
        files += planned
    records = sum(len(task[4]) for task in files)
    limit = int(params.extra.get("local_max_records", LOCAL_MAX_RECORDS))
    local = records <= limit and params.writer == "delta-rs"
    engine = LocalTasks() if local else SparkTasks(job)
    job.log(f"{records} records in {len(files)} WARC files: {engine.name} tasks (limit {limit})")
    judged = sorted({(task[0], task[1]) for task in files})
    crawls = dict.fromkeys(params.crawls)  # each crawl replaced whole: its seed records
    counts, reports, verdict = extract_and_commit(
        job, params, files, seed_rows, engine, judged, crawls
    )
    started = time.monotonic()
    if local:
        links_report, links_extra = classify_crawls(params, list(params.crawls), seed_rows)
    else:
        from spark_jobs.classify import classify_slices

        links_report, links_extra = classify_slices(
            job.spark, params, crawls, seed_rows, params.model
        )
    counts["phase_seconds"]["classify_and_commit_company_links"] = round(
        time.monotonic() - started, 2
    )
    counts[SLICE_REPORT_KEY] = by_crawl(counts[SLICE_REPORT_KEY])
    counts["index"] = lookups
    counts["index_lookup_seconds"] = round(
        sum(v["index_lookup_seconds"] for v in lookups.values()), 3
    )
    counts["range_requests"] = sum(v["range_requests"] for v in lookups.values())
    counts["records_planned"] = records
    for name, report in reports.items():
        job.report(ASSET_PREFIX + name, report, counts)
        job.check(
            ASSET_PREFIX + name, "slices_complete", not verdict.damaged, verdict.metadata(), "WARN"
        )
    links_extra["tasks_engine"] = engine.name
    job.report(ASSET_PREFIX + COMPANY_LINKS.name, links_report, links_extra)
    return {"files": counts, "reports": {k: v.metadata() for k, v in reports.items()}}


def main() -> None:
    with open_pipes() as pipes:
        run(pipes, JobParams.from_extras(pipes.extras))


if __name__ == "__main__":
    main()
