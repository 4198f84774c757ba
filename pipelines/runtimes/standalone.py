"""The standalone runtime: ``spark-submit`` to a Spark cluster the user already runs.

For a university or on-prem cluster (standalone master, YARN, Kubernetes): the project wheel
and the job script are published into a folder every node mounts (``StandaloneSpec.
shared_dir``), the wheel is unpacked there once as the nodes' site folder (what EMR's
bootstrap ``pip install`` does; a wheel on ``--py-files`` cannot serve the compiled page
walk, which Python does not import from a zip, so there is no ``--py-files``), and the
driver runs in client mode here, with the Pipes context and messages in S3 as on EMR.
delta-spark writes with the jars of ``make jars`` on the class path (``jars_dir``: the same
path on every node).
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import shutil
import time
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dagster import PipesSubprocessClient
from dagster._core.pipes.client import PipesClientCompletedInvocation
from dagster_aws.pipes import PipesS3ContextInjector, PipesS3MessageReader

from pipelines.runtimes import artifacts as artifacts_mod
from pipelines.runtimes.cost import estimate_cpu
from pipelines.runtimes.local import cpu_seconds_of_children, job_script, require_java
from pipelines.runtimes.specs import PriceTable, StandaloneSpec
from spark_jobs import jars

#: Hadoop's s3a settings of an S3-compatible endpoint (credentials: the nodes' standard chain).
S3A_PREFIX = "spark.hadoop.fs.s3a."


class FolderStore:
    """Artefacts in a shared folder (``ArtifactStore`` of artifacts.py)."""

    def __init__(self, root: str) -> None:
        self.root = Path(root)

    def exists(self, name: str) -> bool:
        return (self.root / name).is_file()

    def put(self, name: str, data: bytes) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        partial.replace(path)  # readers on other nodes never see half a file

    def uri(self, name: str) -> str:
        return str(self.root / name)


def install_wheel(wheel: Path, shared_dir: Path) -> Path:
    """The wheel unpacked below ``shared_dir/site/<wheel folder>``, once per wheel."""
    target = shared_dir / "site" / wheel.parent.name
    with open(shared_dir / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / ".complete").is_file():
            shutil.rmtree(target, ignore_errors=True)
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(target)
            (target / ".complete").touch()
    return target


def spark_submit_binary(spec: StandaloneSpec) -> str:
    if spec.spark_submit:
        return spec.spark_submit
    found = importlib.util.find_spec("pyspark")  # located, not imported
    if found is None or not found.submodule_search_locations:
        raise ValueError("no spark-submit: set standalone.spark_submit (PySpark not installed)")
    return str(Path(next(iter(found.submodule_search_locations))) / "bin" / "spark-submit")


def nodes_jars(spec: StandaloneSpec) -> Path:
    """Where the nodes find the delta-spark jars: ``jars_dir``, or this machine's cache."""
    return Path(spec.jars_dir) if spec.jars_dir else jars.cache_dir()


def submit_conf(spec: StandaloneSpec, site: Path, writer: str) -> dict[str, str]:
    """The ``--conf`` properties of one submit (no secret: credentials stay in the nodes' chain)."""
    conf = {
        "spark.executorEnv.PYTHONPATH": str(site),
        "spark.pyspark.python": spec.python,
        "spark.executor.memory": spec.executor_memory,
        "spark.executor.cores": str(spec.executor_cores),
        "spark.sql.shuffle.partitions": "8",
    }
    if writer == "delta-spark":
        conf.update(jars.spark_conf(nodes_jars(spec)))
    if spec.s3_endpoint:
        conf[f"{S3A_PREFIX}endpoint"] = spec.s3_endpoint
        conf[f"{S3A_PREFIX}endpoint.region"] = spec.region
        conf[f"{S3A_PREFIX}connection.ssl.enabled"] = str(
            spec.s3_endpoint.startswith("https")
        ).lower()
    if spec.s3_path_style:
        conf[f"{S3A_PREFIX}path.style.access"] = "true"
    conf.update(spec.spark_conf)
    return conf


def submit_command(spec: StandaloneSpec, script: str, conf: Mapping[str, str]) -> list[str]:
    """No ``--py-files``: PySpark puts those ahead of ``PYTHONPATH`` on executors, and a
    zipped ``extraction`` cannot load its compiled module; the unpacked wheel serves all."""
    command = [spark_submit_binary(spec), "--master", spec.master]
    command += ["--deploy-mode", spec.deploy_mode, "--name", f"supplylinks-{Path(script).stem}"]
    for key, value in conf.items():
        command += ["--conf", f"{key}={value}"]
    return [*command, script]


class StandaloneLauncher:
    """Publishes the artefacts, runs ``spark-submit`` over Pipes (S3), attaches cost."""

    def __init__(self, spec: StandaloneSpec, prices: PriceTable) -> None:
        self.spec, self.prices = spec, prices

    def run(self, context, job: str, extras: Mapping[str, Any]) -> Sequence[Any]:
        import boto3

        require_java()
        spec = self.spec
        shared = Path(spec.shared_dir)
        shared.mkdir(parents=True, exist_ok=True)
        uploaded = artifacts_mod.publish(FolderStore(str(shared)), job_script(job))
        site = install_wheel(Path(uploaded.wheel_uri), shared)
        conf = submit_conf(spec, site, str(extras.get("writer", "")))
        command = submit_command(spec, uploaded.script_uri, conf)
        context.log.info(f"standalone spark-submit: {command}")
        s3 = boto3.client("s3", region_name=spec.region, endpoint_url=spec.s3_endpoint or None)
        client = PipesSubprocessClient(
            env={**os.environ, "PYTHONPATH": str(site), "PYSPARK_PYTHON": spec.python},
            context_injector=PipesS3ContextInjector(
                bucket=spec.bucket, client=s3, key_prefix=f"{spec.prefix.strip('/')}/pipes/"
            ),
            message_reader=PipesS3MessageReader(
                bucket=spec.bucket, client=s3, interval=spec.message_interval_seconds
            ),
        )
        started, children = time.monotonic(), cpu_seconds_of_children()
        invocation = client.run(context=context, command=command, extras=dict(extras))
        wall = time.monotonic() - started
        executor_cores = int(conf.get("spark.cores.max", spec.executor_cores))
        cpu = cpu_seconds_of_children() - children + wall * executor_cores
        cost = estimate_cpu(
            "standalone",
            cpu,
            spec.usd_per_vcpu_hour,
            self.prices,
            "driver CPU-seconds + executor cores reserved x wall time",
        )
        completed = PipesClientCompletedInvocation(invocation._session, metadata=cost)
        return completed.get_results(implicit_materializations=False)
