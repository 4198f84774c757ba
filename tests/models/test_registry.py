"""Model references: rules, default (rules when nothing is registered), versions, paths."""

from __future__ import annotations

import json
import logging

import pytest

from models import load_model, resolve_model_ref


def test_default_is_rules_when_nothing_is_registered(registry, caplog):
    with caplog.at_level(logging.WARNING):
        model = load_model()
    assert model.kind == "rules" and model.version == "rules-2"
    assert "no default model registered" in caplog.text
    assert resolve_model_ref(None) == "rules"


def test_rules_model_labels_rows():
    model = load_model("rules")
    [prediction] = model.predict(
        [
            {
                "section_heading": "Unsere Lieferanten",
                "anchor_text": "Bosch",
                "dst_url": "https://bosch.de",
            }
        ]
    )
    assert prediction.label == "supplier" and 0 < prediction.confidence <= 1


def test_unknown_reference_names_the_registry(registry):
    with pytest.raises(ValueError, match="unknown model 'spacy-nope'"):
        load_model("spacy-nope")


def test_a_folder_without_meta_is_rejected(registry, tmp_path):
    with pytest.raises(FileNotFoundError, match="not a model artefact"):
        load_model(str(tmp_path))


def test_artefact_of_another_feature_version_is_refused(registry, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    meta = {
        "version": "spacy-old",
        "kind": "spacy",
        "labels": [],
        "feature_version": "f0",
        "training_data_hash": "x",
        "created": "2020-01-01T00:00:00+00:00",
    }
    (folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="retrain"):
        load_model(str(folder))
