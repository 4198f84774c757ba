"""Shared fixtures: one local Spark session per test module (paths: ``tests.paths``)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spark():
    """A local[2] session for the module; jobs under test create their own in subprocesses."""
    pyspark = pytest.importorskip("pyspark")
    del pyspark
    from spark_jobs.session import spark_session

    session = spark_session("supplylinks-tests", master="local[2]")
    yield session
    session.stop()
