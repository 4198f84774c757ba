"""Asset checks on the crawl tables, read straight from Delta (delta-rs + DuckDB).

Each check is a plain function over a warehouse root (``*_problems``) returning what is
wrong, so it is testable on hand-made bad tables; the ``@asset_check`` wrappers turn the
answer into an ``AssetCheckResult``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from dagster import AssetCheckResult, asset_check

from pipelines.crawl.resources import CrawlConfig
from pipelines.metadata import check_metadata
from pipelines.warehouse import dataset, open_table, query
from spark_jobs.delta import FILES_ADDED_COMMIT_KEY, ZORDER_COMMIT_KEY
from spark_jobs.tables import COMPANY_LINKS, HYPERLINKS, LINK_GRAPH, PAGES, TableSpec

Problems = list[dict[str, Any]]


def duplicate_key_problems(warehouse: str, spec: TableSpec, limit: int = 20) -> Problems:
    """Keys that occur more than once (a re-run or retry must never duplicate rows)."""
    table = open_table(warehouse, spec)
    if table is None:
        return []
    keys = ", ".join(spec.key)
    return query(
        f"SELECT {keys}, count(*) AS copies FROM t GROUP BY {keys} HAVING count(*) > 1 "
        f"ORDER BY copies DESC LIMIT {int(limit)}",
        t=_scan(table, list(spec.key)),
    )


def non_seed_source_problems(warehouse: str, seeds: str, limit: int = 20) -> Problems:
    """company_links rows whose source is not the seed company owning its domain."""
    table = open_table(warehouse, COMPANY_LINKS)
    if table is None:
        return []
    import pyarrow as pa

    from extraction.companies import SeedCompanies

    # The same seed parsing the classify job used to pick sources.
    owners = [(d, c.company_id) for c in SeedCompanies.from_csv(seeds) for d in c.domains]
    seeds_table = pa.table({"domain": [d for d, _ in owners], "company_id": [c for _, c in owners]})
    return query(
        "SELECT l.src_domain, l.src_company_id, count(*) AS rows FROM l "
        "LEFT JOIN s ON l.src_domain = s.domain AND l.src_company_id = s.company_id "
        f"WHERE s.domain IS NULL GROUP BY 1, 2 ORDER BY rows DESC LIMIT {int(limit)}",
        l=_scan(table, ["src_domain", "src_company_id"]),
        s=seeds_table,
    )


def row_count_problems(warehouse: str) -> Problems:
    """Counts that must agree between tables, per slice.

    Every hyperlink's page is in ``pages``; ``company_links`` of a slice never outnumber the
    slice's external hyperlinks; a ``link_graph`` slice never claims more link evidence
    than ``company_links`` holds up to its crawl.
    """
    tables = {spec.name: open_table(warehouse, spec) for spec in (PAGES, HYPERLINKS, COMPANY_LINKS)}
    problems: Problems = []
    if tables["pages"] is not None and tables["hyperlinks"] is not None:
        problems += query(
            "SELECT 'hyperlink without page' AS problem, h.crawl, h.segment, "
            "count(DISTINCT h.src_url) AS count FROM h LEFT JOIN p "
            "ON h.crawl = p.crawl AND h.segment = p.segment AND h.src_url = p.url "
            "WHERE p.url IS NULL GROUP BY 2, 3",
            h=_scan(tables["hyperlinks"], ["crawl", "segment", "src_url"]),
            p=_scan(tables["pages"], ["crawl", "segment", "url"]),
        )
    if tables["hyperlinks"] is not None and tables["company_links"] is not None:
        problems += query(
            "WITH e AS (SELECT crawl, segment, count(*) AS n FROM h GROUP BY 1, 2)"
            " , c AS (SELECT crawl, segment, count(*) AS n FROM cl GROUP BY 1, 2) "
            "SELECT 'more company_links than external hyperlinks' AS problem, c.crawl, "
            "c.segment, c.n AS count FROM c LEFT JOIN e USING (crawl, segment) "
            "WHERE c.n > coalesce(e.n, 0)",
            h=_scan(tables["hyperlinks"], ["crawl", "segment"]),
            cl=_scan(tables["company_links"], ["crawl", "segment"]),
        )
    graph = open_table(warehouse, LINK_GRAPH)
    if graph is not None and tables["company_links"] is not None:
        problems += query(
            "WITH g AS (SELECT crawl, sum(links) AS n FROM lg GROUP BY 1) "
            "SELECT 'more graph evidence than company_links' AS problem, g.crawl, "
            "NULL AS segment, g.n AS count FROM g "
            "WHERE g.n > (SELECT count(*) FROM cl WHERE cl.crawl <= g.crawl)",
            lg=_scan(graph, ["crawl", "links"]),
            cl=_scan(tables["company_links"], ["crawl"]),
        )
    return problems


def zorder_problems(warehouse: str, spec: TableSpec) -> Problems:
    """The newest write of the table must be Z-ordered on its Z-order columns: by a later
    OPTIMIZE, or by the write itself (the delta-rs writer sorts while writing)."""
    table = open_table(warehouse, spec)
    if table is None:
        return []
    history = sorted(table.history(), key=lambda commit: commit["version"])
    last_write = max(
        (c["version"] for c in history if c["operation"] == "WRITE" and _added_files(c)),
        default=None,
    )
    if last_write is None:
        return []
    wanted = ",".join(spec.zorder_by)
    if any(
        (c["version"] == last_write or c["version"] > last_write and c["operation"] == "OPTIMIZE")
        and _zorder_columns(c) == wanted
        for c in history
    ):
        return []
    return [{"problem": f"write v{last_write} not Z-ordered by {wanted}", "table": spec.name}]


def _added_files(commit: dict[str, Any]) -> int:
    metrics = commit.get("operationMetrics", {})
    added = metrics.get("num_added_files", metrics.get("numFiles"))
    return int(added if added is not None else commit.get(FILES_ADDED_COMMIT_KEY, 0) or 0)


def _zorder_columns(commit: dict[str, Any]) -> str | None:
    if ZORDER_COMMIT_KEY in commit:  # delta-rs writer
        return commit[ZORDER_COMMIT_KEY]
    zorder_by = commit.get("operationParameters", {}).get("zOrderBy")  # delta-spark
    return ",".join(json.loads(zorder_by)) if zorder_by else None


def _scan(table, columns: list[str]):
    return dataset(table).scanner(columns=columns).to_reader()


def _result(problems: Problems, what: str) -> AssetCheckResult:
    return AssetCheckResult(
        passed=not problems,
        description=f"{len(problems)} {what}" if problems else f"no {what}",
        metadata=check_metadata(problems),  # a count that plots, a table of the first 20
    )


def _check(asset: str, name: str, what: str, find: Callable[[CrawlConfig], Problems], doc: str):
    @asset_check(asset=asset, name=name, description=doc, blocking=False)
    def check(context, crawl_config: CrawlConfig) -> AssetCheckResult:
        return _result(find(crawl_config), what)

    return check


crawl_checks = [
    *[
        _check(
            spec.name,
            "no_duplicate_keys",
            "duplicate keys",
            lambda cfg, spec=spec: duplicate_key_problems(cfg.warehouse, spec),
            f"No two rows of {spec.name} share the key ({', '.join(spec.key)}).",
        )
        for spec in (PAGES, HYPERLINKS, COMPANY_LINKS, LINK_GRAPH)
    ],
    _check(
        COMPANY_LINKS.name,
        "sources_are_seed_companies",
        "links from non-seed sources",
        lambda cfg: non_seed_source_problems(cfg.warehouse, cfg.seeds),
        "Every company link starts on a domain of the seed company it names.",
    ),
    _check(
        LINK_GRAPH.name,
        "row_counts_consistent",
        "count mismatches",
        lambda cfg: row_count_problems(cfg.warehouse),
        "Pages, hyperlinks, company links and graph evidence agree per slice.",
    ),
    *[
        _check(
            spec.name,
            "zorder_ran",
            "unoptimized writes",
            lambda cfg, spec=spec: zorder_problems(cfg.warehouse, spec),
            f"The newest write of {spec.name} was Z-ordered by {', '.join(spec.zorder_by)}.",
        )
        for spec in (PAGES, HYPERLINKS, COMPANY_LINKS, LINK_GRAPH)
    ],
]
