"""Named asset jobs, so runs read ``extract_crawl`` rather than ``__ephemeral_asset_job__``.

Each job carries the tags a user filters runs by: the runtime, the code version and (set per
run by whoever launches it, e.g. ``supplylinks sample``) the crawl. A job's selection brings
its assets' checks along.
"""

from __future__ import annotations

import subprocess
from functools import cache
from importlib import metadata as package_metadata

from dagster import AssetSelection, define_asset_job

from pipelines.config import REPO_ROOT, Settings

RUNTIME_TAG = "supplylinks/runtime"
CODE_VERSION_TAG = "supplylinks/code_version"
CRAWL_TAG = "supplylinks/crawl"

#: job name -> (assets, what a run of it does).
JOB_ASSETS: dict[str, tuple[tuple[str, ...], str]] = {
    "extract_crawl": (
        ("seed_companies", "pages", "hyperlinks"),
        "Check the seed list, then parse the WARC files of crawl segments.",
    ),
    "classify_crawl": (("company_links",), "Label the company links of crawl segments."),
    "targeted_crawl": (
        ("targeted_pages", "targeted_hyperlinks", "targeted_company_links"),
        "Read the seed companies' pages of whole crawls by index lookup and byte range, and "
        "label their links (a backfill over crawls is one run).",
    ),
    "graph_crawl": (
        ("companies", "link_graph", "link_graph_picture"),
        "Read the companies' imprints, build the company graph of crawls and draw it.",
    ),
    "retrain_classifier": (("link_classifier",), "Retrain, evaluate and register the model."),
}


@cache
def code_version() -> str:
    """The package version plus the git commit when run from a checkout."""
    try:
        version = package_metadata.version("supplylinks")
    except package_metadata.PackageNotFoundError:
        version = "0"
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        commit = ""
    return f"{version}+{commit}" if commit else version


def job_tags(settings: Settings) -> dict[str, str]:
    return {RUNTIME_TAG: settings.runtime, CODE_VERSION_TAG: code_version()}


def build_jobs(settings: Settings) -> list:
    tags = job_tags(settings)
    return [
        define_asset_job(
            name, selection=AssetSelection.assets(*assets), description=what, tags=tags
        )
        for name, (assets, what) in JOB_ASSETS.items()
    ]
