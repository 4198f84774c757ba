"""A class-data-sharing (AppCDS) archive of the local Spark driver JVM.

Starting the local SparkSession loads and verifies ~10,000 Spark, Scala and Hadoop classes
from jars; that is most of its 4-6 s start on a 2-core box, and every Pipes job pays it.
The JVM can instead map the classes from an archive written by an earlier run
(``-XX:ArchiveClassesAtExit``, JDK 13+): measured here, session start 5.3-6.9 s -> 3.3-4.1 s.

``python -m spark_jobs.jvm_archive`` writes the archive once (``make test``/``make sample``
run it; it starts a local session, runs a small RDD, SQL and ``mapInArrow`` job so their
classes are in it, and exits). :func:`java_options` adds ``-XX:SharedArchiveFile`` to the
local driver only when the archive exists. It is a cache, never required: a JVM that does
not match the archive (another JDK, other jars) ignores it and loads classes from the jars
as before. The archive is named by PySpark version, the ``java`` binary and the PySpark
install (whose jars are the JVM's class path), so upgrading either, or another clone with its
own venv, builds a new one. Clusters never use it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ARCHIVE_ENV = "SUPPLYLINKS_JVM_ARCHIVE"
#: CDS logs only errors: a JVM skipping or rejecting an archive is not worth a warning line
_CDS_LOG = "-Xlog:cds=error"


def java_binary() -> str | None:
    """The ``java`` PySpark's launcher runs (``bin/spark-class``): ``$JAVA_HOME/bin/java`` when
    JAVA_HOME is set, else the one on PATH; None when that one does not exist."""
    home = os.environ.get("JAVA_HOME")
    if home:
        java = Path(home) / "bin" / "java"
        return str(java) if os.access(java, os.X_OK) else None
    return shutil.which("java")


def archive_path() -> Path | None:
    """Where this PySpark install + JVM pair's archive lives (``$SUPPLYLINKS_JVM_ARCHIVE``
    overrides)."""
    if os.environ.get(ARCHIVE_ENV):
        return Path(os.environ[ARCHIVE_ENV])
    java = java_binary()
    if java is None:
        return None
    import pyspark

    # The archive holds the JVM's class path, i.e. this PySpark's jars folder: a JVM of another
    # install (a second clone's venv) rejects it, so each install gets its own archive (one
    # clone's `make test` silently undid another's: session start +1.3 s on every local job).
    installed = os.path.realpath(os.path.dirname(pyspark.__file__))
    key = f"{os.path.realpath(java)}\0{installed}"
    jvm = hashlib.sha256(key.encode()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "supplylinks"
    return cache / f"spark-{pyspark.__version__}-jvm-{jvm}.jsa"


def java_options() -> str:
    """Driver JVM options that use the archive, or "" when there is none."""
    path = archive_path()
    if path is None or not path.is_file():
        return ""
    return f"-XX:SharedArchiveFile={path} -Xshare:auto {_CDS_LOG}"


def build(path: Path | None = None) -> Path:
    """Write the archive: a child process runs a small local job with
    ``-XX:ArchiveClassesAtExit``; the file appears (atomically) once its JVM has exited."""
    path = path or archive_path()
    if path is None:
        raise RuntimeError("no java found: install Java 17 or 21 (or set JAVA_HOME)")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    subprocess.run(
        [sys.executable, "-m", "spark_jobs.jvm_archive", "--record", str(partial)], check=True
    )
    if not partial.is_file():
        raise RuntimeError(f"the JVM wrote no archive at {partial}")
    os.replace(partial, path)
    return path


def _record(partial: str) -> None:
    """Child side of :func:`build`: the classes a job loads, recorded at JVM exit."""
    from pyspark.sql import functions as F

    from spark_jobs.session import spark_session

    spark = spark_session(
        "supplylinks-jvm-archive",
        java_options=f"-XX:ArchiveClassesAtExit={partial} {_CDS_LOG}",
    )
    spark.sparkContext.parallelize(range(4), 2).mapPartitions(lambda rows: [sum(rows)]).collect()
    numbers = spark.range(1000)
    numbers.groupBy((F.col("id") % 3).alias("k")).count().collect()
    numbers.mapInArrow(lambda batches: batches, numbers.schema).count()
    jvm = spark.sparkContext._gateway.proc  # the driver JVM: it writes the archive as it exits
    spark.stop()
    jvm.stdin.close()  # PySpark's gateway server exits when its stdin closes
    jvm.wait(timeout=600)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--record"]:
        _record(args[1])
        return 0
    if java_binary() is None:
        print("no java: skipping the Spark JVM class archive (Spark jobs need Java 17 or 21)")
        return 0
    path = archive_path()
    if path is not None and path.is_file() and "--force" not in args:
        print(f"Spark JVM class archive: {path} (exists)")
        return 0
    print(f"Spark JVM class archive: {build(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
