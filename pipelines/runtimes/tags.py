"""Resource tags of a remote run, and the guard that keeps secrets out of everything sent.

Tags let the cloud bill be sliced by asset, partition, run and runtime. Both EMR and
Databricks restrict tag characters and lengths, so values are sanitized here once.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import Any

from dagster import Failure

#: AWS tag values allow letters, digits, spaces and _ . : / = + - @ (Databricks is stricter
#: about nothing we use); anything else becomes "_".
_UNSAFE = re.compile(r"[^\w .:/=+\-@]")
MAX_TAG_VALUE = 256
#: Environment variables of the standard credential chains whose values must never leave
#: the orchestrator process in a spec, extra, tag, log or metadata value.
SECRET_ENV_VARS = (
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "DATABRICKS_TOKEN",
    "DATABRICKS_CLIENT_SECRET",
    "DATABRICKS_PASSWORD",
)


def tag_value(value: str) -> str:
    return _UNSAFE.sub("_", value)[:MAX_TAG_VALUE]


def _partition_label(context) -> str:
    if not context.has_partition_key and not getattr(context, "has_partition_key_range", False):
        return "none"
    keys = [str(k) for k in context.partition_keys]
    if len(keys) == 1:
        return keys[0]
    return f"{keys[0]}..{keys[-1]} ({len(keys)})"


def resource_tags(context, runtime: str, code_version: str) -> dict[str, str]:
    """Tags for the cluster / job run: asset, partition, run id, runtime, code version."""
    assets = " ".join(sorted(k.to_user_string() for k in context.selected_asset_keys))
    tags = {
        "supplylinks:asset": assets or "none",
        "supplylinks:partition": _partition_label(context),
        "supplylinks:run_id": context.run.run_id,
        "supplylinks:runtime": runtime,
        "supplylinks:code_version": code_version,
    }
    return {key: tag_value(value) for key, value in tags.items()}


def secret_values(environ: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    return [env[name] for name in SECRET_ENV_VARS if len(env.get(name, "")) >= 8]


def assert_no_secrets(what: str, payload: Any, environ: Mapping[str, str] | None = None) -> None:
    """Refuse to send ``payload`` (a spec, extras, tags) if it contains a credential value."""
    text = json.dumps(payload, default=str)
    if any(secret in text for secret in secret_values(environ)):
        raise Failure(
            f"refusing to launch: the {what} contains a credential value; credentials must "
            "come from the cluster's instance profile / the workspace, never from configuration"
        )
