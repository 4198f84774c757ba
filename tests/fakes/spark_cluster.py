"""A real Spark standalone cluster on 127.0.0.1: one master and one small worker, started
from the PySpark distribution (``spark-class ...deploy.master.Master`` / ``...Worker``)."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from pipelines.runtimes.specs import StandaloneSpec
from pipelines.runtimes.standalone import spark_submit_binary
from tests.fakes.s3 import free_port


def _spark_class() -> str:
    return str(Path(spark_submit_binary(StandaloneSpec())).with_name("spark-class"))


def _alive_workers(ui_port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=2) as reply:
            state = json.load(reply)
    except OSError:
        return 0
    return sum(1 for worker in state.get("workers", []) if worker.get("state") == "ALIVE")


@contextmanager
def standalone_cluster(
    workdir: Path, node_env: Mapping[str, str], cores: int = 2, memory: str = "2g"
) -> Iterator[str]:
    """Yields the master URL once the worker has registered; stops both at the end.
    ``node_env`` is what the nodes' "instance role" gives executors (credentials, endpoint)."""
    port, ui_port, worker_ui = free_port(), free_port(), free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "JAVA_HOME", "LANG")},
        **node_env,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOG_DIR": str(workdir / "logs"),
        "SPARK_WORKER_DIR": str(workdir / "work"),
        "SPARK_DAEMON_MEMORY": "256m",
    }
    master_url = f"spark://127.0.0.1:{port}"
    master_cmd = [_spark_class(), "org.apache.spark.deploy.master.Master"]
    master_cmd += ["--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui_port)]
    worker_cmd = [_spark_class(), "org.apache.spark.deploy.worker.Worker", master_url]
    worker_cmd += ["--host", "127.0.0.1", "--cores", str(cores), "--memory", memory]
    worker_cmd += ["--webui-port", str(worker_ui), "--work-dir", str(workdir / "work")]
    processes = []
    try:
        for name, command in (("master", master_cmd), ("worker", worker_cmd)):
            log = open(workdir / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
            processes.append(
                subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            )
        deadline = time.monotonic() + 120
        while _alive_workers(ui_port) < 1:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                logs = "\n".join(
                    (workdir / f"{n}.log").read_text()[-2000:] for n in ("master", "worker")
                )
                raise RuntimeError(f"the standalone cluster did not come up:\n{logs}")
            time.sleep(0.5)
        yield master_url
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
