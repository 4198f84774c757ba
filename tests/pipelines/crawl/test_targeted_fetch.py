"""``supplylinks fetch`` against the sample mirror served over HTTP with Range support: the
seed companies' records become one local WARC that ``supplylinks extract`` reads."""

from __future__ import annotations

import csv
import json

from extraction.warc import iter_html_records
from pipelines.cli import main
from spark_jobs.ccindex import lookup
from tests.paths import SAMPLES
from tests.rangeserver import Faults, mirror_with_index_listing, range_server

CC_ROOT = SAMPLES / "commoncrawl"
CRAWL = "CC-MAIN-2024-22"


def ten_firms(tmp_path) -> tuple:
    source = SAMPLES / "seeds" / "companies.csv"
    lines = source.read_text(encoding="utf-8").splitlines()[:11]
    seeds = tmp_path / "firms.csv"
    seeds.write_text("\n".join(lines) + "\n", encoding="utf-8")
    domains = [d for row in csv.DictReader(lines) for d in row["domains"].split(";")]
    return seeds, domains


def test_fetch_writes_the_seed_records_as_a_warc_that_extract_reads(tmp_path, capsys):
    seeds, domains = ten_firms(tmp_path)
    expected = sorted(lookup(str(CC_ROOT), CRAWL, domains).hits.column("url").to_pylist())
    out = tmp_path / "out"
    mirror = mirror_with_index_listing(CC_ROOT, tmp_path / "mirror")
    with range_server(mirror) as (base, log):
        code = main(
            ["fetch", "--crawl", CRAWL, "--seeds", str(seeds), "--out", str(out), "--cc-root", base]
        )
    printed = capsys.readouterr().out
    figures = json.loads(printed.strip().splitlines()[-1])
    assert code == 0 and log.ranges > figures["requests"]  # the records + the index reads
    warc = out / f"{CRAWL}-seeds.warc.gz"
    assert sorted(r.url for r in iter_html_records(warc)) == expected
    assert figures["index_rows_matched"] == figures["records_parsed"] == len(expected) > 20
    assert figures["bytes_fetched"] == warc.stat().st_size
    assert "rows matched" in printed and "bytes in" in printed

    assert main(["extract", str(warc), "--out", str(tmp_path / "x"), "--seeds", str(seeds)]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["pages"] == len(expected) and not summary["errors"]


def test_fetch_names_the_records_it_could_not_fetch_and_exits_1(tmp_path, capsys):
    seeds, domains = ten_firms(tmp_path)
    hits = lookup(str(CC_ROOT), CRAWL, domains).hits
    broken = hits.column("warc_filename")[0].as_py()
    lost = hits.column("warc_filename").to_pylist().count(broken)
    mirror = mirror_with_index_listing(CC_ROOT, tmp_path / "mirror")
    with range_server(mirror, Faults(short_by={broken: 5})) as (base, _log):
        code = main(
            ["fetch", "--crawl", CRAWL, "--seeds", str(seeds), "--out", str(tmp_path / "o"),
             "--cc-root", base, "--max-pages-per-domain", "50"]
        )  # fmt: skip
    captured = capsys.readouterr()
    figures = json.loads(captured.out.strip().splitlines()[-1])
    assert code == 1
    assert figures["failures_by_kind"] == {"wrong_length": lost}
    assert figures["records_parsed"] == hits.num_rows - lost
    assert f"failed: {broken} at offset " in captured.err
