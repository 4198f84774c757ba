"""The C page walk (extraction._pagewalk) against selectolax's own API, and on bad input.

The reference below reads the same Lexbor tree through selectolax (``css``, ``attributes``,
``text``): titles, hrefs, anchors with their fallbacks, regions, heading chains, visible
text and block texts must agree on every HTML record of the real WARC files.
"""

from __future__ import annotations

import random
import subprocess
import sys
import zlib

import pytest
from selectolax.lexbor import LexborHTMLParser

from extraction import _pagewalk
from extraction.html import (
    BOILERPLATE_TAGS,
    MAX_ANCHOR_CHARS,
    guess_language,
    parse_page,
    prepare_html,
)
from extraction.warc import iter_html_records
from tests.paths import REPO_ROOT

_REGION_TAGS = {"nav": "nav", "header": "header", "footer": "footer", "aside": "aside"}
_ROLES = {
    "navigation": "nav",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "main": "main",
}
_BLOCKS = {"p", "li", "td", "th", "dd", "dt", "div", "section", "article", "blockquote",
           "figcaption", "caption", "body", "main", "aside", "footer", "header", "h1", "h2",
           "h3", "h4", "h5", "h6"}  # fmt: skip


def _fold(text: str | None, cap: int) -> str:
    return " ".join((text or "").split())[:cap]


def _region_of(node) -> str:
    """Innermost container (without href) naming a region; ``main`` by default."""
    parent = node.parent
    while parent is not None and parent.tag not in ("-document", "#document"):
        attrs = parent.attributes
        if "href" not in attrs:
            if parent.tag in _REGION_TAGS:
                return _REGION_TAGS[parent.tag]
            role = _ROLES.get((attrs.get("role") or "").strip().lower())
            if role:
                return role
            marks = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
            if parent.tag not in ("body", "html") and "footer" in marks:
                return "footer"
        parent = parent.parent
    return "main"


def _anchor_of(node) -> str:
    anchor = _fold(node.text_lexbor(), MAX_ANCHOR_CHARS)
    if anchor:
        return anchor
    image = node.css_first("img[alt]")
    if image is not None and _fold(image.attributes.get("alt"), MAX_ANCHOR_CHARS):
        return _fold(image.attributes.get("alt"), MAX_ANCHOR_CHARS)
    for name in ("title", "aria-label"):
        value = _fold(node.attributes.get(name), MAX_ANCHOR_CHARS)
        if value:
            return value
    return ""


def _block_text(node) -> str | None:
    block = node.parent
    for _ in range(8):
        if block is None or block.tag in _BLOCKS:
            break
        block = block.parent
    return None if block is None else block.text(separator=" ")[:20_000]


def reference(html: bytes) -> dict:
    """What the walk must give, read through selectolax's API."""
    tree = LexborHTMLParser(html)
    head = tree.head
    titles = [n for n in head.css("title")] if head is not None else []
    title_node = titles[0] if titles else tree.css_first("title")
    bases = [n for n in head.css("base[href]")] if head is not None else []
    walk = tree.css("a[href], " + ", ".join(f"h{i}:not([href])" for i in range(1, 5)))
    headings = ["", "", "", ""]
    links, chains = [], []
    for node in walk:
        if node.tag == "a":  # Lexbor's [href] also matches xlink:href; those are no links
            if "href" in node.attributes:
                links.append(node)
                chains.append(" > ".join(h for h in headings if h))
        else:
            level = int(node.tag[1]) - 1
            headings[level] = _fold(node.text_lexbor(), 200)
            headings[level + 1 :] = [""] * (3 - level)
    result = {
        "title": _fold(title_node.text_lexbor(), 1000) if title_node is not None else "",
        "base_href": bases[0].attributes.get("href") if bases else None,
        "hrefs": [n.attributes.get("href") or "" for n in links],
        "anchors": [_anchor_of(n) for n in links],
        "regions": [_region_of(n) for n in links],
        "rels": [(n.attributes.get("rel") or "").lower() or None for n in links],
        "headings": chains,
        "blocks": [_block_text(n) for n in links],
    }
    tree.strip_tags(BOILERPLATE_TAGS)
    root = tree.body or tree.root
    result["text"] = root.text(separator=" ", strip=True) if root is not None else ""
    return result


def walked(html: bytes) -> dict:
    page = _pagewalk.walk(html)
    try:
        result = {
            name: getattr(page, name)
            for name in ("title", "base_href", "hrefs", "anchors", "regions", "rels", "headings")
        }
        result["blocks"] = page.block_texts(list(range(len(page.hrefs))))
        result["text"] = page.text
        assert page.text_length == len(page.text)
        return result
    finally:
        page.close()


def _as_bytes(html: str | bytes) -> bytes:
    return html if isinstance(html, bytes) else html.encode("utf-8", "ignore")


def test_walk_matches_selectolax_on_real_warc_files(real_warc) -> None:
    pages = links = 0
    for path in sorted(real_warc.glob("*.warc.gz")):
        for record in iter_html_records(path):
            html = _as_bytes(prepare_html(record.payload, record.charset)[0])
            expected, got = reference(html), walked(html)
            for field, value in expected.items():
                assert got[field] == value, (path.name, record.url, field)
            pages += 1
            links += len(got["hrefs"])
    assert pages >= 60 and links > 1_500


FIXTURES = {
    "no body, frames": "<html><head><title>F</title></head><frameset><frame src='/a'>"
    "<noframes><a href='/nf'>no frames</a></noframes></frameset></html>",
    "iframe and object": "<p>x<iframe src='/i'></iframe><object><a href='/o'>o</a></object></p>",
    "svg links": "<svg><a href='/s'>s</a><a xlink:href='/x'>x</a><title>t</title></svg>",
    "template": "<template><a href='/t'>t</a></template><a href='/v'>v</a>",
    "regions": "<div role=' Navigation '><a href='/r'>r</a><div class='Page-FOOTER'>"
    "<a href='/f'>f</a><aside href='/x'><a href='/a'>a</a></aside></div></div>"
    "<body class='footer'><a href='/b'>b</a></body>",
    "fallbacks": "<a href='/1'><img alt=' Logo  A '></a><a href='/2'><img alt=''>"
    "<img alt='second'></a><a href='/3' title=' T '></a><a href='/4' aria-label='L'> </a>"
    "<a href>empty</a><a href=''>e</a><a name='x'>no href</a>",
    "headings": "<h2>Two</h2><a href='/a'>a</a><h1 href='/h'>skipped</h1><h4>Four</h4>"
    "<a href='/b'>b</a><h1>One</h1><h3><a href='/c'>in heading</a></h3>",
    "whitespace": "<title>\n A \u00a0 B\u3000</title><a href='/w'>\n\t x \u2003 y \n</a>"
    "<p> \u00a0 </p><p>\u2028z\u2029</p>",
    "broken nesting": "<a href='/1'><b>bold<a href='/2'>inner</b> tail</a><p><a href='/3'>p",
    "empty": "",
    "only text": "just text, no tags",
    "nul and controls": "<a href='/n\x00ul'>a\x00b\x01c</a><p>\x00</p>",
    "huge attributes": "<a href='/" + "h" * 300_000 + "' title='" + "t " * 200_000 + "'></a>"
    "<div class='" + "x" * 500_000 + " footer'><a href='/f'>" + "word " * 100_000 + "</a></div>",
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_walk_matches_selectolax_on_odd_pages(name: str) -> None:
    html = FIXTURES[name].encode()
    expected, got = reference(html), walked(html)
    assert got == expected


def test_odd_pages_give_what_a_reader_expects() -> None:
    frames = walked(FIXTURES["no body, frames"].encode())
    assert frames["title"] == "F" and frames["hrefs"] == []  # <noframes> holds raw text
    regions = walked(FIXTURES["regions"].encode())
    assert regions["regions"] == ["nav", "footer", "footer", "main"]
    fallbacks = walked(FIXTURES["fallbacks"].encode())
    assert fallbacks["anchors"] == ["Logo A", "", "T", "L", "empty", "e"]  # first img[alt] only
    headings = walked(FIXTURES["headings"].encode())
    assert headings["headings"] == ["Two", "Two > Four", "One > in heading"]
    huge = walked(FIXTURES["huge attributes"].encode())
    assert [len(anchor) for anchor in huge["anchors"]] == [MAX_ANCHOR_CHARS, MAX_ANCHOR_CHARS]
    assert huge["regions"] == ["main", "footer"] and len(huge["hrefs"][0]) == 300_001


def test_deep_nesting_is_walked_without_recursion() -> None:
    depth = 8_000  # Lexbor itself is quadratic in depth; the walk is not recursive
    html = "<div><span>" * depth + "<h2>Deep</h2><a href='/deep'>bottom</a>" + "</span></div>"
    got = walked(html.encode())
    assert got["hrefs"] == ["/deep"] and got["anchors"] == ["bottom"]
    assert got["headings"] == ["Deep"] and "bottom" in got["text"]


def test_invalid_utf8_and_wrong_input() -> None:
    got = walked(b"<title>caf\xe9</title><a href='/\xff'>x\xc3</a>")
    assert got["title"] == "caf\ufffd" and got["hrefs"] == ["/\ufffd"]
    with pytest.raises(TypeError):
        _pagewalk.walk("<p>str is not bytes</p>")
    page = _pagewalk.walk(b"<a href='/a'>a</a>")
    with pytest.raises(IndexError):
        page.block_texts([1])
    assert page.hrefs == ["/a"]
    page.close()
    page.close()  # closing twice is harmless
    for closed in (lambda: page.block_texts([0]), lambda: page.anchors, lambda: page.links(
            "http://a.de/", "a.de", "a.de", "a.de", str, str, "", False, None, 400)):  # fmt: skip
        with pytest.raises(ValueError, match="closed"):
            closed()
    assert page.hrefs == ["/a"]  # a list read before close outlives the document


def test_parse_page_on_broken_encodings() -> None:
    parsed = parse_page(
        b"<meta charset='utf-8'><title>Gr\xfc\xdfe</title><p>M\xe4rkte", "http://a.de/"
    )
    assert parsed.charset == "cp1252" and parsed.title == "Grüße" and parsed.text == "Märkte"
    utf16 = parse_page("<title>Hallo</title>".encode("utf-16"), "http://a.de/")
    assert utf16.charset == "cp1252" and not utf16.links


def test_utf8_scan_agrees_with_python() -> None:
    rng = random.Random(7)
    pieces = [b"<", b"a", b" ", b"\xc3\xa4", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80", b"\xed\xa0\x80",
              b"\xc0\xaf", b"\xe0\x80\xaf", b"\xf4\x90\x80\x80", b"\x80", b"\xff", b"\xc3",
              b"\xe2\x82", b"\xf0\x8f\xbf\xbf", b"<<<<<<<<<", b"abcdefgh"]  # fmt: skip
    for _ in range(5_000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        try:
            data.decode("utf-8")
            valid = True
        except UnicodeDecodeError:
            valid = False
        assert _pagewalk.utf8_scan(data) == (valid, data.isascii(), data.count(b"<"))


def test_small_helpers() -> None:
    for url in ("", "https://a.com/", "https://ä.de/ü", "x\ud800y"):
        assert _pagewalk.url_hash(url) == f"{zlib.crc32(url.encode('utf-8', 'replace')):08x}"
    page = _pagewalk.walk(b"<a href=/1>1</a><nav><a href=/2>2</a></nav><p>x <a href=/3>3</a></p>")
    assert (page.hrefs, page.anchors, page.regions) == (
        ["/1", "/2", "/3"],
        ["1", "2", "3"],
        ["main", "nav", "main"],
    )
    assert page.block_texts([2]) == ["x  3"]
    page.close()
    assert guess_language("Für die Kunden und der Markt: das ist gut. " * 3) == "de"
    assert guess_language("The THE the and") == "en"
    rng = random.Random(5)
    words = ["der", "Die", "UND", "the", "and", "le", "les", "für", "FÜR", "x", "\u00a0", "\n"]
    for _ in range(500):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        for cap in (1200, 7):
            assert guess_language(text.encode(), cap) == guess_language(text, cap)


def test_missing_extension_fails_with_build_hint() -> None:
    code = (
        "import sys; sys.modules['extraction._pagewalk'] = None\n"
        "try:\n    import extraction.html\nexcept ImportError as exc:\n    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "extraction._pagewalk" in out and "pip install -e ." in out
