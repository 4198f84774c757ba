"""A fake Databricks ``WorkspaceClient`` whose one-time runs really run locally.

It is the real SDK (``JobsAPI``, ``DbfsAPI``) over a fake ``ApiClient.do`` that serves the
REST endpoints the Pipes client and our launcher use: DBFS (mapped to a local folder that
also serves as the driver's ``/dbfs`` mount) and ``jobs/runs/{submit,get,cancel,get-output}``.
A submitted ``spark_python_task`` installs its ``whl`` libraries, runs ``python_file`` with
the cluster's ``spark_env_vars`` and delivers driver logs to ``cluster_log_conf``.
"""

from __future__ import annotations

import base64
import itertools
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from databricks.sdk.errors import NotFound, ResourceAlreadyExists
from databricks.sdk.service import files, jobs

from spark_jobs.jars import DELTA_SPARK_ENV
from tests.fakes.driver import DriverRun, install_wheel, node_environment

_ids = itertools.count(1001)


class FakeRun:
    def __init__(self, run_id: int, body: dict[str, Any]) -> None:
        self.run_id, self.body = run_id, body
        [self.task] = body["tasks"]
        self.task_run_id = run_id + 500_000
        self.cluster_id = f"0000-fake-{run_id}"
        self.life_cycle, self.result, self.message = "PENDING", None, ""
        self.start_ms = int(time.time() * 1000)
        self.end_ms = 0
        self.driver: DriverRun | None = None
        self.thread: threading.Thread | None = None
        self.cancelled = False

    def as_dict(self) -> dict[str, Any]:
        state = {"life_cycle_state": self.life_cycle, "state_message": self.message}
        if self.result:
            state["result_state"] = self.result
        return {
            "run_id": self.run_id,
            "run_name": self.body.get("run_name"),
            "state": state,
            "start_time": self.start_ms,
            "end_time": self.end_ms,
            "run_page_url": f"https://fake.cloud.databricks.com/#job/runs/{self.run_id}",
            "tasks": [
                {"run_id": self.task_run_id, "task_key": self.task["task_key"], "state": state}
            ],
        }


class FakeApiClient:
    """The REST surface: DBFS on a local folder, one-time job runs as local processes."""

    def __init__(self, workdir: Path, node_env: dict[str, str]) -> None:
        self.workdir = workdir
        self.dbfs_root = workdir / "dbfs"
        self.dbfs_root.mkdir(parents=True, exist_ok=True)
        self.volumes_root = workdir / "volumes"  # holds Volumes/<catalog>/<schema>/<volume>
        self.volumes_root.mkdir(parents=True, exist_ok=True)
        self.node_env = node_env
        self.handles: dict[int, Path] = {}
        self.runs: dict[int, FakeRun] = {}
        self.submitted: list[dict[str, Any]] = []
        self.interrupt_when_running = False
        self.calls: list[tuple[str, str]] = []

    def local(self, path: str) -> Path:
        if path.startswith("/Volumes/"):
            return self.volumes_root / path.lstrip("/")
        path = path.removeprefix("dbfs:")
        if not path.startswith("/"):
            raise ValueError(f"DBFS paths are absolute: {path}")
        return self.dbfs_root / path.lstrip("/")

    # --- the one entry point of the SDK --------------------------------------------------
    def do(self, method: str, path: str | None = None, query=None, body=None, **_: Any):
        self.calls.append((method, path))
        if path.startswith("/api/2.0/fs/"):
            return self._files_api(method, path, query or {}, _.get("data"))
        args = {**(query or {}), **(body or {})}
        name = path.rsplit("/api/", 1)[-1]
        handler = {
            "2.0/dbfs/mkdirs": self._mkdirs,
            "2.0/dbfs/delete": self._delete,
            "2.0/dbfs/get-status": self._status,
            "2.0/dbfs/list": self._list,
            "2.0/dbfs/put": self._put,
            "2.0/dbfs/read": self._read,
            "2.0/dbfs/create": self._create,
            "2.0/dbfs/add-block": self._add_block,
            "2.0/dbfs/close": self._close,
            "2.2/jobs/runs/submit": self._submit,
            "2.2/jobs/runs/get": self._get_run,
            "2.2/jobs/runs/cancel": self._cancel,
            "2.2/jobs/runs/get-output": self._get_output,
        }.get(name)
        if handler is None:
            raise NotImplementedError(f"fake Databricks has no {method} {path}")
        return handler(**args)

    # --- DBFS ------------------------------------------------------------------------------
    def _info(self, local: Path) -> dict[str, Any]:
        stat = local.stat()
        return {
            "path": "/" + str(local.relative_to(self.dbfs_root)),
            "is_dir": local.is_dir(),
            "file_size": 0 if local.is_dir() else stat.st_size,
            "modification_time": int(stat.st_mtime * 1000),
        }

    def _existing(self, path: str) -> Path:
        local = self.local(path)
        if not local.exists():
            raise NotFound(f"RESOURCE_DOES_NOT_EXIST: {path}")
        return local

    def _mkdirs(self, path: str) -> dict:
        self.local(path).mkdir(parents=True, exist_ok=True)
        return {}

    def _delete(self, path: str, recursive: bool = False) -> dict:
        local = self.local(path)
        if local.is_dir():
            shutil.rmtree(local) if recursive else local.rmdir()
        elif local.exists():
            local.unlink()
        return {}

    def _status(self, path: str) -> dict:
        return self._info(self._existing(path))

    def _list(self, path: str) -> dict:
        local = self._existing(path)
        return {"files": [self._info(child) for child in sorted(local.iterdir())]}

    def _put(self, path: str, contents: str = "", overwrite: bool = False) -> dict:
        local = self.local(path)
        if local.exists() and not overwrite:
            raise ResourceAlreadyExists(f"RESOURCE_ALREADY_EXISTS: {path}")
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(base64.b64decode(contents))
        return {}

    def _read(self, path: str, offset: int = 0, length: int = 1 << 20) -> dict:
        data = self._existing(path).read_bytes()[offset : offset + length]
        return {"bytes_read": len(data), "data": base64.b64encode(data).decode()}

    def _create(self, path: str, overwrite: bool = False) -> dict:
        local = self.local(path)
        if local.exists() and not overwrite:
            raise ResourceAlreadyExists(f"RESOURCE_ALREADY_EXISTS: {path}")
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(b"")
        handle = len(self.handles) + 1
        self.handles[handle] = local
        return {"handle": handle}

    def _add_block(self, handle: int, data: str) -> dict:
        with open(self.handles[handle], "ab") as out:
            out.write(base64.b64decode(data))
        return {}

    def _close(self, handle: int) -> dict:
        del self.handles[handle]
        return {}

    # --- Files API (Unity Catalog volumes) ------------------------------------------------
    def _files_api(self, method: str, path: str, query: dict, data) -> Any:
        import io
        import urllib.parse

        kind, _, target = path.removeprefix("/api/2.0/fs/").partition("/")
        local = self.local("/" + urllib.parse.unquote(target))
        if kind == "directories":
            if method == "PUT":
                local.mkdir(parents=True, exist_ok=True)
                return {}
            if not local.is_dir():
                raise NotFound(f"NOT_FOUND: {target}")
            if method == "DELETE":
                local.rmdir()
                return {}
            if method == "HEAD":
                return {}
            entries = [
                {
                    "path": "/" + str(c.relative_to(self.volumes_root)),
                    "name": c.name,
                    "is_directory": c.is_dir(),
                }
                for c in sorted(local.iterdir())
            ]
            return {"contents": entries}
        if method == "PUT":
            local.parent.mkdir(parents=True, exist_ok=True)
            local.write_bytes(data.read() if hasattr(data, "read") else bytes(data))
            return {}
        if not local.is_file():
            raise NotFound(f"NOT_FOUND: {target}")
        if method == "DELETE":
            local.unlink()
            return {}
        data = local.read_bytes()
        headers = {"content-length": str(len(data)), "content-type": "application/octet-stream"}
        if method == "HEAD":
            return headers
        return {**headers, "contents": io.BytesIO(data)}

    # --- jobs ------------------------------------------------------------------------------
    def _submit(self, **body) -> dict:
        self.submitted.append(body)
        run = FakeRun(next(_ids), body)
        self.runs[run.run_id] = run
        run.thread = threading.Thread(target=self._execute, args=(run,), daemon=True)
        run.thread.start()
        return {"run_id": run.run_id}

    def _get_run(self, run_id: int, **_: Any) -> dict:
        run = self.runs[int(run_id)]
        if self.interrupt_when_running and run.driver and run.driver.process:
            self.interrupt_when_running = False  # the signal arrives once
            from dagster._core.errors import DagsterExecutionInterruptedError

            raise DagsterExecutionInterruptedError("run cancelled")
        return run.as_dict()

    def _cancel(self, run_id: int) -> dict:
        run = self.runs[int(run_id)]
        run.cancelled = True
        if run.driver is not None:
            run.driver.kill()
        return {}

    def _get_output(self, run_id: int) -> dict:
        run = next(r for r in self.runs.values() if r.task_run_id == int(run_id))
        output: dict[str, Any] = {"metadata": run.as_dict()}
        if run.result == "FAILED" and run.driver is not None:
            lines = run.driver.stderr.strip().splitlines()
            output["error"] = lines[-1] if lines else run.message
            output["error_trace"] = run.driver.error_tail(40)
        return output

    def _execute(self, run: FakeRun) -> None:
        task = run.task
        cluster = task["new_cluster"]
        root = self.workdir / "clusters" / run.cluster_id
        site = root / "site-packages"
        try:
            for library in task.get("libraries", []):
                wheel = self._existing(library["whl"])
                install_wheel(wheel, site)
            python_file = self._existing(task["spark_python_task"]["python_file"])
        except Exception as error:
            run.life_cycle, run.result = "INTERNAL_ERROR", "FAILED"
            run.message = f"{type(error).__name__}: {error}"
            run.end_ms = int(time.time() * 1000)
            return
        env = {
            **self.node_env,
            **cluster.get("spark_env_vars", {}),
            "DB_CLUSTER_ID": run.cluster_id,
            "DATABRICKS_RUNTIME_VERSION": cluster["spark_version"].split(".x")[0],
            "SUPPLYLINKS_DBFS_MOUNT": str(self.dbfs_root),  # the driver's /dbfs FUSE mount
            "SUPPLYLINKS_VOLUMES_MOUNT": str(self.volumes_root),  # where /Volumes is mounted
            DELTA_SPARK_ENV: "1",  # the Databricks runtime ships Delta
        }
        run.life_cycle = "RUNNING"
        run.driver = DriverRun(
            python_file,
            list(task["spark_python_task"].get("parameters", [])),
            node_environment(env, [site]),
            cwd=root / "driver",
        ).start()
        code = run.driver.wait()
        destination = cluster.get("cluster_log_conf", {}).get("dbfs", {}).get("destination")
        if destination:
            logs = self.local(f"{destination}/{run.cluster_id}/driver")
            logs.mkdir(parents=True, exist_ok=True)
            (logs / "stdout").write_text(run.driver.stdout)
            (logs / "stderr").write_text(run.driver.stderr)
        run.life_cycle = "TERMINATING"
        run.end_ms = int(time.time() * 1000)
        if run.cancelled:
            run.result, run.message = "CANCELED", "Run cancelled."
        elif code == 0:
            run.result = "SUCCESS"
        else:
            run.result, run.message = "FAILED", f"Task {task['task_key']} failed"
        run.life_cycle = "TERMINATED"


class FakeWorkspace:
    """What ``WorkspaceClient`` offers the code under test, over ``FakeApiClient``."""

    def __init__(self, workdir: Path, node_env: dict[str, str] | None = None) -> None:
        self.api_client = FakeApiClient(workdir, dict(node_env or {}))
        self.jobs = jobs.JobsAPI(self.api_client)
        self.dbfs = files.DbfsAPI(self.api_client)
