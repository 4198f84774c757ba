"""The fast model: spaCy ``textcat`` (bag-of-features, ``TextCatBOW``) on ``spacy.blank("xx")``.

Training is plain spaCy: each link becomes a ``Doc`` whose tokens are the field-tagged
features of :func:`models.features.bow_features` (char affixes included, for German
compounds), and ``nlp.update`` fits the exclusive-class bag-of-features classifier.

Inference skips ``Doc`` construction, which was measured to cost ~80 µs per link (vocab
lookups for ~100 feature "words"): a ``TextCatBOW`` model only reads each token's ``ORTH``
hash, so we hash the (cached) feature groups ourselves with spaCy's own ``hash_string`` and
feed the model's ``SparseLinear`` layer directly, then apply the softmax. The scores are the
spaCy pipeline's scores (a test asserts it); the speed is ~5x higher.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.strings import hash_string

from extraction.labels import RELATION_LABELS
from models.base import LinkClassifier, Prediction
from models.features import LinkInput, bow_feature_groups, bow_features

log = logging.getLogger(__name__)

KIND = "spacy"
PIPELINE_DIR = "spacy"
#: 2**18 hashed weight rows x 7 labels: few collisions, ~7 MB on disk.
DEFAULT_CONFIG: dict[str, Any] = {
    "epochs": 12,
    "batch_size": 16,
    "learn_rate": 0.002,
    "dropout": 0.0,
    "length": 2**18,
    "seed": 0,
}
PREDICT_BATCH = 4_096


def _blank_pipeline(labels: Sequence[str], length: int):
    import spacy

    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe(
        "textcat",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": True,
                "ngram_size": 1,
                "no_output_layer": False,
                "length": length,
            }
        },
    )
    for label in labels:
        textcat.add_label(label)
    return nlp


def train_spacy(
    train: Sequence[tuple[LinkInput, str]],
    config: dict[str, Any] | None = None,
    labels: Sequence[str] = RELATION_LABELS,
):
    """Fit a textcat pipeline on (link, label) pairs; returns the spaCy ``Language``."""
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import Adam

    cfg = {**DEFAULT_CONFIG, **(config or {})}
    if not train:
        raise ValueError("no training examples")
    fix_random_seed(cfg["seed"])
    rng = random.Random(cfg["seed"])
    nlp = _blank_pipeline(labels, cfg["length"])
    examples = [
        Example.from_dict(
            Doc(nlp.vocab, words=bow_features(link)),
            {"cats": {name: float(name == label) for name in labels}},
        )
        for link, label in train
    ]
    optimizer = Adam(cfg["learn_rate"], L2=cfg.get("l2", 1e-6), L2_is_weight_decay=True)
    nlp.initialize(lambda: examples, sgd=optimizer)
    for epoch in range(cfg["epochs"]):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=cfg["batch_size"]):
            nlp.update(batch, sgd=optimizer, drop=cfg["dropout"], losses=losses)
        log.info("spacy epoch %d loss %.4f", epoch + 1, losses.get("textcat", 0.0))
    if not cfg.get("use_averages", True):
        return nlp
    # like `spacy train`: keep the optimizer's parameter averages, which generalise better
    with nlp.use_params(optimizer.averages):
        data = nlp.to_bytes()
    return _blank_pipeline(labels, cfg["length"]).from_bytes(data)


class SpacyClassifier(LinkClassifier):
    """A trained textcat pipeline with the hashed fast path for prediction."""

    kind = KIND

    def __init__(self, nlp, version: str) -> None:
        self.nlp = nlp
        self.version = version
        textcat = nlp.get_pipe("textcat")
        self.labels = tuple(textcat.labels)
        self._sparse_linear = textcat.model.get_ref("output_layer")

    @classmethod
    def load(cls, artefact_dir: Path, version: str) -> SpacyClassifier:
        import spacy

        return cls(spacy.load(artefact_dir / PIPELINE_DIR), version)

    def save(self, artefact_dir: Path) -> None:
        self.nlp.to_disk(artefact_dir / PIPELINE_DIR)

    def scores(self, links: Sequence[LinkInput]) -> np.ndarray:
        """Softmax scores, shape (len(links), len(self.labels))."""
        if not links:
            return np.zeros((0, len(self.labels)), dtype="float32")
        parts = []
        for start in range(0, len(links), PREDICT_BATCH):
            parts.append(self._score_batch(links[start : start + PREDICT_BATCH]))
        return np.concatenate(parts)

    def _score_batch(self, links: Sequence[LinkInput]) -> np.ndarray:
        arrays: list[np.ndarray] = []
        append = arrays.append
        by_id = _BY_ID
        lengths = []
        for link in links:
            n = 0
            for group in bow_feature_groups(link):
                if group:
                    # groups come from caches, so most are the same tuple object again
                    entry = by_id.get(id(group))
                    if entry is not None and entry[0] is group:
                        hashes = entry[1]
                    else:
                        hashes = _remembered_hashes(group)
                    append(hashes)
                    n += len(hashes)
            lengths.append(n)
        keys = np.concatenate(arrays) if arrays else np.zeros(0, dtype="uint64")
        values = np.ones(len(keys), dtype="float32")
        lengths = np.array(lengths, dtype="int32")
        logits = self._sparse_linear.predict((keys, values, lengths))
        logits = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict_links(self, links: Sequence[LinkInput]) -> list[Prediction]:
        scores = self.scores(links)
        best = scores.argmax(axis=1)
        labels = self.labels
        return [Prediction(labels[j], float(scores[i, j])) for i, j in enumerate(best.tolist())]


def _remembered_hashes(group: tuple[str, ...]) -> np.ndarray:
    """:func:`_group_hashes` of a group the batch loop found no entry for, kept by the group
    object's identity (the loop looks that up first: ~8 groups a link). An ``lru_cache``
    would hash the whole tuple (~100 strings for a sentence) on every call. The entry keeps
    the group alive and is checked with ``is``, so a reused id cannot match.
    """
    if len(_BY_ID) > _MAX_BY_ID:
        _BY_ID.clear()
    hashes = _group_hashes(group)
    _BY_ID[id(group)] = (group, hashes)
    return hashes


_BY_ID: dict[int, tuple[tuple[str, ...], np.ndarray]] = {}
_MAX_BY_ID = 200_000


def _group_hashes(group: tuple[str, ...]) -> np.ndarray:
    """ORTH hashes of a feature group, exactly as a spaCy ``Doc`` of those words has them.

    Groups that miss the id cache (a new anchor, a new target) are mostly made of features
    seen before ("a=systems"), so hashes are kept per feature string: a dict lookup is ~6x
    cheaper than hashing again. (A second cache by the group's value missed as often as
    the id cache and hashed every new group's ~100 strings once more.)
    """
    cache = _FEATURE_HASHES
    if len(cache) > _MAX_FEATURE_HASHES:
        cache.clear()
    hashes = list(map(cache.get, group))
    if None in hashes:
        pairs = zip(group, hashes, strict=True)
        hashes = [h if h is not None else _hash_feature(f) for f, h in pairs]
    return np.array(hashes, dtype="uint64")


_FEATURE_HASHES: dict[str, int] = {}
_MAX_FEATURE_HASHES = 2_000_000


def _hash_feature(feature: str) -> int:
    value = _FEATURE_HASHES[feature] = hash_string(feature)
    return value
