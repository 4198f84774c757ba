"""Both Delta writers on the same fixtures: same slices, same rows, and each one's tables
read and re-written by the other (delta-rs <-> delta-spark interoperability)."""

from __future__ import annotations

import pyarrow as pa
import pytest
from deltalake import DeltaTable

from spark_jobs.delta import commit_files, read_slices, write_slices
from spark_jobs.files import write_sorted_files
from spark_jobs.tables import HYPERLINKS, PAGES
from tests.spark_jobs.test_delta import links_table, pages_frame

pytestmark = pytest.mark.spark
WRITERS = ("delta-rs", "delta-spark")


def rows_of(path: str) -> list[str]:
    """A table's rows as delta-rs reads them, order-independent."""
    table = DeltaTable(path).to_pyarrow_table()
    return sorted(repr(sorted(row.items())) for row in table.to_pylist())


def links_frame(spark, rows: pa.Table):
    from pyspark.sql.pandas.types import from_arrow_schema

    return spark.createDataFrame(rows.to_pandas(), from_arrow_schema(HYPERLINKS.schema))


def sliced_links(crawl: str, segment: str, n: int, seed: int = 1) -> pa.Table:
    rows = links_table(n, seed)
    for name, value in (("crawl", crawl), ("segment", segment)):
        index = rows.schema.get_field_index(name)
        rows = rows.set_column(index, name, pa.array([value] * n, rows.schema.field(name).type))
    return rows


@pytest.mark.parametrize("writer", WRITERS)
def test_slice_writes_replace_their_slice_idempotently(spark, tmp_path, writer):
    warehouse, staging = str(tmp_path / "wh"), str(tmp_path / "staging")

    def write(frame, crawl: str, segments: list[str]):
        return write_slices(
            spark, PAGES, warehouse, {crawl: segments}, frame, writer=writer, staging_root=staging
        )

    write(pages_frame(spark, "CC-A", "00", 5), "CC-A", ["00"])
    write(pages_frame(spark, "CC-A", "01", 3), "CC-A", ["01"])
    first = rows_of(PAGES.path(warehouse))
    for _ in range(2):  # re-running a slice never duplicates rows
        report = write(pages_frame(spark, "CC-A", "00", 4, prefix="q"), "CC-A", ["00"])
    assert report.writer == writer and report.rows == 4
    assert report.zorder["columns"] == ["registered_domain"]
    table = DeltaTable(PAGES.path(warehouse))
    segments = table.to_pyarrow_table(columns=["segment"]).column("segment").to_pylist()
    assert {s: segments.count(s) for s in set(segments)} == {"00": 4, "01": 3}
    assert len(first) == 8
    got = read_slices(spark, PAGES, warehouse, {"CC-A": ["01"]}, reader=writer)
    assert sorted(r["url"] for r in got.collect()) == [
        f"https://p{i}.example.de/" for i in range(3)
    ]


@pytest.mark.parametrize("writer", WRITERS)
def test_a_failed_write_leaves_the_table_at_its_version(spark, tmp_path, writer):
    """Rows outside the slice being replaced: refused, the table keeps its rows."""
    warehouse, staging = str(tmp_path / "wh"), str(tmp_path / "staging")
    write_slices(
        spark, PAGES, warehouse, {"CC-A": ["00"]}, pages_frame(spark, "CC-A", "00", 3),
        writer=writer, staging_root=staging,
    )  # fmt: skip
    before = DeltaTable(PAGES.path(warehouse)).version()
    with pytest.raises(Exception, match="(?i)invalid data|replaceWhere|does not conform"):
        write_slices(
            spark, PAGES, warehouse, {"CC-A": ["00"]}, pages_frame(spark, "CC-A", "07", 2),
            writer=writer, staging_root=staging,
        )  # fmt: skip
    table = DeltaTable(PAGES.path(warehouse))
    assert table.version() == before and table.count() == 3


def test_both_writers_give_the_same_rows_and_zordered_files(spark, tmp_path):
    rows = sliced_links("CC-A", "00", 3_000)
    paths = {}
    for writer in WRITERS:
        warehouse = str(tmp_path / writer)
        write_slices(
            spark, HYPERLINKS, warehouse, {"CC-A": ["00"]}, links_frame(spark, rows),
            writer=writer, staging_root=str(tmp_path / "staging"),
        )  # fmt: skip
        paths[writer] = HYPERLINKS.path(warehouse)
    assert rows_of(paths["delta-rs"]) == rows_of(paths["delta-spark"])
    assert len(rows_of(paths["delta-rs"])) == 3_000
    spark_history = DeltaTable(paths["delta-spark"]).history()
    assert spark_history[0]["operation"] == "OPTIMIZE"
    assert "src_domain" in spark_history[0]["operationParameters"]["zOrderBy"]


def test_each_writer_rewrites_the_others_table(spark, tmp_path):
    """delta-rs table -> delta-spark replaces a slice and appends another; delta-spark table
    -> delta-rs commits files into it. Protocol, partition values, statistics, history."""
    rs_path = HYPERLINKS.path(str(tmp_path / "rs"))
    spark_path = HYPERLINKS.path(str(tmp_path / "spark"))
    old, new = sliced_links("CC-A", "00", 500), sliced_links("CC-A", "00", 300, seed=2)
    other = sliced_links("CC-A", "01", 200, seed=3)

    commit_files(
        HYPERLINKS, rs_path, {"CC-A": ["00"]},
        write_sorted_files(HYPERLINKS, rs_path, {"crawl": "CC-A", "segment": "00"}, old),
    )  # fmt: skip
    for rows, segment in ((new, "00"), (other, "01")):
        write_slices(
            spark, HYPERLINKS, str(tmp_path / "rs"), {"CC-A": [segment]},
            links_frame(spark, rows), writer="delta-spark", staging_root=str(tmp_path / "st"),
        )  # fmt: skip
    write_slices(
        spark, HYPERLINKS, str(tmp_path / "spark"), {"CC-A": ["00"]}, links_frame(spark, old),
        writer="delta-spark", staging_root=str(tmp_path / "st"),
    )  # fmt: skip
    for rows, segment in ((new, "00"), (other, "01")):
        files = write_sorted_files(
            HYPERLINKS, spark_path, {"crawl": "CC-A", "segment": segment}, rows
        )
        commit_files(HYPERLINKS, spark_path, {"CC-A": [segment]}, files)

    assert rows_of(rs_path) == rows_of(spark_path)
    assert len(rows_of(rs_path)) == 500
    for path in (rs_path, spark_path):
        table = DeltaTable(path)
        protocol = table.protocol()
        assert protocol.min_reader_version >= 1 and protocol.min_writer_version >= 2
        actions = pa.table(table.get_add_actions(flatten=True)).to_pylist()
        assert {(a["partition.crawl"], a["partition.segment"]) for a in actions} == {
            ("CC-A", "00"),
            ("CC-A", "01"),
        }
        assert all(a["num_records"] and a["min.src_domain"] for a in actions), "statistics"
        assert sum(a["num_records"] for a in actions) == 500
        operations = [c["operation"] for c in table.history()]
        assert "OPTIMIZE" in operations and "WRITE" in operations
        read = spark.read.format("delta").load(path)  # and delta-spark reads both
        assert read.count() == 500
        assert read.where("segment = '01'").count() == 200


@pytest.mark.parametrize("writer", WRITERS)
def test_rows_staged_by_many_tasks_become_one_skippable_zcurve(
    spark, tmp_path, monkeypatch, writer
):
    """Eight tasks stage their rows as they came (each task's rows span the whole range of
    both Z-order columns); after the slice write (delta-rs: the staged rows written as one
    curve, in shares; delta-spark: OPTIMIZE ZORDER BY) the partition's files cover narrow
    ranges, so point lookups skip most of them; no row is lost or doubled."""
    import pyarrow.compute as pc

    from spark_jobs import delta as delta_module
    from spark_jobs.delta import WrittenFiles, slice_skip_shares, staged_format
    from spark_jobs.files import stage_rows
    from spark_jobs.zorder import point_lookup_skip

    monkeypatch.setattr(delta_module, "ZORDER_FILE_ROWS", 1_000)
    warehouse, staging = str(tmp_path / "wh"), str(tmp_path / "staging")
    rows = sliced_links("CC-A", "00", 24_000)
    root = f"{staging}/hyperlinks"
    values = {"crawl": "CC-A", "segment": "00"}
    parts = [rows.slice(start, 3_000) for start in range(0, rows.num_rows, 3_000)]
    tasks = [
        f
        for part in parts
        for f in stage_rows(HYPERLINKS, root, values, part, staged_format=staged_format(writer))
    ]
    before = {
        c: point_lookup_skip([tuple(pc.min_max(p.column(c)).as_py().values()) for p in parts])
        for c in HYPERLINKS.zorder_by
    }
    report = write_slices(
        spark, HYPERLINKS, warehouse, {"CC-A": ["00"]}, WrittenFiles(root, tasks),
        writer=writer, staging_root=staging,
    )  # fmt: skip
    path = HYPERLINKS.path(warehouse)
    assert len(rows_of(path)) == 24_000 and report.rows == 24_000
    after = slice_skip_shares(HYPERLINKS, path, {"CC-A": ["00"]})
    assert after == report.zorder["point_lookup_skip"]
    # delta-spark interleaves per-column range ids cut at *sampled* boundaries: on 24 small
    # files its skip share varied from 0.2 to 0.52 between runs of this very test, so only
    # the improvement is asserted for it (`bench graph --skipping` measures it at scale).
    for column in HYPERLINKS.zorder_by:
        assert before[column] < 0.3, "the tasks' rows each span the whole range"
        if writer == "delta-rs":
            assert after[column] >= 0.6, f"{column} lookups skip most files"
        else:
            assert after[column] > before[column], f"{column}: OPTIMIZE ZORDER BY helped"
    if writer == "delta-rs":
        assert report.zorder["files_staged"] == len(tasks)
        assert report.files_added == 24, "one curve cut into files of 1,000 rows"
        assert not list((tmp_path / "staging").rglob("*.arrow")), "staged rows removed"
