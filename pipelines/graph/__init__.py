"""Link-graph queries (``queries``), pictures (``render``) and their Dagster asset (``assets``).

``pipelines.graph.queries`` imports neither Dagster nor matplotlib, so notebooks and the CLI
start fast.
"""
