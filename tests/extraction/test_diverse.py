"""The diverse benchmark generator: reproducible, Common Crawl-shaped, and really diverse."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from warcio.archiveiterator import ArchiveIterator

from extraction.extract import ExtractStats, extract_warc
from extraction.synthetic import write_diverse_warc
from extraction.synthetic.diverse import firm
from extraction.warc import ReadStats, iter_html_records
from pipelines.cli import main

PAGES = 60


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("diverse") / "bench.warc.gz"
    summary = write_diverse_warc(path, PAGES, seed=7)
    assert summary["records"] == PAGES
    return path


@pytest.fixture(scope="module")
def extracted(crawl) -> tuple[list, list, ExtractStats]:
    stats = ExtractStats()
    pages, links = [], []
    for page, rows in extract_warc(crawl, stats=stats):
        pages.append(page)
        links.extend(rows)
    return pages, links, stats


def responses(path: Path) -> list[tuple[str, bytes, str]]:
    with path.open("rb") as stream:
        return [
            (
                r.rec_headers.get_header("WARC-Target-URI"),
                r.content_stream().read(),
                r.http_headers.get_header("Content-Type"),
            )
            for r in ArchiveIterator(stream)
            if r.rec_type == "response"
        ]


def text_of(body: bytes, content_type: str) -> str:
    return body.decode("latin-1" if "8859" in content_type else "utf-8")


def test_same_seed_same_bytes_another_seed_another_file(crawl, tmp_path):
    write_diverse_warc(tmp_path / "bench.warc.gz", PAGES, seed=7)
    assert (tmp_path / "bench.warc.gz").read_bytes() == crawl.read_bytes()
    write_diverse_warc(tmp_path / "other" / "bench.warc.gz", PAGES, seed=8)
    assert (tmp_path / "other" / "bench.warc.gz").read_bytes() != crawl.read_bytes()


def test_a_page_does_not_depend_on_the_file_that_holds_it(crawl, tmp_path):
    write_diverse_warc(tmp_path / "tail.warc.gz", 10, seed=7, first_page=PAGES - 10)
    assert responses(tmp_path / "tail.warc.gz") == responses(crawl)[-10:]


def test_records_are_common_crawl_shaped(crawl):
    with crawl.open("rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"))
                   for r in ArchiveIterator(stream)]  # fmt: skip
    kinds = [kind for kind, _ in records]
    assert kinds[0] == "warcinfo"
    assert kinds[1:] == ["request", "response", "metadata"] * PAGES
    assert all(uri.isascii() and uri.startswith("http") for _, uri in records[1:])
    assert crawl.read_bytes().count(b"\x1f\x8b\x08") >= 1 + 3 * PAGES  # a gzip member each


def test_existing_readers_parse_every_page_without_errors(crawl, extracted):
    for reader in ("warcio", "fastwarc"):
        stats = ReadStats()
        pages = list(iter_html_records(crawl, stats=stats, reader=reader))
        assert len(pages) == PAGES and not stats.errors, reader
    _, _, stats = extracted
    assert stats.pages == PAGES and not stats.errors
    for reason in ("link_javascript_href", "link_mailto_href", "link_tel_href"):
        assert stats.skipped[reason] >= PAGES, reason
    charsets = Counter(content_type.rpartition("=")[2] for _, _, content_type in responses(crawl))
    assert charsets["ISO-8859-1"] >= 1 and charsets["UTF-8"] >= PAGES / 2


def test_pages_have_real_crawl_size_and_link_counts(crawl):
    for url, body, _ in responses(crawl):
        assert 30 * 1024 <= len(body) <= 70 * 1024, url
        hrefs = LexborHTMLParser(body).css("a[href]")
        assert 200 <= len(hrefs) <= 310, url


def test_about_a_tenth_of_links_leave_the_site_for_many_domains(extracted):
    pages, external, _ = extracted  # hyperlinks holds only the links that leave the site
    usable = sum(page["internal_links"] + page["external_links"] for page in pages)
    assert 0.07 <= len(external) / usable <= 0.14
    domains = Counter(row["dst_domain"] for row in external)
    assert len(domains) >= 10 * PAGES  # thousands in a file of a few hundred pages
    assert max(domains.values()) < 0.05 * len(external)  # no pool of favourites
    hosts_per_domain = Counter(row["dst_domain"] for row in {r["dst_host"]: r for r in external}
                               .values())  # fmt: skip
    assert sum(count >= 2 for count in hosts_per_domain.values()) >= 20  # several subdomains
    assert all(len(firm(7, index).hosts) >= 2 for index in range(200))
    suffixes = {domain.partition(".")[2] for domain in domains if domain}
    assert {"co.uk", "com.au", "co.jp", "de", "com"} <= suffixes
    assert any(domain.startswith("xn--") for domain in domains)  # IDN hosts
    assert any(re.fullmatch(r"[\d.]+", row["dst_host"]) for row in external)  # IP hosts
    urls = [row["dst_url"] for row in external]
    assert len(set(urls)) >= 0.8 * len(urls)  # external URLs drawn afresh


def test_no_sentence_or_paragraph_repeats_across_pages(crawl):
    """Paragraphs are unique; so is every sentence of running text (sentences of paragraphs
    with links are not split: a legal form such as "Pty. Ltd." ends in a full stop)."""
    seen: dict[str, str] = {}
    for url, body, content_type in responses(crawl):
        for paragraph in LexborHTMLParser(text_of(body, content_type)).css("main p"):
            text = paragraph.text()
            pieces = [text] if paragraph.css_first("a") else re.split(r"(?<=[.!])\s+", text)
            for piece in pieces:
                if len(piece.split()) >= 6:
                    assert seen.setdefault(piece, url) == url, piece
    assert len(seen) >= 20 * PAGES


def test_hrefs_take_the_forms_real_pages_use(crawl):
    hrefs = [
        a.attributes["href"]
        for _, body, content_type in responses(crawl)
        for a in LexborHTMLParser(text_of(body, content_type)).css("a[href]")
    ]
    for pattern in (r"^\.\./", r"^\?", r"^#", r"^//", r"^HTTPS?://[A-Z0-9.-]+/", r":443/",
                    r"^javascript:", r"^JavaScript:", r"^mailto:", r"^tel:", r"^ /",
                    r"^https?://[^/]*[äöü]", r"&utm_medium"):  # fmt: skip
        assert any(re.search(pattern, href) for href in hrefs), pattern
    bodies = b"".join(body for _, body, _ in responses(crawl))
    assert b"<base href=" in bodies and b'alt="Logo ' in bodies and b"<footer>" in bodies


def test_bench_extract_measures_diverse_and_pooled_pages(capsys):
    assert main(["bench", "extract", "--records", "8", "--repeat", "1", "--pages", "both"]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures["pages"] == "both" and figures["generated"]["diverse"]["records"] == 8
    for case in (figures, figures["pooled"]):
        assert case["full"]["pages"] == case["jsonl"]["pages"] == case["bare"]["pages"] == 8
        for name in ("bare", "full", "jsonl"):
            assert case[name]["records_per_s"] > 0
        assert case["ratio_full_bare"] > 0 and case["ratio_jsonl_bare"] > 0
    assert figures["full"]["links"] > figures["pooled"]["full"]["links"]
    assert figures["peak_rss_mb"] > 0 and "extract (JSONL)" in out
