"""Remote launchers (EMR, EMR Serverless, Databricks) behind ``SparkRuntime.launch``.

Each launcher: builds/uploads the artefacts, builds the runtime's job spec from typed
configuration, checks nothing secret is in it, runs the official Pipes client (with this
project's fixes) and returns its results, whose metadata carries the run's cost.
Cloud clients come from the standard credential chains (``CloudClients``); tests replace
``cloud_clients`` with fakes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dagster import Failure
from dagster_aws.pipes import PipesS3ContextInjector, PipesS3MessageReader

from pipelines.runtimes import artifacts as artifacts_mod
from pipelines.runtimes.local import job_script
from pipelines.runtimes.tags import assert_no_secrets, resource_tags

#: How long a remote client tries to reach its service before failing (connect timeout
#: and the Databricks SDK's retry budget); its default of 300 s of retries on an
#: unreachable host looked like a hung run.
TIMEOUT_ENV = "SUPPLYLINKS_REMOTE_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT_SECONDS = 30


def remote_timeout_seconds() -> float:
    value = os.environ.get(TIMEOUT_ENV, "")
    try:
        return float(value) if value else DEFAULT_TIMEOUT_SECONDS
    except ValueError:
        raise ValueError(f"{TIMEOUT_ENV}={value!r} is not a number of seconds") from None


class CloudClients:
    """Real clients from the standard chains (env vars, profiles, instance roles), each
    failing within ``timeout_seconds`` when its service cannot be reached."""

    _timeout: float | None = None  # a class default: subclasses (fakes) need no __init__

    def __init__(self, timeout_seconds: float | None = None) -> None:
        self._timeout = timeout_seconds

    @property
    def timeout_seconds(self) -> float:
        return self._timeout if self._timeout is not None else remote_timeout_seconds()

    def _boto(self, service: str, region: str):
        import boto3
        from botocore.config import Config

        timeout = self.timeout_seconds
        config = Config(
            connect_timeout=timeout,
            read_timeout=max(timeout, 60),
            retries={"mode": "standard", "max_attempts": 3},
        )
        return boto3.client(service, region_name=region, config=config)

    def s3(self, region: str):
        return self._boto("s3", region)

    def emr(self, region: str):
        return self._boto("emr", region)

    def emr_serverless(self, region: str):
        return self._boto("emr-serverless", region)

    def databricks(self, profile: str):
        from databricks.sdk import WorkspaceClient
        from databricks.sdk.core import Config

        timeout = self.timeout_seconds
        limits = {"http_timeout_seconds": timeout, "retry_timeout_seconds": int(max(timeout, 1))}
        config = Config(profile=profile, **limits) if profile else Config(**limits)
        return WorkspaceClient(config=config)


@dataclass
class Timing:
    """Sleep/clock used by our polling loops (a fake clock in tests)."""

    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


cloud_clients: CloudClients = CloudClients()
timing: Timing = Timing()


@dataclass
class RemoteLauncher:
    runtime: Any  # SparkRuntime (not imported: resource.py imports this module lazily)
    clients: CloudClients = field(default_factory=lambda: cloud_clients)

    def run(self, context, job: str, extras: Mapping[str, Any]) -> Sequence[Any]:
        assert_no_secrets("Pipes extras", dict(extras))
        invocation = self._run(context, job, dict(extras))
        # No implicit materializations: an asset the job did not report must fail the run
        # (SparkRuntime.launch checks), never be marked materialized by default.
        return invocation.get_results(implicit_materializations=False)

    def _run(self, context, job: str, extras: dict[str, Any]):
        raise NotImplementedError


class EmrLauncher(RemoteLauncher):
    def _run(self, context, job: str, extras: dict[str, Any]):
        from pipelines.runtimes.emr import SupplylinksEMRClient, job_flow_params

        spec, prices = self.runtime.spec("emr"), self.runtime.price_table()
        s3 = self.clients.s3(spec.region)
        store = artifacts_mod.S3Store(s3, spec.bucket, spec.prefix)
        uploaded = artifacts_mod.publish(store, job_script(job))
        tags = resource_tags(context, "emr", uploaded.code_version)
        params = job_flow_params(spec, uploaded, job, tags, context.run.run_id)
        assert_no_secrets("EMR job flow", params)
        context.log.info(f"EMR job flow: {params}")
        client = SupplylinksEMRClient(
            message_reader=PipesS3MessageReader(
                bucket=spec.bucket, client=s3, interval=spec.message_interval_seconds
            ),
            client=self.clients.emr(spec.region),
            context_injector=PipesS3ContextInjector(
                bucket=spec.bucket, client=s3, key_prefix=f"{spec.prefix.strip('/')}/pipes/"
            ),
            spec=spec,
            prices=prices,
            sleep=timing.sleep,
            clock=timing.clock,
        )
        return client.run(context=context, run_job_flow_params=params, extras=extras)


class EmrServerlessLauncher(RemoteLauncher):
    def _run(self, context, job: str, extras: dict[str, Any]):
        from pipelines.runtimes.emr_serverless import (
            SupplylinksEMRServerlessClient,
            start_job_run_params,
        )

        spec, prices = self.runtime.spec("emr-serverless"), self.runtime.price_table()
        s3 = self.clients.s3(spec.region)
        store = artifacts_mod.S3Store(s3, spec.bucket, spec.prefix)
        uploaded = artifacts_mod.publish(store, job_script(job))
        tags = resource_tags(context, "emr-serverless", uploaded.code_version)
        params = start_job_run_params(spec, uploaded, job, tags, context.run.run_id)
        assert_no_secrets("EMR Serverless job run", params)
        context.log.info(f"EMR Serverless job run: {params}")
        client = SupplylinksEMRServerlessClient(
            client=self.clients.emr_serverless(spec.region),
            context_injector=PipesS3ContextInjector(
                bucket=spec.bucket, client=s3, key_prefix=f"{spec.prefix.strip('/')}/pipes/"
            ),
            message_reader=PipesS3MessageReader(
                bucket=spec.bucket, client=s3, interval=spec.message_interval_seconds
            ),
            spec=spec,
            prices=prices,
            sleep=timing.sleep,
        )
        return client.run(context=context, start_job_run_params=params, extras=extras)


class DatabricksLauncher(RemoteLauncher):
    def _run(self, context, job: str, extras: dict[str, Any]):
        from pipelines.runtimes.databricks import (
            SupplylinksDatabricksClient,
            submit_task,
            transport_for,
        )

        spec, prices = self.runtime.spec("databricks"), self.runtime.price_table()
        workspace = self.clients.databricks(spec.profile)
        if spec.storage == "volumes":
            store = artifacts_mod.VolumeStore(workspace, spec.volume_path)
        else:
            store = artifacts_mod.DbfsStore(workspace, spec.dbfs_root)
        uploaded = artifacts_mod.publish(store, job_script(job))
        tags = resource_tags(context, "databricks", uploaded.code_version)
        task = submit_task(spec, uploaded, job, tags)
        submit_args = {
            "run_name": f"supplylinks-{job}-{context.run.run_id[:8]}",
            "timeout_seconds": spec.timeout_seconds,
        }
        assert_no_secrets("Databricks task", {"task": task.as_dict(), **submit_args})
        context.log.info(f"Databricks task: {task.as_dict()}")
        injector, reader = transport_for(spec, workspace, spec.message_interval_seconds)
        client = SupplylinksDatabricksClient(
            client=workspace,
            context_injector=injector,
            message_reader=reader,
            spec=spec,
            prices=prices,
        )
        return client.run(context=context, extras=extras, task=task, submit_args=submit_args)


LAUNCHERS: dict[str, type[RemoteLauncher]] = {
    "emr": EmrLauncher,
    "emr-serverless": EmrServerlessLauncher,
    "databricks": DatabricksLauncher,
}


def launcher_for(spark_runtime) -> RemoteLauncher:
    """The launcher of a remote runtime (``SparkRuntime.runtime`` other than ``local``)."""
    try:
        launcher = LAUNCHERS[spark_runtime.runtime]
    except KeyError:
        raise Failure(f"no remote launcher for runtime {spark_runtime.runtime!r}") from None
    return launcher(spark_runtime)
