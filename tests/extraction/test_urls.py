"""URL normalisation, fast resolution and registered domains."""

from __future__ import annotations

import pytest

from extraction.urls import (
    Resolver,
    host_of,
    normalize_url,
    registered_domain,
    resolve_url,
    unusable_reason,
    url_path,
)


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
