"""The ``supplylinks graph`` contract: tables, JSON, exit 1 on unknown domains, PNG output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.graph.render import PNG_MAGIC


@pytest.fixture(autouse=True)
def seeds_from_env(monkeypatch: pytest.MonkeyPatch, warehouse: Path) -> None:
    """The default seeds are the test's, not whatever SUPPLYLINKS_SEEDS points at."""
    monkeypatch.setenv("SUPPLYLINKS_SEEDS", str(warehouse / "companies.csv"))


def run(capsys: pytest.CaptureFixture[str], warehouse: Path, *args: str) -> tuple[int, str, str]:
    code = main(["graph", *args, "--warehouse", str(warehouse)])
    out, err = capsys.readouterr()
    return code, out, err


def test_neighbors_table(capsys: pytest.CaptureFixture[str], warehouse: Path) -> None:
    code, out, _ = run(capsys, warehouse, "neighbors", "acme.de", "--direction", "in")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["dir", "neighbor", "name", "edge"]
    assert "dyna.de -supplier-> acme.de" in lines[2]
    assert len(lines) == 2 + 3


def test_json_output_parses(capsys: pytest.CaptureFixture[str], warehouse: Path) -> None:
    code, out, _ = run(capsys, warehouse, "chain", "acme.de", "--depth", "2", "--json")
    assert code == 0
    hits = json.loads(out)
    assert {h["domain"]: h["depth"] for h in hits} == {
        "bolt.de": 1,
        "cog.co.uk": 1,
        "rawsteel.com": 2,
        "dyna.de": 2,
    }
    code, out, _ = run(capsys, warehouse, "top", "--by", "out_degree", "--limit", "1", "--json")
    assert json.loads(out)[0]["domain"] == "acme.de"
    assert json.loads(out)[0]["out_links"] == 14


def test_path_and_top_tables(capsys: pytest.CaptureFixture[str], warehouse: Path) -> None:
    code, out, _ = run(capsys, warehouse, "path", "rawsteel.com", "cog.co.uk")
    assert code == 0 and out.startswith("rawsteel.com to cog.co.uk: 2 hop(s)")
    assert "bolt.de -partner-> cog.co.uk" in out
    code, out, _ = run(capsys, warehouse, "path", "rawsteel.com", "cog.co.uk", "--directed")
    assert code == 0 and out.strip() == "no path within 4 hops"
    code, out, _ = run(capsys, warehouse, "top", "--by", "pagerank", "--limit", "3")
    assert code == 0 and "pagerank" in out.splitlines()[0]
    assert len(out.splitlines()) == 2 + 3


def test_unknown_domain_exits_1_without_traceback(
    capsys: pytest.CaptureFixture[str], warehouse: Path
) -> None:
    for query in (["neighbors", "nowhere.org"], ["company", "nowhere.org"], ["chain", "x.io"]):
        code, out, err = run(capsys, warehouse, *query)
        assert code == 1
        assert "unknown domain" in err and "Traceback" not in err
        assert out == ""


def test_missing_warehouse_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path, "top")
    assert code == 1 and "no Delta table" in err


def test_company_profile_and_png(
    capsys: pytest.CaptureFixture[str], warehouse: Path, tmp_path: Path
) -> None:
    picture = tmp_path / "acme.png"
    code, out, _ = run(capsys, warehouse, "company", "acme.com", "--png", str(picture))
    assert code == 0
    assert out.startswith("acme.de  company c1")
    assert "domains: acme.com, acme.de" in out
    assert '"Our suppliers include Bolt AG."' in out
    png = picture.read_bytes()
    assert png.startswith(PNG_MAGIC) and len(png) > 3_000  # palette PNG: small, still a picture
    code, out, _ = run(capsys, warehouse, "company", "bolt.de", "--json")
    profile = json.loads(out)
    assert profile["relations"]["supplier"] == {"out": 1, "in": 1, "out_links": 3, "in_links": 8}
