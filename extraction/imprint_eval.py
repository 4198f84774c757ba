"""Exact-match precision and recall of :mod:`extraction.imprint` on a labelled set of texts.

``python -m extraction.imprint_eval tests/extraction/data/imprint_heldout.txt`` prints, per
field (register number, VAT id, legal name), precision = correct / predicted and recall =
correct / expected, where a prediction is correct only when it equals the expected normal
form exactly, and a text with no expected value counts a prediction as a false positive.
The file format is described at the top of the held-out file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from extraction.imprint import Identity, parse_imprint, parse_imprint_html

FIELDS = ("register", "vat", "name")


@dataclass(frozen=True)
class Example:
    name: str
    format: str
    expected: dict[str, str]
    text: str


def read_examples(path: str) -> list[Example]:
    """The blocks of a labelled file (``### id | format``, expectations, ``---``, text)."""
    examples: list[Example] = []
    with open(path, encoding="utf-8") as handle:
        blocks = handle.read().split("\n### ")[1:]
    for block in blocks:
        head, _, rest = block.partition("\n")
        expectations, separator, text = rest.partition("\n---\n")
        if not separator:
            raise ValueError(f"{path}: example {head!r} has no '---' line")
        name, _, fmt = (part.strip() for part in head.partition("|"))
        expected = {}
        for line in expectations.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in FIELDS:
                expected[key.strip()] = value.strip()
        if set(expected) != set(FIELDS):
            raise ValueError(f"{path}: example {name!r} lacks one of {FIELDS}")
        examples.append(Example(name, fmt or "text", expected, text.strip("\n")))
    return examples


def predicted(identity: Identity) -> dict[str, str]:
    def value(f) -> str:
        return f.value if f is not None else ""

    return {
        "register": value(identity.register_number),
        "vat": value(identity.vat_id),
        "name": value(identity.legal_name),
    }


def evaluate(examples: list[Example]) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Per field: precision, recall, counts; plus one line per wrong prediction."""
    counts = {f: {"predicted": 0, "expected": 0, "correct": 0} for f in FIELDS}
    errors = []
    for example in examples:
        parse = parse_imprint_html if example.format == "html" else parse_imprint
        got = predicted(parse(example.text))
        for f in FIELDS:
            want = example.expected[f]
            counts[f]["predicted"] += bool(got[f])
            counts[f]["expected"] += bool(want)
            counts[f]["correct"] += bool(want) and got[f] == want
            if got[f] != want:
                errors.append(f"{example.name} {f}: expected {want!r}, got {got[f]!r}")
    scores = {}
    for f, c in counts.items():
        scores[f] = {
            **c,
            "precision": c["correct"] / c["predicted"] if c["predicted"] else 1.0,
            "recall": c["correct"] / c["expected"] if c["expected"] else 1.0,
        }
    return scores, errors


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m extraction.imprint_eval LABELLED_FILE", file=sys.stderr)
        return 2
    examples = read_examples(argv[0])
    scores, errors = evaluate(examples)
    print(f"{len(examples)} texts from {argv[0]}")
    for f, s in scores.items():
        print(
            f"{f:9s} precision {s['precision']:.3f} ({s['correct']}/{s['predicted']})  "
            f"recall {s['recall']:.3f} ({s['correct']}/{s['expected']})"
        )
    for line in errors:
        print("  miss:", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
