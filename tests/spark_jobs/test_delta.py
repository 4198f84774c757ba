"""The Delta slice writer: replace-where semantics, Z-order, reads with partition pruning."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from pipelines.crawl.checks import zorder_problems
from spark_jobs import files as table_files
from spark_jobs.delta import commit_files, ensure_table, read_slices, table_crawls, write_slices
from spark_jobs.files import write_sorted_files
from spark_jobs.tables import HYPERLINKS, PAGES
from spark_jobs.zorder import range_overlap

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


def parquet_files(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*.parquet")}


def test_slice_writes_replace_only_their_slice_in_one_zordered_commit(spark, tmp_path):
    warehouse, staging = str(tmp_path / "wh"), str(tmp_path / "staging")
    write = lambda frame, crawl, segs: write_slices(  # noqa: E731
        spark, PAGES, warehouse, {crawl: segs}, frame, writer="delta-rs", staging_root=staging
    )
    write(pages_frame(spark, "CC-A", "00", 5), "CC-A", ["00"])
    write(pages_frame(spark, "CC-A", "01", 3), "CC-A", ["01"])
    versions = [DeltaTable(PAGES.path(warehouse)).version()]
    for _ in range(2):  # re-runs of one slice never duplicate rows
        report = write(pages_frame(spark, "CC-A", "00", 4, prefix="q"), "CC-A", ["00"])
        versions.append(DeltaTable(PAGES.path(warehouse)).version())
    assert versions == [2, 3, 4], "one commit per slice write"
    table = DeltaTable(PAGES.path(warehouse))
    counts = {}
    for row in table.to_pyarrow_table(columns=["segment", "url"]).to_pylist():
        counts[row["segment"]] = counts.get(row["segment"], 0) + 1
    assert counts == {"00": 4, "01": 3}
    assert report.rows == 4 and report.writer == "delta-rs"
    assert report.zorder["partitions_optimized"] == 1
    assert report.zorder["columns"] == ["registered_domain"]
    assert report.zorder["files_removed"] == 1 and report.files_added == 1
    commit = table.history(1)[0]
    assert commit["operation"] == "WRITE" and commit["supplylinks.zorder_by"] == "registered_domain"
    assert zorder_problems(warehouse, PAGES) == []
    assert not (tmp_path / "staging").exists(), "nothing is staged"

    got = read_slices(spark, PAGES, warehouse, {"CC-A": ["01"]}, reader="delta-rs")
    assert sorted(r["url"] for r in got.collect()) == [
        f"https://p{i}.example.de/" for i in range(3)
    ]
    assert {r["segment"] for r in got.collect()} == {"01"}
    assert table_crawls(spark, PAGES, warehouse, reader="delta-rs") == ["CC-A"]


def test_rows_outside_the_slice_are_refused_and_their_files_removed(spark, tmp_path):
    warehouse = str(tmp_path / "wh")
    with pytest.raises(ValueError, match="Invalid data"):
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
    assert parquet_files(tmp_path / "wh" / "pages") == set()


def test_reading_a_missing_table_gives_an_empty_frame(spark, tmp_path):
    frame = read_slices(spark, PAGES, str(tmp_path), {"CC-A": None}, reader="delta-rs")
    assert frame.count() == 0 and frame.columns == PAGES.columns


def links_table(n: int, seed: int = 1) -> pa.Table:
    """Links between 400 random domains, in arrival (random) order."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    domains = ["".join(rng.choice(letters) for _ in range(7)) + ".de" for _ in range(400)]
    domains[:2] = ["münchen-bau.de", "zürich.ch"]  # non-ASCII values sort by their UTF-8 bytes
    rows = {name: [None] * n for name in HYPERLINKS.columns}
    rows["src_domain"] = [rng.choice(domains) for _ in range(n)]
    rows["dst_domain"] = [rng.choice(domains) if i % 10 else None for i in range(n)]
    rows["src_url"] = [f"https://{d}/page" for d in rows["src_domain"]]
    rows["dst_url"] = [f"https://{d}/" for d in rows["dst_domain"]]
    rows["position"] = list(range(n))
    rows["fetch_time"] = [NOW + timedelta(microseconds=i) for i in range(n)]
    rows["anchor_text"] = ["x" * (i % 100) for i in range(n)]
    schema = HYPERLINKS.schema
    return pa.table({k: pa.array(v, type=schema.field(k).type) for k, v in rows.items()})


def test_sorted_files_cover_narrow_zorder_ranges_and_carry_footer_stats(tmp_path, monkeypatch):
    """What file skipping relies on: files cut along the Z-curve overlap little on both
    Z-order columns (the same rows cut in arrival order overlap completely), and the
    committed statistics are those of the rows each file holds."""
    monkeypatch.setattr(table_files, "FILE_ROWS", 2_000)
    rows = links_table(20_000)
    path = str(tmp_path / "hyperlinks")
    ensure_table(HYPERLINKS, path)
    slice_ = {"crawl": "CC-A", "segment": "00"}
    written = write_sorted_files(HYPERLINKS, path, slice_, rows, source="w.warc.gz")
    report = commit_files(HYPERLINKS, path, {"CC-A": ["00"]}, written)
    assert len(written) == 10 and report.rows == 20_000
    for column in HYPERLINKS.zorder_by:
        unordered = [
            (chunk.column(column).drop_null().to_pylist() or [None])
            for chunk in rows.to_batches(2_000)
        ]
        assert range_overlap([(min(v), max(v)) for v in unordered]) > 0.95
        # both columns share the curve: about sqrt(files) files per value of either one
        assert report.zorder["range_overlap"][column] <= 0.8

    table = DeltaTable(path)
    assert table.to_pyarrow_table().num_rows == 20_000
    indexed = table.metadata().configuration["delta.dataSkippingStatsColumns"].split(",")
    assert "src_domain" in indexed and "anchor_text" not in indexed
    actions = pa.table(table.get_add_actions(flatten=True)).to_pylist()
    for action in actions:
        data = pq.read_table(str(tmp_path / "hyperlinks" / action["path"]))
        assert action["num_records"] == data.num_rows
        # a file's dictionaries hold its own rows' values, not the whole task's
        coded = pq.read_table(
            str(tmp_path / "hyperlinks" / action["path"]),
            read_dictionary=["src_url", "anchor_text"],
        )
        for column in ("src_url", "anchor_text"):
            for chunk in coded.column(column).chunks:
                assert len(chunk.dictionary) == len(chunk.unique().drop_null()), column
        for column in ("src_domain", "dst_domain", "fetch_time", "src_url"):
            values = data.column(column).drop_null().to_pylist() or [None]  # all null: none
            assert action[f"min.{column}"] == min(values), column
            assert action[f"max.{column}"] == max(values), column
            assert action[f"null_count.{column}"] == data.column(column).null_count
        assert action["max.src_url"] >= max(data.column("src_url").to_pylist())
        # free text and ids carry no statistics, as the table property declares
        assert not any(k.endswith((".dst_url", ".anchor_text")) for k in action)
        assert action["partition.segment"] == "00"
    # Point lookups of every distinct value. Ten files are not a power of four, so the
    # curve's cuts go one level deeper into the leading column (src_domain): a src lookup
    # reads ~3.7 files and a dst lookup ~6; their mean is what two columns on one curve give.
    means = {}
    for column in HYPERLINKS.zorder_by:
        reads = [
            len(table.file_uris(file_pruning_predicate=f"{column} = '{value}'"))
            for value in set(rows.column(column).drop_null().to_pylist())
        ]
        assert min(reads) >= 1
        means[column] = sum(reads) / len(reads)
        assert means[column] <= 6.5, f"a point lookup on {column} reads a few of the ten files"
    assert sum(means.values()) / len(means) <= 10**0.5 + 2, means


def test_sorted_rows_are_written_one_row_group_at_a_time_in_curve_order(tmp_path, monkeypatch):
    """Gathering the sorted rows per row group while writing gives the files, rows and
    order of gathering the whole table at once (one row group per file)."""
    monkeypatch.setattr(table_files, "FILE_ROWS", 2_000)
    rows = links_table(5_000)
    slice_ = {"crawl": "CC-A", "segment": "00"}
    whole = write_sorted_files(HYPERLINKS, str(tmp_path / "whole"), slice_, rows)
    monkeypatch.setattr(table_files, "ROW_GROUP_ROWS", 512)
    grouped = write_sorted_files(HYPERLINKS, str(tmp_path / "grouped"), slice_, rows)
    assert [f.rows for f in grouped] == [f.rows for f in whole] == [2_000, 2_000, 1_000]
    for one, many in zip(whole, grouped, strict=True):
        single = pq.ParquetFile(str(tmp_path / "whole" / one.path))
        split = pq.ParquetFile(str(tmp_path / "grouped" / many.path))
        assert single.metadata.num_row_groups == 1
        assert split.metadata.num_row_groups == -(-many.rows // 512)
        assert split.read().to_pylist() == single.read().to_pylist()
        assert many.stats == one.stats


def test_one_commit_replaces_slices_of_several_crawls(tmp_path):
    path = str(tmp_path / "hyperlinks")
    ensure_table(HYPERLINKS, path)
    rows = links_table(100)

    def files(crawl: str, segment: str, count: int):
        slice_ = {"crawl": crawl, "segment": segment}
        return write_sorted_files(HYPERLINKS, path, slice_, rows.slice(0, count))

    first = files("CC-A", "00", 10) + files("CC-B", "00", 20) + files("CC-B", "01", 30)
    commit_files(HYPERLINKS, path, {"CC-A": ["00"], "CC-B": ["00", "01"]}, first)
    second = files("CC-A", "00", 5) + files("CC-B", "00", 7)
    commit_files(HYPERLINKS, path, {"CC-A": ["00"], "CC-B": ["00"]}, second)
    table = DeltaTable(path)
    got = table.to_pyarrow_table(columns=["crawl", "segment"]).to_pylist()
    counts = {}
    for row in got:
        counts[(row["crawl"], row["segment"])] = counts.get((row["crawl"], row["segment"]), 0) + 1
    assert counts == {("CC-A", "00"): 5, ("CC-B", "00"): 7, ("CC-B", "01"): 30}
    assert table.version() == 2


def test_uncommitted_files_never_enter_the_table(tmp_path):
    """What a crashed job leaves: files in the partition folders, the table unchanged."""
    path = str(tmp_path / "hyperlinks")
    ensure_table(HYPERLINKS, path)
    slice_ = {"crawl": "CC-A", "segment": "00"}
    commit_files(
        HYPERLINKS,
        path,
        {"CC-A": ["00"]},
        write_sorted_files(HYPERLINKS, path, slice_, links_table(50)),
    )
    write_sorted_files(HYPERLINKS, path, slice_, links_table(70))  # never committed
    table = DeltaTable(path)
    assert table.version() == 1 and table.to_pyarrow_table().num_rows == 50
    assert len(parquet_files(tmp_path / "hyperlinks")) == 2


def test_null_in_a_required_column_is_refused(tmp_path):
    rows = links_table(10)
    rows = rows.set_column(0, "src_url", pa.array([None] * 10, pa.string()))
    with pytest.raises(ValueError, match="Invalid data: nulls in non-nullable"):
        write_sorted_files(HYPERLINKS, str(tmp_path), {"crawl": "C", "segment": "00"}, rows)


def test_stats_json_is_what_delta_expects(tmp_path):
    rows = links_table(30)
    written = write_sorted_files(HYPERLINKS, str(tmp_path), {"crawl": "C", "segment": "00"}, rows)
    stats = json.loads(written[0].stats)
    assert stats["numRecords"] == 30
    assert stats["minValues"]["fetch_time"] == "2024-05-20T00:00:00.000000Z"
    assert "crawl" not in stats["nullCount"] and stats["nullCount"]["region"] == 30
    assert "context" not in stats["nullCount"], "free text: no statistics"


def test_a_table_written_with_other_columns_is_refused_by_name(tmp_path):
    """A warehouse from a version whose ``hyperlinks`` still stored ``link_id``: writing into
    it would commit files without a required column, so the writer stops first and says why."""
    path = str(tmp_path / "hyperlinks")
    old = pa.schema([pa.field("link_id", pa.string(), nullable=False), *HYPERLINKS.schema])
    DeltaTable.create(path, schema=old, partition_by=list(HYPERLINKS.partition_by))
    with pytest.raises(ValueError, match=r"hyperlinks table .* \(extra: \['link_id'\]"):
        ensure_table(HYPERLINKS, path)
    ensure_table(HYPERLINKS, str(tmp_path / "fresh"))
    ensure_table(HYPERLINKS, str(tmp_path / "fresh"))  # an existing table of this version
