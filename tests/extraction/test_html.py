"""HTML parsing: text, language, links with anchor/context/heading/region/rel, bad pages."""

from __future__ import annotations

import random

import pytest

from extraction.html import (
    MAX_CONTEXT_CHARS,
    SENTENCE_END,
    decode_html,
    guess_language,
    parse_page,
    sentence_around,
)
from tests.extraction.builders import page

URL = "https://www.acme.de/partner/"


def links_by_url(parsed):
    return {link.dst_url: link for link in parsed.links}


def test_title_text_and_boilerplate() -> None:
    html = page(
        title="  Acme   GmbH ",
        body=(
            "<nav><a href='/'>Startseite</a></nav><script>var hidden = 1;</script>"
            "<style>.x{}</style><noscript>Bitte JavaScript</noscript>"
            "<template><p>Vorlage</p></template><p>Wir sind ein Hersteller von Pumpen.</p>"
        ),
    )
    parsed = parse_page(html.encode(), URL)
    assert parsed.title == "Acme GmbH"
    assert "Hersteller von Pumpen" in parsed.text
    for hidden in ("hidden", ".x{}", "Bitte JavaScript", "Vorlage", "Startseite"):
        assert hidden not in parsed.text
    assert not parsed.truncated


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We are the partner of choice for the industry and our customers in the world.", "en"),
        ("Wir sind der Partner für die Industrie und unsere Kunden sind mit uns zufrieden.", "de"),
        ("Nous sommes le partenaire de la industrie et des clients pour une vie.", "fr"),
        ("Pumpen Ventile Motoren", ""),
        ("", ""),
    ],
)
def test_language_guess(text: str, lang: str) -> None:
    assert guess_language(text) == lang


def test_link_fields_heading_chain_context_and_position() -> None:
    body = (
        "<h1>Acme</h1><p><a href='/about'>Über uns</a></p>"
        "<h2>Partners</h2><h3>Technology partners</h3>"
        "<p>Since 2010 we work closely together. We develop sensors with "
        "<a href='https://www.bosch.com/de/' rel='Nofollow Sponsored'>Bosch</a> for cars. "
        "Other text follows.</p>"
        "<h2>Customers</h2><ul><li><a href='https://bmw.de/'>BMW</a></li></ul>"
    )
    parsed = parse_page(page(body=body).encode(), URL)
    assert [link.position for link in parsed.links] == [1, 2, 3]
    about, bosch, bmw = parsed.links
    assert about.internal and about.dst_url == "https://www.acme.de/about"
    assert about.context == "" and about.section_heading == ""  # cheap fields only
    assert about.anchor_text == "Über uns" and about.region == "main"
    assert not bosch.internal and bosch.dst_domain == "bosch.com"
    assert bosch.section_heading == "Acme > Partners > Technology partners"
    assert bosch.context == "We develop sensors with Bosch for cars."
    assert bosch.rel == "nofollow sponsored"
    assert bmw.section_heading == "Acme > Customers"  # h3 of the previous section is gone
    assert bmw.context == "BMW"


def test_base_href_is_honoured() -> None:
    html = page(
        body="<a href='kontakt.html'>K</a><a href='/x'>X</a>", base="https://cdn.acme.de/de/"
    )
    parsed = parse_page(html.encode(), URL)
    assert [link.dst_url for link in parsed.links] == [
        "https://cdn.acme.de/de/kontakt.html",
        "https://cdn.acme.de/x",
    ]
    assert all(link.internal for link in parsed.links)  # same registered domain


def test_subdomains_are_internal_other_domains_external() -> None:
    body = "<a href='https://shop.acme.de/'>Shop</a><a href='https://acme.com/'>Acme US</a>"
    found = links_by_url(parse_page(page(body=body).encode(), URL))
    assert found["https://shop.acme.de/"].internal
    assert not found["https://acme.com/"].internal


@pytest.mark.parametrize(
    ("markup", "anchor"),
    [
        ("<a href='https://p.com/'><img src='l.png' alt=' Partner  Logo '></a>", "Partner Logo"),
        ("<a href='https://p.com/' title='Zur Partnerseite'></a>", "Zur Partnerseite"),
        ("<a href='https://p.com/' aria-label='Partner P'><svg></svg></a>", "Partner P"),
        ("<a href='https://p.com/'><img src='l.png'></a>", ""),
        ("<a href='https://p.com/'>   </a>", ""),
        ("<a href='https://p.com/'>Very\n   spaced   text</a>", "Very spaced text"),
        ("<a href='https://p.com/'>Partner <b>AG</b>\n<span>Kiel</span></a>", "Partner AG Kiel"),
        ("<a href='https://p.com/'>Tulip,\xa0Kiel</a>", "Tulip, Kiel"),
    ],
)
def test_anchor_fallbacks_for_logo_and_empty_links(markup: str, anchor: str) -> None:
    parsed = parse_page(page(body=markup).encode(), URL)
    assert [link.anchor_text for link in parsed.links] == [anchor]


@pytest.mark.parametrize(
    ("markup", "region"),
    [
        ("<nav><a href='https://p.com/'>x</a></nav>", "nav"),
        ("<header><a href='https://p.com/'>x</a></header>", "header"),
        ("<footer><a href='https://p.com/'>x</a></footer>", "footer"),
        ("<aside><a href='https://p.com/'>x</a></aside>", "aside"),
        ("<div role='navigation'><a href='https://p.com/'>x</a></div>", "nav"),
        ("<div role='contentinfo'><a href='https://p.com/'>x</a></div>", "footer"),
        ("<div id='page-footer'><p><a href='https://p.com/'>x</a></p></div>", "footer"),
        ("<div class='site-footer dark'><a href='https://p.com/'>x</a></div>", "footer"),
        ("<header><nav><a href='https://p.com/'>x</a></nav></header>", "nav"),  # innermost
        ("<main><p><a href='https://p.com/'>x</a></p></main>", "main"),
        ("<div><a href='https://p.com/'>x</a></div>", "main"),
    ],
)
def test_regions(markup: str, region: str) -> None:
    parsed = parse_page(page(body=markup).encode(), URL)
    assert [link.region for link in parsed.links] == [region]


def test_regions_stay_right_when_links_inside_containers_are_dropped() -> None:
    body = (
        "<header><a href='mailto:a@b.de'>m</a><nav><a href='javascript:x'>j</a>"
        "<a href='https://n.com/'>n</a></nav><a href='https://h.com/'>h</a></header>"
        "<p><a href='tel:1'>t</a><a href='https://m.com/'>m</a></p>"
        "<footer><a href=''>e</a><a href='https://f.com/'>f</a></footer>"
    )
    parsed = parse_page(page(body=body).encode(), URL)
    assert [(link.dst_domain, link.region) for link in parsed.links] == [
        ("n.com", "nav"),
        ("h.com", "header"),
        ("m.com", "main"),
        ("f.com", "footer"),
    ]
    assert [link.position for link in parsed.links] == [1, 2, 3, 4]


def test_repeated_hrefs_resolve_alike_on_every_page_of_a_site() -> None:
    body = (
        "<a href='/a'>A</a><a href='x.html'>X</a><a href='/a'>A again</a><a href='mailto:m'>M</a>"
    )
    for path in ("/de/", "/en/"):
        parsed = parse_page(page(body=body).encode(), "https://www.acme.de" + path)
        assert [link.dst_url for link in parsed.links] == [
            "https://www.acme.de/a",
            f"https://www.acme.de{path}x.html",  # relative to each page's own path
            "https://www.acme.de/a",
        ]
        assert dict(parsed.dropped_links) == {"mailto_href": 1}


def test_unusable_hrefs_are_dropped_and_counted() -> None:
    body = (
        "<a href='javascript:void(0)'>js</a><a href='mailto:a@b.de'>m</a><a href='tel:+49'>t</a>"
        "<a href='data:text/html,x'>d</a><a href=''>empty</a><a href='http://exa mple.com/'>bad</a>"
        "<a href='https://bücher.de/'>idn</a><a>no href</a>"
    )
    parsed = parse_page(page(body=body).encode(), URL)
    assert [link.dst_url for link in parsed.links] == ["https://xn--bcher-kva.de/"]
    assert parsed.links[0].position == 1
    assert dict(parsed.dropped_links) == {
        "javascript_href": 1,
        "mailto_href": 1,
        "tel_href": 1,
        "data_href": 1,
        "empty_href": 1,
        "malformed_href": 1,
    }


@pytest.mark.parametrize(
    ("payload", "declared", "charset"),
    [
        ("Müller Straße".encode(), "utf-8", "utf-8"),
        ("Müller Straße".encode("cp1252"), "iso-8859-1", "cp1252"),
        ("Müller Straße".encode("cp1252"), None, "cp1252"),  # undeclared, not UTF-8
        ("Müller Straße".encode("cp1252"), "utf-8", "cp1252"),  # declared wrong
        ("Müller Straße".encode(), "x-no-such-charset", "utf-8"),  # unknown label
        ("Müller Straße".encode(), "utf-16", "utf-8"),  # an 8-bit page claiming UTF-16
        ("<meta charset='windows-1252'>Müller Straße".encode("cp1252"), None, "cp1252"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">Müller '
            "Straße".encode("cp1252"),
            None,
            "cp1252",
        ),  # fmt: skip
    ],
)
def test_charsets_never_crash_and_decode_right(payload: bytes, declared, charset: str) -> None:
    text, used = decode_html(payload, declared)
    assert used == charset
    assert "Müller Straße" in text


def test_undecodable_bytes_still_parse() -> None:
    parsed = parse_page(b"<p>\x81\x8d\x8f\x90\x9d <a href='/x'>x</a></p>", URL, "utf-8")
    assert [link.dst_url for link in parsed.links] == ["https://www.acme.de/x"]


def test_huge_page_is_capped_and_marked() -> None:
    line = "<p>Lorem ipsum <a href='https://p.com/'>P</a></p>\n"
    payload = ("<html><body>" + line * (50 * 1000 * 1000 // len(line) + 1)).encode()
    parsed = parse_page(payload, URL)
    assert parsed.truncated
    assert 0 < len(parsed.links) < 2 * 1024 * 1024 // len(line) + 1


def test_deeply_nested_html_is_flattened_not_overflowed() -> None:
    depth = 50_000
    body = (
        "<h2>Partner</h2>" + "<div>" * depth
        + "<p>Wir arbeiten mit <a href='https://partner.com/'>Partner AG</a> zusammen.</p>"
        + "</div>" * depth
    )  # fmt: skip
    parsed = parse_page(page(body=body).encode(), URL)
    assert [link.dst_url for link in parsed.links] == ["https://partner.com/"]
    assert parsed.links[0].context == "Wir arbeiten mit Partner AG zusammen."
    assert parsed.links[0].section_heading == "Partner"
    assert parsed.flattened and parsed.truncated


def test_moderately_nested_html_is_left_alone() -> None:
    body = "<div>" * 200 + "<a href='https://p.com/'>P</a>" + "</div>" * 200
    parsed = parse_page(page(body=body * 30).encode(), URL)
    assert len(parsed.links) == 30 and not parsed.flattened


def test_empty_and_garbage_payloads() -> None:
    assert parse_page(b"", URL).links == []
    parsed = parse_page(bytes(range(256)) * 10, URL)
    assert parsed.links == [] and isinstance(parsed.text, str)


def _reference_sentence(raw: str | None, anchor: str) -> str:
    """The sentence rule as the regular-expression code it was (slow, obviously right)."""
    if raw is None:
        return anchor
    text = " ".join(raw.split())
    if not text:
        return anchor
    at = text.find(anchor) if anchor else -1
    if at < 0:
        return text[:MAX_CONTEXT_CHARS]
    start = 0
    for match in SENTENCE_END.finditer(text, 0, at):
        start = match.end()
    end_match = SENTENCE_END.search(text, at + len(anchor))
    end = end_match.start() + 1 if end_match else len(text)
    sentence = text[start:end].strip()
    if len(sentence) > MAX_CONTEXT_CHARS:
        lo = max(start, at - MAX_CONTEXT_CHARS // 2)
        sentence = text[lo : lo + MAX_CONTEXT_CHARS].strip()
    return sentence


def test_sentence_around_equals_the_regular_expression_rule() -> None:
    rng = random.Random(5)
    pieces = ["Acme", "GmbH", "we", "Partner", "Ä", "ö", "é", "中文", "1990", "(x)", '"q"', "'s",
              ". ", "! ", "? ", "; ", " | ", " • ", " · ", "|", ".", "  ", "\t", "\n", "\xa0",
              "\u2003", "\u3000", " ", "x" * 250]  # fmt: skip
    for _ in range(4000):
        block = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        words = block.split()
        if words and rng.random() < 0.8:
            first = rng.randrange(len(words))
            anchor = " ".join(words[first : first + rng.randint(1, 3)])
        else:
            anchor = rng.choice(["", "missing", "Acme"])
        assert sentence_around(block, anchor) == _reference_sentence(block, anchor), (
            block,
            anchor,
        )
    assert sentence_around(None, "Acme") == "Acme" and sentence_around(" \n", "A") == "A"
