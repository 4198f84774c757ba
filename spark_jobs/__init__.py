"""Pipes entrypoints that run inside Spark, plus Spark/Delta helpers.

Never imports ``pipelines``: the external process stays light (``dagster-pipes`` only).
"""
