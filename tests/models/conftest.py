"""Fixtures for the model tests: a labelled fixture file and an empty registry per test."""

from __future__ import annotations

import pytest

from models.data import load_labelled
from models.registry import Registry
from tests.models.labelled_fixture import write_labelled


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """An empty registry that is also what ``load_model("default")`` sees."""
    root = tmp_path / "models"
    monkeypatch.setenv("SUPPLYLINKS_MODELS", str(root))
    return Registry(root)


@pytest.fixture
def labelled_path(tmp_path):
    return write_labelled(tmp_path / "labelled.jsonl")


@pytest.fixture
def labelled(labelled_path):
    return load_labelled(labelled_path)
