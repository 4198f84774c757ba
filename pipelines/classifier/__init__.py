"""Retraining the link classifier as a Dagster asset, with quality checks (see ``assets``)."""
