"""The proxy check for unseen text: folds over hand-written train rows, by site, no test."""

from __future__ import annotations

import json

import pytest

from models.data import load_labelled
from models.training import cross_validate, handwritten_folds
from pipelines.cli import main
from tests.models.labelled_fixture import labelled_rows, write_labelled


def _rows_with_handwritten() -> list[dict]:
    """The fixture, with its train rows of sources 0-2 marked hand-written and two test rows."""
    rows = labelled_rows(per_label=12)
    for row in rows:
        if row["split"] == "train" and row["src_url"].startswith(
            ("https://www.source0", "https://www.source1", "https://www.source2")
        ):
            row["template"] = "handwritten-train"
    rows += [
        {**rows[0], "id": "t1", "split": "test", "template": "handwritten-test"},
        {**rows[1], "id": "t2", "split": "test", "template": "handwritten-test"},
    ]
    return rows


@pytest.fixture
def examples(tmp_path):
    return load_labelled(write_labelled(tmp_path / "l.jsonl", _rows_with_handwritten()))


def test_folds_hold_out_whole_sites_of_hand_written_train_rows_only(examples):
    folds = handwritten_folds(examples, 3)
    handwritten = {e.id for e in examples if e.handwritten and e.split == "train"}
    held_ids = [e.id for _, held in folds for e in held]
    assert sorted(held_ids) == sorted(handwritten)  # each once, none of dev/test
    for train, held in folds:
        assert {e.split for e in train} == {"train"}
        assert not {e.id for e in train} & {e.id for e in held}
        held_sites = {e.link.src_url.split("/")[2] for e in held}
        assert len(held_sites) == 1  # three sites, three folds: one whole site each
        assert not any(e.link.src_url.split("/")[2] in held_sites for e in train if e.handwritten)
    assert handwritten_folds(examples, 3) == folds  # deterministic


def test_too_few_hand_written_rows_is_a_clear_error(labelled):
    with pytest.raises(ValueError, match="hand-written train rows"):
        handwritten_folds(labelled, 5)  # the plain fixture has none


def test_cross_validate_scores_every_held_out_row(examples):
    evaluation = cross_validate("spacy", examples, config={"epochs": 2}, folds=3)
    assert evaluation.n == sum(e.handwritten and e.split == "train" for e in examples)
    assert 0.0 <= evaluation.macro_f1 <= 1.0


def test_train_cv_prints_the_proxy_and_registers_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SUPPLYLINKS_MODELS", str(tmp_path / "models"))
    data = write_labelled(tmp_path / "l.jsonl", _rows_with_handwritten())
    code = main(["train", "--data", str(data), "--cv", "3", "--set", "epochs=2"])
    out = capsys.readouterr().out
    summary = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and summary["cv_folds"] == 3 and summary["config"] == {"epochs": 2}
    assert "3-fold hand-written train" in out and "test" not in out.replace("--", "")
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())
