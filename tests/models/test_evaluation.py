"""Per-label P/R/F1, macro-F1 and the confusion matrix on a known example."""

from __future__ import annotations

from models.evaluation import evaluate, format_report


def test_known_confusion():
    gold = ["customer", "customer", "supplier", "other"]
    pred = ["customer", "supplier", "supplier", "other"]
    ev = evaluate(gold, pred)
    assert ev.per_label["customer"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert ev.per_label["supplier"]["precision"] == 0.5
    # macro over the three labels present in gold: (0.6667 + 0.6667 + 1) / 3
    assert ev.macro_f1 == 0.7778
    assert ev.accuracy == 0.75
    row = ev.labels.index("customer")
    assert ev.confusion[row][ev.labels.index("supplier")] == 1


def test_report_shows_models_side_by_side():
    ev = evaluate(["partner"], ["partner"])
    report = format_report({"rules-2": ev, "spacy-x": ev})
    assert "rules-2" in report and "spacy-x" in report and "macro-F1" in report
