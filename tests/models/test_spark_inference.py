"""Spark inference: ``mapInArrow`` over ``predict_arrow`` labels a DataFrame of link rows."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.spark


def test_map_in_arrow_labels_every_row(spark, tmp_path, monkeypatch):
    import pyarrow as pa
    from pyspark.sql.pandas.types import from_arrow_schema

    from models.arrow import predict_arrow

    rows = [
        ("l1", "https://a.de/lieferanten", "https://bosch.de/", "Bosch", "Unsere Lieferanten", ""),
        ("l2", "https://a.de/", "https://www.facebook.com/a", "Facebook", "", "Folgen Sie uns"),
        ("l3", "https://a.de/", "https://x.de/", None, None, None),
    ]
    columns = ["link_id", "src_url", "dst_url", "anchor_text", "section_heading", "context"]
    frame = spark.createDataFrame(rows, columns).repartition(2)
    out_schema = pa.schema(
        [pa.field(c, pa.string()) for c in columns]
        + [
            pa.field("relation", pa.string()),
            pa.field("confidence", pa.float32()),
            pa.field("model_version", pa.string()),
        ]
    )

    def label(batches):
        yield from predict_arrow(batches, "rules")

    result = {
        r["link_id"]: r for r in frame.mapInArrow(label, from_arrow_schema(out_schema)).collect()
    }
    assert set(result) == {"l1", "l2", "l3"}
    assert result["l1"]["relation"] == "supplier"
    assert result["l2"]["relation"] == "other"
    assert {r["model_version"] for r in result.values()} == {"rules-2"}
    assert all(0 < r["confidence"] <= 1 for r in result.values())
