"""``supplylinks classify`` and ``supplylinks train``: input/output contract and errors."""

from __future__ import annotations

import json

import pytest

from pipelines.cli import main
from tests.models.labelled_fixture import write_labelled


@pytest.fixture(autouse=True)
def empty_registry(tmp_path, monkeypatch):
    monkeypatch.setenv("SUPPLYLINKS_MODELS", str(tmp_path / "models"))


def _lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_classify_writes_one_row_per_good_line_and_names_bad_lines(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(
            {
                "id": "a",
                "section_heading": "Unsere Lieferanten",
                "anchor_text": "Bosch",
                "dst_url": "https://bosch.de",
                "colour": "ignored",
            }
        )
        + "\n"
        + "{not json\n"
        + "\n"
        + json.dumps({"id": 7, "context": ["not", "a", "string"]})
        + "\n"
        + json.dumps([1, 2])
        + "\n"
        + json.dumps({"id": "b", "dst_url": "https://www.facebook.com/acme"})
        + "\n"
        + json.dumps({})
        + "\n"
    )
    out = tmp_path / "out.jsonl"
    code = main(["classify", "--input", str(source), "--output", str(out), "--model", "rules"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{source}:2: skipped" in err and f"{source}:4: skipped" in err and "'context'" in err
    assert f"{source}:5: skipped" in err and "JSON object" in err
    assert "classified 3 rows with rules-2; rejected 3 lines" in err
    rows = _lines(out)
    assert [r["id"] for r in rows] == ["a", "b", None]
    assert rows[0] == {
        "id": "a",
        "label": "supplier",
        "confidence": 0.75,
        "model_version": "rules-2",
    }
    assert rows[1]["label"] == "other"


def test_classify_all_good_exits_zero_and_uses_the_default_model(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "anchor_text": "Partner"}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["classify", "--input", str(source), "--output", str(out)]) == 0
    assert _lines(out)[0]["model_version"] == "rules-2"  # nothing registered yet


def test_classify_unknown_model_is_a_user_error(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text("{}\n")
    code = main(
        [
            "classify",
            "--input",
            str(source),
            "--output",
            str(tmp_path / "o"),
            "--model",
            "spacy-missing",
        ]
    )
    assert code == 1 and "unknown model 'spacy-missing'" in capsys.readouterr().err


def test_train_registers_prints_evaluation_and_classify_uses_it(tmp_path, capsys):
    data = write_labelled(tmp_path / "labelled.jsonl")
    assert main(["train", "--kind", "spacy", "--data", str(data), "--epochs", "6"]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(printed[-1])
    assert summary["version"].startswith("spacy-") and summary["promoted"] is True
    assert "macro-F1" in "\n".join(printed) and "rules-2" in "\n".join(printed)
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x", "section_heading": "Unsere Kunden"}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["classify", "--input", str(source), "--output", str(out)]) == 0
    assert _lines(out)[0]["model_version"] == summary["version"]


def test_train_with_bad_data_is_a_user_error(tmp_path, capsys):
    data = tmp_path / "bad.jsonl"
    data.write_text(json.dumps({"label": "competitor", "split": "train"}) + "\n")
    assert main(["train", "--data", str(data)]) == 1
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_evaluate_scores_models_on_an_outside_split_and_names_bad_lines(tmp_path, capsys):
    rows = [
        {"id": "o1", "section_heading": "Unsere Lieferanten", "anchor_text": "Bosch",
         "dst_url": "https://bosch.de", "label": "supplier", "kind": "logo_wall",
         "lang": "de", "split": "outside"},
        {"id": "o2", "dst_url": "https://www.facebook.com/acme", "anchor_text": "Facebook",
         "label": "other", "lang": "en", "split": "outside"},
    ]  # fmt: skip
    data = tmp_path / "outside.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["evaluate", "--data", str(data), "--model", "rules"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{data}, n=2"
    summary = json.loads(out[-1])["rules-2"]
    assert summary["n"] == 2 and summary["accuracy"] == 1.0
    assert summary["kind_accuracy"] == {"all": 1.0, "logo_wall": 1.0}
    assert summary["lang_kind_accuracy"] == {"de": {"logo_wall": 1.0}, "en": {"all": 1.0}}

    data.write_text(json.dumps(rows[0]) + "\n" + json.dumps({**rows[1], "label": "friend"}) + "\n")
    assert main(["evaluate", "--data", str(data), "--model", "rules"]) == 1
    err = capsys.readouterr().err
    assert f"{data}:2: " in err and "friend" in err
