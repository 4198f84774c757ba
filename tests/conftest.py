"""Shared fixtures: one local Spark session per test module (paths: ``tests.paths``)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spark():
    """A local[2] session for the module; jobs under test create their own in subprocesses.
    It loads the delta-spark jars (``make jars``): both writers run in one test JVM."""
    pyspark = pytest.importorskip("pyspark")
    del pyspark
    from spark_jobs.jars import DELTA_SPARK_ENV
    from spark_jobs.session import spark_session

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv(DELTA_SPARK_ENV, "1")

    session = spark_session("supplylinks-tests", master="local[2]")
    monkeypatch.undo()  # jobs the tests launch choose their writer themselves
    yield session
    session.stop()
