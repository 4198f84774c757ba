"""Training data: labelled JSONL errors name the line; weak labels are confident and new."""

from __future__ import annotations

import json

import pytest

from models.data import data_hash, load_labelled, weak_examples


def test_bad_labelled_line_names_file_and_line(tmp_path):
    path = tmp_path / "l.jsonl"
    good = {"id": "1", "anchor_text": "x", "label": "partner", "split": "train"}
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "split": "holdout"}) + "\n")
    with pytest.raises(ValueError, match=r"l.jsonl:2: unknown split 'holdout'"):
        load_labelled(path)


def test_weak_examples_keep_confident_rules_and_skip_dev_contexts(labelled):
    dev = [e for e in labelled if e.split == "dev"]
    dev_row = {
        f: getattr(dev[0].link, f)
        for f in ("anchor_text", "section_heading", "context", "src_url", "dst_url")
    }
    rows = [
        {"id": "w1", "section_heading": "Unsere Lieferanten", "anchor_text": "Bosch"},
        {"id": "w2", "anchor_text": "Some firm"},  # no rule fires: not a training label
        {"id": "w3", "section_heading": "Unsere Lieferanten", "anchor_text": "Bosch"},  # dup
        {"id": "w4", "context": 5},  # wrong type: skipped
        dev_row,
    ]
    weak = weak_examples(rows, exclude=dev)
    assert [(e.id, e.label, e.source) for e in weak] == [("w1", "supplier", "weak")]


def test_data_hash_changes_with_labels(labelled):
    from dataclasses import replace

    changed = [replace(labelled[0], label="other"), *labelled[1:]]
    assert data_hash(labelled) == data_hash(list(reversed(labelled)))
    assert data_hash(labelled) != data_hash(changed)
