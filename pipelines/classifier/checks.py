"""Quality checks on the latest ``link_classifier`` materialization.

Each check is a plain function over the materialization's metadata (``*_verdict``), so it
is testable without Dagster; the ``@asset_check`` wrappers read the latest materialization
and turn the verdict into an ``AssetCheckResult``. Blocking: a failing model stops the
downstream ``company_links`` run it was trained in.
"""

from collections.abc import Callable
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetKey,
    asset_check,
)

from pipelines.classifier.resources import ClassifierConfig

ASSET = "link_classifier"
Verdict = tuple[bool, str, dict[str, Any]]


def macro_f1_floor_verdict(metadata: dict[str, Any], floor: float) -> Verdict:
    f1 = float(metadata["macro_f1"])
    passed = f1 >= floor
    text = f"{metadata['version']}: dev macro-F1 {f1:.3f} {'>=' if passed else '<'} {floor:.3f}"
    return passed, text, {"macro_f1": f1, "floor": floor}


def label_f1_floor_verdict(metadata: dict[str, Any], floor: float) -> Verdict:
    per_label = {k: float(v) for k, v in metadata["per_label_f1"].items()}
    weak = {label: f1 for label, f1 in per_label.items() if f1 < floor}
    text = (
        f"every label's dev F1 >= {floor:.2f}"
        if not weak
        else "below the floor: " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(weak.items()))
    )
    return not weak, text, {"below_floor": weak, "floor": floor}


def not_worse_verdict(metadata: dict[str, Any]) -> Verdict:
    f1 = float(metadata["macro_f1"])
    in_use = metadata.get("in_use_version")
    in_use_f1 = float(metadata.get("in_use_macro_f1") or 0.0)
    passed = in_use == metadata["version"] or f1 >= in_use_f1
    text = (
        f"{metadata['version']} macro-F1 {f1:.3f} vs model in use {in_use} {in_use_f1:.3f} "
        "(both on the same dev split)"
    )
    return passed, text, {"macro_f1": f1, "in_use_version": in_use, "in_use_macro_f1": in_use_f1}


def hard_macro_f1_verdict(metadata: dict[str, Any], floor: float, lang_floor: float) -> Verdict:
    """Macro-F1 on the hard split, overall and per language, against their floors."""
    if "hard_macro_f1" not in metadata:
        return False, "no hard-split figures in the materialization", {}
    f1 = float(metadata["hard_macro_f1"])
    by_lang = {k: float(v) for k, v in metadata["hard_lang_macro_f1"].items()}
    low = {lang: v for lang, v in by_lang.items() if v < lang_floor}
    passed = f1 >= floor and not low
    text = (
        f"{metadata['version']}: hard macro-F1 {f1:.3f} (floor {floor:.3f}); "
        + ", ".join(f"{lang} {v:.3f}" for lang, v in sorted(by_lang.items()))
        + f" (floor {lang_floor:.3f})"
    )
    return passed, text, {"hard_macro_f1": f1, "floor": floor, "below_floor_lang": low}


def hard_label_kind_verdict(
    metadata: dict[str, Any], label_floor: float, kind_floor: float
) -> Verdict:
    """Every label's hard-split F1, and the accuracy on misleading cues and on prose,
    overall and in each language (issue 15 sets its targets for English and German each)."""
    if "hard_per_label_f1" not in metadata:
        return False, "no hard-split figures in the materialization", {}
    labels = {k: float(v) for k, v in metadata["hard_per_label_f1"].items()}
    kinds = {k: float(v) for k, v in metadata["hard_kind_accuracy"].items()}
    for lang, accuracy in sorted(metadata.get("hard_lang_kind_accuracy", {}).items()):
        kinds |= {f"{lang} {k}": float(v) for k, v in accuracy.items()}
    weak = {f"F1 {k}": v for k, v in labels.items() if v < label_floor}
    weak |= {
        f"accuracy {k}": v
        for k, v in kinds.items()
        if k.rsplit(" ", 1)[-1] in ("misleading", "prose") and v < kind_floor
    }
    text = (
        f"hard split: every label F1 >= {label_floor:.2f}, misleading/prose accuracy "
        f">= {kind_floor:.2f} overall and per language"
        if not weak
        else "hard split below the floor: "
        + ", ".join(f"{k} {v:.3f}" for k, v in sorted(weak.items()))
    )
    return not weak, text, {"below_floor": weak, "kind_accuracy": kinds}


def latest_metadata(context: AssetCheckExecutionContext) -> dict[str, Any]:
    event = context.instance.get_latest_materialization_event(AssetKey(ASSET))
    if event is None or event.asset_materialization is None:
        raise RuntimeError(f"{ASSET} has never been materialized")
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


def _result(verdict: Verdict) -> AssetCheckResult:
    passed, text, metadata = verdict
    return AssetCheckResult(passed=passed, description=text, metadata=metadata)


@asset_check(asset=ASSET, blocking=True, description="Dev macro-F1 reaches the configured floor.")
def macro_f1_floor(
    context: AssetCheckExecutionContext, classifier_config: ClassifierConfig
) -> AssetCheckResult:
    return _result(macro_f1_floor_verdict(latest_metadata(context), classifier_config.min_macro_f1))


@asset_check(asset=ASSET, blocking=True, description="Every label's dev F1 reaches its floor.")
def label_f1_floor(
    context: AssetCheckExecutionContext, classifier_config: ClassifierConfig
) -> AssetCheckResult:
    return _result(label_f1_floor_verdict(latest_metadata(context), classifier_config.min_label_f1))


@asset_check(
    asset=ASSET,
    blocking=True,
    description="The new model is not worse than the model in use on the same dev split.",
)
def not_worse_than_in_use(context: AssetCheckExecutionContext) -> AssetCheckResult:
    return _result(not_worse_verdict(latest_metadata(context)))


def _hard_check(
    name: str, description: str, verdict: Callable[..., Verdict], *floors: str
) -> AssetChecksDefinition:
    """A blocking check of the latest materialization's hard-split figures: ``verdict`` of
    its metadata and the :class:`ClassifierConfig` fields named by ``floors``."""

    @asset_check(asset=ASSET, name=name, blocking=True, description=description)
    def check(
        context: AssetCheckExecutionContext, classifier_config: ClassifierConfig
    ) -> AssetCheckResult:
        values = (getattr(classifier_config, floor) for floor in floors)
        return _result(verdict(latest_metadata(context), *values))

    return check


hard_macro_f1_floor = _hard_check(
    "hard_macro_f1_floor",
    "Hard-split macro-F1, overall and per language, reaches its floor.",
    hard_macro_f1_verdict,
    "hard_min_macro_f1",
    "hard_min_lang_macro_f1",
)
hard_label_kind_floor = _hard_check(
    "hard_label_kind_floor",
    "Hard-split F1 of every label and accuracy on misleading cues and prose.",
    hard_label_kind_verdict,
    "hard_min_label_f1",
    "hard_min_kind_accuracy",
)


classifier_checks = [
    macro_f1_floor,
    label_f1_floor,
    not_worse_than_in_use,
    hard_macro_f1_floor,
    hard_label_kind_floor,
]
