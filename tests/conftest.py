"""Shared fixtures: repository paths and one local Spark session per test module."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
REAL_WARC = SHARED / "data" / "real_warc"
SAMPLES = REPO_ROOT / "data_samples"


@pytest.fixture(scope="module")
def spark():
    """A local[2] session for the module; jobs under test create their own in subprocesses."""
    pyspark = pytest.importorskip("pyspark")
    del pyspark
    from spark_jobs.session import spark_session

    session = spark_session("supplylinks-tests", master="local[2]")
    yield session
    session.stop()
