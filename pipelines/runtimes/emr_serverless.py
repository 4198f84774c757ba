"""EMR Serverless: the ``start_job_run`` request and ``PipesEMRServerlessClient`` extended.

The official client only reads logs from CloudWatch and raises a bare ``RuntimeError`` on
failure (dagster_aws/pipes/clients/emr_serverless.py:227). Here Pipes messages go through
S3 (the same transport as EMR), the driver's stdout/stderr are read back from the job's S3
log folder, a failed run raises ``Failure`` with the service's ``stateDetails``, and the
billed resource utilization becomes cost metadata.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from dagster import Failure
from dagster_aws.pipes import PipesEMRServerlessClient, PipesS3LogReader, PipesS3MessageReader
from dagster_aws.pipes.message_readers import gzip_log_decode_fn

from pipelines.runtimes.artifacts import Artifacts
from pipelines.runtimes.cost import estimate_emr_serverless, hours_between
from pipelines.runtimes.emr import DELTA_SPARK_CONF
from pipelines.runtimes.specs import EmrServerlessSpec, PriceTable

WAITING_STATES = ("SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "QUEUED")


def log_uri(spec: EmrServerlessSpec) -> str:
    return f"s3://{spec.bucket}/{spec.prefix.strip('/')}/emr-serverless-logs/"


def submit_parameters(spec: EmrServerlessSpec, artifacts: Artifacts) -> str:
    """``sparkSubmitParameters``: sizes, the project code, and the Python environment."""
    conf = {
        "spark.driver.cores": str(spec.driver_cores),
        "spark.driver.memory": f"{spec.driver_memory_gb}g",
        "spark.executor.cores": str(spec.executor_cores),
        "spark.executor.memory": f"{spec.executor_memory_gb}g",
        "spark.dynamicAllocation.maxExecutors": str(spec.max_executors),
        **DELTA_SPARK_CONF,
    }
    if spec.delta_parallel_delete:
        conf["spark.databricks.delta.vacuum.parallelDelete.enabled"] = "true"
    if spec.delta_jars:
        conf["spark.jars"] = ",".join(spec.delta_jars)
    if spec.venv_archive_uri:  # native dependencies: a packed venv unpacked on every worker
        python = "./environment/bin/python"
        conf["spark.archives"] = f"{spec.venv_archive_uri}#environment"
        conf["spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON"] = python
        conf["spark.emr-serverless.driverEnv.PYSPARK_PYTHON"] = python
        conf["spark.executorEnv.PYSPARK_PYTHON"] = python
    conf["spark.emr-serverless.driverEnv.AWS_REGION"] = spec.region
    conf.update(spec.spark_conf)
    parts = [f"--py-files {artifacts.wheel_uri}"]
    parts += [f"--conf {key}={value}" for key, value in conf.items()]
    return " ".join(parts)


def start_job_run_params(
    spec: EmrServerlessSpec, artifacts: Artifacts, job: str, tags: dict[str, str], run_id: str
) -> dict[str, Any]:
    if not spec.application_id or not spec.execution_role_arn:
        raise Failure(
            "the emr-serverless runtime needs emr_serverless.application_id and "
            "emr_serverless.execution_role_arn (resource config of spark_runtime)"
        )
    return {
        "applicationId": spec.application_id,
        "executionRoleArn": spec.execution_role_arn,
        "name": f"supplylinks-{job}-{run_id[:8]}",
        "jobDriver": {
            "sparkSubmit": {
                "entryPoint": artifacts.script_uri,
                "entryPointArguments": [],
                "sparkSubmitParameters": submit_parameters(spec, artifacts),
            }
        },
        "configurationOverrides": {
            "monitoringConfiguration": {"s3MonitoringConfiguration": {"logUri": log_uri(spec)}}
        },
        "tags": dict(tags),
        "executionTimeoutMinutes": spec.execution_timeout_minutes,
    }


class SupplylinksEMRServerlessClient(PipesEMRServerlessClient):
    def __init__(
        self,
        *,
        client,
        context_injector,
        message_reader: PipesS3MessageReader,
        spec: EmrServerlessSpec,
        prices: PriceTable,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            client=client,
            context_injector=context_injector,
            message_reader=message_reader,
            forward_termination=True,
            poll_interval=spec.poll_seconds,
        )
        self.spec, self.prices, self._sleep = spec, prices, sleep

    def _wait_for_completion(self, context, start_response: dict) -> dict:
        app_id, run_id = start_response["applicationId"], start_response["jobRunId"]
        last_state = None
        while True:
            response = self.client.get_job_run(applicationId=app_id, jobRunId=run_id)
            state = response["jobRun"]["state"]
            if state != last_state:
                context.log.info(f"[pipes] EMR Serverless job run {run_id} is {state}")
                last_state = state
            if state == "SUCCESS":
                return response
            if state not in WAITING_STATES:
                details = response["jobRun"].get("stateDetails", "")
                text = f"EMR Serverless job run {run_id} ended {state}: {details}"
                context.log.error(text)
                raise Failure(text)
            self._sleep(self.spec.poll_seconds)

    def _read_messages(self, context, session, response: dict) -> None:
        """Forward the driver's stdout/stderr from the job's S3 log folder."""
        reader = self.message_reader
        job_run = response["jobRun"]
        s3_logs = (
            job_run.get("configurationOverrides", {})
            .get("monitoringConfiguration", {})
            .get("s3MonitoringConfiguration", {})
            .get("logUri")
        )
        if not isinstance(reader, PipesS3MessageReader) or not s3_logs:
            return
        bucket, _, prefix = s3_logs.removeprefix("s3://").partition("/")
        base = f"{prefix.rstrip('/')}/applications/{job_run['applicationId']}/jobs/"
        base += f"{job_run['jobRunId']}/SPARK_DRIVER"
        for stdio, stream in (("stdout", sys.stdout), ("stderr", sys.stderr)):
            reader.add_log_reader(
                PipesS3LogReader(
                    client=reader.client,
                    bucket=bucket,
                    key=f"{base}/{stdio}.gz",
                    decode_fn=gzip_log_decode_fn,
                    target_stream=stream,
                    interval=self.spec.message_interval_seconds,
                    debug_info=f"EMR Serverless driver {stdio}",
                )
            )

    def _extract_dagster_metadata(self, response: dict) -> dict:
        metadata = dict(super()._extract_dagster_metadata(response))
        job_run = response["jobRun"]
        usage = job_run.get("billedResourceUtilization") or job_run.get(
            "totalResourceUtilization", {}
        )
        hours = hours_between(job_run.get("createdAt"), job_run.get("updatedAt"))
        metadata.update(estimate_emr_serverless(self.spec, self.prices, usage, hours).metadata())
        return metadata
