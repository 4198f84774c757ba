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
from dataclasses import replace
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
    from models.evaluation import format_hard_report
    from models.training import evaluate_model_hard

    path = Path(args.data)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        examples = read_examples(path)
        models = [load_model(ref) for ref in args.model or ["rules", "default"]]
    except (ValueError, FileNotFoundError, KeyError) as exc:
        raise UserError(str(exc)) from None
    if not examples:
        raise UserError(f"{path}: no labelled rows")
    evaluations = {model.version: evaluate_model_hard(model, examples) for model in models}
    print(format_hard_report(evaluations, title=str(path)))
    print(json.dumps({version: e.summary() for version, e in evaluations.items()}))
    return 0


def read_examples(path: Path) -> list:
    """The file's rows as examples, whatever ``split`` they name (an outside split may
    name its own); a row without ``kind`` counts under ``all``. Bad lines name the line."""
    from models.data import labelled_example

    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                example = labelled_example({**row, "split": "test"})
            except (ValueError, TypeError, KeyError) as exc:
                raise UserError(f"{path}:{number}: {type(exc).__name__}: {exc}") from None
            examples.append(replace(example, kind=example.kind or "all"))
    return examples
