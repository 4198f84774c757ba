"""The project wheel and job scripts, built once per code version, uploaded content-hashed.

A remote cluster runs exactly the code the orchestrator runs: the wheel is built from the
source tree (a temp copy, so the working tree stays clean), cached under its source hash,
and uploaded under a name that contains the hash of its bytes. Two runs of the same code
share one upload; two code versions (or parallel runs of different branches) never
overwrite each other.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pipelines.config import REPO_ROOT

#: What goes into the wheel (and so into the code version).
PACKAGES = ("extraction", "models", "spark_jobs", "pipelines")
#: ``.c``: the page walk (extraction/_pagewalk.c) is compiled into the wheel by setup.py, so
#: the wheel is platform-specific: built here, it fits clusters with the same Python/platform.
PACKAGE_SUFFIXES = (".py", ".json", ".txt", ".c")
#: Fixed zip timestamps: the same source gives the same wheel bytes, hence the same name.
SOURCE_DATE_EPOCH = "315532800"
#: Override with SUPPLYLINKS_CACHE_DIR (tests use a temp folder).
CACHE_ENV = "SUPPLYLINKS_CACHE_DIR"


def default_cache() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "supplylinks"


BOOTSTRAP_SCRIPT = """#!/bin/bash
# EMR bootstrap action: install the supplylinks wheel (and its dependencies) on every node.
set -euo pipefail
WHEEL_URI="$1"
LOCAL="/tmp/$(basename "$WHEEL_URI")"
aws s3 cp "$WHEEL_URI" "$LOCAL"
sudo python3 -m pip install --quiet "$LOCAL"
"""


def _source_files(root: Path) -> Iterable[Path]:
    yield root / "pyproject.toml"
    if (root / "setup.py").is_file():
        yield root / "setup.py"
    for package in PACKAGES:
        base = root / package
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if (
                path.is_file()
                and path.suffix in PACKAGE_SUFFIXES
                and "__pycache__" not in path.parts
            ):
                yield path


def source_hash(root: Path = REPO_ROOT) -> str:
    """The code version: a hash over the packaged source files' paths and bytes."""
    digest = hashlib.sha256()
    for path in _source_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def build_wheel(root: Path = REPO_ROOT, cache_dir: Path | None = None) -> Path:
    """The project wheel for the current source, built at most once per code version.

    The source is snapshotted first and the snapshot is both hashed and built, so a file
    edited during the build can never end up in a wheel filed under another version.
    """
    cache_dir = cache_dir or default_cache()
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="supplylinks-wheel-") as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        for path in _source_files(root):
            dest = src / path.relative_to(root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        target = cache_dir / "wheels" / source_hash(src)
        with open(cache_dir / "wheels.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # parallel runs wait for one build
            built = sorted(target.glob("*.whl")) if target.is_dir() else []
            if built:
                return built[0]
            (src / "README.md").write_text("supplylinks\n")
            subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
                + ["--no-index", "--quiet", "--wheel-dir", str(out), str(src)],
                check=True,
                env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
                capture_output=True,
            )
            wheel = next(out.glob("*.whl"))
            target.mkdir(parents=True, exist_ok=True)
            final = target / wheel.name
            shutil.move(str(wheel), final)
            return final


class ArtifactStore(Protocol):
    """Where a runtime keeps artefacts: S3, DBFS or a Unity Catalog volume."""

    def exists(self, name: str) -> bool: ...

    def put(self, name: str, data: bytes) -> None: ...

    def uri(self, name: str) -> str: ...


@dataclass(frozen=True)
class Artifacts:
    """The uploaded artefacts of one job launch (URIs as the runtime addresses them)."""

    code_version: str
    wheel_uri: str
    script_uri: str
    bootstrap_uri: str


def upload_once(store: ArtifactStore, name: str, data: bytes) -> str:
    """Upload unless an object with this content-hashed name is already there."""
    if not store.exists(name):
        store.put(name, data)
    return store.uri(name)


def publish(store: ArtifactStore, job_script: Path, wheel: Path | None = None) -> Artifacts:
    """Upload the wheel, the job script and the EMR bootstrap script under hashed names."""
    wheel = wheel or build_wheel()
    wheel_bytes = wheel.read_bytes()
    script_bytes = job_script.read_bytes()
    bootstrap_bytes = BOOTSTRAP_SCRIPT.encode()
    wheel_uri = upload_once(
        store, f"artifacts/wheels/{content_hash(wheel_bytes)}/{wheel.name}", wheel_bytes
    )
    script_uri = upload_once(
        store,
        f"artifacts/jobs/{job_script.stem}-{content_hash(script_bytes)}{job_script.suffix}",
        script_bytes,
    )
    bootstrap_uri = upload_once(
        store,
        f"artifacts/bootstrap/install-wheel-{content_hash(bootstrap_bytes)}.sh",
        bootstrap_bytes,
    )
    return Artifacts(
        code_version=wheel.parent.name,
        wheel_uri=wheel_uri,
        script_uri=script_uri,
        bootstrap_uri=bootstrap_uri,
    )


class S3Store:
    """Artefacts in ``s3://<bucket>/<prefix>/...``."""

    def __init__(self, client, bucket: str, prefix: str) -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix.strip("/")

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def exists(self, name: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(name))
            return True
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    def put(self, name: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.key(name), Body=data)

    def uri(self, name: str) -> str:
        return f"s3://{self.bucket}/{self.key(name)}"


class DbfsStore:
    """Artefacts on DBFS (``dbfs:/<root>/...``), uploaded in 1 MB blocks (the API's limit)."""

    BLOCK = 1 << 20

    def __init__(self, workspace, root: str) -> None:
        from databricks.sdk.service import files

        self.dbfs = files.DbfsAPI(workspace.api_client)
        self.root = "/" + root.removeprefix("dbfs:").strip("/")

    def path(self, name: str) -> str:
        return f"{self.root}/{name}"

    def exists(self, name: str) -> bool:
        from databricks.sdk.errors import NotFound

        try:
            self.dbfs.get_status(self.path(name))
            return True
        except NotFound:
            return False

    def put(self, name: str, data: bytes) -> None:
        import base64

        self.dbfs.mkdirs(self.path(name).rsplit("/", 1)[0])
        handle = self.dbfs.create(self.path(name), overwrite=True).handle
        for start in range(0, len(data), self.BLOCK):
            block = base64.b64encode(data[start : start + self.BLOCK]).decode()
            self.dbfs.add_block(handle, block)
        self.dbfs.close(handle)

    def uri(self, name: str) -> str:
        return f"dbfs:{self.path(name)}"


class VolumeStore:
    """Artefacts on a Unity Catalog volume (``/Volumes/<catalog>/<schema>/<volume>/...``)."""

    def __init__(self, workspace, volume_path: str) -> None:
        from databricks.sdk.service import files

        self.files = files.FilesAPI(workspace.api_client)
        self.root = volume_path.rstrip("/")

    def path(self, name: str) -> str:
        return f"{self.root}/supplylinks/{name}"

    def exists(self, name: str) -> bool:
        from databricks.sdk.errors import NotFound

        try:
            self.files.get_metadata(self.path(name))
            return True
        except NotFound:
            return False

    def put(self, name: str, data: bytes) -> None:
        import io

        self.files.upload(self.path(name), io.BytesIO(data), overwrite=True)

    def uri(self, name: str) -> str:
        return self.path(name)
