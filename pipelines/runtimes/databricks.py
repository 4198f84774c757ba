"""Databricks: the one-time run task spec and ``PipesDatabricksClient`` with this project's fixes.

Fixed defect of dagster-databricks 0.29 (checked in .venv/.../dagster_databricks/pipes.py):
``PipesDatabricksClient.run`` (pipes.py:362-366) cancels the Databricks run on
``DagsterExecutionInterruptedError`` but never re-raises it, so a cancelled Dagster run
carries on as if the job had succeeded (``run_multi_task`` re-raises, pipes.py:193). We
re-raise after the cancellation completed. And ``PipesDbfsLogReader.download_log_chunk``
(pipes.py:641) asserts that a read returned data: a driver log file the cluster has just
created is empty, and the ``AssertionError`` ends the reader thread, so no further driver
output reaches Dagster. :class:`DbfsLogReader` reads an empty file as "nothing yet".

Also: a failed run raises ``Failure`` with the task's error and trace (``get_run_output``),
and the run's duration becomes cost metadata. The Pipes params carry a ``transport`` marker
so ``spark_jobs.pipes_session`` picks the DBFS / volume loader without knowing the runtime.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from dagster import Failure
from dagster._core.errors import DagsterExecutionInterruptedError, DagsterPipesExecutionError
from dagster_databricks import PipesDatabricksClient, PipesDbfsContextInjector
from dagster_databricks.pipes import (
    PipesDbfsLogReader,
    PipesDbfsMessageReader,
    PipesUnityCatalogVolumesContextInjector,
    PipesUnityCatalogVolumesMessageReader,
)
from databricks.sdk.service import compute, jobs

from pipelines.runtimes.artifacts import Artifacts
from pipelines.runtimes.cost import estimate_databricks
from pipelines.runtimes.specs import DatabricksSpec, PriceTable

#: Key added to the injected Pipes params; read by spark_jobs.pipes_session.
TRANSPORT_KEY = "transport"
#: Env var telling the job where the cluster delivers driver logs (for log forwarding).
CLUSTER_LOG_ROOT_ENV = "SUPPLYLINKS_CLUSTER_LOG_ROOT"


class _Marked:
    transport = ""

    def _mark(self, params: dict) -> dict:
        return {**params, TRANSPORT_KEY: self.transport}


class DbfsContextInjector(_Marked, PipesDbfsContextInjector):
    transport = "dbfs"

    @contextmanager
    def inject_context(self, context):
        with super().inject_context(context) as params:
            yield self._mark(params)


class DbfsMessageReader(_Marked, PipesDbfsMessageReader):
    transport = "dbfs"

    @contextmanager
    def get_params(self):
        with super().get_params() as params:
            yield self._mark(params)


class VolumesContextInjector(_Marked, PipesUnityCatalogVolumesContextInjector):
    transport = "volumes"

    @contextmanager
    def inject_context(self, context):
        with super().inject_context(context) as params:
            yield self._mark(params)


class VolumesMessageReader(_Marked, PipesUnityCatalogVolumesMessageReader):
    transport = "volumes"

    @contextmanager
    def get_params(self):
        with super().get_params() as params:
            yield self._mark(params)


class DbfsLogReader(PipesDbfsLogReader):
    """Forwards a driver log file; an empty (just created) file is "nothing yet", not an error."""

    def download_log_chunk(self, params):
        try:
            return super().download_log_chunk(params)
        except AssertionError:  # upstream's only assert here: the read returned no data
            return None


def transport_for(spec: DatabricksSpec, workspace, interval: float):
    """(context injector, message reader) for the configured storage."""
    if spec.storage == "volumes":
        if not spec.volume_path:
            raise Failure("databricks.storage=volumes needs databricks.volume_path")
        return (
            VolumesContextInjector(client=workspace, volume_path=spec.volume_path),
            VolumesMessageReader(client=workspace, volume_path=spec.volume_path, interval=interval),
        )
    if spec.storage != "dbfs":
        raise Failure(f"unknown databricks.storage {spec.storage!r}; expected dbfs or volumes")
    log_readers = [
        DbfsLogReader(
            client=workspace, remote_log_name=name, target_stream=stream, interval=interval
        )
        for name, stream in (("stdout", _stdout()), ("stderr", _stderr()))
    ]
    return (
        DbfsContextInjector(client=workspace),
        DbfsMessageReader(client=workspace, interval=interval, log_readers=log_readers),
    )


def _stdout():
    import sys

    return sys.stdout


def _stderr():
    import sys

    return sys.stderr


def submit_task(
    spec: DatabricksSpec, artifacts: Artifacts, job: str, tags: dict[str, str]
) -> jobs.SubmitTask:
    """A ``spark_python_task`` on a new autoscaling job cluster with the wheel as library."""
    spark_conf = dict(spec.spark_conf)
    if spec.delta_parallel_delete:
        spark_conf.setdefault("spark.databricks.delta.vacuum.parallelDelete.enabled", "true")
    cluster = compute.ClusterSpec(
        spark_version=spec.spark_version,
        node_type_id=spec.node_type_id,
        driver_node_type_id=spec.driver_node_type_id or None,
        autoscale=compute.AutoScale(min_workers=spec.min_workers, max_workers=spec.max_workers),
        spark_conf=spark_conf,
        custom_tags=dict(tags),
        aws_attributes=compute.AwsAttributes(
            availability=compute.AwsAvailability(spec.availability),
            first_on_demand=spec.first_on_demand,
        ),
        cluster_log_conf=compute.ClusterLogConf(
            dbfs=compute.DbfsStorageInfo(destination=spec.cluster_log_root)
        ),
        spark_env_vars={CLUSTER_LOG_ROOT_ENV: spec.cluster_log_root},
    )
    return jobs.SubmitTask(
        task_key=f"supplylinks_{job}",
        new_cluster=cluster,
        spark_python_task=jobs.SparkPythonTask(python_file=artifacts.script_uri, parameters=[]),
        libraries=[compute.Library(whl=artifacts.wheel_uri)],
        timeout_seconds=spec.timeout_seconds,
    )


class SupplylinksDatabricksClient(PipesDatabricksClient):
    def __init__(
        self,
        *,
        client,
        context_injector,
        message_reader,
        spec: DatabricksSpec,
        prices: PriceTable,
    ) -> None:
        super().__init__(
            client=client,
            context_injector=context_injector,
            message_reader=message_reader,
            poll_interval_seconds=spec.poll_seconds,
            forward_termination=True,
        )
        self.spec, self.prices = spec, prices
        self._cancelled_run: int | None = None

    def run(self, *, context, extras=None, task, submit_args=None):
        self._cancelled_run = None
        invocation = super().run(context=context, extras=extras, task=task, submit_args=submit_args)
        if self._cancelled_run is not None:  # fix: pipes.py:362-366 swallowed the interrupt
            raise DagsterExecutionInterruptedError(
                f"Dagster run interrupted; Databricks run {self._cancelled_run} was cancelled"
            )
        return invocation

    def _poll_til_terminating(self, run_id: int) -> None:
        # Only reached from run()'s interrupt handler, after cancel_run.
        self._cancelled_run = run_id
        super()._poll_til_terminating(run_id)

    def _poll_til_success(self, context, run_id: int) -> None:
        try:
            super()._poll_til_success(context, run_id)
        except DagsterPipesExecutionError as error:
            text = f"{error}\n{self._run_error(run_id)}"
            context.log.error(text)
            raise Failure(text) from error

    def _run_error(self, run_id: int) -> str:
        """The failed task's error and trace, as the Databricks UI shows them."""
        run = self.client.jobs.get_run(run_id)
        lines = []
        for task in run.tasks or []:
            if task.run_id is None:
                continue
            output = self.client.jobs.get_run_output(task.run_id)
            if output.error:
                lines.append(f"task {task.task_key}: {output.error}")
            if output.error_trace:
                lines.append(output.error_trace)
        return "\n".join(lines)

    def _extract_dagster_metadata(self, run_id: int) -> dict[str, Any]:
        metadata = dict(super()._extract_dagster_metadata(run_id))
        run = self.client.jobs.get_run(run_id)
        hours = 0.0
        if run.start_time and run.end_time:
            hours = max(run.end_time - run.start_time, 0) / 3_600_000
        metadata.update(estimate_databricks(self.spec, self.prices, hours).metadata())
        return metadata
