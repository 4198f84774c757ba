"""The crawl asset checks find what they claim to find on hand-made Delta tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pytest
from deltalake import CommitProperties, DeltaTable, write_deltalake

from pipelines.crawl.checks import (
    duplicate_key_problems,
    non_seed_source_problems,
    row_count_problems,
    zorder_problems,
)
from spark_jobs.delta import zorder_commit_info
from spark_jobs.tables import COMPANY_LINKS, HYPERLINKS, LINK_GRAPH, PAGES, TableSpec

NOW = datetime(2024, 5, 20, tzinfo=UTC)


def rows(spec: TableSpec, *items: dict) -> pa.Table:
    """Rows of a table with every unnamed column null (or a plain default)."""
    defaults = {"crawl": "CC-MAIN-2024-22", "segment": "00", "fetch_time": NOW}
    full = []
    for item in items:
        row = {name: None for name in spec.columns}
        row.update({k: v for k, v in defaults.items() if k in row})
        row.update(item)
        full.append(row)
    return pa.Table.from_pylist(full, schema=spec.schema)


def write(warehouse, spec: TableSpec, table: pa.Table) -> None:
    write_deltalake(
        spec.path(str(warehouse)), table, partition_by=list(spec.partition_by), mode="append"
    )


def link(position: int, src: str = "https://a.de/p", dst: str = "https://b.de/", **extra) -> dict:
    return {
        "position": position,
        "src_url": src,
        "dst_url": dst,
        "src_domain": "a.de",
        "dst_domain": "b.de",
        "internal": False,
        **extra,
    }


@pytest.fixture
def seeds(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text("company_id,name,domains,country\nc1,A GmbH,a.de;a.com,DE\nc2,B AG,b.de,DE\n")
    return str(path)


def test_duplicate_keys_found_and_clean_table_passes(tmp_path):
    write(tmp_path, HYPERLINKS, rows(HYPERLINKS, link(1), link(2), link(1, src="https://a.de/q")))
    assert duplicate_key_problems(str(tmp_path), HYPERLINKS) == []
    write(tmp_path, HYPERLINKS, rows(HYPERLINKS, link(1)))
    problems = duplicate_key_problems(str(tmp_path), HYPERLINKS)
    assert [(p["src_url"], p["position"], p["copies"]) for p in problems] == [
        ("https://a.de/p", 1, 2)
    ]
    write(tmp_path, COMPANY_LINKS, rows(COMPANY_LINKS, *(company_link("x1", "a.de", "c1"),) * 2))
    assert [p["link_id"] for p in duplicate_key_problems(str(tmp_path), COMPANY_LINKS)] == ["x1"]


def test_missing_table_has_no_problems(tmp_path):
    assert duplicate_key_problems(str(tmp_path), PAGES) == []
    assert zorder_problems(str(tmp_path), PAGES) == []


def company_link(link_id: str, src_domain: str, company: str) -> dict:
    return {
        "link_id": link_id,
        "src_url": f"https://{src_domain}/",
        "src_domain": src_domain,
        "src_company_id": company,
        "dst_url": "https://z.de/",
        "dst_domain": "z.de",
        "relation": "partner",
        "model_version": "rules-1",
    }


def test_non_seed_sources_found(tmp_path, seeds):
    write(tmp_path, COMPANY_LINKS, rows(COMPANY_LINKS, company_link("1", "a.com", "c1")))
    assert non_seed_source_problems(str(tmp_path), seeds) == []
    write(
        tmp_path,
        COMPANY_LINKS,
        rows(COMPANY_LINKS, company_link("2", "x.de", "c9"), company_link("3", "b.de", "c1")),
    )
    found = {
        (p["src_domain"], p["src_company_id"])
        for p in non_seed_source_problems(str(tmp_path), seeds)
    }
    assert found == {("x.de", "c9"), ("b.de", "c1")}


def test_row_counts_catch_links_without_pages_and_excess_company_links(tmp_path):
    warehouse = str(tmp_path)
    write(tmp_path, PAGES, rows(PAGES, {"url": "https://a.de/p"}))
    write(tmp_path, HYPERLINKS, rows(HYPERLINKS, link(1), link(2, internal=True)))
    write(tmp_path, COMPANY_LINKS, rows(COMPANY_LINKS, company_link("1", "a.de", "c1")))
    assert row_count_problems(warehouse) == []
    write(tmp_path, HYPERLINKS, rows(HYPERLINKS, link(3, src="https://a.de/gone")))
    write(
        tmp_path,
        COMPANY_LINKS,
        rows(COMPANY_LINKS, *(company_link(str(i), "a.de", "c1") for i in range(5))),
    )
    problems = {p["problem"] for p in row_count_problems(warehouse)}
    assert problems == {"hyperlink without page", "more company_links than external hyperlinks"}


def test_graph_evidence_cannot_exceed_company_links(tmp_path):
    write(tmp_path, COMPANY_LINKS, rows(COMPANY_LINKS, company_link("1", "a.de", "c1")))
    edge = {
        "src_company_id": "c1",
        "src_domain": "a.de",
        "dst_domain": "z.de",
        "relation": "partner",
        "links": 3,
        "pages": 1,
        "crawls": 1,
    }
    write(tmp_path, LINK_GRAPH, rows(LINK_GRAPH, edge))
    assert [p["problem"] for p in row_count_problems(str(tmp_path))] == [
        "more graph evidence than company_links"
    ]


def test_zorder_check_needs_an_optimize_after_the_newest_write(tmp_path):
    path = PAGES.path(str(tmp_path))
    write(tmp_path, PAGES, rows(PAGES, {"url": "https://a.de/"}))
    assert zorder_problems(str(tmp_path), PAGES)  # written, never Z-ordered
    DeltaTable(path).optimize.z_order(
        list(PAGES.zorder_by),
        commit_properties=CommitProperties(custom_metadata=zorder_commit_info(PAGES)),
    )
    assert zorder_problems(str(tmp_path), PAGES) == []
    write(tmp_path, PAGES, rows(PAGES, {"url": "https://a.de/b"}))
    assert zorder_problems(str(tmp_path), PAGES)  # a newer write is not Z-ordered yet
    DeltaTable(path).optimize.z_order(
        ["url"],
        commit_properties=CommitProperties(custom_metadata={"supplylinks.zorder_by": "url"}),
    )
    assert zorder_problems(str(tmp_path), PAGES)  # Z-ordered, but on the wrong columns
