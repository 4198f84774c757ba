"""Session fixtures: the known warehouse of ``graph_fixture``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pipelines.graph.graph_fixture import build_warehouse


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture(scope="session")
def seeds_csv(warehouse: Path) -> Path:
    pytest.importorskip("extraction.companies", reason="extraction.companies not built yet")
    return warehouse / "companies.csv"
