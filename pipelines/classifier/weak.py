"""Unlabelled link contexts for weak labels: the latest crawl of ``company_links``."""

from __future__ import annotations

from typing import Any

from pipelines.warehouse import open_table
from spark_jobs.tables import COMPANY_LINKS

CONTEXT_COLUMNS = [
    "link_id",
    "src_url",
    "dst_url",
    "anchor_text",
    "section_heading",
    "context",
    "region",
    "page_path",
]


def latest_link_contexts(warehouse: str, limit: int = 20_000) -> tuple[str | None, list[dict]]:
    """(crawl, rows) of the newest crawl in ``company_links`` (at most 5 x limit rows)."""
    if not warehouse:
        return None, []
    table = open_table(warehouse, COMPANY_LINKS)
    if table is None:
        return None, []
    import pyarrow.compute as pc

    dataset = table.to_pyarrow_dataset()
    crawls = dataset.to_table(columns=["crawl"])["crawl"]
    if len(crawls) == 0:
        return None, []
    latest = pc.max(crawls).as_py()
    rows: list[dict[str, Any]] = (
        dataset.to_table(columns=CONTEXT_COLUMNS, filter=pc.field("crawl") == latest)
        .slice(0, limit * 5)  # most rows carry no confident rule
        .to_pylist()
    )
    for row in rows:
        row["id"] = row.pop("link_id")
    return latest, rows
