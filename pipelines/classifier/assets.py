"""The ``link_classifier`` asset: retrain, evaluate and register the link classifier.

Trains on the labelled contexts (+ rule-labelled contexts of the latest ``company_links``
crawl), evaluates on the labelled dev split next to the ``rules`` baseline and the model in
use (and reports the held-out test split, which the checks do not read), registers the
version and, if it is at least as good as the model in use, makes it the registry default.
Its data version is the model version, so ``company_links`` partitions (which depend on it)
turn stale when a new model is trained and a backfill relabels them.

Exports for ``pipelines.definitions``: ``classifier_assets``, ``classifier_checks`` and the
resource ``ClassifierConfig`` (key ``classifier_config``).
"""

from dagster import (
    AssetExecutionContext,
    DataVersion,
    MaterializeResult,
    MetadataValue,
    asset,
)

from pipelines.classifier.checks import classifier_checks
from pipelines.classifier.resources import ClassifierConfig
from pipelines.classifier.weak import latest_link_contexts
from pipelines.metadata import confusion_matrix_metadata

__all__ = ["ClassifierConfig", "classifier_assets", "classifier_checks", "link_classifier"]

GROUP = "classifier"
OWNERS = ["team:supplylinks"]


@asset(
    name="link_classifier",
    group_name=GROUP,
    kinds={"pytorch", "spacy"},  # the default kind (transformer) and the fast one
    owners=OWNERS,
    description="The link-relation classifier: trained, evaluated on dev, registered.",
)
def link_classifier(
    context: AssetExecutionContext, classifier_config: ClassifierConfig
) -> MaterializeResult:
    from models.data import load_labelled, weak_examples
    from models.evaluation import format_report
    from models.registry import Registry
    from models.training import split_examples, train_model

    cfg = classifier_config
    labelled = load_labelled(cfg.labelled or None)
    split_examples(labelled)  # a clear error if train or dev is missing
    held_out = [e for e in labelled if e.split != "train"]
    weak, weak_crawl = [], None
    if cfg.use_weak_labels:
        weak_crawl, rows = latest_link_contexts(cfg.warehouse, cfg.weak_limit)
        weak = weak_examples(rows, exclude=held_out, limit=cfg.weak_limit)
        context.log.info(f"{len(weak)} weak examples from {len(rows)} contexts of {weak_crawl}")
    result = train_model(
        cfg.kind,
        labelled,
        weak=weak,
        config=cfg.training_config(),
        registry=Registry(cfg.models or None),
        promote=cfg.promote,
    )
    in_use_version = result.in_use["version"]
    in_use = result.in_use["evaluation"]
    report = format_report(
        {result.baseline_name: result.baseline, f"{in_use_version} (in use)": in_use}
        | {result.version: result.evaluation}
    )
    context.log.info("\n" + report)
    return MaterializeResult(
        metadata={
            "version": result.version,
            "kind": cfg.kind,
            "path": str(result.path),
            "macro_f1": result.evaluation.macro_f1,
            "per_label_f1": MetadataValue.json(
                {k: v["f1"] for k, v in result.evaluation.per_label.items()}
            ),
            "rules_macro_f1": result.baseline.macro_f1,
            **_test_metadata(result),
            **_hard_metadata(result),
            "in_use_version": in_use_version,
            "in_use_macro_f1": in_use.macro_f1,
            "promoted": result.promoted,
            "dev_examples": result.evaluation.n,
            "labelled_train_examples": result.meta.training["labelled_train"],
            "weak_examples": len(weak),
            "weak_crawl": weak_crawl or "",
            "training_data_hash": result.meta.training_data_hash,
            "report": MetadataValue.md(f"```\n{report}\n```"),
            **confusion_matrix_metadata(context.instance, result.version, result.evaluation),
        },
        data_version=DataVersion(result.version),
    )


def _test_metadata(result) -> dict:
    """Held-out test figures (reported, never used by the checks, which read dev)."""
    if result.test is None:
        return {}
    return {
        "test_macro_f1": result.test.macro_f1,
        "test_per_label_f1": MetadataValue.json(
            {k: v["f1"] for k, v in result.test.per_label.items()}
        ),
        "rules_test_macro_f1": result.baseline_test.macro_f1,
        "test_examples": result.test.n,
    }


def _hard_metadata(result) -> dict:
    """The hard split (logo walls, misleading cues, prose): the ``hard_*`` checks read it."""
    if result.hard is None:
        return {}
    summary = result.hard.summary()
    return {
        "hard_macro_f1": summary["macro_f1"],
        "hard_per_label_f1": MetadataValue.json(summary["per_label_f1"]),
        "hard_kind_accuracy": MetadataValue.json(summary["kind_accuracy"]),
        "hard_lang_macro_f1": MetadataValue.json(summary["lang_macro_f1"]),
        "hard_lang_kind_accuracy": MetadataValue.json(summary["lang_kind_accuracy"]),
        "rules_hard_macro_f1": result.baseline_hard.overall.macro_f1,
        "hard_examples": summary["n"],
    }


classifier_assets = [link_classifier]
