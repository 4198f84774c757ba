"""The local runtime: ``python -m spark_jobs.launch <job>`` (``spark_jobs/<job>.py``) under PySpark
``local[*]`` over Pipes."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dagster import Failure, PipesSubprocessClient
from dagster._core.pipes.client import PipesClientCompletedInvocation

import spark_jobs
from pipelines.runtimes.cost import estimate_cpu
from pipelines.runtimes.specs import PriceTable
from spark_jobs.jars import DELTA_SPARK_ENV
from spark_jobs.jvm_archive import java_binary

JOBS_DIR = Path(spark_jobs.__file__).resolve().parent
SUPPORTED_JAVA = (17, 21)


def job_script(job: str) -> Path:
    """The entrypoint file of a Spark job (``spark_jobs/<job>.py``)."""
    script = JOBS_DIR / f"{job}.py"
    if not script.is_file():
        raise ValueError(f"unknown Spark job {job!r}: {script} does not exist")
    return script


def java_version() -> int | None:
    """The major version of the Java PySpark will use, or None when there is none."""
    java = java_binary()
    if java is None:
        return None
    # A JDK/JRE names its version in <home>/release: read in microseconds, where starting
    # `java -version` costs ~0.15 s on every job launch.
    try:
        release = (Path(java).resolve().parent.parent / "release").read_text(errors="replace")
    except OSError:
        release = ""
    for line in release.splitlines():
        if line.startswith("JAVA_VERSION="):
            version = _major(line.split("=", 1)[1].strip().strip('"'))
            if version is not None:
                return version
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for token in (out.stderr + out.stdout).replace('"', " ").split():
        if "." in token and (version := _major(token)) is not None:
            return version
    return None


def _major(version: str) -> int | None:
    """Java's major number of a version string: ``1.8.0_392`` is 8, ``17.0.15`` and ``21``
    are 17 and 21; None when it is no version."""
    parts = version.split(".")
    if not parts[0].isdigit():
        return None
    if parts[0] == "1" and len(parts) > 1 and parts[1].isdigit():
        return int(parts[1])
    return int(parts[0])


def require_java() -> None:
    version = java_version()
    if version is None:
        raise Failure(
            "Java was not found: PySpark 4 needs Java 17 or 21 (set JAVA_HOME or put `java` "
            "on PATH; on Debian/Ubuntu: apt-get install openjdk-17-jre-headless)."
        )
    if version not in SUPPORTED_JAVA:
        raise Failure(f"Java {version} found; PySpark 4 needs Java 17 or 21.")


class LocalLauncher:
    """Runs a job script as a subprocess; Pipes context and messages go through temp files.
    Attaches cost metadata: the job's CPU-seconds (the subprocess and its JVM and Python
    workers) at the local price, and what the same CPU-hours cost on EMR and Databricks."""

    def __init__(
        self, env: Mapping[str, str] | None = None, prices: PriceTable | None = None
    ) -> None:
        self.env = dict(env or {})
        self.prices = prices or PriceTable()

    def run(self, context, job: str, extras: Mapping[str, Any]) -> Sequence[Any]:
        require_java()
        job_script(job)  # an unknown job fails here, with the scripts it knows
        env = {**os.environ, **self.env}
        if extras.get("writer") == "delta-spark":
            env[DELTA_SPARK_ENV] = "1"  # the local session loads the jars of `make jars`
        client = PipesSubprocessClient(env=env)
        before = cpu_seconds_of_children()
        invocation = client.run(
            context=context,
            # the launcher boots the JVM while the job script imports (spark_jobs.launch)
            command=[sys.executable, "-m", "spark_jobs.launch", job],
            extras=dict(extras),
        )
        cost = estimate_cpu(
            "local",
            cpu_seconds_of_children() - before,
            self.prices.local_usd_per_cpu_hour,
            self.prices,
            "CPU-seconds of the job's processes x price per CPU-hour",
        )
        completed = PipesClientCompletedInvocation(invocation._session, metadata=cost)
        # No implicit results: a job that reports nothing must fail the run, not pass.
        return completed.get_results(implicit_materializations=False)


def cpu_seconds_of_children() -> float:
    """User + system CPU of this process's finished children (and theirs, once waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
