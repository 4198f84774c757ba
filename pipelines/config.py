"""Deployment configuration: the one place that reads ``SUPPLYLINKS_*`` environment variables.

Where the input comes from and where tables go is configuration, never code: point
``SUPPLYLINKS_CC_ROOT`` at the public bucket (``s3://commoncrawl``) or at any local folder
in the same layout, and ``SUPPLYLINKS_SEEDS`` at a seed-company CSV.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "data_samples"
SAMPLE_CC_ROOT = SAMPLES / "commoncrawl"
SAMPLE_SEEDS = SAMPLES / "seeds" / "companies.csv"
#: Common Crawl publishes its list of crawls here; a local mirror has its own copy.
PUBLIC_COLLINFO = "https://index.commoncrawl.org/collinfo.json"

#: Where Spark jobs run. A ``Literal``, so the launchpad shows it as an enum and refuses a typo
#: when the run is configured, not when it starts (``standalone``: a Spark cluster the user runs).
RuntimeName = Literal["local", "standalone", "emr", "emr-serverless", "databricks"]
RUNTIMES: tuple[RuntimeName, ...] = get_args(RuntimeName)


@dataclass(frozen=True)
class Settings:
    """What a deployment points at. Read once from the environment, overridable per run."""

    warehouse: str
    cc_root: str
    seeds: str
    runtime: RuntimeName = "local"
    model: str = "default"
    #: JSON file with the remote runtimes' typed config (buckets, cluster shape, prices).
    runtime_config: str = ""

    @classmethod
    def from_env(cls, environ: os._Environ | dict | None = None) -> Settings:
        env = os.environ if environ is None else environ
        runtime = env.get("SUPPLYLINKS_RUNTIME", "local")
        if runtime not in RUNTIMES:
            raise ValueError(f"SUPPLYLINKS_RUNTIME={runtime!r}; expected one of {RUNTIMES}")
        return cls(
            warehouse=_absolute(env.get("SUPPLYLINKS_WAREHOUSE", "warehouse")),
            cc_root=_absolute(env.get("SUPPLYLINKS_CC_ROOT", str(SAMPLE_CC_ROOT))),
            seeds=_absolute(env.get("SUPPLYLINKS_SEEDS", str(SAMPLE_SEEDS))),
            runtime=runtime,
            model=env.get("SUPPLYLINKS_MODEL", "default"),
            runtime_config=env.get("SUPPLYLINKS_RUNTIME_CONFIG", ""),
        )


def _absolute(location: str) -> str:
    """Local paths become absolute (jobs run in other working directories); URIs stay."""
    if "://" in location:
        return location
    return str(Path(location).expanduser().resolve())
