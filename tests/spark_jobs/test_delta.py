"""The Delta slice writer: replace-where semantics, Z-order, reads with partition pruning."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from deltalake import DeltaTable

from spark_jobs.delta import read_slices, table_crawls, write_slices
from spark_jobs.tables import PAGES

pytestmark = pytest.mark.spark
NOW = datetime(2024, 5, 20, tzinfo=UTC)


def pages_frame(spark, crawl: str, segment: str, n: int, prefix: str = "p"):
    from pyspark.sql.pandas.types import from_arrow_schema

    rows = [
        {name: None for name in PAGES.columns}
        | {
            "url": f"https://{prefix}{i}.example.de/",
            "registered_domain": f"{prefix}{i}.example.de",
            "fetch_time": NOW,
            "status": 200,
            "crawl": crawl,
            "segment": segment,
        }
        for i in range(n)
    ]
    return spark.createDataFrame(rows, from_arrow_schema(PAGES.schema))


def test_slice_writes_replace_only_their_slice_and_zorder(spark, tmp_path):
    warehouse, staging = str(tmp_path / "wh"), str(tmp_path / "staging")
    write = lambda frame, crawl, segs: write_slices(  # noqa: E731
        spark, PAGES, warehouse, {crawl: segs}, frame, writer="delta-rs", staging_root=staging
    )
    write(pages_frame(spark, "CC-A", "00", 5), "CC-A", ["00"])
    write(pages_frame(spark, "CC-A", "01", 3), "CC-A", ["01"])
    for _ in range(2):  # re-runs of one slice never duplicate rows
        report = write(pages_frame(spark, "CC-A", "00", 4, prefix="q"), "CC-A", ["00"])
    table = DeltaTable(PAGES.path(warehouse))
    counts = {}
    for row in table.to_pyarrow_table(columns=["segment", "url"]).to_pylist():
        counts[row["segment"]] = counts.get(row["segment"], 0) + 1
    assert counts == {"00": 4, "01": 3}
    assert report.rows == 4 and report.writer == "delta-rs"
    assert report.zorder["partitions_optimized"] == 1
    assert report.zorder["columns"] == ["registered_domain"]
    assert table.history(1)[0]["operation"] == "OPTIMIZE"
    assert not list((tmp_path / "staging").glob("*")), "staging files are cleaned up"

    got = read_slices(spark, PAGES, warehouse, {"CC-A": ["01"]}, reader="delta-rs")
    assert sorted(r["url"] for r in got.collect()) == [
        f"https://p{i}.example.de/" for i in range(3)
    ]
    assert {r["segment"] for r in got.collect()} == {"01"}
    assert table_crawls(spark, PAGES, warehouse, reader="delta-rs") == ["CC-A"]


def test_rows_outside_the_slice_are_refused(spark, tmp_path):
    warehouse = str(tmp_path / "wh")
    with pytest.raises(Exception, match="validation|Invalid data"):
        write_slices(
            spark,
            PAGES,
            warehouse,
            {"CC-A": ["00"]},
            pages_frame(spark, "CC-A", "07", 2),
            writer="delta-rs",
            staging_root=str(tmp_path / "staging"),
        )
    assert DeltaTable(PAGES.path(warehouse)).count() == 0  # created empty, nothing written


def test_reading_a_missing_table_gives_an_empty_frame(spark, tmp_path):
    frame = read_slices(spark, PAGES, str(tmp_path), {"CC-A": None}, reader="delta-rs")
    assert frame.count() == 0 and frame.columns == PAGES.columns
