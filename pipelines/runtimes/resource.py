"""``SparkRuntime``: the one resource assets use to run a Spark job, whatever the runtime."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from dagster import ConfigurableResource, Failure, MaterializeResult
from pydantic import Field

from pipelines.config import RUNTIMES, RuntimeName
from pipelines.config_names import name_config_types
from pipelines.runtimes.specs import (
    DatabricksSpec,
    EmrServerlessSpec,
    EmrSpec,
    PriceTable,
    StandaloneSpec,
)

#: The Delta writers (spark_jobs.delta): an enum in the launchpad, as the runtime is.
DeltaWriter = Literal["delta-rs", "delta-spark"]
#: ``auto``: the runtime's own writer (Dagster config has no optional enum, hence a value).
WriterChoice = Literal["auto", "delta-rs", "delta-spark"]

#: The Delta writer each runtime uses unless configured otherwise.
DEFAULT_WRITERS: dict[str, DeltaWriter] = {
    "local": "delta-rs",
    "standalone": "delta-spark",
    "emr": "delta-spark",
    "emr-serverless": "delta-spark",
    "databricks": "delta-spark",
}


#: The per-runtime settings sections, by the runtime they configure.
SPEC_SECTIONS: dict[str, tuple[str, type]] = {
    "standalone": ("standalone", StandaloneSpec),
    "emr": ("emr", EmrSpec),
    "emr-serverless": ("emr_serverless", EmrServerlessSpec),
    "databricks": ("databricks", DatabricksSpec),
}


class SparkRuntime(ConfigurableResource):
    """Where the Spark jobs run: set per deployment (the SUPPLYLINKS_RUNTIME variable) and
    per run in the launchpad (resources, spark_runtime, config, runtime). A runtime's section
    (emr, databricks, ...) or prices left unset: the defaults of pipelines/runtimes/specs.py."""

    # Why the sections are optional (null): the launchpad pre-fills only what the deployment
    # set, i.e. its own runtime's section, not ~70 lines of every cloud's shape and prices.
    runtime: RuntimeName = Field("local", description="Where the Spark jobs run")
    delta_writer: WriterChoice = Field(
        "auto", description="Delta writer; auto: the runtime's own (delta-rs locally)"
    )
    standalone: StandaloneSpec | None = Field(
        None, description="Spark cluster you run (spark-submit); null: specs.py defaults"
    )
    emr: EmrSpec | None = Field(
        None, description="EMR cluster per run (run_job_flow); null: specs.py defaults"
    )
    emr_serverless: EmrServerlessSpec | None = Field(
        None, description="EMR Serverless application and job shape; null: specs.py defaults"
    )
    databricks: DatabricksSpec | None = Field(
        None, description="Databricks one-time run on a job cluster; null: specs.py defaults"
    )
    prices: PriceTable | None = Field(
        None, description="Prices of the cost metadata; null: specs.py's list prices"
    )

    @classmethod
    def for_deployment(cls, runtime: str, location: str = "") -> SparkRuntime:
        """The deployment's runtime plus its typed per-runtime configuration, read from the
        JSON file ``location`` (``Settings.runtime_config``, i.e. ``SUPPLYLINKS_RUNTIME_CONFIG``;
        keys: ``standalone``, ``emr``, ``emr_serverless``, ``databricks``, ``prices``,
        ``delta_writer``).
        No file: the defaults of specs.py. The chosen runtime's section is always set, so
        the launchpad shows that runtime's settings (and only the sections the file names).
        """
        import json
        from pathlib import Path

        from dagster._config import validate_config

        values = json.loads(Path(location).read_text()) if location else {}
        known = {name for name, _ in SPEC_SECTIONS.values()} | {"prices", "delta_writer"}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"{location}: unknown runtime config keys {sorted(unknown)}")
        # Dagster's own check, so a misspelt nested key is refused here, not silently dropped.
        checked = validate_config(cls.to_config_schema().config_type, values)
        if not checked.success:
            raise ValueError(f"{location}: " + "; ".join(e.message for e in checked.errors))
        section = SPEC_SECTIONS.get(runtime)
        if section:
            values.setdefault(section[0], {})
        return cls(runtime=runtime, **values)

    def writer(self) -> DeltaWriter:
        if self.delta_writer == "auto":
            return DEFAULT_WRITERS[self.runtime]
        return self.delta_writer

    def spec(self, runtime: str | None = None):
        """The settings of ``runtime`` (default: this one's), specs.py's defaults if unset."""
        name, spec_class = SPEC_SECTIONS[runtime or self.runtime]
        return getattr(self, name) or spec_class()

    def price_table(self) -> PriceTable:
        return self.prices or PriceTable()

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

            return LocalLauncher(prices=self.price_table())
        if self.runtime == "standalone":
            from pipelines.runtimes.standalone import StandaloneLauncher

            return StandaloneLauncher(self.spec(), self.price_table())
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


# Before any SparkRuntime exists: its sections show as EmrSpec, PriceTable... in the UI.
name_config_types(SparkRuntime)
