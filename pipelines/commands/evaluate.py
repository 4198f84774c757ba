"""``supplylinks evaluate``: score models on a labelled JSONL file of your own.

The hard split a model is trained next to is committed with the project; a split kept
outside it (written by someone else, labelled from your own crawl) is the check that no
tuning leaked into the figures. Rows carry the classifier's input fields plus ``label``
and, optionally, ``kind`` (``logo_wall`` | ``misleading`` | ``prose``) and ``lang``; the
report gives per-label F1, macro-F1, accuracy per kind and per language for each model,
side by side with the rules. Nothing is trained or registered. The last printed line is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipelines.cli import UserError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("evaluate", help="score models on a labelled JSONL file")
    parser.add_argument("--data", required=True, help="labelled JSONL (needs a label per row)")
    parser.add_argument(
        "--model",
        action="append",
        help="rules | default | a registered version | an artefact folder (repeatable; "
        "default: rules and default)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from models import load_model
    from models.data import load_for_scoring
    from models.evaluation import format_hard_report
    from models.training import evaluate_model_hard

    path = Path(args.data)
    try:
        examples = load_for_scoring(path)
        models = [load_model(ref) for ref in args.model or ["rules", "default"]]
    except (ValueError, FileNotFoundError, KeyError) as exc:
        raise UserError(str(exc)) from None
    if not examples:
        raise UserError(f"{path}: no labelled rows")
    evaluations = {model.version: evaluate_model_hard(model, examples) for model in models}
    print(format_hard_report(evaluations, title=str(path)))
    print(json.dumps({version: e.summary() for version, e in evaluations.items()}))
    return 0
