"""Where Spark jobs run: local PySpark, EMR, EMR Serverless or Databricks, by configuration.

Assets call ``SparkRuntime.launch(context, job, extras)`` and never know which runtime
they are on; the runtime turns that into a Pipes session with its own client.
"""

from pipelines.runtimes.resource import SparkRuntime, expected_materializations

__all__ = ["SparkRuntime", "expected_materializations"]
