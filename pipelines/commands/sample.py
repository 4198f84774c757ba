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
from dataclasses import dataclass
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

    import warnings

    from dagster import BetaWarning, DagsterInstance, Failure, PreviewWarning
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    # Dagster's beta/preview notices are for the developers (who see them in tests and
    # `dagster dev`), not for someone running the sample.
    warnings.simplefilter("ignore", BetaWarning)
    warnings.simplefilter("ignore", PreviewWarning)
    from pipelines.config import Settings
    from pipelines.crawl.partitions import crawl_partitions
    from pipelines.crawl.sensors import discover_crawls
    from pipelines.definitions import build_definitions
    from pipelines.jobs import CRAWL_TAG
    from pipelines.progress import output_to
    from pipelines.runtimes.local import require_java

    started = time.monotonic()
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
    # Not DAGSTER_HOME/logs: Dagster's telemetry owns that folder and empties it.
    stamp = time.strftime("%Y%m%d-%H%M%S")
    log_path = Path(os.environ["DAGSTER_HOME"], "sample-logs", f"sample-{stamp}.log")
    print(f"sample: crawls {', '.join(crawls)} from {settings.cc_root}", flush=True)
    print(f"sample: Dagster and Spark logs go to {log_path}", flush=True)
    runs: list[StepRun] = []
    with output_to(log_path) as terminal:
        defs = build_definitions(settings)
        instance = DagsterInstance.get()
        for run_id in fail_abandoned_runs(instance):
            print(f"sample: run {run_id} of a killed sample marked failed", file=terminal)
        instance.add_dynamic_partitions(crawl_partitions.name, crawls)
        steps = JobSteps(defs, instance, terminal, log_path)
        train_default_model_if_missing(steps, defs.resources, settings.model)
        for crawl in crawls:
            segments = segments_with_files(settings.cc_root, crawl)
            if not segments:
                print(f"sample: {crawl} has no WARC files, skipped", file=terminal, flush=True)
                continue
            tags = {
                ASSET_PARTITION_RANGE_START_TAG: f"{crawl}|{segments[0]}",
                ASSET_PARTITION_RANGE_END_TAG: f"{crawl}|{segments[-1]}",
                CRAWL_TAG: crawl,
            }
            runs.append(steps.run("extract_crawl", tags, len(segments)))
            if not runs[-1].failures:  # never label links of a slice that was not written
                runs.append(steps.run("classify_crawl", tags, len(segments)))
        graph_tags = {
            ASSET_PARTITION_RANGE_START_TAG: crawls[0],
            ASSET_PARTITION_RANGE_END_TAG: crawls[-1],
            CRAWL_TAG: crawls[-1] if len(crawls) == 1 else f"{crawls[0]}..{crawls[-1]}",
        }
        failures = [failure for run in runs for failure in run.failures]
        if not failures:  # the graph of a crawl whose extraction failed would be stale
            runs.append(steps.run("graph_crawl", graph_tags, len(crawls)))
            failures += runs[-1].failures
    summary = summarize(settings.warehouse, time.monotonic() - started)
    summary["files"] = file_figures(runs)
    summary["log"] = str(log_path)
    summary["runs"] = {r.job: r.run_id for r in runs}
    summary["dagster_home"] = os.environ["DAGSTER_HOME"]
    summary["failures"] = failures
    if args.json:
        print(json.dumps(summary))
    else:
        print_summary(summary)
    return 1 if failures else 0


@dataclass
class StepRun:
    job: str
    run_id: str
    figures: list
    failures: list[dict]


class JobSteps:
    """Runs the code location's named jobs in-process, one progress line per asset."""

    def __init__(self, defs, instance, terminal, log_path: Path) -> None:
        self.defs, self.instance, self.terminal, self.log_path = defs, instance, terminal, log_path

    def run(self, job: str, tags: dict, partitions: int, run_config: dict | None = None):
        from pipelines.jobs import CRAWL_TAG
        from pipelines.progress import run_figures, spinner, step_line

        with spinner(self.terminal, f"{job} ({partitions} partition(s))"):
            result = self.defs.resolve_job_def(job).execute_in_process(
                instance=self.instance,
                tags={**tags, SAMPLE_TAG: socket.gethostname()},
                run_config=run_config,
                raise_on_error=False,
            )
        figures = run_figures(self.instance, result.run_id, partitions)
        for asset in figures:
            print(step_line(job, asset), file=self.terminal, flush=True)
        failures = run_failures(result, tags.get(CRAWL_TAG, job))
        if not result.success and not failures:  # failed outside a step (e.g. at launch)
            failures = [{"run": result.run_id, "what": job, "step": job, "error": "run failed"}]
        return StepRun(job, result.run_id, figures, failures)


def file_figures(runs: list[StepRun]) -> dict[str, int]:
    """WARC files read/failed and records skipped (by reason), summed over partitions."""
    totals: dict[str, int] = {"files_read": 0, "files_failed": 0}
    for run in runs:
        for asset in run.figures:
            if asset.asset != "pages":
                continue
            for values in asset.partition_metadata:
                for key, value in values.items():
                    if key in totals or key.startswith("skipped_"):
                        totals[key] = totals.get(key, 0) + int(value or 0)
    return totals


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


def train_default_model_if_missing(steps: JobSteps, resources: dict, model: str) -> None:
    """A fresh checkout has no trained model; train one of the default kind once (the
    transformer: ~7 min on two cores) through the ``retrain_classifier`` job so the sample
    is labelled by it rather than by the rules. Its quality checks run too: a model below
    the configured F1 floors stops the sample."""
    from models.registry import Registry

    config = resources["classifier_config"]
    if model != "default" or Registry(config.models or None).default_version() is not None:
        return
    print(
        f"sample: no trained classifier registered; training a {config.kind} model "
        "(a few minutes, once)",
        file=steps.terminal,
    )
    no_weak_labels = {"resources": {"classifier_config": {"config": {"use_weak_labels": False}}}}
    trained = steps.run("retrain_classifier", {}, 1, run_config=no_weak_labels)
    if trained.failures:
        first = trained.failures[0]
        raise UserError(f"training the classifier failed ({first['step']}): "
                        f"{first['error'].splitlines()[0]}; the log: {steps.log_path}")  # fmt: skip


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
    files = summary.get("files", {})
    skipped = ", ".join(
        f"{k.removeprefix('skipped_')} {v}" for k, v in files.items() if k.startswith("skipped_")
    )
    print(f"\nWARC files: {files.get('files_read', 0)} read, {files.get('files_failed', 0)} failed")
    if skipped:
        print(f"records skipped: {skipped}")
    print(f"warehouse: {summary['warehouse']}")
    for name, count in summary["rows"].items():
        print(f"  {name:<14} {count:>9,} rows")
    print("top relations (newest crawl):")
    for row in summary["relations"]:
        print(f"  {row['relation']:<11} {row['edges']:>5} edges {row['links']:>7} links")
    for failure in summary.get("failures", []):
        print(f"FAILED {failure['what']} ({failure['step']}): {failure['error'].splitlines()[0]}")
    if summary.get("failures"):
        print(f"{len(summary['failures'])} step(s) failed; the tables above keep their "
              f"previous version for them. done in {summary['seconds']} s; "
              f"logs: {summary.get('log', '-')}")  # fmt: skip
        return
    print(f"done in {summary['seconds']} s; logs: {summary.get('log', '-')}")
    if "graph_crawl" in summary.get("runs", {}):
        print(
            f"see it: DAGSTER_HOME={summary['dagster_home']} dagster dev -m pipelines.definitions"
            f", then http://127.0.0.1:3000/runs/{summary['runs']['graph_crawl']}"
        )
