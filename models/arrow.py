"""Batch prediction over Arrow record batches (``mapInArrow`` on Spark executors).

The loaded model is cached per process and model reference, so an executor's Python worker
loads it once and reuses it for every batch of every task it runs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from models.base import LinkClassifier
from models.features import INPUT_FIELDS, LinkInput
from models.loading import load_model

if TYPE_CHECKING:
    import pyarrow as pa

OUTPUT_COLUMNS = ("relation", "confidence", "model_version")
_CACHE: dict[str | None, LinkClassifier] = {}
_LOCK = threading.Lock()


def cached_model(model_ref: str | None) -> LinkClassifier:
    """The model for ``model_ref``, loaded at most once per process."""
    model = _CACHE.get(model_ref)
    if model is None:
        with _LOCK:
            model = _CACHE.get(model_ref)
            if model is None:
                model = _CACHE[model_ref] = load_model(model_ref)
    return model


def predict_arrow(
    batches: Iterable[pa.RecordBatch], model_ref: str | None = None
) -> Iterator[pa.RecordBatch]:
    """Append ``relation`` (string), ``confidence`` (float32), ``model_version`` (string).

    Input batches may carry any columns; the model reads those of ``INPUT_FIELDS`` that are
    present (others count as empty). Output batches keep every input column, in order.
    """
    import pyarrow as pa

    model = cached_model(model_ref)
    for batch in batches:
        present = [name for name in INPUT_FIELDS if name in batch.schema.names]
        columns = {name: batch.column(name).to_pylist() for name in present}
        links = [
            LinkInput(**{name: (columns[name][i] or "") for name in present})
            for i in range(batch.num_rows)
        ]
        predictions = model.predict_inputs(links)
        arrays = list(batch.columns) + [
            pa.array([p.label for p in predictions], pa.string()),
            pa.array([p.confidence for p in predictions], pa.float32()),
            pa.array([model.version] * batch.num_rows, pa.string()),
        ]
        names = list(batch.schema.names) + list(OUTPUT_COLUMNS)
        yield pa.RecordBatch.from_arrays(arrays, names=names)
