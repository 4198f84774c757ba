"""``supplylinks extract`` and ``supplylinks bench extract`` on fixture and real WARC files."""

from __future__ import annotations

import json

import pytest

from pipelines.cli import main
from tests.extraction.builders import gz, html_record, page

BODY = (
    "<h2>Unsere Kunden</h2><p>Wir beliefern <a href='https://www.bmw.de/'>BMW</a> seit 2010.</p>"
    "<a href='/kontakt'>Kontakt</a><a href='mailto:info@acme.de'>Mail</a>"
)


@pytest.fixture
def warc_dir(tmp_path):
    folder = tmp_path / "warcs"
    folder.mkdir()
    first = gz(html_record(page(body=BODY), url="https://www.acme.de/referenzen/"))
    broken = gz(html_record(page(), url="https://www.acme.de/x").replace(b"WARC/1.0", b"XX", 1))
    (folder / "a.warc.gz").write_bytes(first + broken + first)
    (folder / "b.warc.gz").write_bytes(gz(html_record(page(body=BODY), url="https://b.com/")))
    (folder / "notes.txt").write_text("not a WARC")
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("company_id,name,domains,country\nC1,Acme,acme.de,DE\nC2,BMW,bmw.de,DE\n")
    return folder, seeds, len(first)


def last_json_line(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def test_extract_writes_jsonl_and_one_summary_line(warc_dir, tmp_path, capsys) -> None:
    folder, seeds, broken_offset = warc_dir
    out = tmp_path / "out"
    code = main(["extract", str(folder), "--out", str(out), "--seeds", str(seeds)])
    assert code == 0
    stdout = capsys.readouterr().out
    assert len(stdout.strip().splitlines()) == 1
    summary = json.loads(stdout)
    assert summary["files"] == 2
    assert summary["records_read"] == 4  # 3 pages and the broken record
    assert summary["pages"] == 3 and summary["links"] == 6
    assert summary["skipped"] == {"link_mailto_href": 3}
    errors = [(e["file"].endswith("a.warc.gz"), e["offset"]) for e in summary["errors"]]
    assert errors == [(True, broken_offset)]
    pages = [json.loads(line) for line in (out / "pages.jsonl").read_text().splitlines()]
    links = [json.loads(line) for line in (out / "links.jsonl").read_text().splitlines()]
    assert [p["company_id"] for p in pages] == ["C1", "C1", None]
    bmw = next(link for link in links if link["dst_domain"] == "bmw.de")
    assert bmw["src_domain"] == "acme.de" and bmw["context"]
    assert bmw["fetch_time"] == "2024-05-18T01:58:14+00:00"


def test_extract_real_warcs_with_fastwarc(real_warc, tmp_path, capsys) -> None:
    out = tmp_path / "real"
    files = [str(real_warc / "whirlwind.warc.gz"), str(real_warc / "example.warc.gz")]
    assert main(["extract", *files, "--out", str(out), "--reader", "fastwarc"]) == 0
    summary = last_json_line(capsys.readouterr().out)
    assert summary["pages"] == 4 and summary["records_read"] == 7
    assert summary["skipped"]["request"] == 1 and summary["errors"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "/no/such/path", "--out", "OUT"], "no such file or directory"),
        (["extract", "EMPTY", "--out", "OUT"], "no WARC files"),
        (["extract", "EMPTY", "--out", "OUT", "--seeds", "/no/seeds.csv"], "no WARC files"),
    ],
)
def test_extract_user_errors(args, message, tmp_path, capsys) -> None:
    (tmp_path / "empty").mkdir()
    args = [a.replace("EMPTY", str(tmp_path / "empty")).replace("OUT", str(tmp_path / "o"))
            for a in args]  # fmt: skip
    assert main(args) == 1
    assert message in capsys.readouterr().err


def test_bench_extract_prints_figures_and_a_json_last_line(warc_dir, capsys) -> None:
    folder, _, _ = warc_dir
    code = main(["bench", "extract", "--file", str(folder / "b.warc.gz"), "--repeat", "1"])
    assert code == 0
    out = capsys.readouterr().out
    assert "full/bare ratio" in out
    figures = last_json_line(out)
    assert figures["full"]["pages"] == 1 and figures["bare"]["links"] == 3
    for key in ("read_warcio", "read_fastwarc", "bare", "full"):
        assert figures[key]["records_per_s"] > 0 and figures[key]["mb_per_s"] > 0
    assert figures["ratio_full_bare"] > 0 and figures["reader"] in ("warcio", "fastwarc")
