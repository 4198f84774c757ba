"""``supplylinks train``: train a link classifier, register it, print its evaluation.

Trains on the ``train`` split of the labelled contexts (plus, with ``--weak``, confidently
rule-labelled contexts from a JSONL file such as crawl output), evaluates on the ``dev``
split next to the ``rules`` baseline and the model currently in use, and registers the
version. It becomes the default when it scores at least as well as the model in use
(``--promote``). If the data has a held-out ``test`` split, the model and the rules are
scored on it as well (printed and stored; never used to choose). The last printed line is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from models.registry import DEFAULT_KIND, KINDS
from pipelines.cli import UserError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("train", help="train, evaluate and register a link classifier")
    parser.add_argument(
        "--kind", choices=KINDS, default=DEFAULT_KIND, help=f"model kind (default: {DEFAULT_KIND})"
    )
    parser.add_argument(
        "--data",
        action="append",
        help="labelled JSONL, repeatable (default: data_samples/labelled/*.jsonl)",
    )
    parser.add_argument("--weak", help="JSONL of unlabelled link contexts to weak-label")
    parser.add_argument("--weak-limit", type=int, default=20_000, help="max weak examples")
    parser.add_argument("--base-model", help="local transformers model folder (transformer)")
    parser.add_argument("--epochs", type=int, help="training epochs (default: per kind)")
    parser.add_argument("--models", help="registry folder (default: $SUPPLYLINKS_MODELS)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="override one training config value, e.g. --set learn_rate=1e-4 (repeatable)",
    )
    parser.add_argument(
        "--cv",
        type=int,
        metavar="K",
        help="instead of training: K-fold check over the hand-written train rows, grouped "
        "by source site (the proxy for unseen text; reads no test row, registers nothing)",
    )
    parser.add_argument(
        "--promote",
        choices=("if-better", "always", "never"),
        default="if-better",
        help="make the new version the default (if-better: macro-F1 >= the model in use)",
    )
    parser.set_defaults(func=run)


LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


def run(args: argparse.Namespace) -> int:
    """Train under a bar of epochs on a TTY (the log lines above it); plain logs elsewhere."""
    from pipelines.progress import BarLogHandler, bar, interactive

    root = logging.getLogger()
    with bar(f"train {args.kind}", unit="epoch") as shown:
        above = BarLogHandler(shown, logging.Formatter(LOG_FORMAT)) if interactive() else None
        if above is None:
            logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
        else:
            root.addHandler(above)
            root.setLevel(logging.INFO)
        try:
            return _train(args)
        finally:
            if above is not None:
                root.removeHandler(above)


def _train(args: argparse.Namespace) -> int:
    from models.data import load_labelled, weak_examples
    from models.evaluation import format_hard_report, format_report
    from models.registry import Registry
    from models.training import split_examples, train_model

    try:
        labelled = load_labelled(args.data or None)
        split_examples(labelled)  # a clear error if train or dev is missing
        held_out = [e for e in labelled if e.split != "train"]
        weak = []
        if args.weak:
            rows = _read_jsonl(Path(args.weak))
            weak = weak_examples(rows, exclude=held_out, limit=args.weak_limit)
    except (FileNotFoundError, ValueError) as exc:
        raise UserError(str(exc)) from None
    config: dict = _overrides(args.set)
    if args.epochs:
        config["epochs"] = args.epochs
    if args.base_model:
        if args.kind != "transformer":
            raise UserError("--base-model applies to --kind transformer only")
        config["base_model"] = str(Path(args.base_model).expanduser().resolve())
    if args.cv:
        return _cross_validate(args, labelled, weak, config)
    try:
        result = train_model(
            args.kind,
            labelled,
            weak=weak,
            config=config,
            registry=Registry(args.models) if args.models else None,
            promote=args.promote,
        )
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    columns = {result.baseline_name: result.baseline}
    in_use = result.in_use.get("version")
    if in_use and in_use not in (result.baseline_name, result.version):
        columns[in_use + " (in use)"] = result.in_use["evaluation"]
    columns[result.version] = result.evaluation
    print(format_report(columns))
    if result.test is not None and result.baseline_test is not None:
        test_columns = {result.baseline_name: result.baseline_test, result.version: result.test}
        print("\n" + format_report(test_columns, split="held-out test"))
    if result.hard_dev is not None and result.baseline_hard_dev is not None:
        columns = {result.baseline_name: result.baseline_hard_dev, result.version: result.hard_dev}
        print("\n" + format_hard_report(columns, "hard dev split (handwritten_hard_dev.jsonl)"))
    if result.hard is not None and result.baseline_hard is not None:
        hard_columns = {result.baseline_name: result.baseline_hard, result.version: result.hard}
        print("\n" + format_hard_report(hard_columns))
    print(f"\nregistered {result.version} at {result.path}; default: {result.promoted}")
    summary = {
        "version": result.version,
        "kind": args.kind,
        "macro_f1": result.evaluation.macro_f1,
        "per_label_f1": {k: v["f1"] for k, v in result.evaluation.per_label.items()},
        "rules_macro_f1": result.baseline.macro_f1,
        "test_macro_f1": result.test.macro_f1 if result.test else None,
        "test_per_label_f1": (
            {k: v["f1"] for k, v in result.test.per_label.items()} if result.test else None
        ),
        "rules_test_macro_f1": result.baseline_test.macro_f1 if result.baseline_test else None,
        "hard_dev": result.hard_dev.summary() if result.hard_dev else None,
        "hard": result.hard.summary() if result.hard else None,
        "rules_hard": result.baseline_hard.summary() if result.baseline_hard else None,
        "in_use": in_use,
        "in_use_macro_f1": result.in_use["evaluation"].macro_f1 if in_use else None,
        "promoted": result.promoted,
        "train": result.meta.training,
        "path": str(result.path),
    }
    print(json.dumps(summary))
    return 0


def _overrides(pairs: list[str]) -> dict:
    """``KEY=JSON`` pairs as a config dict (a bare word that is not JSON is a string)."""
    config = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise UserError(f"--set {pair!r}: expected KEY=VALUE")
        try:
            config[key] = json.loads(value)
        except ValueError:
            config[key] = value
    return config


def _cross_validate(args: argparse.Namespace, labelled, weak, config: dict) -> int:
    from models.evaluation import format_report
    from models.rules import RULES_VERSION, RulesClassifier
    from models.training import cross_validate, evaluate_model, handwritten_folds

    if weak:
        raise UserError("--cv takes the labelled train split only (no --weak)")
    try:
        evaluation = cross_validate(args.kind, labelled, config=config, folds=args.cv)
    except (FileNotFoundError, ValueError) as exc:
        raise UserError(str(exc)) from None
    held = [e for _, fold in handwritten_folds(labelled, args.cv) for e in fold]
    rules = evaluate_model(RulesClassifier(), held)
    split = f"{args.cv}-fold hand-written train (by site)"
    print(format_report({RULES_VERSION: rules, args.kind: evaluation}, split=split))
    summary = {
        "cv_folds": args.cv,
        "kind": args.kind,
        "config": config,
        "macro_f1": evaluation.macro_f1,
        "per_label_f1": {k: v["f1"] for k, v in evaluation.per_label.items()},
        "rules_macro_f1": rules.macro_f1,
    }
    print(json.dumps(summary))
    return 0


def _read_jsonl(path: Path):
    """Rows of a JSONL file; lines that are not JSON objects are counted and skipped."""
    skipped = 0
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                row = json.loads(line)
            except ValueError:
                skipped += 1
                continue
            if isinstance(row, dict):
                yield row
            else:
                skipped += 1
    if skipped:
        logging.getLogger(__name__).warning(
            "%s: skipped %d lines that are not JSON objects", path, skipped
        )
