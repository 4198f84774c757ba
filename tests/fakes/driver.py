"""Run a remote Spark driver locally: a Python subprocess with the cluster's environment.

What every fake shares: the job script and the wheel are the *downloaded* artefacts (never
the repository's files), the wheel is installed by unpacking it into a site folder put on
PYTHONPATH (or put on PYTHONPATH as a zip, as ``--py-files`` does), and the environment is
what the cluster would give the driver: the injected variables, the role's credentials,
nothing of the orchestrator's own environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Variables a cluster node has regardless of the job (Java, locale, the Spark settings
#: of this small test box). Credentials and endpoints are passed by each fake explicitly.
PASSTHROUGH = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "JAVA_HOME",
    "TMPDIR",
    "SUPPLYLINKS_SPARK_DRIVER_MEMORY",
    "SUPPLYLINKS_JARS_DIR",  # where this box keeps the Delta jars a cluster would ship
    "XDG_CACHE_HOME",
)


def install_wheel(wheel: Path, site: Path) -> Path:
    """What ``pip install <wheel>`` leaves behind, for a pure-Python wheel."""
    site.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def node_environment(extra: Mapping[str, str], pythonpath: Sequence[Path]) -> dict[str, str]:
    env = {k: os.environ[k] for k in PASSTHROUGH if k in os.environ}
    env.setdefault("SUPPLYLINKS_SPARK_MASTER", "local[1]")
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


@dataclass
class DriverRun:
    """One driver process; ``wait()`` returns its exit code, output kept for the logs."""

    script: Path
    args: Sequence[str]
    env: dict[str, str]
    cwd: Path
    process: subprocess.Popen | None = None
    stdout: str = ""
    stderr: str = ""
    killed: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> DriverRun:
        self.cwd.mkdir(parents=True, exist_ok=True)
        with self._lock:
            if self.killed:
                return self
            self.process = subprocess.Popen(
                [sys.executable, str(self.script), *self.args],
                cwd=self.cwd,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        return self

    def wait(self) -> int:
        if self.process is None:
            return -9
        self.stdout, self.stderr = self.process.communicate()
        return self.process.returncode

    def kill(self) -> None:
        with self._lock:
            self.killed = True
            if self.process is not None and self.process.poll() is None:
                self.process.kill()

    def error_tail(self, lines: int = 15) -> str:
        return "\n".join(self.stderr.strip().splitlines()[-lines:])
