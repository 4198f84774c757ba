"""Typed configuration of the remote runtimes: cluster/job shape, storage, prices.

Every field has a default that works for a small production run and can be overridden per
deployment (code) or per run (launchpad: ``resources: spark_runtime: config: emr: ...``).
Nothing here is a secret: credentials come from the standard AWS / Databricks chains.
"""

from __future__ import annotations

from typing import Any

from dagster import Config
from pydantic import Field


class S3JobSpec(Config):
    """What the runtimes whose artefacts and Pipes transport live in an S3 bucket share
    (EMR, EMR Serverless, standalone): one declaration of each field, its default and why."""

    region: str = "us-east-1"
    # Artefacts (wheel, job script, bootstrap), Pipes context/messages and logs go here.
    bucket: str = "supplylinks-artifacts"
    prefix: str = "supplylinks"
    # Extra Spark properties (spark-defaults, sparkSubmitParameters, --conf), merged last.
    spark_conf: dict[str, str] = Field(default_factory=dict)
    # Pipes message chunk polling (orchestrator side).
    message_interval_seconds: float = 10.0


class EmrSpec(S3JobSpec):
    """One transient EMR cluster per Dagster run (``run_job_flow``), terminated after its step."""

    # EMR 7.x ships Spark 3.5 with Delta Lake 3 (enabled by the delta-defaults classification).
    release_label: str = "emr-7.5.0"
    applications: list[str] = Field(default_factory=lambda: ["Spark"])
    service_role: str = "EMR_DefaultRole"
    # Instance profile of the nodes: how the job reaches S3 without any key in the spec.
    job_flow_role: str = "EMR_EC2_DefaultRole"
    subnet_ids: list[str] = Field(default_factory=list)
    # Instance fleets let EMR pick among several instance types and mix spot with on-demand;
    # plain instance groups (fleet_mode=False) are simpler and enable maximizeResourceAllocation.
    fleet_mode: bool = True
    master_instance_type: str = "m5.xlarge"
    core_instance_types: list[str] = Field(default_factory=lambda: ["r5.2xlarge", "r5a.2xlarge"])
    # CORE nodes are on-demand: they host HDFS and (node labels below) the YARN AM.
    core_instance_count: int = 2
    task_instance_types: list[str] = Field(default_factory=lambda: ["r5.2xlarge", "r5a.2xlarge"])
    # TASK nodes are spot: executors only, so a reclaimed node costs a task retry, not the run.
    task_spot_count: int = 4
    # Why: with mixed fleet instance types EMR sizes executors from one type and gets others
    # wrong; with uniform instance groups it sizes executors to the whole node (the talk's lesson).
    maximize_resource_allocation: bool = True
    # Why: the YARN application master must not live on spot nodes (losing it kills the whole
    # Spark application); labelling CORE nodes and pinning the AM there keeps it on-demand.
    am_on_core_node_label: bool = True
    # Why: VACUUM deletes files one by one on the driver by default; parallel delete is the
    # difference between minutes and hours on tables with many small files.
    delta_parallel_delete: bool = True
    # Extra EMR configurations (classifications) merged with ours, never replacing Pipes env.
    configurations: list[dict[str, Any]] = Field(default_factory=list)
    # Client deploy mode keeps the driver on the (on-demand) master, so its stdout is the step log.
    deploy_mode: str = "client"
    # Poll interval of our own wait loop (the boto waiter gives up after 30 minutes).
    poll_seconds: float = 30.0
    # Give up waiting after this long (a stuck cluster still costs money): 0 = never.
    timeout_hours: float = 24.0
    wait_for_s3_logs_seconds: int = 10


class EmrServerlessSpec(S3JobSpec):
    """A job run on an existing EMR Serverless application (created once per deployment)."""

    application_id: str = ""
    execution_role_arn: str = ""
    # "py-files": ship the project wheel with --py-files (pure Python on the release's Python);
    # a venv archive (tar.gz built with venv-pack, uploaded once) for native dependencies.
    venv_archive_uri: str = ""
    driver_cores: int = 4
    driver_memory_gb: int = 16
    executor_cores: int = 4
    executor_memory_gb: int = 16
    # Upper bound of executors; EMR Serverless scales dynamically below it.
    max_executors: int = 20
    # EMR Serverless images ship Delta Lake but do not load it: name the bundled jars (paths
    # inside the image, nothing is downloaded). Empty when using the delta-rs writer.
    delta_jars: list[str] = Field(
        default_factory=lambda: [
            "/usr/share/aws/delta/lib/delta-spark.jar",
            "/usr/share/aws/delta/lib/delta-storage.jar",
        ]
    )
    # Why: parallel delete makes Delta VACUUM usable on tables with many small files.
    delta_parallel_delete: bool = True
    execution_timeout_minutes: int = 720
    poll_seconds: float = 15.0


class DatabricksSpec(Config):
    """A one-time run (``jobs/runs/submit``) on a new job cluster."""

    # Workspace host/token come from DATABRICKS_HOST/DATABRICKS_TOKEN or this profile of
    # ~/.databrickscfg (the SDK's standard chain); never from run config.
    profile: str = ""
    # Where artefacts and the Pipes transport live: "dbfs" or a Unity Catalog volume path.
    storage: str = "dbfs"
    dbfs_root: str = "dbfs:/supplylinks"
    volume_path: str = ""  # e.g. /Volumes/main/supplylinks/artifacts when storage="volumes"
    spark_version: str = "15.4.x-scala2.12"  # LTS runtime: Spark 3.5 + native Delta
    node_type_id: str = "r5d.2xlarge"
    driver_node_type_id: str = ""
    min_workers: int = 1
    max_workers: int = 8
    # Driver on-demand, workers spot with fallback: a lost spot worker retries tasks only.
    first_on_demand: int = 1
    availability: str = "SPOT_WITH_FALLBACK"
    spark_conf: dict[str, str] = Field(default_factory=dict)
    # Why: parallel delete makes Delta VACUUM usable on tables with many small files.
    delta_parallel_delete: bool = True
    cluster_log_root: str = "dbfs:/supplylinks/cluster-logs"
    timeout_seconds: int = 12 * 3600
    poll_seconds: float = 10.0
    message_interval_seconds: float = 10.0


class StandaloneSpec(S3JobSpec):
    """A Spark cluster the user already runs (standalone master, YARN, Kubernetes): jobs are
    started with ``spark-submit`` from the orchestrator's machine, over Pipes through S3."""

    # spark://host:7077, yarn, k8s://https://...: whatever spark-submit's --master takes.
    master: str = "spark://127.0.0.1:7077"
    # Client mode keeps the driver here, so its output is the launch's log.
    deploy_mode: str = "client"
    # A folder every node mounts at the same path (NFS, a cluster file system): the wheel,
    # the job script and the wheel unpacked as the nodes' site folder.
    shared_dir: str = "/shared/supplylinks"
    # Where every node has the delta-spark jars (`make jars JARS_DIR=...` on a shared
    # folder); put on the class path, never copied per executor. Empty: this machine's cache.
    jars_dir: str = ""
    # Pipes context and messages go through ``bucket`` (s3:// reachable from the driver).
    # An S3-compatible endpoint (MinIO, Ceph) for s3a:// and Pipes; empty: AWS itself.
    s3_endpoint: str = ""
    s3_path_style: bool = False
    # The Python of the nodes' Spark workers (PYSPARK_PYTHON); its environment must hold the
    # project's dependencies (the wheel itself comes from shared_dir).
    python: str = "python3"
    # spark-submit to run; empty: the one of the installed PySpark distribution.
    spark_submit: str = ""
    executor_memory: str = "1g"
    executor_cores: int = 1
    # The cluster's price per vCPU-hour, for the cost metadata (0: own hardware, no charge).
    usd_per_vcpu_hour: float = 0.0
    # A cluster already runs: its short jobs' messages are worth polling for more often.
    message_interval_seconds: float = 2.0


class InstancePrice(Config):
    """USD per instance-hour."""

    on_demand: float
    spot: float
    emr: float = 0.0  # the EMR surcharge on top of EC2
    dbu_per_hour: float = 0.0  # Databricks DBUs this node type burns per hour
    vcpus: int = 8  # what a CPU-second of local work is converted with


def _default_instances() -> dict[str, InstancePrice]:
    # us-east-1 list prices (2024); spot is a typical discount, override with your own figures.
    return {
        "m5.xlarge": InstancePrice(
            on_demand=0.192, spot=0.07, emr=0.048, dbu_per_hour=0.69, vcpus=4
        ),
        "r5.2xlarge": InstancePrice(on_demand=0.504, spot=0.17, emr=0.126, dbu_per_hour=1.8),
        "r5a.2xlarge": InstancePrice(on_demand=0.452, spot=0.16, emr=0.113, dbu_per_hour=1.8),
        "r5d.2xlarge": InstancePrice(on_demand=0.576, spot=0.19, emr=0.144, dbu_per_hour=1.8),
    }


class PriceTable(Config):
    """Prices the cost estimate uses; a configuration value, not a live price feed."""

    instances: dict[str, InstancePrice] = Field(default_factory=_default_instances)
    databricks_usd_per_dbu: float = 0.15  # Jobs Compute (AWS, premium)
    emr_serverless_usd_per_vcpu_hour: float = 0.052624
    emr_serverless_usd_per_gb_hour: float = 0.0057785
    emr_serverless_usd_per_storage_gb_hour: float = 0.000111
    # The local machine's CPU-hour (power, amortised hardware): 0 = free.
    local_usd_per_cpu_hour: float = 0.0
    # The node type the local/standalone cost metadata prices the same CPU-hours at.
    reference_instance_type: str = "r5.2xlarge"
