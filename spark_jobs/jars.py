"""The JVM jars of delta-spark and ``s3a://``, fetched once by ``make jars``, never at run time.

``jars/pom.xml`` names them (delta-spark built for this PySpark's minor version, delta-storage,
hadoop-aws matching PySpark's bundled Hadoop, its AWS SDK v2 bundle); ``make jars`` copies
them with ``mvn dependency:copy-dependencies`` into :func:`cache_dir`. A job that writes with
delta-spark gets them on its class path (:func:`spark_conf`): nothing is resolved from Maven
when a job runs (no ``spark.jars.packages``). Imports only the standard library, so the
orchestrator (which never imports PySpark) can build a ``spark-submit`` command with it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: Override of the cache folder (``make jars JARS_DIR=...`` writes there too).
JARS_DIR_ENV = "SUPPLYLINKS_JARS_DIR"
#: Set to 1 by the launchers when a job writes with delta-spark outside a cluster that
#: ships Delta itself: the local session then loads the jars and Delta's SQL extension.
DELTA_SPARK_ENV = "SUPPLYLINKS_DELTA_SPARK"
MAKE_TARGET = "make jars"
#: The jars a delta-spark + s3a session needs (file name prefixes in the cache folder).
REQUIRED = ("delta-spark_", "delta-storage-", "hadoop-aws-", "bundle-")
#: Delta's SQL extension and catalog: what ``configure_spark_with_delta_pip`` sets.
DELTA_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
}


class MissingJarsError(RuntimeError):
    """The jar cache lacks what a delta-spark job needs."""


def cache_dir() -> Path:
    """``$SUPPLYLINKS_JARS_DIR``, else ``$XDG_CACHE_HOME/supplylinks/jars`` (~/.cache/...)."""
    if os.environ.get(JARS_DIR_ENV):
        return Path(os.environ[JARS_DIR_ENV])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "supplylinks" / "jars"


def jar_paths(folder: Path | None = None) -> list[Path]:
    """Every cached jar, checked: all of :data:`REQUIRED` present, delta-spark built for the
    installed PySpark's major.minor version. Raises :class:`MissingJarsError` naming the fix."""
    folder = folder or cache_dir()
    jars = sorted(folder.glob("*.jar")) if folder.is_dir() else []
    missing = [prefix for prefix in REQUIRED if not any(j.name.startswith(prefix) for j in jars)]
    if missing:
        raise MissingJarsError(
            f"{folder}: no {', '.join(p.rstrip('_-') for p in missing)} jar; delta-spark jobs "
            f"load their JVM jars from there: run `{MAKE_TARGET}` (or set {JARS_DIR_ENV})"
        )
    spark = spark_minor()
    delta = next(j for j in jars if j.name.startswith("delta-spark_"))
    built_for = re.match(r"delta-spark_(\d+\.\d+)_", delta.name)
    if spark and built_for and built_for.group(1) != spark:
        raise MissingJarsError(
            f"{delta}: built for Spark {built_for.group(1)}, but PySpark {spark} is installed; "
            f"run `{MAKE_TARGET}` after `make venv` so both match"
        )
    return jars


def spark_minor() -> str:
    """The ``major.minor`` of the PySpark this process would import, read from its
    ``version.py`` (located, not imported: the orchestrator never imports PySpark)."""
    import importlib.util

    found = importlib.util.find_spec("pyspark")
    if found is None or not found.submodule_search_locations:
        return ""
    version_file = Path(next(iter(found.submodule_search_locations))) / "version.py"
    match = re.search(r"__version__[^=]*=\s*[\"']([\d.]+)", version_file.read_text())
    return ".".join(match.group(1).split(".")[:2]) if match else ""


def spark_conf(folder: Path | None = None) -> dict[str, str]:
    """The jars on the driver's and the executors' class path, and Delta's extension.

    Class path, not ``spark.jars``: Spark copies every ``spark.jars`` entry (``local:`` ones
    too) into each executor's work folder, and the AWS SDK bundle alone is ~690 MB (measured:
    21 s per executor start on the rehearsal cluster). The folder must be at the same path on
    every node: this machine's cache locally, a shared folder on a cluster."""
    path = ":".join(str(jar) for jar in jar_paths(folder))
    return {
        "spark.driver.extraClassPath": path,
        "spark.executor.extraClassPath": path,
        **DELTA_CONF,
    }


def python_path(folder: Path | None = None) -> str:
    """The delta-spark jar, which carries Delta's Python API (``delta.tables``): put on
    ``sys.path`` so the Python side always matches the JVM side's version."""
    return str(next(j for j in jar_paths(folder) if j.name.startswith("delta-spark_")))


def wanted() -> bool:
    return os.environ.get(DELTA_SPARK_ENV) == "1"
