"""A fake boto3 EMR Serverless client whose job runs really run as local driver processes.

Implements what ``PipesEMRServerlessClient`` calls: ``start_job_run``, ``get_job_run``,
``cancel_job_run``, ``get_application``, ``get_dashboard_for_job_run``. The job shape is the
service's: ``sparkSubmit.entryPoint`` (S3 script), ``--py-files`` (the wheel, put on
PYTHONPATH as a zip, exactly what Spark does), ``--conf spark.emr-serverless.driverEnv.K=V``
(the driver's environment). Driver logs go to
``<logUri>/applications/<app>/jobs/<run>/SPARK_DRIVER/{stdout,stderr}.gz``.

Delta as the service has it: the image bundles delta-spark but loads it only when the job
names the jars (``--conf spark.jars=/usr/share/aws/delta/lib/delta-spark.jar,...``) and
Delta's SQL extension; then the driver gets this box's delta-spark jars (``make jars``) in
their place. Without them a delta-spark write fails, as it does on the service.
"""

from __future__ import annotations

import itertools
import shlex
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spark_jobs.jars import DELTA_CONF, DELTA_SPARK_ENV
from tests.fakes.driver import DriverRun, node_environment
from tests.fakes.s3 import put_gzip, read_uri

_ids = itertools.count(1)
DRIVER_ENV = "spark.emr-serverless.driverEnv."


def parse_submit_parameters(text: str) -> tuple[list[str], dict[str, str]]:
    """(--py-files URIs, --conf properties) of ``sparkSubmitParameters``."""
    tokens = shlex.split(text)
    py_files: list[str] = []
    conf: dict[str, str] = {}
    for flag, value in zip(tokens[::2], tokens[1::2], strict=True):
        if flag == "--py-files":
            py_files += value.split(",")
        elif flag == "--conf":
            key, _, val = value.partition("=")
            conf[key] = val
        else:
            raise ValueError(f"fake EMR Serverless does not know {flag}")
    return py_files, conf


def _delta_loaded(conf: dict[str, str]) -> bool:
    """The job names the image's delta-spark jar and Delta's session extension and catalog."""
    jars = [uri.rsplit("/", 1)[-1] for uri in conf.get("spark.jars", "").split(",")]
    named = any(name.startswith("delta-spark") for name in jars)
    return named and all(conf.get(key) == value for key, value in DELTA_CONF.items())


class FakeJobRun:
    def __init__(self, app_id: str, run_id: str, params: dict[str, Any]) -> None:
        self.app_id, self.run_id, self.params = app_id, run_id, params
        self.state, self.details = "SUBMITTED", ""
        self.created = datetime.now(UTC)
        self.updated = self.created
        self.driver: DriverRun | None = None
        self.thread: threading.Thread | None = None
        self.cancelled = False

    def describe(self, driver_cores: int, memory_gb: int) -> dict[str, Any]:
        hours = (self.updated - self.created).total_seconds() / 3600
        return {
            "jobRun": {
                "applicationId": self.app_id,
                "jobRunId": self.run_id,
                "name": self.params.get("name"),
                "state": self.state,
                "stateDetails": self.details,
                "createdAt": self.created,
                "updatedAt": self.updated,
                "jobDriver": self.params["jobDriver"],
                "configurationOverrides": self.params.get("configurationOverrides", {}),
                "tags": self.params.get("tags", {}),
                "totalResourceUtilization": {
                    "vCPUHour": hours * driver_cores,
                    "memoryGBHour": hours * memory_gb,
                    "storageGBHour": hours * 20,
                },
            }
        }


class FakeEMRServerless:
    def __init__(self, s3, workdir: Path, node_env: dict[str, str] | None = None) -> None:
        self.s3, self.workdir = s3, workdir
        self.node_env = dict(node_env or {})
        self.runs: dict[str, FakeJobRun] = {}
        self.requests: list[dict[str, Any]] = []

    def start_job_run(self, **params) -> dict[str, Any]:
        for key in ("applicationId", "executionRoleArn", "jobDriver"):
            if key not in params:
                raise ValueError(f"start_job_run without {key}")
        self.requests.append(params)
        run = FakeJobRun(params["applicationId"], f"00fake{next(_ids):010d}", params)
        self.runs[run.run_id] = run
        run.thread = threading.Thread(target=self._execute, args=(run,), daemon=True)
        run.thread.start()
        return {
            "applicationId": run.app_id,
            "jobRunId": run.run_id,
            "arn": f"arn:fake:{run.run_id}",
        }

    def get_job_run(self, applicationId: str, jobRunId: str) -> dict[str, Any]:  # noqa: N803
        return self.runs[jobRunId].describe(driver_cores=4, memory_gb=16)

    def cancel_job_run(self, applicationId: str, jobRunId: str) -> dict[str, Any]:  # noqa: N803
        run = self.runs[jobRunId]
        run.cancelled = True
        run.state = "CANCELLING"
        if run.driver is not None:
            run.driver.kill()
        return {"applicationId": applicationId, "jobRunId": jobRunId}

    def get_application(self, applicationId: str) -> dict[str, Any]:  # noqa: N803
        return {"application": {"applicationId": applicationId, "type": "Spark", "name": "fake"}}

    def get_dashboard_for_job_run(self, applicationId: str, jobRunId: str) -> dict[str, Any]:  # noqa: N803
        return {"url": f"https://fake.emrserverless/{applicationId}/{jobRunId}"}

    def _execute(self, run: FakeJobRun) -> None:
        root = self.workdir / run.run_id
        submit = run.params["jobDriver"]["sparkSubmit"]
        try:
            py_files, conf = parse_submit_parameters(submit.get("sparkSubmitParameters", ""))
            paths = []
            for uri in py_files:
                local = root / "py-files" / uri.rsplit("/", 1)[-1]
                local.parent.mkdir(parents=True, exist_ok=True)
                local.write_bytes(read_uri(self.s3, uri))
                paths.append(local)
            script = root / submit["entryPoint"].rsplit("/", 1)[-1]
            script.write_bytes(read_uri(self.s3, submit["entryPoint"]))
        except Exception as error:
            run.state, run.details = "FAILED", f"{type(error).__name__}: {error}"
            return
        env = {k.removeprefix(DRIVER_ENV): v for k, v in conf.items() if k.startswith(DRIVER_ENV)}
        if _delta_loaded(conf):
            env[DELTA_SPARK_ENV] = "1"  # the image's Delta jars: this box's `make jars` cache
        run.state = "RUNNING"
        run.driver = DriverRun(
            script,
            list(submit.get("entryPointArguments", [])),
            node_environment({**self.node_env, **env}, paths),
            cwd=root / "driver",
        ).start()
        code = run.driver.wait()
        logs = (
            run.params.get("configurationOverrides", {})
            .get("monitoringConfiguration", {})
            .get("s3MonitoringConfiguration", {})
            .get("logUri")
        )
        if logs:
            base = f"{logs.rstrip('/')}/applications/{run.app_id}/jobs/{run.run_id}/SPARK_DRIVER"
            put_gzip(self.s3, f"{base}/stdout.gz", run.driver.stdout)
            put_gzip(self.s3, f"{base}/stderr.gz", run.driver.stderr)
        run.updated = datetime.now(UTC)
        if run.cancelled:
            run.state = "CANCELLED"
        elif code == 0:
            run.state = "SUCCESS"
        else:
            run.state = "FAILED"
            run.details = f"Job failed, exit code {code}: {run.driver.error_tail()}"
