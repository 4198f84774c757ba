"""Per-partition truth and typed metadata: a multi-partition run's Pipes results become one
materialization per partition with that slice's figures, and they add up to the run's."""

from __future__ import annotations

import json
import sys

import pyarrow as pa
from dagster import (
    DagsterInstance,
    MetadataValue,
    PipesSubprocessClient,
    TableMetadataValue,
    TextMetadataValue,
    asset,
    materialize,
)
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from deltalake import write_deltalake

from pipelines.crawl.partitions import crawl_segment_partitions
from pipelines.metadata import column_schema, figure, publish_per_partition, slice_rows, typed
from spark_jobs.slice_report import slice_figures
from spark_jobs.tables import PAGES, TABLES

CRAWL = "CC-MAIN-2030-01"
ROWS = {"00": 5, "01": 2, "02": 9}


def test_column_schema_comes_from_the_table_registry():
    for spec in TABLES.values():
        schema = column_schema(spec)
        assert [c.name for c in schema.columns] == spec.columns
    roles = {c.name: c.description for c in column_schema(PAGES).columns}
    assert "partition column" in roles["crawl"]


def test_json_becomes_tables_or_text_and_empty_values_vanish():
    shown = typed(
        {
            "phase_seconds": MetadataValue.json({"spark_start": 4.1, "commit": 0.5}),
            "failed_files": MetadataValue.json([]),
            "skipped": {},
            "slices": ["a/00", "a/01"],
            "rows_written": 3,
            "weak_crawl": "",
        }
    )
    assert set(shown) == {"phase_seconds", "slices", "rows_written"}
    assert isinstance(shown["phase_seconds"], TableMetadataValue)
    assert [r.data for r in shown["phase_seconds"].records][0] == {
        "name": "spark_start",
        "value": 4.1,
    }
    assert isinstance(shown["slices"], TextMetadataValue)


def test_figure_reads_back_what_typed_published_zero_included():
    shown = typed(
        {
            "phase_seconds": MetadataValue.json({"spark_start": 4.1, "commit": 0.5}),
            "rows_written": 0,
            "slices": ["a/00", "a/01"],
        }
    )
    run_wide = {f"run_{k}": v for k, v in shown.items()} | {"rows_written": shown["rows_written"]}
    for metadata in (shown, run_wide):
        assert figure(metadata, "phase_seconds") == {"spark_start": 4.1, "commit": 0.5}
        assert figure(metadata, "rows_written") == 0
    assert figure({"rows_written": 0, "run_rows_written": 7}, "rows_written") == 0
    assert figure(shown, "absent") is None


def test_slice_figures_sum_to_the_file_totals():
    stats = [
        {"crawl": "c", "segment": "00", "file": "f1", "bytes_read": 10, "pages": 2},
        {"crawl": "c", "segment": "00", "file": "f2", "failure": "EOFError: cut", "pages": 1},
        {"crawl": "c", "segment": "01", "file": "f3", "bytes_read": 7, "skipped": {"x": 2}},
    ]
    figures = slice_figures(stats)
    assert figures["c|00"]["files_read"] == 1 and figures["c|00"]["files_failed"] == 1
    assert figures["c|00"]["failed_files"] == ["f2: EOFError: cut"]
    assert figures["c|01"]["skipped_x"] == 2
    assert sum(f["bytes_read"] for f in figures.values()) == 17


def _write_pages(warehouse) -> None:
    """A real ``pages`` Delta table with a different number of rows per segment."""
    rows = []
    for segment, count in ROWS.items():
        for number in range(count):
            row = {name: None for name in PAGES.columns}
            row.update(crawl=CRAWL, segment=segment, url=f"https://x.de/{segment}/{number}")
            rows.append(row)
    table = pa.Table.from_pylist(rows, schema=PAGES.schema)
    write_deltalake(PAGES.path(str(warehouse)), table, partition_by=list(PAGES.partition_by))


JOB = """
import json, sys
from dagster_pipes import open_dagster_pipes
by_slice = json.loads(sys.argv[1])
with open_dagster_pipes() as pipes:
    pipes.report_asset_materialization(asset_key="pages", metadata={
        "rows_written": sum(%(rows)s.values()), "delta_version": 0, "files_read": 3,
        "spark_version": "4", "zorder": {"type": "json", "raw_value": {"columns": ["d"]}},
        "by_slice": {"type": "json", "raw_value": by_slice},
    })
"""


def test_each_partition_gets_its_own_figures_summing_to_the_run(tmp_path):
    _write_pages(tmp_path)
    script = tmp_path / "job.py"
    script.write_text(JOB % {"rows": ROWS})
    by_slice = slice_figures(
        [
            {"crawl": CRAWL, "segment": s, "file": f"{s}.warc.gz", "bytes_read": 100 * n}
            for s, n in ROWS.items()
        ]
    )

    @asset(name="pages", partitions_def=crawl_segment_partitions)
    def pages(context):
        results = (
            PipesSubprocessClient()
            .run(context=context, command=[sys.executable, str(script), json.dumps(by_slice)])
            .get_results(implicit_materializations=False)
        )
        return publish_per_partition(context, results, str(tmp_path), TABLES)

    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("crawl", [CRAWL])
    result = materialize(
        [pages],
        instance=instance,
        tags={
            ASSET_PARTITION_RANGE_START_TAG: f"{CRAWL}|00",
            ASSET_PARTITION_RANGE_END_TAG: f"{CRAWL}|02",
        },
    )
    assert result.success
    events = result.asset_materializations_for_node("pages")
    shown = {str(e.partition).split("|")[1]: e.metadata for e in events}
    assert set(shown) == set(ROWS)
    for segment, metadata in shown.items():
        assert metadata["rows_written"].value == ROWS[segment]
        assert metadata["dagster/row_count"].value == ROWS[segment]
        assert metadata["bytes_read"].value == 100 * ROWS[segment]
        assert metadata["run_rows_written"].value == sum(ROWS.values())
        assert metadata["dagster/table_name"].value == "pages"
        assert isinstance(metadata["run_zorder"], TableMetadataValue)
        assert "by_slice" not in metadata and "rows_written" in list(metadata)[:2]
    assert sum(m["rows_written"].value for m in shown.values()) == sum(ROWS.values())
    assert sum(m["files_read"].value for m in shown.values()) == 3
    assert slice_rows(str(tmp_path), PAGES)[f"{CRAWL}|01"]["rows"] == ROWS["01"]


def test_confusion_matrix_is_an_inline_picture_and_a_table(tmp_path):
    from models.evaluation import evaluate
    from pipelines.metadata import confusion_matrix_metadata

    evaluation = evaluate(["supplier", "customer", "other"], ["supplier", "other", "other"])
    with DagsterInstance.local_temp(str(tmp_path)) as instance:
        metadata = confusion_matrix_metadata(instance, "spacy-x", evaluation)
    picture = metadata["confusion_matrix"].value
    assert picture.startswith("![confusion matrix](/logs/") and len(picture) < 1000
    rows = {r.data["true label"]: r.data for r in metadata["confusion_table"].records}
    assert rows["customer"]["other"] == 1 and rows["supplier"]["supplier"] == 1
