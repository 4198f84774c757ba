"""The Dagster code location, link-graph queries and the ``supplylinks`` CLI.

Never imports ``pyspark``: it launches Spark, it does not run it.
"""
