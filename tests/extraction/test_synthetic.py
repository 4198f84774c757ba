"""The sample generator: determinism, CC layout, a working index, seeds, ground truth, labels."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from extraction.commoncrawl import assign_segments, parse_collinfo, parse_warc_paths
from extraction.labels import RELATION_LABELS, check_label
from extraction.synthetic import DEFAULT_CRAWL, build_sample, write_warc
from extraction.synthetic.__main__ import main as cli_main

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "data_samples"
INDEX = f"cc-index/table/cc-main/warc/crawl={DEFAULT_CRAWL}/subset=warc/part-00000.parquet"
LEGAL_FORMS = ("GmbH", "AG", "SE", "GmbH & Co. KG", "Inc.", "Ltd.", "B.V.", "S.A.", "plc")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A small build (40 pages) in a temporary folder: same layout, quick to make."""
    root = tmp_path_factory.mktemp("small")
    build_sample(root, records=40)
    return root


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def records_at(path: Path) -> list:
    with path.open("rb") as stream:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(stream)
        ]


def test_same_seed_builds_byte_identical_trees(small, tmp_path):
    build_sample(tmp_path, records=40)
    assert files_of(tmp_path) == files_of(small)


def test_another_seed_builds_another_crawl(small, tmp_path):
    build_sample(tmp_path, records=40, seed=1)
    warcs = sorted(tmp_path.rglob("*.warc.gz"))
    assert warcs and warcs[0].read_bytes() != sorted(small.rglob("*.warc.gz"))[0].read_bytes()


def test_layout_mirrors_the_bucket(small):
    cc = small / "commoncrawl"
    paths = parse_warc_paths((cc / "crawl-data" / DEFAULT_CRAWL / "warc.paths.gz").read_bytes())
    assert len(paths) >= 4
    assert all((cc / p).is_file() for p in paths)
    assert len(set(assign_segments(paths).values())) >= 3
    assert all(Path(p).name.startswith("CC-MAIN-2024") for p in paths)
    assert parse_collinfo((cc / "collinfo.json").read_bytes()) == [DEFAULT_CRAWL]
    entry = json.loads((cc / "collinfo.json").read_text())[0]
    assert set(entry) == {"id", "name", "timegate", "cdx-api", "from", "to"}
    assert (cc / INDEX).is_file()


def test_warc_files_have_cc_record_types_and_noise(small):
    cc = small / "commoncrawl"
    paths = parse_warc_paths((cc / "crawl-data" / DEFAULT_CRAWL / "warc.paths.gz").read_bytes())
    records = [r for p in paths for r in records_at(cc / p)]
    types = Counter(kind for kind, _, _ in records)
    assert types["warcinfo"] == len(paths)
    assert types["request"] == types["response"] + types["revisit"]
    assert types["metadata"] == types["response"] and types["revisit"] == 1
    responses = [url for kind, url, _ in records if kind == "response"]
    assert any(url.endswith("/robots.txt") for url in responses)
    assert any(url.endswith(".pdf") for url in responses)
    assert max(Counter(responses).values()) == 2  # the same URL fetched twice
    first = (cc / paths[0]).read_bytes()
    assert first.count(b"\x1f\x8b\x08") >= 4  # one gzip member per record


def test_index_uses_cc_schema_and_addresses_records(small):
    pq = pytest.importorskip("pyarrow.parquet")
    cc = small / "commoncrawl"
    table = pq.read_table(cc / INDEX)
    expected = {
        "url_surtkey": "string", "url": "string", "url_host_name": "string",
        "url_host_tld": "string", "url_host_registered_domain": "string",
        "url_protocol": "string", "url_path": "string", "fetch_time": "timestamp[us, tz=UTC]",
        "fetch_status": "int16", "content_mime_type": "string",
        "content_mime_detected": "string", "content_charset": "string",
        "content_languages": "string", "warc_filename": "string",
        "warc_record_offset": "int32", "warc_record_length": "int32", "warc_segment": "string",
    }  # fmt: skip
    types = {field.name: str(field.type) for field in table.schema}
    assert {name: types.get(name) for name in expected} == expected
    rows = table.to_pylist()
    assert rows == sorted(rows, key=lambda r: (r["url_surtkey"], r["fetch_time"]))
    for row in rows:
        with (cc / row["warc_filename"]).open("rb") as stream:
            stream.seek(row["warc_record_offset"])
            member = stream.read(row["warc_record_length"])
        record = next(iter(ArchiveIterator(io.BytesIO(member))))
        assert record.rec_type in ("response", "revisit")
        assert record.rec_headers.get_header("WARC-Target-URI") == row["url"]
        assert row["warc_segment"] in row["warc_filename"]
        assert row["url"].split("/")[2] == row["url_host_name"]
        assert row["url_host_name"].endswith(row["url_host_registered_domain"])
    html = [
        r for r in rows if r["content_mime_detected"] == "text/html" and r["fetch_status"] == 200
    ]
    assert {r["content_languages"] for r in html} == {"deu", "eng"}


def test_records_scales_the_crawl(tmp_path):
    summary = build_sample(tmp_path, records=420)
    assert summary["html_pages"] == 420  # more than the natural sample: product pages added
    assert summary["commoncrawl"]["warc_files"] >= 4


def test_seed_companies_cover_languages_forms_and_domains():
    rows = list(csv.DictReader((SAMPLES / "seeds" / "companies.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["company_id", "name", "domains", "country"]
    assert len(rows) >= 40
    assert len({r["company_id"] for r in rows}) == len(rows)
    countries = Counter(r["country"] for r in rows)
    assert countries["DE"] >= 15 and countries["GB"] + countries["US"] >= 8
    assert sum(";" in r["domains"] for r in rows) >= 4
    for form in LEGAL_FORMS:
        assert any(r["name"].endswith(" " + form) for r in rows), form
    domains = [d for r in rows for d in r["domains"].split(";")]
    assert len(domains) == len(set(domains))


def test_ground_truth_links_are_on_the_source_sites():
    """Every ground-truth relation is a link from a page of the source company's site."""
    lexbor = pytest.importorskip("selectolax.lexbor")
    companies = list(csv.DictReader((SAMPLES / "seeds" / "companies.csv").open(encoding="utf-8")))
    domains_of = {r["company_id"]: r["domains"].split(";") for r in companies}
    truth = list(csv.DictReader((SAMPLES / "seeds" / "ground_truth.csv").open(encoding="utf-8")))
    assert len(truth) >= 100
    assert {check_label(r["relation"]) for r in truth} == set(RELATION_LABELS) - {"other"}
    assert any(not r["dst_company_id"] for r in truth)  # unknown registered domains too
    cc = SAMPLES / "commoncrawl"
    links: set[tuple[str, str]] = set()
    for path in parse_warc_paths(
        (cc / "crawl-data" / DEFAULT_CRAWL / "warc.paths.gz").read_bytes()
    ):
        for kind, url, body in records_at(cc / path):
            if kind != "response" or not body.lstrip().startswith(b"<"):
                continue
            host = url.split("/")[2]
            for anchor in lexbor.LexborHTMLParser(body).css("a[href]"):
                href = anchor.attributes.get("href") or ""
                if href.startswith("http"):
                    links.add((host, href.split("/")[2]))
    for row in truth:
        dst_domains = domains_of.get(row["dst_company_id"], [row["dst_domain"]])
        assert any(
            host.endswith(src) and target.endswith(dst)
            for host, target in links
            for src in domains_of[row["src_company_id"]]
            for dst in dst_domains
        ), row


def test_labelled_contexts_are_balanced_varied_and_split_by_template():
    lines = (SAMPLES / "labelled" / "link_contexts.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    fields = {"id", "src_url", "dst_url", "anchor_text", "section_heading", "context", "label"}
    assert all(fields | {"lang", "split"} <= set(row) for row in rows)
    assert len(rows) >= 700
    assert len({row["id"] for row in rows}) == len(rows)
    per_label = Counter(row["label"] for row in rows)
    assert set(per_label) == set(RELATION_LABELS)
    assert max(per_label.values()) <= 1.2 * min(per_label.values())
    for label in RELATION_LABELS:
        assert {(r["lang"], r["split"]) for r in rows if r["label"] == label} == {
            ("de", "train"), ("de", "dev"), ("en", "train"), ("en", "dev")
        }, label  # fmt: skip
    dev = [row for row in rows if row["split"] == "dev"]
    assert len(dev) >= 0.25 * len(rows)
    train_templates = {row["template"] for row in rows if row["split"] == "train"}
    assert not train_templates & {row["template"] for row in dev}
    assert all(row["anchor_text"] and row["context"] and row["dst_url"] for row in rows)
    assert len({row["context"] for row in rows}) >= 0.9 * len(rows)
    # hard case: a "Partner" heading over a dealer relation is labelled supplier
    assert any(r["label"] == "supplier" and "Partner" in r["section_heading"] for r in rows)


def test_write_warc_writes_realistic_pages_reproducibly(tmp_path):
    first = write_warc(tmp_path / "a" / "bench.warc.gz", 12, seed=3)
    write_warc(tmp_path / "b" / "bench.warc.gz", 12, seed=3)
    written = [(tmp_path / name / "bench.warc.gz").read_bytes() for name in ("a", "b")]
    assert written[0] == written[1]
    assert first["records"] == 12
    lexbor = pytest.importorskip("selectolax.lexbor")
    responses = [r for r in records_at(tmp_path / "a" / "bench.warc.gz") if r[0] == "response"]
    assert len(responses) == 12
    for _, url, body in responses:
        assert 38_000 <= len(body) <= 50_000
        hrefs = [a.attributes["href"] for a in lexbor.LexborHTMLParser(body).css("a[href]")]
        external = [h for h in hrefs if h.startswith("http") and url.split("/")[2] not in h]
        assert 180 <= len(hrefs) <= 220 and 5 <= len(external) < len(hrefs) / 4


def test_committed_sample_is_what_the_generator_builds(tmp_path):
    """data_samples/ must be rebuilt when the generator changes (README says how)."""
    build_sample(tmp_path)
    built, committed = files_of(tmp_path), files_of(SAMPLES)
    by_hand = {name for name in committed if Path(name).name.startswith("handwritten_")}
    assert by_hand and all(name.startswith("labelled/") for name in by_hand)
    assert sorted(built) == sorted(set(committed) - by_hand)
    for name, data in built.items():
        if name.endswith(".gz"):  # compare content: gzip bytes may differ across zlib builds
            assert gzip.decompress(data) == gzip.decompress(committed[name]), name
        elif not name.endswith(".parquet"):
            assert data == committed[name], name


def test_cli_builds_a_tree_and_prints_a_json_summary(tmp_path, capsys):
    assert cli_main(["--out", str(tmp_path), "--records", "10"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["html_pages"] == 10 and (tmp_path / "seeds" / "companies.csv").is_file()
