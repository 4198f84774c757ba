"""``SparkRuntime``: the one resource assets use to run a Spark job, whatever the runtime."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from dagster import ConfigurableResource, Failure, MaterializeResult
from pydantic import Field

from pipelines.config import RUNTIMES
from pipelines.runtimes.specs import (
    DatabricksSpec,
    EmrServerlessSpec,
    EmrSpec,
    PriceTable,
    StandaloneSpec,
)

#: An enum in the launchpad: a typo is refused when the run is configured, not when it starts.
#: (``standalone``: a Spark standalone cluster, see the cluster runtime.)
RuntimeName = Literal["local", "standalone", "emr", "emr-serverless", "databricks"]

#: The Delta writer each runtime uses unless configured otherwise (see spark_jobs.delta).
DEFAULT_WRITERS = {
    "local": "delta-rs",
    "standalone": "delta-spark",
    "emr": "delta-spark",
    "emr-serverless": "delta-spark",
    "databricks": "delta-spark",
}


#: A JSON file with the deployment's per-runtime configuration (bucket, roles, cluster shape,
#: prices); never credentials.


class SparkRuntime(ConfigurableResource):
    """Where the Spark jobs run: set per deployment (the SUPPLYLINKS_RUNTIME variable) and
    per run in the launchpad (resources, spark_runtime, config, runtime)."""

    runtime: RuntimeName = "local"
    delta_writer: str | None = None  # None: the runtime's default writer
    # Per-runtime cluster/job shape and the price table of the cost metadata (specs.py).
    standalone: StandaloneSpec = Field(default_factory=StandaloneSpec)
    emr: EmrSpec = Field(default_factory=EmrSpec)
    emr_serverless: EmrServerlessSpec = Field(default_factory=EmrServerlessSpec)
    databricks: DatabricksSpec = Field(default_factory=DatabricksSpec)
    prices: PriceTable = Field(default_factory=PriceTable)

    @classmethod
    def for_deployment(cls, runtime: str, location: str = "") -> SparkRuntime:
        """The deployment's runtime plus its typed per-runtime configuration, read from the
        JSON file ``location`` (``Settings.runtime_config``, i.e. ``SUPPLYLINKS_RUNTIME_CONFIG``;
        keys: ``standalone``, ``emr``, ``emr_serverless``, ``databricks``, ``prices``,
        ``delta_writer``).
        No file: the defaults of specs.py."""
        import json
        from pathlib import Path

        values = json.loads(Path(location).read_text()) if location else {}
        known = {"standalone", "emr", "emr_serverless", "databricks", "prices", "delta_writer"}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"{location}: unknown runtime config keys {sorted(unknown)}")
        return cls(runtime=runtime, **values)

    def writer(self) -> str:
        return self.delta_writer or DEFAULT_WRITERS[self.runtime]

    def launch(self, context, job: str, extras: dict[str, Any]) -> Sequence[Any]:
        """Run ``spark_jobs/<job>.py`` over Pipes and return its results.

        Fails the run when the job did not report a materialization for every asset the
        step was asked to materialize: a job that exits 0 without reporting is a defect.
        """
        if self.runtime not in RUNTIMES:
            raise Failure(f"unknown runtime {self.runtime!r}; expected one of {RUNTIMES}")
        extras = {**extras, "writer": self.writer(), "runtime": self.runtime}
        context.log.info(f"launching Spark job {job!r} on the {self.runtime} runtime")
        try:
            results = self._launcher().run(context, job, extras)
        except Exception as exc:  # say why the job failed, not only that it exited non-zero
            cause = job_error(context)
            if cause is None:
                raise
            raise Failure(description=f"Spark job {job!r} failed: {cause}") from exc
        expected_materializations(context, results)
        return results

    def _launcher(self):
        if self.runtime == "local":
            from pipelines.runtimes.local import LocalLauncher

            return LocalLauncher(prices=self.prices)
        if self.runtime == "standalone":
            from pipelines.runtimes.standalone import StandaloneLauncher

            return StandaloneLauncher(self.standalone, self.prices)
        from pipelines.runtimes import remote  # EMR, EMR Serverless, Databricks

        return remote.launcher_for(self)


#: The engine event Dagster records when a Pipes process closed with an exception.
PIPES_EXCEPTION_EVENT = "[pipes] external process pipes closed with exception"


def job_error(context) -> str | None:
    """The exception the job reported over Pipes in this step (its last one), as
    ``Class: message`` first line plus the details after it; None when it reported none."""
    from dagster import DagsterEventType

    try:
        step_key = context.op_execution_context.get_step_execution_context().step.key
    except Exception:  # not an asset step (direct invocation): any step of the run
        step_key = None
    records = context.instance.get_records_for_run(
        context.run.run_id, of_type=DagsterEventType.ENGINE_EVENT
    ).records
    for record in reversed(records):
        event = record.event_log_entry.dagster_event
        if event is None or (step_key and event.step_key != step_key):
            continue
        error = getattr(event.engine_event_data, "error", None)
        if event.message == PIPES_EXCEPTION_EVENT and error is not None:
            text = error.message.strip()
            head, _, rest = text.partition(": ")  # "spark_jobs.x.Error: ..." -> "Error: ..."
            name = error.cls_name or ""
            return f"{name}: {rest}" if name and rest and head.endswith(name) else text
    return None


def expected_materializations(context, results: Sequence[Any]) -> None:
    """Raise ``Failure`` unless every selected asset key got a MaterializeResult."""
    reported = {r.asset_key for r in results if isinstance(r, MaterializeResult) and r.asset_key}
    missing = [k for k in context.selected_asset_keys if k not in reported]
    if missing:
        names = ", ".join(k.to_user_string() for k in missing)
        raise Failure(f"the Spark job reported no materialization for: {names}")
