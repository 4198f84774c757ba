"""Extraction: WARC records, HTML, URLs/domains, companies, link contexts, weak labels.

The per-page DOM walk is one small C module (``extraction._pagewalk``, over the Lexbor
engine selectolax ships); everything else is Python.

Knows nothing of Spark, Dagster or storage, so every rule is unit-testable in milliseconds.
"""
