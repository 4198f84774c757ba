"""``supplylinks sample``: materialize every partition of a crawl through Dagster, locally.

This is ``make sample``: it uses a real Dagster instance (``DAGSTER_HOME``, default
``./.dagster_home``) so ``dagster dev`` on the same home shows the runs afterwards.
Inputs and outputs follow ``SUPPLYLINKS_CC_ROOT``, ``SUPPLYLINKS_SEEDS`` and
``SUPPLYLINKS_WAREHOUSE``; by default the miniature crawl in ``data_samples/``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import time
from pathlib import Path

from pipelines.cli import UserError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "sample",
        help="materialize all partitions of the sample (or configured) crawl locally",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--crawl", action="append", help="crawl id (default: all of the root)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(func=run)


def segments_with_files(cc_root: str, crawl: str) -> list[str]:
    """The segment keys of a crawl that hold WARC files in this Common Crawl root."""
    from spark_jobs.storage import crawl_warc_segments

    return sorted(set(crawl_warc_segments(cc_root, crawl).values()))


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DAGSTER_HOME", str(Path(".dagster_home").resolve()))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)

    from dagster import DagsterInstance, Failure, materialize
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from pipelines.companies.assets import companies
    from pipelines.companies.checks import companies_checks
    from pipelines.config import Settings
    from pipelines.crawl.assets import company_links, extract, link_graph, seed_companies
    from pipelines.crawl.checks import crawl_checks
    from pipelines.crawl.partitions import crawl_partitions
    from pipelines.crawl.sensors import discover_crawls
    from pipelines.definitions import build_definitions
    from pipelines.graph.checks import graph_checks
    from pipelines.runtimes.local import require_java

    started = time.monotonic()
    failures: list[dict] = []
    try:
        require_java()
    except Failure as exc:
        raise UserError(exc.description) from None
    settings = Settings.from_env()
    try:
        crawls = args.crawl or discover_crawls(settings.cc_root)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    if not crawls:
        raise UserError(f"no crawls found under {settings.cc_root}")
    defs = build_definitions(settings)
    resources = defs.resources
    instance = DagsterInstance.get()
    for run_id in fail_abandoned_runs(instance):
        print(f"sample: run {run_id} of a killed sample marked failed", flush=True)
    instance.add_dynamic_partitions(crawl_partitions.name, crawls)
    print(f"sample: crawls {', '.join(crawls)} from {settings.cc_root}", flush=True)
    train_default_model_if_missing(resources, instance, settings.model)
    for crawl in crawls:
        segments = segments_with_files(settings.cc_root, crawl)
        if not segments:
            print(f"sample: {crawl} has no WARC files, skipped", flush=True)
            continue
        print(f"sample: {crawl} segments {segments[0]}..{segments[-1]}", flush=True)
        result = materialize(
            [seed_companies, extract, company_links, *crawl_checks],
            instance=instance,
            resources=resources,
            tags={
                ASSET_PARTITION_RANGE_START_TAG: f"{crawl}|{segments[0]}",
                ASSET_PARTITION_RANGE_END_TAG: f"{crawl}|{segments[-1]}",
                SAMPLE_TAG: socket.gethostname(),
            },
            selection=["seed_companies", "pages", "hyperlinks", "company_links"],
            raise_on_error=False,
        )
        failures += run_failures(result, crawl)
    crawl_range = {
        ASSET_PARTITION_RANGE_START_TAG: crawls[0],
        ASSET_PARTITION_RANGE_END_TAG: crawls[-1],
        SAMPLE_TAG: socket.gethostname(),
    }
    if not failures:  # the graph of a crawl whose extraction failed would be stale
        result = materialize(
            [companies, *companies_checks],
            instance=instance,
            resources=resources,
            tags=crawl_range,
            selection=["companies"],
            raise_on_error=False,
        )
        failures += run_failures(result, "companies")
    if not failures:
        result = materialize(
            [link_graph, *crawl_checks, *graph_checks],
            instance=instance,
            resources=resources,
            tags=crawl_range,
            selection=["link_graph"],
            raise_on_error=False,
        )
        failures += run_failures(result, "graph")
    summary = summarize(settings.warehouse, time.monotonic() - started)
    summary["failures"] = failures
    if args.json:
        print(json.dumps(summary))
    else:
        print_summary(summary)
    return 1 if failures else 0


#: Tag of the runs ``sample`` launches (value: the host), so a later sample can tell its
#: own abandoned runs from runs other processes (``dagster dev``) are executing.
SAMPLE_TAG = "supplylinks/sample_host"


def run_failures(result, what: str) -> list[dict]:
    """The failed steps of a run, each with the first line Dagster shows for it."""
    failures = []
    for event in result.all_events:
        if event.event_type_value != "STEP_FAILURE":
            continue
        data = event.step_failure_data
        message = (
            data.user_failure_data.description
            if data.user_failure_data and data.user_failure_data.description
            else data.error.message
            if data.error
            else "failed"
        )
        failures.append({"run": result.run_id, "what": what, "step": event.step_key,
                         "error": message.strip()})  # fmt: skip
    return failures


def fail_abandoned_runs(instance) -> list[str]:
    """Mark failed the sample runs of this host still STARTED whose process is gone (a
    killed ``sample`` never reports its end); returns their ids."""
    from dagster import DagsterEventType, DagsterRunStatus, RunsFilter

    host = socket.gethostname()
    runs = instance.get_runs(
        RunsFilter(statuses=[DagsterRunStatus.STARTED], tags={SAMPLE_TAG: host})
    )
    failed = []
    for run in runs:
        starts = instance.get_records_for_run(
            run.run_id, of_type=DagsterEventType.RUN_START
        ).records
        pid = starts[0].event_log_entry.dagster_event.pid if starts else None
        if pid is not None and _alive(pid):
            continue
        instance.report_run_failed(
            run, f"the process running it ({pid}) ended without reporting: killed?"
        )
        failed.append(run.run_id)
    return failed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def train_default_model_if_missing(resources: dict, instance, model: str) -> None:
    """A fresh checkout has no trained model; train the fast one once (~20 s) through the
    ``link_classifier`` asset so the sample is labelled by it rather than by the rules. Its
    quality checks run too: a model below the configured F1 floors stops the sample."""
    from dagster import materialize

    from models.registry import Registry
    from pipelines.classifier.assets import link_classifier
    from pipelines.classifier.checks import classifier_checks

    config = resources["classifier_config"]
    if model != "default" or Registry(config.models or None).default_version() is not None:
        return
    print("sample: no trained classifier registered; training the spaCy model", flush=True)
    materialize(
        [link_classifier, *classifier_checks],
        instance=instance,
        resources={"classifier_config": config.model_copy(update={"use_weak_labels": False})},
    )


def summarize(warehouse: str, seconds: float) -> dict:
    """Rows per table and the top relations of the newest graph slice."""
    from pipelines.warehouse import dataset, open_table, query
    from spark_jobs.tables import LINK_GRAPH, TABLES

    rows = {}
    for name, spec in TABLES.items():
        table = open_table(warehouse, spec)
        rows[name] = table.count() if table is not None else 0
    relations = []
    graph = open_table(warehouse, LINK_GRAPH)
    if graph is not None:
        relations = query(
            "SELECT relation, count(*) AS edges, sum(links) AS links FROM g "
            "WHERE crawl = (SELECT max(crawl) FROM g) GROUP BY 1 ORDER BY edges DESC",
            g=dataset(graph),
        )
    return {
        "warehouse": warehouse,
        "rows": rows,
        "relations": relations,
        "seconds": round(seconds, 1),
    }


def print_summary(summary: dict) -> None:
    print(f"\nwarehouse: {summary['warehouse']}")
    for name, count in summary["rows"].items():
        print(f"  {name:<14} {count:>9,} rows")
    print("top relations (newest crawl):")
    for row in summary["relations"]:
        print(f"  {row['relation']:<11} {row['edges']:>5} edges {row['links']:>7} links")
    for failure in summary.get("failures", []):
        print(f"FAILED {failure['what']} ({failure['step']}): {failure['error'].splitlines()[0]}")
    if summary.get("failures"):
        print(f"{len(summary['failures'])} step(s) failed; the tables above keep their "
              f"previous version for them. done in {summary['seconds']} s")  # fmt: skip
        return
    print(f"done in {summary['seconds']} s")
