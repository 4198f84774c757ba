"""The local runtime: ``python -m spark_jobs.launch <job>`` (``spark_jobs/<job>.py``) under PySpark
``local[*]`` over Pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dagster import Failure, PipesSubprocessClient

import spark_jobs
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
    """Runs a job script as a subprocess; Pipes context and messages go through temp files."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.env = dict(env or {})

    def run(self, context, job: str, extras: Mapping[str, Any]) -> Sequence[Any]:
        require_java()
        job_script(job)  # an unknown job fails here, with the scripts it knows
        client = PipesSubprocessClient(env={**os.environ, **self.env})
        invocation = client.run(
            context=context,
            # the launcher boots the JVM while the job script imports (spark_jobs.launch)
            command=[sys.executable, "-m", "spark_jobs.launch", job],
            extras=dict(extras),
        )
        # No implicit results: a job that reports nothing must fail the run, not pass.
        return invocation.get_results(implicit_materializations=False)
