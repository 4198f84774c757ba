"""``CrawlConfig``: where a run reads Common Crawl and seeds and writes its tables."""

from __future__ import annotations

from typing import Any

from dagster import ConfigurableResource

from pipelines.config import Settings


class CrawlConfig(ConfigurableResource):
    """Inputs and outputs of the crawl assets: defaults come from the deployment's
    SUPPLYLINKS_* settings and each field can be overridden per run in the launchpad."""

    warehouse: str
    cc_root: str
    seeds: str
    model: str = "default"
    max_files_per_segment: int | None = None

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
        extras.update(job_specific)
        return extras
