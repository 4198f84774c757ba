"""URL normalisation, fast resolution and registered domains."""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from html import escape

import idna
import pytest
import tldextract

from extraction.html import parse_raw, prepare_html
from extraction.idn import to_ascii
from extraction.native import pagewalk
from extraction.synthetic.diverse import write_diverse_warc
from extraction.urls import (
    Resolver,
    host_of,
    normalize_url,
    registered_domain,
    resolve_url,
    unusable_reason,
    url_limit_reason,
    url_path,
)
from extraction.warc import iter_html_records


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://WWW.Example.COM/Path?q=1#frag", "http://www.example.com/Path?q=1"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://münchen.de/straße", "https://xn--mnchen-3ya.de/straße"),
        ("https://user:pw@example.com/", "https://example.com/"),
        ("  https://example.com/a b  ", "https://example.com/a%20b"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "ftp://example.com/", "javascript:void(0)", "http://", "http://exa mple.com/",
     "http://example.com:99999/", "http://[::1/", "mailto:a@b.de"],
)  # fmt: skip
def test_normalize_url_refuses_unusable(raw: str) -> None:
    assert normalize_url(raw) is None


BASE = "https://www.acme.de/de/ueber-uns/index.html"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://Partner.COM/x#top", "https://partner.com/x"),
        ("//cdn.example.org/a", "https://cdn.example.org/a"),
        ("/kunden/", "https://www.acme.de/kunden/"),
        ("/kunden/#liste", "https://www.acme.de/kunden/"),
        ("team.html", "https://www.acme.de/de/ueber-uns/team.html"),
        ("../partner/", "https://www.acme.de/de/partner/"),
        ("/a/../b", "https://www.acme.de/b"),
        ("?page=2", "https://www.acme.de/de/ueber-uns/index.html?page=2"),
        ("#top", "https://www.acme.de/de/ueber-uns/index.html"),
        ("  /padded ", "https://www.acme.de/padded"),
        ("http://bücher.de/", "http://xn--bcher-kva.de/"),
    ],
)
def test_resolve_url(href: str, expected: str) -> None:
    assert resolve_url(href, BASE) == expected


@pytest.mark.parametrize(
    ("href", "reason"),
    [
        ("javascript:void(0)", "javascript_href"),
        ("JavaScript:alert(1)", "javascript_href"),
        ("mailto:info@acme.de", "mailto_href"),
        ("tel:+49621", "tel_href"),
        ("data:text/html;base64,PGI+", "data_href"),
        ("", "empty_href"),
        ("   ", "empty_href"),
        ("http://exa mple.com/", "malformed_href"),
        ("https://[broken/", "malformed_href"),
        ("gopher://x.org/", "other_scheme_href"),
    ],
)
def test_unusable_hrefs_resolve_to_none_with_a_reason(href: str, reason: str) -> None:
    assert resolve_url(href, BASE) is None
    assert unusable_reason(href) == reason


def test_resolver_reports_base_host_for_relative_links() -> None:
    resolver = Resolver("https://www.acme.de/x/")
    assert resolver.resolve("/y") == ("https://www.acme.de/y", "www.acme.de")
    assert resolver.resolve("https://other.com/") == ("https://other.com/", "other.com")


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.zew.de", "zew.de"),
        ("new.siemens.com", "siemens.com"),
        ("shop.example.co.uk", "example.co.uk"),
        ("xn--mnchen-3ya.de", "xn--mnchen-3ya.de"),
        ("192.168.0.1", None),
        ("localhost", None),
        ("[::1]", None),
        ("foo.notarealtld", None),
        ("", None),
    ],
)
def test_registered_domain_from_bundled_list(host: str, domain: str | None) -> None:
    assert registered_domain(host) == domain


def test_host_and_path() -> None:
    assert host_of("https://WWW.Acme.de:8443/a") == "www.acme.de"
    assert host_of("not a url") is None
    assert url_path("https://acme.de/kunden/liste?x=1") == "/kunden/liste"
    assert url_path("https://acme.de") == "/"


# ---- the C resolver against a slow pure-Python reference ---------------------------------

_REFERENCE_PSL = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _reference_domain(host: str) -> str | None:
    """tldextract itself (no C), as extraction called it before the hot path moved to C."""
    if host.startswith("[") or host.replace(".", "").isdigit():
        return None
    return _REFERENCE_PSL(host).top_domain_under_public_suffix or None


def _reference_links(hrefs: list[str], base: str | None, page_url: str):
    """(external (position, url, host, domain) list, internal count, dropped reasons) the
    Python rules give: urllib.parse-based Resolver, tldextract, url_limit_reason."""
    page = Resolver(page_url)
    resolver = page
    if base and base.strip() and page.resolve(base.strip()):
        resolver = Resolver(page.resolve(base.strip())[0])
    page_domain = _reference_domain(page.host) if page.host else None
    external, internal, dropped, position = [], 0, Counter(), 0
    for href in hrefs:
        resolved = resolver.resolve(href) if href else None
        if resolved is None:
            dropped[unusable_reason(href)] += 1
            continue
        url, host = resolved
        refused = url_limit_reason(url, host)
        if refused:
            dropped[refused] += 1
            continue
        position += 1
        domain = page_domain if host == page.host else _reference_domain(host)
        if host == page.host or (page_domain is not None and domain == page_domain):
            internal += 1
        else:
            external.append((position, url, host, domain))
    return external, internal, dropped


def _c_and_reference(html: bytes, page_url: str) -> tuple:
    """What parse_raw (C) and the reference make of the hrefs the walk finds in ``html``."""
    prepared = prepare_html(html)[0]  # as parse_raw decodes it (cp1252 pages too)
    walked = pagewalk.walk(prepared if isinstance(prepared, bytes) else prepared.encode())
    hrefs, base = list(walked.hrefs), walked.base_href
    walked.close()
    parsed = parse_raw(html, page_url)
    links = parsed.links
    got = (
        list(zip(links.positions, links.urls, links.hosts, links.domains, strict=True)),
        links.internal,
        Counter(parsed.dropped_links),
    )
    return got, _reference_links(hrefs, base, page_url)


def _page_of(hrefs: list[str], base: str | None) -> bytes:
    anchors = "".join(f'<a href="{escape(h)}">x</a>' for h in hrefs)
    head = f'<base href="{escape(base)}">' if base else ""
    return f"<html><head>{head}</head><body>{anchors}</body></html>".encode()


TRICKY_HREFS = [
    "/a/b?x=1#f", "/a/./b/../c", "/../x", "/a//b", "/a?", "/a b", "/ä", "../up", "./x?", ".",
    "..", "x/../../y", "a//b/./", "?q=1", "?", "?#f", "#top", "", "  ", " /lead", "/trail ",
    "//cdn.Example.COM/x", "HTTPS://WWW.ACME.DE:443/", "http://acme.de:8080/a", "http://a.de:/",
    "http://a.de:99999/", "http://a.de:x/", "https://user@a.de/", "http://[::1]/",
    "https://münchen.de/straße", "https://XN--MNCHEN-3YA.de/", "https://www.bbc.co.uk./",
    "https://a.b.ck/", "https://www.ck/", "https://x.city.kawasaki.jp/", "https://foo.github.io/",
    "http://1.2.3.4/", "http://999.999.999.999/", "http://1.2.3/", "http://localhost/",
    "https://" + "l" * 64 + ".com/", "https://" + "a." * 130 + "com/", "/" + "p" * 3000,
    "/ctl\x01x", "mailto:x@acme.de", "JavaScript:void(0)", "tel:1", "ftp://a.de/", "foo:bar",
    "a_b:c", "http:/x", "https:x", "x;y", "\\\\evil", "/\\x", "https://a.de/\u00a0x",
    "https://a.de/x\u3000", "\u3000/x", "https://ex\u00e4mple.com:8443/p", "https://a..b/",
    "https://.a.com/", "https://-a.com/", "https://a_b.acme.de/", "https://shop.acme.de/x",
    "https://acme.com/", "https://blog.acme.co.uk/",
]  # fmt: skip


@pytest.mark.parametrize(
    ("page_url", "base"),
    [
        ("https://www.acme.de/ueber-uns/team.html", None),
        ("https://www.acme.de/a/b/c?x=1", "../base/"),
        ("http://acme.co.uk:8080/x/y", "https://cdn.acme.co.uk/assets/"),
        ("https://münchen.de/über/seite", None),
        ("https://www.acme.de/p;v/x", None),
        ("http://10.0.0.1/x", None),
        ("https://www.acme.de/", "javascript:x"),
    ],
)
def test_c_resolver_equals_the_python_rules_on_tricky_hrefs(page_url: str, base) -> None:
    got, want = _c_and_reference(_page_of(TRICKY_HREFS, base), page_url)
    assert got == want
    assert sum(want[2].values()) > 15 and want[0]


def test_c_resolver_equals_the_python_rules_on_diverse_pages(tmp_path) -> None:
    path = tmp_path / "diverse.warc.gz"
    write_diverse_warc(path, 40, seed=11)
    pages = 0
    for record in iter_html_records(path):
        got, want = _c_and_reference(record.payload, record.url)
        assert got == want, record.url
        pages += 1
    assert pages == 40


def test_c_resolver_equals_the_python_rules_on_random_hrefs() -> None:
    """Hrefs glued from the bytes the C scans look for (8 at a time): same answers."""
    rng = random.Random(3)
    pieces = ["/", ".", "..", "/.", "?", "#", "\\", " ", "\t", "\x7f", "\x01", "ä", "€", "a",
              "B", "%20", ":", ";", "@", "[", "https://", "HTTP://", "//", "x.de", "xn--", "ß",
              "münchen.de", "-", "_", "0", "~", "=&"]  # fmt: skip
    hrefs = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 24))) for _ in range(3000)]
    for page_url, base in (("https://www.acme.de/a/b.html", None), ("http://x.de/", "/b/c/")):
        got, want = _c_and_reference(_page_of(hrefs, base), page_url)
        assert got == want


def test_c_suffix_walk_equals_tldextract_on_every_rule() -> None:
    rules = _REFERENCE_PSL._get_tld_extractor().tlds(include_psl_private_domains=False)
    hosts = set()
    for rule in rules:
        bare = rule.lstrip("!*.")
        forms = {bare}
        if not bare.isascii():  # punycode hosts: tldextract decodes them, C matches ACE rules
            forms = {bare.encode("idna").decode("ascii")}  # IDNA 2003, as urls encodes hosts
            with contextlib.suppress(idna.IDNAError):
                forms.add(idna.encode(bare).decode("ascii"))  # IDNA 2008
        for form in forms:
            hosts |= {form, f"x.{form}", f"www.x.{form}", f"a.b.c.{form}", f"xn--mnchen-3ya.{form}"}
    hosts |= {"github.io", "x.github.io", "blogspot.com", "x.notatld", "localhost", "1.2.3.4"}
    hosts |= {"xn--mnchen-3ya.de", "xn--invalid-.de", "xn--.com", "a.xn--zzzz", "xn--p1ai"}
    for host in sorted(hosts):
        assert registered_domain(host) == _reference_domain(host), host


def test_idn_to_ascii_is_the_idna_codec() -> None:
    """extraction.idn memoises nameprep per character: hosts come out as the codec's."""
    rng = random.Random(5)
    scripts = [(0x61, 0x7A), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x6FF),
               (0x900, 0x97F), (0x3040, 0x30FF), (0x4E00, 0x4EFF), (0xAC00, 0xACFF),
               (0x2000, 0x206F), (0xFE00, 0xFEFF), (0xFF00, 0xFFEF),
               (0x1D400, 0x1D4FF)]  # fmt: skip
    encoded = 0
    for _ in range(20_000):
        low, high = rng.choice(scripts)
        labels = [
            "".join(chr(rng.randint(low, high)) if rng.random() < 0.5 else rng.choice("ab-1")
                    for _ in range(rng.randint(0, 12)))
            for _ in range(rng.randint(1, 3))
        ]  # fmt: skip
        host = ".".join(labels) + rng.choice(["", ".", ".de", "\u3002com"])
        try:
            want = host.encode("idna").decode("ascii")
        except UnicodeError:
            want = None
        try:
            got = to_ascii(host)
        except UnicodeError:
            got = None
        assert got == want, host
        encoded += want is not None
    assert encoded > 5_000
