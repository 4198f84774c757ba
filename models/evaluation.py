"""Per-label precision/recall/F1, macro-F1 and the confusion matrix, printed side by side.

Macro-F1 averages the F1 of every label in the label set that occurs in the gold labels
(a label absent from the dev split would otherwise count as 0 or 1 by convention alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from extraction.labels import RELATION_LABELS


@dataclass
class Evaluation:
    labels: list[str]
    per_label: dict[str, dict[str, float]]  # label -> precision, recall, f1, support
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]  # rows: gold label, columns: predicted label (order: labels)
    n: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def f1(self, label: str) -> float:
        return self.per_label[label]["f1"]


def evaluate(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = RELATION_LABELS
) -> Evaluation:
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    index = {label: i for i, label in enumerate(labels)}
    confusion = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        confusion[index[g]][index[p]] += 1
    per_label: dict[str, dict[str, float]] = {}
    for i, label in enumerate(labels):
        tp = confusion[i][i]
        support = sum(confusion[i])
        predicted_n = sum(row[i] for row in confusion)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    present = [label for label in labels if per_label[label]["support"]]
    macro = sum(per_label[label]["f1"] for label in present) / len(present) if present else 0.0
    correct = sum(confusion[i][i] for i in range(len(labels)))
    return Evaluation(
        labels=list(labels),
        per_label=per_label,
        macro_f1=round(macro, 4),
        accuracy=round(correct / len(gold), 4) if gold else 0.0,
        confusion=confusion,
        n=len(gold),
    )


def format_report(evaluations: dict[str, Evaluation], split: str = "dev") -> str:
    """Per-label F1 of several models side by side, then each model's confusion matrix."""
    names = list(evaluations)
    first = evaluations[names[0]]
    width = max(12, *(len(n) + 2 for n in names))
    lines = [f"per-label F1 (P/R) on the {split} split, n={first.n}"]
    lines.append("label".ljust(12) + "".join(n.rjust(width + 12) for n in names) + "  support")
    for label in first.labels:
        cells = []
        for name in names:
            s = evaluations[name].per_label[label]
            cells.append(
                f"{s['f1']:.3f} ({s['precision']:.2f}/{s['recall']:.2f})".rjust(width + 12)
            )
        support = first.per_label[label]["support"]
        lines.append(label.ljust(12) + "".join(cells) + f"  {support}")
    lines.append(
        "macro-F1".ljust(12)
        + "".join(f"{evaluations[n].macro_f1:.3f}".rjust(width + 12) for n in names)
    )
    lines.append(
        "accuracy".ljust(12)
        + "".join(f"{evaluations[n].accuracy:.3f}".rjust(width + 12) for n in names)
    )
    for name in names:
        ev = evaluations[name]
        lines.append(f"\nconfusion of {name} (rows gold, columns predicted)")
        short = [label[:5] for label in ev.labels]
        lines.append(" " * 12 + "".join(s.rjust(7) for s in short))
        for label, row in zip(ev.labels, ev.confusion, strict=True):
            lines.append(label.ljust(12) + "".join(str(v).rjust(7) for v in row))
    return "\n".join(lines)


@dataclass
class HardEvaluation:
    """A model on the hard split: the overall evaluation, accuracy per ``kind`` and the
    evaluation per language (the issue's targets are per kind and per language)."""

    overall: Evaluation
    kind_accuracy: dict[str, float]
    by_lang: dict[str, Evaluation]
    #: lang -> kind -> accuracy: the targets hold per kind *in each language*.
    lang_kind_accuracy: dict[str, dict[str, float]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "macro_f1": self.overall.macro_f1,
            "accuracy": self.overall.accuracy,
            "per_label_f1": {k: v["f1"] for k, v in self.overall.per_label.items()},
            "kind_accuracy": self.kind_accuracy,
            "lang_macro_f1": {lang: ev.macro_f1 for lang, ev in self.by_lang.items()},
            "lang_accuracy": {lang: ev.accuracy for lang, ev in self.by_lang.items()},
            "lang_kind_accuracy": self.lang_kind_accuracy,
            "n": self.overall.n,
        }


def evaluate_hard(
    gold: Sequence[str], predicted: Sequence[str], kinds: Sequence[str], langs: Sequence[str]
) -> HardEvaluation:
    """:func:`evaluate` plus accuracy per kind and an evaluation per language."""
    if not len(gold) == len(predicted) == len(kinds) == len(langs):
        raise ValueError("gold, predicted, kinds and langs differ in length")
    hits = [g == p for g, p in zip(gold, predicted, strict=True)]
    kind_accuracy = _accuracy_by(hits, kinds)
    by_lang, lang_kind_accuracy = {}, {}
    for lang in sorted(set(langs)):
        idx = [i for i, value in enumerate(langs) if value == lang]
        by_lang[lang] = evaluate([gold[i] for i in idx], [predicted[i] for i in idx])
        lang_kind_accuracy[lang] = _accuracy_by([hits[i] for i in idx], [kinds[i] for i in idx])
    return HardEvaluation(evaluate(gold, predicted), kind_accuracy, by_lang, lang_kind_accuracy)


def _accuracy_by(hits: Sequence[bool], groups: Sequence[str]) -> dict[str, float]:
    accuracy = {}
    for group in sorted(set(groups)):
        rows = [hit for hit, g in zip(hits, groups, strict=True) if g == group]
        accuracy[group] = round(sum(rows) / len(rows), 4)
    return accuracy


def format_hard_report(
    evaluations: dict[str, HardEvaluation], title: str = "hard split (handwritten_hard_eval.jsonl)"
) -> str:
    """A hard split side by side: per-label F1, macro-F1, per-kind and per-language."""
    names = list(evaluations)
    width = max(14, *(len(n) + 2 for n in names))
    first = evaluations[names[0]]
    lines = [f"{title}, n={first.overall.n}"]
    lines.append("".ljust(22) + "".join(n.rjust(width) for n in names))

    def row(title: str, values: list[float]) -> None:
        lines.append(title.ljust(22) + "".join(f"{v:.3f}".rjust(width) for v in values))

    for label in first.overall.labels:
        row(f"F1 {label}", [evaluations[n].overall.f1(label) for n in names])
    row("macro-F1", [evaluations[n].overall.macro_f1 for n in names])
    row("accuracy", [evaluations[n].overall.accuracy for n in names])
    for kind in first.kind_accuracy:
        row(f"accuracy {kind}", [evaluations[n].kind_accuracy[kind] for n in names])
    for lang in first.by_lang:
        row(f"macro-F1 {lang}", [evaluations[n].by_lang[lang].macro_f1 for n in names])
        row(f"accuracy {lang}", [evaluations[n].by_lang[lang].accuracy for n in names])
        for kind in first.lang_kind_accuracy.get(lang, {}):
            row(
                f"accuracy {lang} {kind}",
                [evaluations[n].lang_kind_accuracy[lang][kind] for n in names],
            )
    return "\n".join(lines)
