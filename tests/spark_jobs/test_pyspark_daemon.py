"""The local daemon's path order: bundled PySpark zips go behind the installed package."""

from __future__ import annotations

from pathlib import Path

from spark_jobs.pyspark_daemon import bundled_zips, prefer_installed_pyspark


def _installed_pyspark(root: Path) -> Path:
    """A pip-style pyspark package with its bundled zips; returns the lib folder."""
    package = root / "site-packages" / "pyspark"
    lib = package / "python" / "lib"
    lib.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for name in ("pyspark.zip", "py4j-0.10.9.9-src.zip"):
        (lib / name).write_bytes(b"")
    return lib


def test_bundled_zips_move_behind_the_installed_package(tmp_path):
    lib = _installed_pyspark(tmp_path)
    site = str(tmp_path / "site-packages")
    path = [str(lib / "pyspark.zip"), str(lib / "py4j-0.10.9.9-src.zip"), "/app", site]
    assert prefer_installed_pyspark(path) == ["/app", site, *path[:2]]


def test_zips_of_a_spark_distribution_keep_their_place(tmp_path):
    """SPARK_HOME of a Spark distribution: no installed package vouches for the zip."""
    lib = tmp_path / "spark-4.0.0-bin" / "python" / "lib"
    lib.mkdir(parents=True)
    path = [str(lib / "pyspark.zip"), str(lib / "py4j-0.10.9.9-src.zip"), "/site-packages"]
    assert bundled_zips(path) == []
    assert prefer_installed_pyspark(path) == path


def test_other_zips_are_left_alone(tmp_path):
    lib = _installed_pyspark(tmp_path)
    other = str(lib / "deps.zip")
    path = [other, str(lib / "pyspark.zip")]
    assert prefer_installed_pyspark(path) == path
