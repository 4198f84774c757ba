"""The extract job's own logic: column buffers, and pages fetched twice across WARC files."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from unittest.mock import MagicMock

import pytest
from deltalake import DeltaTable

from extraction.extract import extract_warc_columns, link_id
from spark_jobs import extract
from spark_jobs.params import JobParams
from spark_jobs.tables import HYPERLINKS, LINK_ID_SQL, PAGES
from tests.paths import SAMPLES

CRAWL = "CC-MAIN-2024-22"
CC_ROOT = SAMPLES / "commoncrawl"
SEEDS = SAMPLES / "seeds" / "companies.csv"
FIRST_WARC = sorted((CC_ROOT / "crawl-data" / CRAWL / "segments").glob("*/warc/*.warc.gz"))[0]


@pytest.mark.parametrize("batch_rows", [extract.TableColumns.BATCH_ROWS, 7])
def test_task_tables_hold_the_rows_extraction_gave(batch_rows: int):
    """Page rows and the links the C sink collected become the tables' Arrow schema, in
    order, however many record batches they were turned into on the way, with the
    page-level link columns kept once per page and spread over its links; a page the task
    drops (a repeated URL) takes its links with it."""
    from extraction.extract import PAGE_LEVEL_LINK_COLUMNS, extract_into, extract_warc_into
    from extraction.warc import ReadStats, iter_html_records

    records = list(iter_html_records(FIRST_WARC, "x.warc.gz", ReadStats()))

    link_rows, page_rows = [], []
    for page, columns in extract_warc_columns(FIRST_WARC, warc_filename="x.warc.gz"):
        page_rows.append(page)
        names = list(columns)
        link_rows += [
            dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)
        ]
    pages = extract.TableColumns(PAGES)
    links = extract.LinkColumns()
    pages.BATCH_ROWS = links.BATCH_ROWS = batch_rows
    dropped = False
    for number, page in enumerate(extract_warc_into(FIRST_WARC, links.sink, "x.warc.gz")):
        assert page == page_rows[number]
        pages.add_row(page)
        links.add_page(page)
        if number > 0 and page["external_links"] and not dropped:  # kept, then its copy
            links.drop_page(extract_into(records[number], links.sink))
            dropped = True
    for collected, rows, spec in ((pages, page_rows, PAGES), (links, link_rows, HYPERLINKS)):
        table = collected.table()
        assert table.num_rows == len(collected) == len(rows) > 10
        assert len(collected.batches) >= (2 if batch_rows == 7 else 1)
        wanted = [(f.name, f.type) for f in spec.schema if f.name not in spec.partition_by]
        plain = [(f.name, getattr(f.type, "value_type", f.type)) for f in table.schema]
        assert plain == wanted  # page-level strings arrive dictionary-encoded
        table.validate(full=True)
        got = table.to_pylist()
        for name in table.column_names:
            assert [r[name] for r in got] == [r[name] for r in rows], name
    assert dropped and sum(p["external_links"] for p in page_rows) == len(link_rows)
    for _page, columns in extract_warc_columns(FIRST_WARC, warc_filename="x.warc.gz"):
        for name in PAGE_LEVEL_LINK_COLUMNS:  # what lets the task keep them once per page
            assert len(set(map(str, columns[name]))) <= 1, name


def test_a_task_without_links_still_gives_the_tables_schema():
    """A file that fails before its first page (missing, unreadable) stages no rows but its
    tables still have their columns."""
    table = extract.LinkColumns().table()
    assert table.num_rows == 0
    assert table.column_names == [n for n in HYPERLINKS.columns if n not in HYPERLINKS.partition_by]


@pytest.fixture
def twice_fetched_crawl(tmp_path):
    """One segment whose two WARC files hold the same records: every page fetched twice."""
    root = tmp_path / "cc"
    folder = root / "crawl-data" / CRAWL / "segments" / "1715971057216.39" / "warc"
    folder.mkdir(parents=True)
    names = [f"CC-MAIN-20240517213010-20240518003010-0000{i}.warc.gz" for i in (0, 1)]
    for name in names:
        shutil.copy(FIRST_WARC, folder / name)
    listing = "".join(f"{(folder / n).relative_to(root)}\n" for n in names)
    (root / "crawl-data" / CRAWL / "warc.paths.gz").write_bytes(gzip.compress(listing.encode()))
    return root


@pytest.mark.spark
def test_pages_fetched_twice_in_a_slice_are_kept_once_with_their_links(
    spark, tmp_path, twice_fetched_crawl
):
    del spark  # the job reuses the module's session
    params = twice_fetched_params(tmp_path, twice_fetched_crawl)
    result = extract.run(MagicMock(), params)
    assert_each_url_once(params.warehouse, result["files"])


def test_in_process_tasks_keep_the_copy_spark_tasks_keep(tmp_path, twice_fetched_crawl):
    """A small targeted read runs its tasks without Spark (spark_jobs.in_process): the same
    commit, and the same repeated-page rule as the Spark window."""
    from spark_jobs.in_process import LocalTasks
    from spark_jobs.runner import JobRun, load_seed_rows

    params = twice_fetched_params(tmp_path, twice_fetched_crawl)
    job = JobRun(MagicMock(), "extract", params)
    counts, reports, verdict = extract.extract_and_commit(
        job,
        params,
        extract.plan_files(params),
        load_seed_rows(params.seeds),
        LocalTasks(),
        params.slices,
        params.segments_by_crawl(),
    )
    assert not verdict.damaged and counts["tasks_engine"] == "in-process"
    assert reports["pages"].rows == len(_first_copies(FIRST_WARC))
    assert_each_url_once(params.warehouse, counts)
    assert "context" not in job.__dict__ and job.spark_version() == "none"  # no JVM started


def twice_fetched_params(tmp_path, cc_root) -> JobParams:
    return JobParams(
        warehouse=str(tmp_path / "wh"), slices=((CRAWL, "00"),), cc_root=str(cc_root),
        seeds=str(SEEDS),
    )  # fmt: skip


def assert_each_url_once(warehouse: str, counts: dict) -> None:
    one_file = _first_copies(FIRST_WARC)
    pages = DeltaTable(PAGES.path(warehouse)).to_pyarrow_table(columns=["url", "warc_filename"])
    links = DeltaTable(HYPERLINKS.path(warehouse)).to_pyarrow_table(columns=["warc_filename"])
    assert sorted(pages.column("url").to_pylist()) == sorted(one_file), "each URL once"
    kept_from = set(pages.column("warc_filename").to_pylist())
    assert len(kept_from) == 1, "equal fetch times: the copy of the first file is kept"
    assert set(links.column("warc_filename").to_pylist()) == kept_from
    assert links.num_rows == sum(one_file.values())
    assert counts["skipped"]["duplicate_url"] >= len(one_file)


def _first_copies(path) -> dict[str, int]:
    """URL -> link count of its first copy in one file (the task drops later copies)."""
    first: dict[str, int] = {}
    for page, columns in extract_warc_columns(path, warc_filename="x.warc.gz"):
        first.setdefault(page["url"], len(columns["link_id"]))
    return first


@pytest.mark.spark
def test_local_python_workers_import_pyspark_from_its_installed_package(spark):
    """Not from pyspark.zip, which Python recompiles in every worker of every job."""

    def where(_rows):
        import pyspark

        yield pyspark.__file__

    (found,) = spark.sparkContext.parallelize([0], 1).mapPartitions(where).collect()
    assert ".zip" not in found
    assert Path(found).parent.name == "pyspark"


@pytest.mark.spark
def test_spark_derives_the_link_ids_extraction_gives(spark):
    """``company_links.link_id`` comes from ``LINK_ID_SQL`` over ``hyperlinks`` rows, which
    do not store the id: it must equal extraction's id for every link, also past five hex
    digits of position and for non-ASCII URLs."""
    rows = []
    for _page, columns in extract_warc_columns(FIRST_WARC, warc_filename="x.warc.gz"):
        rows += zip(columns["src_url"], columns["position"], columns["dst_url"], strict=True)
    rows += [
        ("https://www.bäckerei-müller.de/über-uns", 1_048_577, "https://zürich.ch/a?b=ö"),
        ("https://a.de/", 7, "https://b.de/%C3%A4"),
    ]
    from pyspark.sql import functions as F

    frame = spark.createDataFrame(rows, "src_url string, position int, dst_url string")
    got = [r.link_id for r in frame.select(F.expr(LINK_ID_SQL).alias("link_id")).collect()]
    assert len(rows) > 100
    assert got == [link_id(*row) for row in rows]
