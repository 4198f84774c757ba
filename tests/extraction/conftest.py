"""Fixtures for extraction tests: the real WARC folder and a WARC-file factory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.paths import REAL_WARC


@pytest.fixture(scope="session")
def real_warc() -> Path:
    """../shared/data/real_warc beside the repo (read in place, never copied)."""
    if not REAL_WARC.is_dir():
        pytest.skip(f"real WARC files not available: {REAL_WARC} is absent")
    return REAL_WARC


@pytest.fixture
def warc_file(tmp_path: Path) -> Callable[[bytes, str], Path]:
    """Write WARC bytes to a file under tmp_path and return its path."""

    def write(data: bytes, name: str = "test.warc.gz") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
