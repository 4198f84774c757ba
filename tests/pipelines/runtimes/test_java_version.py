"""How the local runtime finds the Java version PySpark will run on."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pipelines.runtimes.local import java_version


def _java_home(root: Path, version_output: str, release: str | None) -> Path:
    """A JDK layout whose ``bin/java`` prints ``version_output`` to stderr, like java."""
    home = root / "jdk"
    (home / "bin").mkdir(parents=True)
    java = home / "bin" / "java"
    java.write_text(f"#!/bin/sh\necho '{version_output}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    if release is not None:
        (home / "release").write_text(release)
    return home


@pytest.mark.parametrize(
    ("release", "expected"),
    [
        ('JAVA_VERSION="17.0.15"\n', 17),
        ('IMPLEMENTOR="x"\nJAVA_VERSION="21"\n', 21),
        ('JAVA_VERSION="1.8.0_392"\n', 8),
    ],
)
def test_the_release_file_names_the_version(tmp_path, monkeypatch, release, expected):
    home = _java_home(tmp_path, 'openjdk version "11.0.2"', release)  # java itself disagrees
    monkeypatch.setenv("JAVA_HOME", str(home))
    assert java_version() == expected


def test_without_a_release_file_java_is_asked(tmp_path, monkeypatch):
    home = _java_home(tmp_path, 'openjdk version "17.0.9" 2023-10-17', release=None)
    monkeypatch.setenv("JAVA_HOME", str(home))
    assert java_version() == 17


def test_no_java_is_none(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "missing"))
    assert java_version() is None
