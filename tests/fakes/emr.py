"""A fake boto3 EMR client whose clusters really run: bootstrap actions, then each step's
``spark-submit`` as a local Python subprocess against the moto S3 server.

Implements what ``PipesEMRClient`` calls: ``run_job_flow``, ``describe_cluster``,
``list_steps``, ``terminate_job_flows``, ``get_waiter`` (boto's real waiter definitions,
so the 30-minute limit is reproduced) and ``meta.region_name``. Step logs land where EMR
puts them: ``<LogUri><cluster>/steps/<step>/{stdout,stderr}.gz``.
"""

from __future__ import annotations

import itertools
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from botocore.exceptions import WaiterError
from botocore.loaders import Loader
from botocore.waiter import WaiterModel

from spark_jobs.jars import DELTA_SPARK_ENV
from tests.fakes.clock import FakeClock
from tests.fakes.driver import DriverRun, install_wheel, node_environment
from tests.fakes.s3 import put_gzip, read_uri

REQUIRED = ("Name", "ReleaseLabel", "Instances", "Steps", "ServiceRole", "JobFlowRole")
_ids = itertools.count(1)


def _env_from_configurations(configurations: list[dict], deploy_mode: str) -> dict[str, str]:
    """What reaches the driver: spark-env exports (client mode) or AM env (cluster mode)."""
    env: dict[str, str] = {}
    for conf in configurations:
        if conf.get("Classification") == "spark-env" and deploy_mode == "client":
            for nested in conf.get("Configurations", []):
                if nested.get("Classification") == "export":
                    env.update(nested.get("Properties", {}))
        if conf.get("Classification") == "spark-defaults" and deploy_mode == "cluster":
            prefix = "spark.yarn.appMasterEnv."
            for key, value in conf.get("Properties", {}).items():
                if key.startswith(prefix):
                    env[key.removeprefix(prefix)] = value
    return env


def _delta_enabled(configurations: list[dict]) -> bool:
    return any(
        conf.get("Classification") == "delta-defaults"
        and conf.get("Properties", {}).get("delta.enabled") == "true"
        for conf in configurations
    )


def parse_spark_submit(args: list[str]) -> tuple[dict[str, str], str, list[str]]:
    """(options, primary resource, application args) of a spark-submit command line."""
    if not args or args[0] != "spark-submit":
        raise ValueError(f"not a spark-submit step: {args}")
    options: dict[str, str] = {}
    rest = args[1:]
    while rest and rest[0].startswith("--"):
        options[rest[0]] = rest[1]
        rest = rest[2:]
    return options, rest[0], rest[1:]


class FakeCluster:
    def __init__(self, cluster_id: str, params: dict[str, Any]) -> None:
        self.id, self.params = cluster_id, params
        self.state = "STARTING"
        self.reason: dict[str, str] = {}
        self.created = datetime.now(UTC)
        self.ended: datetime | None = None
        self.steps = [
            {"Id": f"s-{cluster_id[2:]}{i}", "Name": s["Name"], "Status": {"State": "PENDING"}}
            for i, s in enumerate(params["Steps"])
        ]
        self.driver: DriverRun | None = None
        self.thread: threading.Thread | None = None

    def describe(self) -> dict[str, Any]:
        timeline = {"CreationDateTime": self.created}
        if self.ended:
            timeline["EndDateTime"] = self.ended
        return {
            "Cluster": {
                "Id": self.id,
                "Name": self.params["Name"],
                "Status": {
                    "State": self.state,
                    "StateChangeReason": self.reason,
                    "Timeline": timeline,
                },
                "LogUri": self.params.get("LogUri"),
                "ReleaseLabel": self.params["ReleaseLabel"],
                "Tags": self.params.get("Tags", []),
                "Configurations": self.params.get("Configurations", []),
            }
        }


class FakeWaiter:
    """boto's waiter semantics with boto's own EMR waiter definition (delay, max attempts,
    acceptors), sleeping on the fake clock when there is one."""

    def __init__(self, name: str, config, emr: FakeEMR) -> None:
        self.name, self.config, self.emr = name, config, emr

    def wait(self, ClusterId: str, WaiterConfig: dict | None = None) -> None:  # noqa: N803
        delay = (WaiterConfig or {}).get("Delay", self.config.delay)
        attempts = (WaiterConfig or {}).get("MaxAttempts", self.config.max_attempts)
        for _ in range(attempts):
            state = self.emr.describe_cluster(ClusterId=ClusterId)["Cluster"]["Status"]["State"]
            for acceptor in self.config.acceptors:
                if acceptor.expected == state:
                    if acceptor.state == "success":
                        return
                    raise WaiterError(self.name, f"terminal state {state}", {})
            (self.emr.clock.sleep if self.emr.clock else time.sleep)(delay)
        raise WaiterError(self.name, "Max attempts exceeded", {})


class FakeEMR:
    """The EMR API, backed by local processes. ``virtual_step_seconds`` makes steps take that
    long on ``clock`` instead of running anything (for the long-job test)."""

    def __init__(
        self,
        s3,
        workdir: Path,
        node_env: dict[str, str] | None = None,
        clock: FakeClock | None = None,
        virtual_step_seconds: float | None = None,
    ) -> None:
        self.s3, self.workdir = s3, workdir
        self.node_env = dict(node_env or {})
        self.clock, self.virtual_step_seconds = clock, virtual_step_seconds
        self.clusters: dict[str, FakeCluster] = {}
        self.requests: list[dict[str, Any]] = []
        self.meta = SimpleNamespace(region_name="us-east-1")

    # --- API -------------------------------------------------------------------------------
    def run_job_flow(self, **params) -> dict[str, Any]:
        missing = [k for k in REQUIRED if k not in params]
        if missing:
            raise ValueError(f"run_job_flow without {missing}")
        self.requests.append(params)
        cluster = FakeCluster(f"j-FAKE{next(_ids):08d}", params)
        self.clusters[cluster.id] = cluster
        if self.virtual_step_seconds is not None:
            cluster.started_at = self.clock.monotonic()
        else:
            cluster.thread = threading.Thread(target=self._lifecycle, args=(cluster,), daemon=True)
            cluster.thread.start()
        return {"JobFlowId": cluster.id, "ClusterArn": f"arn:aws:emr:fake:{cluster.id}"}

    def describe_cluster(self, ClusterId: str) -> dict[str, Any]:  # noqa: N803 (boto names)
        cluster = self.clusters[ClusterId]
        if self.virtual_step_seconds is not None:
            self._advance_virtual(cluster)
        return cluster.describe()

    def list_steps(self, ClusterId: str, **_: Any) -> dict[str, Any]:  # noqa: N803
        return {"Steps": [dict(s) for s in self.clusters[ClusterId].steps]}

    def terminate_job_flows(self, JobFlowIds: list[str]) -> dict[str, Any]:  # noqa: N803
        for cluster_id in JobFlowIds:
            cluster = self.clusters[cluster_id]
            cluster.reason = {"Code": "USER_REQUEST", "Message": "Terminated by user request"}
            if cluster.driver is not None:
                cluster.driver.kill()
            if cluster.state not in ("TERMINATED", "TERMINATED_WITH_ERRORS"):
                cluster.state = "TERMINATING"
                if cluster.thread is None:
                    self._finish(cluster, "TERMINATED")
        return {}

    def get_waiter(self, name: str) -> FakeWaiter:
        names = {"cluster_running": "ClusterRunning", "cluster_terminated": "ClusterTerminated"}
        model = WaiterModel(Loader().load_service_model("emr", "waiters-2"))
        return FakeWaiter(names[name], model.get_waiter(names[name]), self)

    # --- what the service does -------------------------------------------------------------
    def _advance_virtual(self, cluster: FakeCluster) -> None:
        elapsed = self.clock.monotonic() - cluster.started_at
        if cluster.state in ("TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS"):
            if cluster.state == "TERMINATING":
                self._finish(cluster, "TERMINATED")
            return
        if elapsed < 300:
            cluster.state = "STARTING"
        elif elapsed < 300 + self.virtual_step_seconds:
            cluster.state = "RUNNING"
            cluster.steps[0]["Status"] = {"State": "RUNNING"}
        else:
            for step in cluster.steps:
                step["Status"] = {"State": "COMPLETED"}
            cluster.reason = {"Code": "ALL_STEPS_COMPLETED", "Message": "Steps completed"}
            self._finish(cluster, "TERMINATED")

    def _finish(self, cluster: FakeCluster, state: str) -> None:
        cluster.state = state
        cluster.ended = datetime.now(UTC)

    def _lifecycle(self, cluster: FakeCluster) -> None:
        root = self.workdir / cluster.id
        site = root / "site-packages"
        try:
            cluster.state = "BOOTSTRAPPING"
            for action in cluster.params.get("BootstrapActions", []):
                self._bootstrap(action["ScriptBootstrapAction"], root, site)
            cluster.state = "RUNNING"
            failed = False
            for step, spec in zip(cluster.steps, cluster.params["Steps"], strict=True):
                if cluster.reason.get("Code") == "USER_REQUEST":
                    step["Status"] = {"State": "CANCELLED"}
                    continue
                if failed:
                    step["Status"] = {"State": "CANCELLED"}
                    continue
                failed = not self._run_step(cluster, step, spec, root, site)
        except Exception as error:  # a broken spec fails the cluster like EMR does
            cluster.reason = {
                "Code": "VALIDATION_ERROR",
                "Message": f"{type(error).__name__}: {error}",
            }
            self._finish(cluster, "TERMINATED_WITH_ERRORS")
            return
        cluster.state = "TERMINATING"
        time.sleep(0.2)
        if cluster.reason.get("Code") == "USER_REQUEST":
            self._finish(cluster, "TERMINATED")
        elif failed:
            cluster.reason = {"Code": "STEP_FAILURE", "Message": "Shut down as step failed"}
            self._finish(cluster, "TERMINATED_WITH_ERRORS")
        else:
            cluster.reason = {"Code": "ALL_STEPS_COMPLETED", "Message": "Steps completed"}
            self._finish(cluster, "TERMINATED")

    def _bootstrap(self, action: dict[str, Any], root: Path, site: Path) -> None:
        """Our bootstrap script copies the wheel from S3 and pip-installs it."""
        script = read_uri(self.s3, action["Path"]).decode()
        if "pip install" not in script:
            raise ValueError(
                f"fake EMR only understands wheel-installing bootstrap scripts: {script}"
            )
        for arg in action.get("Args", []):
            if arg.endswith(".whl"):
                local = root / "bootstrap" / arg.rsplit("/", 1)[-1]
                local.parent.mkdir(parents=True, exist_ok=True)
                local.write_bytes(read_uri(self.s3, arg))
                install_wheel(local, site)

    def _run_step(
        self, cluster: FakeCluster, step: dict, spec: dict, root: Path, site: Path
    ) -> bool:
        jar = spec["HadoopJarStep"]
        if jar.get("Jar") != "command-runner.jar":
            raise ValueError(f"unsupported step jar {jar.get('Jar')}")
        options, resource, args = parse_spark_submit(list(jar["Args"]))
        script = root / "steps" / step["Id"] / resource.rsplit("/", 1)[-1]
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_bytes(read_uri(self.s3, resource))
        env = _env_from_configurations(
            cluster.params.get("Configurations", []), options.get("--deploy-mode", "client")
        )
        if _delta_enabled(cluster.params.get("Configurations", [])):
            env[DELTA_SPARK_ENV] = "1"  # EMR's delta-defaults puts Delta's jars on the classpath
        step["Status"] = {"State": "RUNNING"}
        cluster.driver = DriverRun(
            script, args, node_environment({**self.node_env, **env}, [site]), cwd=script.parent
        ).start()
        code = cluster.driver.wait()
        log_root = f"{cluster.params['LogUri']}{cluster.id}/steps/{step['Id']}"
        put_gzip(self.s3, f"{log_root}/stdout.gz", cluster.driver.stdout)
        put_gzip(self.s3, f"{log_root}/stderr.gz", cluster.driver.stderr)
        if cluster.driver.killed:
            step["Status"] = {"State": "CANCELLED"}
            return False
        if code != 0:
            step["Status"] = {
                "State": "FAILED",
                "FailureDetails": {
                    "Reason": "Unknown Error.",
                    "Message": cluster.driver.error_tail(),
                    "LogFile": f"{log_root}/stderr.gz",
                },
            }
            return False
        step["Status"] = {"State": "COMPLETED"}
        return True
