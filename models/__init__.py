"""The link-context classifier: features, training, evaluation, versioned artefacts, prediction.

Stable API (the Spark classify job, the CLI and the Dagster assets use only these):

``load_model(ref: str | None = None) -> LinkClassifier``
    ``ref`` is ``"rules"`` (the weak-label rules, version ``rules-2``, always available),
    ``None``/``"default"`` (the registry's DEFAULT version — **the rules model when no trained
    model is registered**; a warning is logged and ``model_version`` reads ``rules-2``), a
    registered version id (``spacy-<hash>``, ``transformer-<hash>``) or a path to an artefact
    folder. Nothing is ever downloaded.

``resolve_model_ref(ref) -> str``
    ``"rules"`` or the absolute artefact folder ``ref`` names today. Resolve once per run and
    pass the result to executors, so a run uses one model even if DEFAULT moves meanwhile.

``LinkClassifier``
    ``.version`` (what ``company_links.model_version`` records), ``.kind`` (rules, spacy,
    transformer), ``.labels`` and ``.predict(rows) -> list[Prediction(label, confidence)]``;
    rows are mappings with any of ``src_url, dst_url, anchor_text, section_heading, context,
    region, lang, page_path`` (missing/None -> empty; other keys ignored; a non-string value
    raises ``TypeError`` naming the field). Predicts in batches internally.

``predict_arrow(batches, model_ref=None) -> Iterator[pyarrow.RecordBatch]``
    For ``mapInArrow``: each batch comes back with ``relation`` (string), ``confidence``
    (float32) and ``model_version`` (string) appended. The model is loaded once per process.

``Registry`` / ``models_root()``
    Artefacts live in ``$SUPPLYLINKS_MODELS`` (default ``<repo>/artifacts/models``,
    gitignored): ``<version>/meta.json`` (kind, labels, feature version, training data hash,
    metrics, created, config) and a ``DEFAULT`` pointer file. See ``models.registry``.

Training and evaluation: ``models.training.train_model``, ``models.evaluation.evaluate``.
torch/transformers are imported only when a transformer model is trained or loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.arrow import predict_arrow
    from models.base import LinkClassifier, Prediction
    from models.loading import load_model, resolve_model_ref
    from models.registry import Registry, models_root

__all__ = [
    "LinkClassifier",
    "Prediction",
    "Registry",
    "load_model",
    "models_root",
    "predict_arrow",
    "resolve_model_ref",
]

_HOMES = {
    "LinkClassifier": "models.base",
    "Prediction": "models.base",
    "load_model": "models.loading",
    "resolve_model_ref": "models.loading",
    "predict_arrow": "models.arrow",
    "Registry": "models.registry",
    "models_root": "models.registry",
}


def __getattr__(name: str) -> Any:
    """Import on first use: ``import models`` stays cheap (no spaCy, no torch)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home), name)
