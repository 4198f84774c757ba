"""The hard evaluation split: its shape, that nothing trains on it, and its report."""

from __future__ import annotations

from collections import Counter

from extraction.labels import RELATION_LABELS
from extraction.targets import is_non_business
from extraction.urls import host_of, registered_domain
from models.data import (
    DEFAULT_SOURCES,
    HARD_DEV,
    HARD_EVAL,
    HARD_KINDS,
    load_hard_dev,
    load_hard_eval,
    load_labelled,
)
from models.evaluation import evaluate_hard, format_hard_report
from models.rules import RulesClassifier
from models.training import evaluate_model_hard


def _domain(url: str) -> str:
    host = host_of(url) or ""
    return registered_domain(host) or host


def test_hard_split_has_every_label_kind_and_language():
    hard = load_hard_eval()
    assert len(hard) >= 350
    labels = Counter(e.label for e in hard)
    assert set(labels) == set(RELATION_LABELS) and min(labels.values()) >= 50
    kinds = Counter(e.kind for e in hard)
    assert set(kinds) == set(HARD_KINDS)
    assert all(len(hard) / 4 <= n <= len(hard) / 2.5 for n in kinds.values())
    cells = Counter((e.label, e.kind, e.lang) for e in hard)
    assert len(cells) == len(RELATION_LABELS) * len(HARD_KINDS) * 2
    assert all(e.split == "test" for e in hard)


def test_no_training_source_overlaps_the_hard_split():
    """Not by sentence, not by target domain (public platforms of extraction/targets.py
    aside: every site links to LinkedIn), not by id; and the default data never loads it."""
    hard = load_hard_eval()
    assert HARD_EVAL not in DEFAULT_SOURCES
    training = load_labelled()  # the default sources plus the templated contexts
    assert not {e.id for e in hard} & {e.id for e in training}
    train_contexts = {e.link.context.strip().lower() for e in training if e.link.context.strip()}
    hard_contexts = {e.link.context.strip().lower() for e in hard if e.link.context.strip()}
    assert not train_contexts & hard_contexts
    train_domains = {_domain(e.link.dst_url) for e in training}
    hard_domains = {
        _domain(e.link.dst_url)
        for e in hard
        if not is_non_business(_domain(e.link.dst_url), host_of(e.link.dst_url))
    }
    assert not train_domains & hard_domains
    train_sources = {_domain(e.link.src_url) for e in training}
    assert not train_sources & {_domain(e.link.src_url) for e in hard}


def test_hard_evaluation_reports_kinds_and_languages():
    report = evaluate_hard(
        ["customer", "other", "partner", "other"],
        ["customer", "customer", "partner", "other"],
        ["logo_wall", "misleading", "prose", "misleading"],
        ["en", "de", "de", "en"],
    )
    assert report.kind_accuracy == {"logo_wall": 1.0, "misleading": 0.5, "prose": 1.0}
    assert report.by_lang["en"].accuracy == 1.0 and report.by_lang["de"].accuracy == 0.5
    assert report.lang_kind_accuracy == {
        "de": {"misleading": 0.0, "prose": 1.0},
        "en": {"logo_wall": 1.0, "misleading": 1.0},
    }
    summary = report.summary()
    assert summary["n"] == 4 and set(summary["lang_macro_f1"]) == {"de", "en"}
    text = format_hard_report({"m": report})
    assert "accuracy misleading" in text and "macro-F1 de" in text
    assert "accuracy de misleading" in text


def test_rules_on_the_hard_split():
    report = evaluate_model_hard(RulesClassifier(), load_hard_eval())
    assert report.overall.n >= 350 and 0 < report.overall.macro_f1 < 1


def test_hard_dev_split_is_apart_from_the_hard_split_and_from_training():
    """The tuning split: every label, kind and language, and no sentence, source site or
    business target shared with the hard split or with any training source."""
    dev = load_hard_dev()
    assert HARD_DEV not in DEFAULT_SOURCES and len(dev) >= 200
    labels = Counter(e.label for e in dev)
    assert set(labels) == set(RELATION_LABELS) and min(labels.values()) >= 30
    assert {(e.kind, e.lang) for e in dev} == {
        (k, lang) for k in HARD_KINDS for lang in ("en", "de")
    }
    assert all(e.split == "dev" for e in dev)
    for other in (load_hard_eval(), load_labelled()):
        contexts = {e.link.context.strip().lower() for e in other if e.link.context.strip()}
        assert not contexts & {e.link.context.strip().lower() for e in dev if e.link.context}
        assert not {_domain(e.link.src_url) for e in other} & {_domain(e.link.src_url) for e in dev}
        business = {
            _domain(e.link.dst_url)
            for e in dev
            if not is_non_business(_domain(e.link.dst_url), host_of(e.link.dst_url))
        }
        assert not {_domain(e.link.dst_url) for e in other} & business
