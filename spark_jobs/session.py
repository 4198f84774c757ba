"""One way to get a Spark context or session, tuned for the local runtime and neutral on
clusters."""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import Future

from pyspark import SparkConf, SparkContext
from pyspark.sql import SparkSession

from spark_jobs import jars, jvm_archive

# Settings every runtime needs: Arrow transfer, partition values kept as strings ("00" stays
# "00"), microsecond timestamps in Parquet so Arrow and Delta read them back unchanged.
COMMON_CONF = {
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.session.timeZone": "UTC",
}

# Local mode only: a laptop or CI box, where the UI port and 200 shuffle partitions only cost time.
# The local driver JVM only schedules Python tasks and plans small queries: the quick-start
# JIT (C1 only) and the serial GC halve its start-up on a busy 2-core box.
LOCAL_CONF = {
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.memory": os.environ.get("SUPPLYLINKS_SPARK_DRIVER_MEMORY", "2g"),
    "spark.python.worker.reuse": "true",
    # PySpark imported from the installed package, not recompiled from pyspark.zip per job.
    "spark.python.daemon.module": "spark_jobs.pyspark_daemon",
    "spark.sql.adaptive.enabled": "true",
}

# Local mode with delta-spark: the Delta log's state is small here, and its 50 default
# partitions cost seconds of tiny tasks per commit on 2 cores.
LOCAL_DELTA_CONF = {"spark.databricks.delta.snapshotPartitions": "2"}


#: The context :func:`start_context` is creating in the background, if any.
_starting: Future | None = None


def start_context(app_name: str) -> None:
    """Start creating the default context in a background thread; :func:`spark_context`
    returns it. The caller goes on importing and planning while the JVM boots
    (:mod:`spark_jobs.launch`). A daemon thread: a job that fails before it needs Spark does
    not wait for the JVM (which exits with its parent, as PySpark's gateway does)."""
    global _starting
    if _starting is not None:
        return
    starting: Future = Future()

    def create() -> None:
        try:
            starting.set_result(_create_context(app_name))
        except BaseException as exc:  # re-raised where the context is asked for
            starting.set_exception(exc)

    _starting = starting
    threading.Thread(target=create, name="spark-context-start", daemon=True).start()


def spark_context(
    app_name: str, master: str | None = None, java_options: str | None = None
) -> SparkContext:
    """The job's Spark context: ``local[*]`` unless a cluster (spark-submit) already set the
    master. Jobs that only run Python tasks need nothing more; SQL work takes
    :func:`spark_session`, whose start-up (the JVM's session state: ~0.5-0.9 s) is then
    paid only when a job needs it.

    ``SUPPLYLINKS_SPARK_MASTER`` overrides the local default (e.g. ``local[1]`` in benchmarks).
    A local driver JVM maps its classes from the class-data-sharing archive of
    :mod:`spark_jobs.jvm_archive` when one was built; ``java_options`` replaces that choice.
    A context :func:`start_context` began is returned once it is up.
    """
    if _starting is not None and master is None and java_options is None:
        return _starting.result()
    return _create_context(app_name, master, java_options)


def _create_context(
    app_name: str, master: str | None = None, java_options: str | None = None
) -> SparkContext:
    conf = SparkConf().setAppName(app_name)
    master = master or os.environ.get("SUPPLYLINKS_SPARK_MASTER")
    on_cluster = "SPARK_ENV_LOADED" in os.environ or "DATABRICKS_RUNTIME_VERSION" in os.environ
    if master or not on_cluster:
        # Python workers must run the driver's interpreter (the venv), not `python3` on PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        conf.setMaster(master or "local[*]")
        local = dict(LOCAL_CONF)
        extra = jvm_archive.java_options() if java_options is None else java_options
        if extra:
            local["spark.driver.extraJavaOptions"] += f" {extra}"
        if jars.wanted():  # delta-spark outside a cluster that ships Delta: our jar cache
            local.update(jars.spark_conf())
            local.update(LOCAL_DELTA_CONF)
        conf.setAll(local.items())
    conf.setAll(COMMON_CONF.items())
    context = SparkContext.getOrCreate(conf)
    context.setLogLevel("WARN")
    return context


def spark_session(
    app_name: str, master: str | None = None, java_options: str | None = None
) -> SparkSession:
    """The job's session over :func:`spark_context`; the common settings are applied to the
    session too, since a cluster's context may predate this job (Databricks)."""
    spark_context(app_name, master, java_options)
    builder = SparkSession.builder
    for key, value in COMMON_CONF.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
