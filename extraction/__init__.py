"""Pure-Python extraction: WARC records, HTML, URLs/domains, companies, link contexts, weak labels.

Knows nothing of Spark, Dagster or storage, so every rule is unit-testable in milliseconds.
"""
