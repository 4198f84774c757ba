"""EMR (``run_job_flow``): the job flow spec, and ``PipesEMRClient`` with this project's fixes.

Fixed defects of dagster-aws 0.29 (checked in .venv/.../dagster_aws/pipes/clients/):
- ``emr.py:173,176`` waits with boto's ``cluster_running``/``cluster_terminated`` waiters
  (30 s x 60 attempts): any job longer than ~30 minutes fails with ``WaiterError``, and a
  cluster that finishes before the first poll fails the ``cluster_running`` waiter. We poll
  ``describe_cluster`` ourselves, with no attempt limit (an optional overall timeout).
- ``utils.py:71-72,75,86`` (``add_emr_configuration``): ``properties.update(properties)``
  and the inner configurations read from the *classification* key drop the injected Pipes
  variables when the user already has ``spark-defaults``/``spark-env``. We merge ourselves.
- ``emr.py:274-279`` reads ``list_objects_v2(...)["Contents"]``: ``KeyError`` when the
  application log prefix is empty (no YARN container logs, e.g. client deploy mode).
"""

from __future__ import annotations

import copy
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from dagster import Failure, MetadataValue
from dagster._core.pipes.utils import PipesSession
from dagster_aws.pipes import PipesEMRClient, PipesS3LogReader, PipesS3MessageReader
from dagster_aws.pipes.message_readers import gzip_log_decode_fn

from pipelines.runtimes.artifacts import Artifacts
from pipelines.runtimes.cost import estimate_emr, hours_between
from pipelines.runtimes.specs import EmrSpec, PriceTable
from spark_jobs.jars import DELTA_CONF as DELTA_SPARK_CONF  # stdlib only: no PySpark here

RUNNING_STATES = ("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING", "TERMINATING")


# --------------------------------------------------------------------------- configurations


def merge_configuration(
    configurations: list[dict[str, Any]], new: dict[str, Any]
) -> list[dict[str, Any]]:
    """Add ``new`` to EMR ``configurations``: same classification -> properties merged (``new``
    wins) and nested configurations merged recursively. Inputs are not modified."""
    merged = copy.deepcopy(list(configurations))
    for existing in merged:
        if existing.get("Classification") == new.get("Classification"):
            existing["Properties"] = {**existing.get("Properties", {}), **new.get("Properties", {})}
            inner = existing.get("Configurations", [])
            for nested in new.get("Configurations", []):
                inner = merge_configuration(inner, nested)
            if inner:
                existing["Configurations"] = inner
            return merged
    merged.append(copy.deepcopy(new))
    return merged


def inject_env(configurations: list[dict[str, Any]], env: dict[str, str]) -> list[dict[str, Any]]:
    """Make ``env`` visible to the driver whatever the deploy mode: YARN AM env (cluster
    mode) and the ``export`` of spark-env/yarn-env/hadoop-env (client mode, executors)."""
    configurations = merge_configuration(
        configurations,
        {
            "Classification": "spark-defaults",
            "Properties": {f"spark.yarn.appMasterEnv.{k}": v for k, v in env.items()},
        },
    )
    for classification in ("spark-env", "yarn-env", "hadoop-env"):
        configurations = merge_configuration(
            configurations,
            {
                "Classification": classification,
                "Configurations": [{"Classification": "export", "Properties": dict(env)}],
            },
        )
    return configurations


def base_configurations(spec: EmrSpec) -> list[dict[str, Any]]:
    """Our EMR classifications (each default switchable in ``EmrSpec``), then the user's."""
    spark_defaults = dict(DELTA_SPARK_CONF)
    if spec.delta_parallel_delete:
        spark_defaults["spark.databricks.delta.vacuum.parallelDelete.enabled"] = "true"
    spark_defaults.update(spec.spark_conf)
    configurations = [
        {"Classification": "spark-defaults", "Properties": spark_defaults},
        {"Classification": "delta-defaults", "Properties": {"delta.enabled": "true"}},
    ]
    if spec.maximize_resource_allocation and not spec.fleet_mode:
        configurations.append(
            {"Classification": "spark", "Properties": {"maximizeResourceAllocation": "true"}}
        )
    if spec.am_on_core_node_label:
        configurations.append(
            {
                "Classification": "yarn-site",
                "Properties": {
                    "yarn.node-labels.enabled": "true",
                    "yarn.node-labels.am.default-node-label-expression": "CORE",
                },
            }
        )
    for user in spec.configurations:
        configurations = merge_configuration(configurations, user)
    return configurations


def _instances(spec: EmrSpec) -> dict[str, Any]:
    instances: dict[str, Any] = {
        "KeepJobFlowAliveWhenNoSteps": False,  # transient: the cluster ends with its step
        "TerminationProtected": False,
    }
    if spec.fleet_mode:
        fleets = [
            {
                "Name": "master",
                "InstanceFleetType": "MASTER",
                "TargetOnDemandCapacity": 1,
                "InstanceTypeConfigs": [{"InstanceType": spec.master_instance_type}],
            },
            {
                "Name": "core",
                "InstanceFleetType": "CORE",
                "TargetOnDemandCapacity": spec.core_instance_count,
                "InstanceTypeConfigs": [{"InstanceType": t} for t in spec.core_instance_types],
            },
        ]
        if spec.task_spot_count:
            fleets.append(
                {
                    "Name": "task",
                    "InstanceFleetType": "TASK",
                    "TargetSpotCapacity": spec.task_spot_count,
                    "InstanceTypeConfigs": [{"InstanceType": t} for t in spec.task_instance_types],
                    "LaunchSpecifications": {
                        "SpotSpecification": {
                            "TimeoutDurationMinutes": 20,
                            "TimeoutAction": "SWITCH_TO_ON_DEMAND",
                            "AllocationStrategy": "capacity-optimized",
                        }
                    },
                }
            )
        instances["InstanceFleets"] = fleets
        if spec.subnet_ids:
            instances["Ec2SubnetIds"] = list(spec.subnet_ids)
    else:
        groups = [
            {
                "Name": "master",
                "InstanceRole": "MASTER",
                "Market": "ON_DEMAND",
                "InstanceType": spec.master_instance_type,
                "InstanceCount": 1,
            },
            {
                "Name": "core",
                "InstanceRole": "CORE",
                "Market": "ON_DEMAND",
                "InstanceType": spec.core_instance_types[0],
                "InstanceCount": spec.core_instance_count,
            },
        ]
        if spec.task_spot_count:
            groups.append(
                {
                    "Name": "task",
                    "InstanceRole": "TASK",
                    "Market": "SPOT",
                    "InstanceType": spec.task_instance_types[0],
                    "InstanceCount": spec.task_spot_count,
                }
            )
        instances["InstanceGroups"] = groups
        if spec.subnet_ids:
            instances["Ec2SubnetId"] = spec.subnet_ids[0]
    return instances


def log_uri(spec: EmrSpec) -> str:
    return f"s3://{spec.bucket}/{spec.prefix.strip('/')}/emr-logs/"


def job_flow_params(
    spec: EmrSpec, artifacts: Artifacts, job: str, tags: dict[str, str], run_id: str
) -> dict[str, Any]:
    """The ``run_job_flow`` request: one transient cluster, one ``spark-submit`` step."""
    submit = ["spark-submit", "--master", "yarn", "--deploy-mode", spec.deploy_mode]
    return {
        "Name": f"supplylinks-{job}-{run_id[:8]}",
        "ReleaseLabel": spec.release_label,
        "LogUri": log_uri(spec),
        "Applications": [{"Name": name} for name in spec.applications],
        "Instances": _instances(spec),
        "BootstrapActions": [
            {
                "Name": "install the supplylinks wheel",
                "ScriptBootstrapAction": {
                    "Path": artifacts.bootstrap_uri,
                    "Args": [artifacts.wheel_uri],
                },
            }
        ],
        "Steps": [
            {
                "Name": f"supplylinks {job}",
                "ActionOnFailure": "TERMINATE_CLUSTER",
                "HadoopJarStep": {
                    "Jar": "command-runner.jar",
                    "Args": [*submit, artifacts.script_uri],
                },
            }
        ],
        "Configurations": base_configurations(spec),
        "ServiceRole": spec.service_role,
        "JobFlowRole": spec.job_flow_role,
        "VisibleToAllUsers": True,
        "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
    }


# --------------------------------------------------------------------------- client


class SupplylinksEMRClient(PipesEMRClient):
    """``PipesEMRClient`` with the three fixes above, remote errors and cost metadata."""

    def __init__(
        self,
        *,
        message_reader: PipesS3MessageReader,
        client,
        context_injector,
        spec: EmrSpec,
        prices: PriceTable,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            message_reader=message_reader,
            client=client,
            context_injector=context_injector,
            forward_termination=True,
            wait_for_s3_logs_seconds=spec.wait_for_s3_logs_seconds,
        )
        self.spec, self.prices = spec, prices
        self._sleep, self._clock = sleep, clock

    def _add_log_readers(self, context, response: dict) -> None:
        """Step stdout/stderr readers of the official client, polled at our interval."""
        super()._add_log_readers(context, response)
        for log_reader in self.message_reader.log_readers.values():
            log_reader.interval = self.spec.message_interval_seconds

    # Fix: merge classifications instead of dropping the Pipes variables (utils.py:71-86).
    def _enrich_params(self, session: PipesSession, params: dict) -> dict:
        env = {**session.get_bootstrap_env_vars(), "AWS_REGION": self.spec.region}
        params["Configurations"] = inject_env(list(params.get("Configurations", [])), env)
        tags = list(params.get("Tags", []))
        tags += [{"Key": k, "Value": v} for k, v in session.default_remote_invocation_info.items()]
        params["Tags"] = tags
        return params

    # Fix: our own polling loop instead of the 30-minute boto waiters (emr.py:173,176).
    def _wait_for_completion(self, context, response: dict) -> dict:
        cluster_id = response["JobFlowId"]
        started = self._clock()
        last_state = None
        while True:
            cluster = self._client.describe_cluster(ClusterId=cluster_id)
            state = cluster["Cluster"]["Status"]["State"]
            if state != last_state:
                context.log.info(f"[pipes] EMR cluster {cluster_id} is {state}")
                last_state = state
            if state == "TERMINATED_WITH_ERRORS" or (
                state == "TERMINATED" and self._failed_steps(cluster_id)
            ):
                text = self._failure_text(cluster_id, cluster)
                context.log.error(text)
                raise Failure(text)
            if state == "TERMINATED":
                return cluster
            if state not in RUNNING_STATES:
                raise Failure(f"EMR cluster {cluster_id} in unexpected state {state}")
            timeout = self.spec.timeout_hours * 3600
            if timeout and self._clock() - started > timeout:
                self._terminate(context, response)
                raise Failure(
                    f"EMR cluster {cluster_id} still {state} after {self.spec.timeout_hours} h; "
                    "terminated it (raise emr.timeout_hours for longer jobs)"
                )
            self._sleep(self.spec.poll_seconds)

    def _failed_steps(self, cluster_id: str) -> list[dict]:
        steps = self._client.list_steps(ClusterId=cluster_id)["Steps"]
        return [s for s in steps if s["Status"]["State"] in ("FAILED", "CANCELLED", "INTERRUPTED")]

    def _failure_text(self, cluster_id: str, cluster: dict) -> str:
        reason = cluster["Cluster"]["Status"].get("StateChangeReason", {})
        lines = [f"EMR job on cluster {cluster_id} failed: {reason.get('Message', '')}".strip()]
        for step in self._failed_steps(cluster_id):
            details = step["Status"].get("FailureDetails", {})
            lines.append(
                f"step {step['Name']!r} {step['Status']['State']}: "
                f"{details.get('Reason', '')} {details.get('Message', '')} "
                f"(log: {details.get('LogFile', 'n/a')})"
            )
        return "\n".join(lines)

    # Fix: an empty application log prefix is no error (emr.py:274-279 raises KeyError).
    def _read_application_logs(self, context, session, response: dict) -> None:
        reader = self.message_reader
        if not isinstance(reader, PipesS3MessageReader) or reader.include_stdio_in_messages:
            return
        logs_uri = response.get("Cluster", {}).get("LogUri")
        if not isinstance(logs_uri, str):
            return
        cluster_id = response["Cluster"]["Id"]
        bucket = logs_uri.split("/")[2]
        prefix = "/".join(logs_uri.split("/")[3:])
        app_prefix = os.path.join(prefix, f"{cluster_id}/{self.s3_application_logs_prefix}/")
        if self.wait_for_s3_logs_seconds:
            time.sleep(self.wait_for_s3_logs_seconds)  # EMR ships container logs late
        pages = reader.client.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=app_prefix
        )
        keys = [obj["Key"] for page in pages for obj in page.get("Contents", [])]
        if not keys:
            context.log.debug(f"[pipes] no application logs under s3://{bucket}/{app_prefix}")
        for key in keys:
            stdio = "stdout" if "stdout.gz" in key else "stderr" if "stderr.gz" in key else None
            if stdio is None:
                continue
            reader.add_log_reader(
                PipesS3LogReader(
                    client=reader.client,
                    bucket=bucket,
                    key=key,
                    decode_fn=gzip_log_decode_fn,
                    target_stream=sys.stdout if stdio == "stdout" else sys.stderr,
                    interval=self.spec.message_interval_seconds,
                    debug_info=f"log reader for container {key.split('/')[-2]} {stdio}",
                )
            )

    def _extract_dagster_metadata(self, response: dict) -> dict:
        metadata = dict(super()._extract_dagster_metadata(response))
        timeline = response["Cluster"]["Status"].get("Timeline", {})
        hours = hours_between(timeline.get("CreationDateTime"), timeline.get("EndDateTime"))
        for key, value in estimate_emr(self.spec, self.prices, hours).metadata().items():
            metadata[key] = value
        metadata["AWS EMR Log URI"] = MetadataValue.path(
            f"{response['Cluster'].get('LogUri', '')}{response['Cluster']['Id']}"
        )
        return metadata
