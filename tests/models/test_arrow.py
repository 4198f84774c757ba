"""predict_arrow: appends relation/confidence/model_version, keeps columns, loads once."""

from __future__ import annotations

import pyarrow as pa

from models import arrow


def _batch(n: int) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict(
        {
            "link_id": [f"l{i}" for i in range(n)],
            "anchor_text": ["Bosch GmbH"] * n,
            "section_heading": ["Unsere Lieferanten", None] * (n // 2) + [None] * (n % 2),
            "dst_url": ["https://bosch.de/"] * n,
        }
    )


def test_columns_are_appended_in_order(registry):
    out = list(arrow.predict_arrow([_batch(4), _batch(3)], "rules"))
    assert [b.num_rows for b in out] == [4, 3]
    schema = out[0].schema
    assert schema.names == [
        "link_id",
        "anchor_text",
        "section_heading",
        "dst_url",
        "relation",
        "confidence",
        "model_version",
    ]
    assert schema.field("confidence").type == pa.float32()
    assert out[0].column("relation").to_pylist()[0] == "supplier"
    assert set(out[1].column("model_version").to_pylist()) == {"rules-2"}


def test_model_is_loaded_once_per_process(registry, monkeypatch):
    calls = []
    real = arrow.load_model

    def counting(ref):
        calls.append(ref)
        return real(ref)

    monkeypatch.setattr(arrow, "load_model", counting)
    monkeypatch.setattr(arrow, "_CACHE", {})
    for _ in range(3):
        list(arrow.predict_arrow([_batch(2)], "rules"))
    assert calls == ["rules"]
