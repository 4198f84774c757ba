"""The local driver JVM's class archive is used when present and never required."""

from __future__ import annotations

from pathlib import Path

from spark_jobs import jvm_archive


def test_java_options_name_the_archive_only_when_it_exists(tmp_path, monkeypatch) -> None:
    archive = tmp_path / "spark.jsa"
    monkeypatch.setenv(jvm_archive.ARCHIVE_ENV, str(archive))
    assert jvm_archive.java_options() == ""
    archive.write_bytes(b"not really an archive")  # a JVM ignores a bad one (checked by hand)
    options = jvm_archive.java_options().split()
    assert f"-XX:SharedArchiveFile={archive}" in options and "-Xshare:auto" in options


def test_default_archive_is_per_pyspark_version_and_java_binary(tmp_path, monkeypatch) -> None:
    import pyspark

    monkeypatch.delenv(jvm_archive.ARCHIVE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    paths = []
    for name in ("jdk-a", "jdk-b"):
        java = tmp_path / name / "bin" / "java"
        java.parent.mkdir(parents=True)
        java.write_text("#!/bin/sh\n")
        java.chmod(0o755)
        monkeypatch.setenv("JAVA_HOME", str(java.parent.parent))
        paths.append(jvm_archive.archive_path())
    assert paths[0] != paths[1]
    for path in paths:
        assert path.parent == Path(tmp_path) / "supplylinks"
        assert path.name.startswith(f"spark-{pyspark.__version__}-") and path.suffix == ".jsa"


def test_default_archive_is_per_pyspark_install(tmp_path, monkeypatch) -> None:
    """Two clones, two venvs: the same PySpark version at two places has two class paths,
    and a JVM rejects an archive recorded with the other one."""
    import pyspark

    monkeypatch.delenv(jvm_archive.ARCHIVE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    here = jvm_archive.archive_path()
    elsewhere = tmp_path / "other-venv" / "pyspark"
    elsewhere.mkdir(parents=True)
    monkeypatch.setattr(pyspark, "__file__", str(elsewhere / "__init__.py"))
    assert jvm_archive.archive_path() != here
