"""Benchmarks behind ``supplylinks bench``; see ``pipelines.commands.bench``."""
