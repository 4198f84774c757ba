"""Training data: labelled JSONL errors name the line; weak labels are confident and new."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from extraction.labels import RELATION_LABELS
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


def test_several_files_load_together_and_a_repeated_id_names_both_places(tmp_path):
    row = {"id": "1", "anchor_text": "x", "label": "partner", "split": "train"}
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps(row) + "\n")
    second.write_text(json.dumps({**row, "id": "2", "split": "test"}) + "\n")
    assert [e.split for e in load_labelled([first, second])] == ["train", "test"]
    second.write_text(json.dumps(row) + "\n")
    with pytest.raises(ValueError, match=r"b.jsonl:1: id '1' also at .*a.jsonl:1"):
        load_labelled([first, second])


def test_default_sources_hold_a_hand_written_test_split_of_every_label_and_language():
    examples = load_labelled()
    splits = Counter(e.split for e in examples)
    assert splits["train"] >= 600 and splits["dev"] >= 200 and splits["test"] >= 175
    test = [e for e in examples if e.split == "test"]
    per_label = Counter(e.label for e in test)
    assert set(per_label) == set(RELATION_LABELS) and min(per_label.values()) >= 25
    assert {e.lang for e in test} == {"de", "en"}
    # held out: no test context or target is a training one
    train = [e for e in examples if e.split == "train"]
    assert not {e.link.context for e in test} & {
        e.link.context for e in train if len(e.link.context) > 12
    }
    assert not {e.link.dst_url for e in test} & {e.link.dst_url for e in train}
