"""``CrawlConfig``: where a run reads Common Crawl and seeds and writes its tables."""

from __future__ import annotations

from typing import Any, Literal

from dagster import ConfigurableResource

from pipelines.config import Settings
from spark_jobs.targeted import LOCAL_MAX_RECORDS


class CrawlConfig(ConfigurableResource):
    """Inputs and outputs of the crawl assets: defaults come from the deployment's
    SUPPLYLINKS_* settings and each field can be overridden per run in the launchpad."""

    warehouse: str
    cc_root: str
    seeds: str
    model: str = "default"
    max_files_per_segment: int | None = None
    #: ``full``: every WARC file of the slices; ``targeted``: only the seed companies' records,
    #: found in the crawl's columnar index and fetched by byte range (one lookup per crawl).
    mode: Literal["full", "targeted"] = "full"
    max_pages_per_domain: int | None = None  # targeted mode: cap per seed domain
    #: Targeted crawl runs (``targeted_crawl``) of up to this many records run in the job's
    #: own process without Spark; more records run as Spark tasks.
    targeted_local_max_records: int = LOCAL_MAX_RECORDS

    #: Write a slice some of whose WARC files failed (default: fail the partition and keep
    #: the previous version). Per run; recorded in metadata and a WARN asset check.
    allow_partial: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> CrawlConfig:
        return cls(
            warehouse=settings.warehouse,
            cc_root=settings.cc_root,
            seeds=settings.seeds,
            model=settings.model,
        )

    def extras(self, **job_specific: Any) -> dict[str, Any]:
        """Pipes extras for a job: plain JSON, never a secret."""
        extras: dict[str, Any] = {
            "warehouse": self.warehouse,
            "cc_root": self.cc_root,
            "seeds": self.seeds,
            "model": self.model,
        }
        if self.max_files_per_segment:
            extras["max_files"] = self.max_files_per_segment
        if self.mode == "targeted":
            extras["mode"] = "targeted"
            if self.max_pages_per_domain:
                extras["max_pages_per_domain"] = self.max_pages_per_domain
        if self.allow_partial:
            extras["allow_partial"] = True
        extras.update(job_specific)
        return extras
