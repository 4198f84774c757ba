"""Open the Pipes session of a job, whatever runtime launched it.

The job scripts call ``open_pipes()`` and never name a runtime: the context loader and
message writer are chosen from the params the orchestrator injected:

- ``{"bucket", "key"}`` context / ``{"bucket", "key_prefix"}`` messages: S3 (EMR, EMR
  Serverless), read and written with a boto3 client from the standard credential chain
  (the cluster's instance profile / job role);
- ``"transport": "dbfs"``: DBFS through its FUSE mount ``/dbfs`` (Databricks);
- ``"transport": "volumes"``: a Unity Catalog volume path (Databricks);
- anything else: the default loader/writer (temp files of the local runtime).

Params come from the environment (Pipes env vars) or, when the launcher passes them as
arguments (Databricks tasks on existing clusters), from the command line.
"""

from __future__ import annotations

import os
from typing import Any

from dagster_pipes import (
    PipesBufferedFilesystemMessageWriterChannel as _FilesystemChannel,
)
from dagster_pipes import (
    PipesCliArgsParamsLoader,
    PipesContext,
    PipesContextLoader,
    PipesDbfsContextLoader,
    PipesDbfsMessageWriter,
    PipesDefaultContextLoader,
    PipesDefaultMessageWriter,
    PipesEnvVarParamsLoader,
    PipesMessageWriter,
    PipesParamsLoader,
    PipesS3ContextLoader,
    PipesS3MessageWriter,
    PipesUnityCatalogVolumesContextLoader,
    PipesUnityCatalogVolumesMessageWriter,
    open_dagster_pipes,
)

TRANSPORT_KEY = "transport"
#: Where DBFS is mounted on the driver (Databricks: /dbfs). Overridable for fakes/tests.
DBFS_MOUNT_ENV = "SUPPLYLINKS_DBFS_MOUNT"
#: Where Unity Catalog volumes are mounted (Databricks: /, i.e. /Volumes/...).
VOLUMES_MOUNT_ENV = "SUPPLYLINKS_VOLUMES_MOUNT"
CLUSTER_LOG_ROOT_ENV = "SUPPLYLINKS_CLUSTER_LOG_ROOT"
#: Message chunk upload interval in seconds (remote transports).
MESSAGE_INTERVAL = float(os.environ.get("SUPPLYLINKS_PIPES_INTERVAL", "5"))


def _mounted(root_env: str, default: str, path: str) -> str:
    return os.path.join(os.environ.get(root_env, default), path.lstrip("/"))


class DbfsContextLoader(PipesDbfsContextLoader):
    """Reads the context through the DBFS mount (``/dbfs`` unless overridden)."""

    def load_context(self, params):
        path = {"path": _mounted(DBFS_MOUNT_ENV, "/dbfs", params["path"])}
        return PipesUnityCatalogVolumesContextLoader().load_context(path)


class DbfsMessageWriter(PipesDbfsMessageWriter):
    """Writes message chunks through the DBFS mount; reports the driver log folder from
    the environment when no Databricks-configured Spark session exists yet."""

    def make_channel(self, params):
        path = _mounted(DBFS_MOUNT_ENV, "/dbfs", params["path"])
        return _FilesystemChannel(path=path, interval=self.interval)

    def get_opened_extras(self) -> dict[str, Any]:
        root, cluster = os.environ.get(CLUSTER_LOG_ROOT_ENV), os.environ.get("DB_CLUSTER_ID")
        if root and cluster:
            return {"cluster_driver_log_root": f"{root.rstrip('/')}/{cluster}/driver"}
        try:
            return super().get_opened_extras()
        except Exception:  # no active session: logs are not forwarded, messages still are
            return {}


class VolumesContextLoader(PipesUnityCatalogVolumesContextLoader):
    def load_context(self, params):
        path = {"path": _mounted(VOLUMES_MOUNT_ENV, "/", params["path"])}
        return super().load_context(path)


class VolumesMessageWriter(PipesUnityCatalogVolumesMessageWriter):
    def make_channel(self, params):
        path = _mounted(VOLUMES_MOUNT_ENV, "/", params["path"])
        return _FilesystemChannel(path=path, interval=self.interval)


def _s3_client():
    import boto3  # present on EMR / EMR Serverless; credentials from the instance/job role

    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    return boto3.client("s3", region_name=region)


def choose_io(
    context_params: dict[str, Any], message_params: dict[str, Any]
) -> tuple[PipesContextLoader, PipesMessageWriter]:
    """The loader and writer matching what the orchestrator injected."""
    transport = context_params.get(TRANSPORT_KEY) or message_params.get(TRANSPORT_KEY)
    if transport == "dbfs":
        return DbfsContextLoader(), DbfsMessageWriter(interval=MESSAGE_INTERVAL)
    if transport == "volumes":
        return VolumesContextLoader(), VolumesMessageWriter(interval=MESSAGE_INTERVAL)
    if "bucket" in context_params or "bucket" in message_params:
        client = _s3_client()
        loader: PipesContextLoader = (
            PipesS3ContextLoader(client)
            if "bucket" in context_params
            else PipesDefaultContextLoader()
        )
        writer: PipesMessageWriter = (
            PipesS3MessageWriter(client, interval=MESSAGE_INTERVAL)
            if "bucket" in message_params
            else PipesDefaultMessageWriter()
        )
        return loader, writer
    return PipesDefaultContextLoader(), PipesDefaultMessageWriter()


def params_loader() -> PipesParamsLoader:
    cli = PipesCliArgsParamsLoader()
    return cli if cli.is_dagster_pipes_process() else PipesEnvVarParamsLoader()


def open_pipes() -> PipesContext:
    """The Pipes context for this process, on whichever runtime launched it."""
    loader = params_loader()
    if not loader.is_dagster_pipes_process():
        return open_dagster_pipes(params_loader=loader)  # not launched by Dagster: a no-op mock
    context_loader, message_writer = choose_io(
        loader.load_context_params(), loader.load_messages_params()
    )
    return open_dagster_pipes(
        params_loader=loader, context_loader=context_loader, message_writer=message_writer
    )
