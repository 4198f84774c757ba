"""Train, evaluate, register: the one routine behind ``supplylinks train`` and the
``link_classifier`` asset.

The version id is derived from kind, training data hash, feature version and config, so the
same inputs give the same version. Model selection (promotion, the asset checks) uses the
labelled ``dev`` split, always next to the ``rules`` baseline; when the labelled data has a
``test`` split (hand-written, held out), the model and the rules are scored on it too and the
figures are stored and printed, but nothing is chosen by them. Weak labels are used for
training only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extraction.labels import RELATION_LABELS
from extraction.urls import host_of
from models.base import LinkClassifier
from models.data import HARD_DEV, HARD_EVAL, Example, data_hash, load_hard_dev, load_hard_eval
from models.evaluation import Evaluation, HardEvaluation, evaluate, evaluate_hard
from models.features import feature_version
from models.registry import KINDS, ArtefactMeta, Registry
from models.rules import RULES_VERSION, RulesClassifier

log = logging.getLogger(__name__)

#: When a new version becomes the registry default.
PROMOTE_POLICIES = ("if-better", "always", "never")


@dataclass
class TrainResult:
    meta: ArtefactMeta
    path: Path
    evaluation: Evaluation
    baseline: Evaluation
    in_use: dict[str, Any] = field(default_factory=dict)  # version + evaluation of the default
    promoted: bool = False
    test: Evaluation | None = None  # on the held-out test split, if the data has one
    baseline_test: Evaluation | None = None
    hard: HardEvaluation | None = None  # on the hard split (handwritten_hard_eval.jsonl)
    baseline_hard: HardEvaluation | None = None
    hard_dev: HardEvaluation | None = None  # on the hard dev split (handwritten_hard_dev.jsonl)
    baseline_hard_dev: HardEvaluation | None = None

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def baseline_name(self) -> str:
        return RULES_VERSION


def evaluate_model(model: LinkClassifier, dev: Sequence[Example]) -> Evaluation:
    predictions = model.predict_inputs([e.link for e in dev])
    return evaluate([e.label for e in dev], [p.label for p in predictions])


def evaluate_model_hard(model: LinkClassifier, hard: Sequence[Example]) -> HardEvaluation:
    """``model`` on the hard split: per label, per kind (logo wall, misleading, prose) and
    per language."""
    predictions = model.predict_inputs([e.link for e in hard])
    return evaluate_hard(
        [e.label for e in hard],
        [p.label for p in predictions],
        [e.kind for e in hard],
        [e.lang for e in hard],
    )


def default_hard_examples() -> list[Example]:
    """The committed hard split, or nothing where the file is absent (an installed wheel)."""
    return load_hard_eval() if HARD_EVAL.is_file() else []


def default_hard_dev_examples() -> list[Example]:
    """The committed hard dev split (tuning), or nothing where the file is absent."""
    return load_hard_dev() if HARD_DEV.is_file() else []


def test_examples(examples: Sequence[Example]) -> list[Example]:
    """The held-out ``test`` split (may be empty)."""
    return [e for e in examples if e.split == "test"]


def split_examples(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    train = [e for e in examples if e.split == "train"]
    dev = [e for e in examples if e.split == "dev"]
    if not train or not dev:
        raise ValueError(f"need train and dev examples; got {len(train)} train, {len(dev)} dev")
    return train, dev


def train_model(
    kind: str,
    labelled: Sequence[Example],
    *,
    weak: Sequence[Example] = (),
    config: dict[str, Any] | None = None,
    registry: Registry | None = None,
    promote: str = "if-better",
    hard: Sequence[Example] | None = None,
    hard_dev: Sequence[Example] | None = None,
) -> TrainResult:
    """Train a ``kind`` model on the train split (+ weak), evaluate on dev, register it.

    ``hard`` and ``hard_dev`` (default: the committed hard splits) are scored and stored,
    never trained on; only the dev one may guide a choice."""
    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r}; expected one of {KINDS}")
    if promote not in PROMOTE_POLICIES:
        raise ValueError(f"unknown promote policy {promote!r}; expected one of {PROMOTE_POLICIES}")
    registry = registry or Registry()
    train, dev = split_examples(labelled)
    test = test_examples(labelled)
    hard = default_hard_examples() if hard is None else list(hard)
    hard_dev = default_hard_dev_examples() if hard_dev is None else list(hard_dev)
    training_set = [*train, *weak]
    config = {**_default_config(kind), **(config or {})}
    hashed = data_hash(training_set)
    version = f"{kind}-{_version_hash(kind, hashed, config)}"
    log.info("training %s on %d labelled + %d weak examples", version, len(train), len(weak))

    staging = registry.staging_dir()
    try:
        model = _fit(kind, training_set, config, staging, version)
        evaluation = evaluate_model(model, dev)
        baseline = evaluate_model(RulesClassifier(), dev)
        metrics = {"dev": evaluation.as_dict(), "rules_dev": baseline.as_dict()}
        test_eval = baseline_test = None
        if test:
            test_eval = evaluate_model(model, test)
            baseline_test = evaluate_model(RulesClassifier(), test)
            metrics |= {"test": test_eval.as_dict(), "rules_test": baseline_test.as_dict()}
        hard_dev_eval = baseline_hard_dev = None
        if hard_dev:
            hard_dev_eval = evaluate_model_hard(model, hard_dev)
            baseline_hard_dev = evaluate_model_hard(RulesClassifier(), hard_dev)
            metrics |= {"hard_dev": hard_dev_eval.summary()}
            metrics |= {"rules_hard_dev": baseline_hard_dev.summary()}
        hard_eval = baseline_hard = None
        if hard:
            hard_eval = evaluate_model_hard(model, hard)
            baseline_hard = evaluate_model_hard(RulesClassifier(), hard)
            metrics |= {"hard": hard_eval.summary(), "rules_hard": baseline_hard.summary()}
        meta = ArtefactMeta(
            version=version,
            kind=kind,
            labels=list(model.labels),
            feature_version=feature_version(kind),
            training_data_hash=hashed,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            metrics=metrics,
            config=config,
            training={
                "labelled_train": len(train),
                "weak": len(weak),
                "dev": len(dev),
                "test": len(test),
                "hard": len(hard),
                "hard_dev": len(hard_dev),
                "labels": {
                    label: sum(e.label == label for e in train) for label in RELATION_LABELS
                },
            },
        )
        path = registry.register(staging, meta)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    result = TrainResult(
        ArtefactMeta.read(path),
        path,
        evaluation,
        baseline,
        test=test_eval,
        baseline_test=baseline_test,
        hard=hard_eval,
        baseline_hard=baseline_hard,
        hard_dev=hard_dev_eval,
        baseline_hard_dev=baseline_hard_dev,
    )
    result.in_use = in_use_evaluation(registry, dev)
    result.promoted = _maybe_promote(registry, result, promote)
    return result


def in_use_evaluation(registry: Registry, dev: Sequence[Example]) -> dict[str, Any]:
    """The current default model, re-evaluated on this dev split (rules if none)."""
    from models.loading import load_model

    try:
        model = load_model("default", registry)
    except (ValueError, FileNotFoundError) as exc:
        # e.g. built with an older feature version: this code could not run it either
        log.warning("the default model cannot be loaded (%s); comparing with rules", exc)
        model = RulesClassifier()
    return {"version": model.version, "evaluation": evaluate_model(model, dev)}


def _maybe_promote(registry: Registry, result: TrainResult, policy: str) -> bool:
    if policy == "never":
        return False
    current = registry.default_version()
    if current == result.version:
        return True
    in_use_kind = _registered_kind(registry, result.in_use["version"] if result.in_use else None)
    if policy == "if-better" and in_use_kind not in (None, result.meta.kind):
        # Dev scores do not choose between kinds (spaCy leads the transformer on dev and on
        # hard dev, trails it on the hard split): the default kind was chosen by issue 15's
        # rule, on the hard split, and a retrain of the other kind must not undo it.
        log.warning(
            "%s stays registered but not default: the default %s is a %s model, and "
            "if-better compares models of one kind (promote 'always' to switch kinds)",
            result.version,
            current,
            in_use_kind,
        )
        return False
    in_use_f1 = result.in_use["evaluation"].macro_f1 if result.in_use else 0.0
    if policy == "always" or result.evaluation.macro_f1 >= in_use_f1:
        registry.set_default(result.version)
        log.info("%s is now the default model (was %s)", result.version, current or "rules")
        return True
    log.warning(
        "%s (macro-F1 %.3f) stays registered but not default: the model in use scores %.3f",
        result.version,
        result.evaluation.macro_f1,
        in_use_f1,
    )
    return False


def _registered_kind(registry: Registry, version: str | None) -> str | None:
    """The kind of a registered version; None for the rules (nothing usable registered)."""
    if version is None or version == RULES_VERSION or not registry.has(version):
        return None
    return registry.meta(version).kind


def _default_config(kind: str) -> dict[str, Any]:
    if kind == "spacy":
        from models.spacy_model import DEFAULT_CONFIG
    else:
        from models.transformer import DEFAULT_CONFIG
    return dict(DEFAULT_CONFIG)


def _fit(
    kind: str, training_set: list[Example], config: dict[str, Any], staging: Path, version: str
) -> LinkClassifier:
    pairs = [(e.link, e.label) for e in training_set]
    if kind == "spacy":
        from models.spacy_model import SpacyClassifier, train_spacy

        model = SpacyClassifier(train_spacy(pairs, config), version)
        model.save(staging)
        return model
    from models.transformer import train_transformer

    # hand-written rows are varied where generated rows repeat templates: count them more
    repeats = int(config.get("handwritten_repeats", 1))
    pairs += [(e.link, e.label) for e in training_set if e.handwritten] * (repeats - 1)
    return train_transformer(pairs, config, staging, version)


def handwritten_folds(
    examples: Sequence[Example], folds: int = 5
) -> list[tuple[list[Example], list[Example]]]:
    """(train, held-out) pairs over the ``train`` split only: the hand-written train rows are
    cut into ``folds`` groups by source site (whole sites, sizes balanced, deterministic) and
    each group is held out once; everything else in ``train`` trains.

    The proxy for "unseen realistic contexts" that choices are made on: held-out rows are the
    same kind of text as the test split, but test is never read."""
    train = [e for e in examples if e.split == "train"]
    varied = [e for e in train if e.handwritten]
    if folds < 2 or len(varied) < folds:
        raise ValueError(f"need >= {folds} hand-written train rows and folds >= 2")
    sizes: dict[str, int] = {}
    for example in varied:
        site = _site(example.link.src_url)
        sizes[site] = sizes.get(site, 0) + 1
    load = [0] * folds
    fold_of: dict[str, int] = {}
    for site, n in sorted(sizes.items(), key=lambda item: (-item[1], zlib.crc32(item[0].encode()))):
        fold = load.index(min(load))
        fold_of[site] = fold
        load[fold] += n
    pairs = []
    for fold in range(folds):
        held = [e for e in varied if fold_of[_site(e.link.src_url)] == fold]
        held_ids = {e.id for e in held}
        pairs.append(([e for e in train if e.id not in held_ids], held))
    return pairs


def cross_validate(
    kind: str,
    labelled: Sequence[Example],
    *,
    config: dict[str, Any] | None = None,
    folds: int = 5,
) -> Evaluation:
    """Pooled evaluation of ``kind`` over :func:`handwritten_folds` (nothing is registered)."""
    config = {**_default_config(kind), **(config or {})}
    gold: list[str] = []
    predicted: list[str] = []
    for number, (train, held) in enumerate(handwritten_folds(labelled, folds)):
        with tempfile.TemporaryDirectory() as staging:
            model = _fit(kind, train, config, Path(staging), f"{kind}-cv{number}")
            predictions = model.predict_inputs([e.link for e in held])
        gold += [e.label for e in held]
        predicted += [p.label for p in predictions]
        log.info("fold %d/%d: %d held out", number + 1, folds, len(held))
    return evaluate(gold, predicted)


def _site(url: str) -> str:
    return (host_of(url) or "").removeprefix("www.")


def _version_hash(kind: str, hashed: str, config: dict[str, Any]) -> str:
    versions: list[str] = [feature_version(kind)]
    if kind == "transformer":
        # the artefact also holds spaCy-feature parts (the blended fast model, the wide part):
        # a spaCy-only feature bump must give a new version, not the old folder, which the
        # new code refuses to load (versions are never rewritten)
        versions.append(feature_version("spacy"))
    payload = json.dumps([kind, hashed, *versions, config], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]
