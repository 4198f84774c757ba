"""``supplylinks classify``: label link contexts in a JSONL file with a model.

Input rows: ``id``, ``src_url``, ``dst_url``, ``anchor_text``, ``section_heading``,
``context`` (and optionally ``region``, ``lang``, ``page_path``); any may be missing or
null, unknown fields are ignored. Output rows: ``id`` (copied verbatim, null if absent),
``label``, ``confidence``, ``model_version`` — one per good input line, in input order.

A line that is not a JSON object, or has a non-string model field, is reported on stderr
with its line number and skipped; every other line is still classified and written. The
exit status is then 1 (0 when every line was classified), and the last stderr line counts
both, so a script notices the loss and a human sees where it is. Blank lines are ignored.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from typing import IO, Any

from pipelines.cli import UserError

CHUNK = 4_096


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("classify", help="label link contexts (JSONL in, JSONL out)")
    parser.add_argument("--input", required=True, help="JSONL file of link contexts ('-': stdin)")
    parser.add_argument("--output", required=True, help="JSONL file to write ('-': stdout)")
    parser.add_argument(
        "--model",
        default=None,
        help="rules | default | a registered version | an artefact folder (default: default)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from models import load_model
    from models.features import LinkInput

    try:
        model = load_model(args.model)
    except (ValueError, FileNotFoundError, KeyError) as exc:
        raise UserError(str(exc)) from None
    classified = rejected = 0
    with ExitStack() as stack:
        source = _open(stack, args.input, "rb")
        sink = _open(stack, args.output, "w")
        pending: list[tuple[Any, LinkInput]] = []
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line.decode("utf-8"))
                if not isinstance(row, dict):
                    raise TypeError(f"expected a JSON object, got {type(row).__name__}")
                pending.append((row.get("id"), LinkInput.from_row(row)))
            except (ValueError, TypeError) as exc:
                rejected += 1
                print(f"{args.input}:{number}: skipped: {exc}", file=sys.stderr)
                continue
            if len(pending) >= CHUNK:
                classified += _flush(model, pending, sink)
        classified += _flush(model, pending, sink)
    print(
        f"classified {classified} rows with {model.version}; rejected {rejected} lines",
        file=sys.stderr,
    )
    return 1 if rejected else 0


def _flush(model, pending: list, sink: IO[str]) -> int:
    if not pending:
        return 0
    predictions = model.predict_inputs([link for _, link in pending])
    for (row_id, _), prediction in zip(pending, predictions, strict=True):
        out = {
            "id": row_id,
            "label": prediction.label,
            "confidence": round(prediction.confidence, 4),
            "model_version": model.version,
        }
        sink.write(json.dumps(out, ensure_ascii=False) + "\n")
    count = len(pending)
    pending.clear()
    return count


def _open(stack: ExitStack, name: str, mode: str) -> IO[Any]:
    if name == "-":
        return sys.stdin.buffer if mode == "rb" else sys.stdout
    try:
        encoding = None if "b" in mode else "utf-8"
        return stack.enter_context(open(name, mode, encoding=encoding))
    except OSError as exc:
        raise UserError(f"cannot open {name}: {exc.strerror}") from None
