"""What every job does around its real work: Spark session, logging, timing, metadata."""

from __future__ import annotations

import time
from functools import cached_property
from typing import Any

from dagster_pipes import PipesContext

from spark_jobs import storage
from spark_jobs.delta import WriteReport
from spark_jobs.params import JobParams


class JobRun:
    """One job execution: owns the Spark session and reports materializations over Pipes."""

    def __init__(self, pipes: PipesContext, name: str, params: JobParams) -> None:
        self.pipes, self.name, self.params = pipes, name, params
        self.started = time.monotonic()

    @cached_property
    def context(self):
        """The Spark context: enough for jobs of Python tasks (no SQL session start-up)."""
        from spark_jobs.session import spark_context

        return spark_context(f"supplylinks-{self.name}")

    @cached_property
    def spark(self):
        """The SQL session, started on first use."""
        from spark_jobs.session import spark_session

        return spark_session(f"supplylinks-{self.name}")

    def spark_version(self) -> str:
        """The version of the Spark this job started; ``none`` when it ran without Spark
        (a small targeted read): asking must not start a JVM."""
        for started in ("context", "spark"):
            if started in self.__dict__:
                return self.__dict__[started].version
        return "none"

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def log(self, message: str, level: str = "info") -> None:
        getattr(self.pipes.log, level)(f"[{self.name}] {message}")

    def report(self, asset_key: str, write: WriteReport, extra: dict[str, Any] | None = None):
        """Report the materialization of ``asset_key`` with the figures users look for."""
        metadata: dict[str, Any] = {
            "rows_written": write.rows,
            "delta_version": write.version,
            "delta_predicate": write.predicate,
            "delta_files_added": write.files_added,
            "zorder": write.zorder,
            "zorder_columns": ", ".join(write.zorder.get("columns", [])),
            "engine": write.writer,
            "spark_version": self.spark_version(),
            "write_seconds": write.seconds,
            "duration_seconds": round(time.monotonic() - self.started, 3),
            "slices": [f"{c}/{s}" for c, s in self.params.slices] or list(self.params.crawls),
        }
        for key, value in (extra or {}).items():
            metadata.setdefault(key, value)
        self.pipes.report_asset_materialization(
            asset_key=asset_key, metadata={k: pipes_value(v) for k, v in metadata.items()}
        )
        self.log(f"{asset_key}: {write.rows} rows, Delta version {write.version}")
        return metadata

    def check(
        self, asset_key: str, name: str, passed: bool, metadata: dict, severity: str = "ERROR"
    ) -> None:
        """Report an asset check the orchestrator declared for ``asset_key``."""
        self.pipes.report_asset_check(
            check_name=name,
            passed=passed,
            severity=severity,
            asset_key=asset_key,
            metadata={k: pipes_value(v) for k, v in metadata.items()},
        )
        if not passed:
            self.log(f"{asset_key}: check {name} did not pass: {metadata}", level="warning")


def pipes_value(value: Any) -> Any:
    """Pipes takes scalars as they are; lists and dicts must be declared JSON."""
    if isinstance(value, dict | list | tuple):
        return {"raw_value": value, "type": "json"}
    return value


def load_seed_rows(uri: str) -> list[dict[str, str]]:
    """The seed-company CSV as plain rows, small enough to ship to every executor."""
    if not uri:
        return []
    from extraction.companies import SeedCompanies

    # validated as the seed_companies asset validates it: a bad list fails in one sentence
    return SeedCompanies.from_bytes(storage.read_bytes(uri), uri).to_rows()


def seed_domains_frame(spark, seed_rows: list[dict[str, str]]):
    """Seed companies as a small (domain, company_id, primary_domain, name) DataFrame."""
    from pyspark.sql.types import StringType, StructField, StructType

    from extraction.companies import SeedCompanies

    schema = StructType(
        [StructField(n, StringType()) for n in ("domain", "company_id", "primary_domain", "name")]
    )
    rows = [
        (domain, company.company_id, company.primary_domain, company.name)
        for company in SeedCompanies.from_rows(seed_rows)
        for domain in company.domains
    ]
    return spark.createDataFrame(rows, schema)
