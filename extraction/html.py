"""HTML pages -> title, visible text, language and hyperlinks with their context.

Built for crawl scale on Lexbor (``selectolax.lexbor``): one CSS query returns headings and
links in document order, so the heading chain of every link falls out of a single walk; page
regions come from a handful of container queries mapped onto link node ids. Only links that
leave the site get the costly context (the sentence around them); internal links keep cheap
fields. Nothing here recurses over the tree, so deeply nested pages cannot overflow a stack.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from extraction.urls import Resolver, normalize_url, registered_domain, unusable_reason

#: HTML characters parsed per page; the rest is dropped and the page marked truncated.
MAX_PARSE_CHARS = 2 * 1024 * 1024
#: Longest context sentence and anchor kept (characters).
MAX_CONTEXT_CHARS = 400
MAX_ANCHOR_CHARS = 300
BOILERPLATE_TAGS = ["script", "style", "noscript", "template", "nav", "svg", "iframe", "object"]
_LINKS_AND_HEADINGS = "h1, h2, h3, h4, a[href]"
_CONTAINERS = "nav, header, footer, aside, main, [role], [id*=footer], [class*=footer]"
_TAG_REGION = {
    "nav": "nav",
    "header": "header",
    "footer": "footer",
    "aside": "aside",
    "main": "main",
}
_ROLE_REGION = {
    "navigation": "nav",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "main": "main",
}
DEFAULT_REGION = "main"
_BLOCK_TAGS = frozenset(
    [
        "p",
        "li",
        "td",
        "th",
        "dd",
        "dt",
        "div",
        "section",
        "article",
        "blockquote",
        "figcaption",
        "caption",
        "body",
        "main",
        "aside",
        "footer",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ]
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_SENTENCE_END = re.compile(r"[.!?;]\s+(?=[A-ZÄÖÜ0-9\"'(])|\s[|•·]\s")
_WORD = re.compile(r"[^\W\d_]+")

_STOPWORDS = {
    "en": [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "for",
        "with",
        "that",
        "on",
        "are",
        "we",
        "our",
        "you",
        "this",
        "by",
        "as",
        "from",
        "be",
    ],
    "de": [
        "der",
        "die",
        "und",
        "das",
        "ist",
        "mit",
        "für",
        "von",
        "zu",
        "den",
        "im",
        "des",
        "ein",
        "eine",
        "wir",
        "unsere",
        "auf",
        "sie",
    ],
    "fr": [
        "le",
        "la",
        "les",
        "et",
        "des",
        "est",
        "pour",
        "une",
        "dans",
        "du",
        "en",
        "nous",
        "avec",
        "sur",
        "vous",
        "qui",
        "au",
    ],
    "es": [
        "el",
        "la",
        "los",
        "las",
        "y",
        "de",
        "que",
        "en",
        "es",
        "para",
        "con",
        "una",
        "por",
        "del",
        "nuestro",
        "su",
        "se",
    ],
    "it": [
        "il",
        "la",
        "di",
        "che",
        "e",
        "per",
        "un",
        "una",
        "sono",
        "con",
        "del",
        "della",
        "nel",
        "gli",
        "le",
    ],
    "nl": [
        "de",
        "het",
        "en",
        "van",
        "een",
        "is",
        "voor",
        "met",
        "op",
        "zijn",
        "wij",
        "ons",
        "onze",
        "dat",
        "te",
    ],
}
_STOPWORD_LANG: dict[str, list[str]] = {}
for _lang, _words in _STOPWORDS.items():
    for _word in _words:
        _STOPWORD_LANG.setdefault(_word, []).append(_lang)


@dataclass(slots=True)
class LinkContext:
    """One ``<a href>`` of a page; context/section_heading are filled for external links."""

    dst_url: str
    anchor_text: str
    context: str
    section_heading: str
    region: str
    rel: str
    position: int
    internal: bool
    dst_host: str | None = None


@dataclass
class ParsedPage:
    """What a page says: title, visible text, language guess and its links."""

    title: str
    text: str
    lang: str
    links: list[LinkContext]
    truncated: bool
    charset: str = "utf-8"
    host: str | None = None
    dropped_links: Counter = field(default_factory=Counter)


def parse_page(payload: bytes, url: str, charset: str | None = None) -> ParsedPage:
    """Parse an HTML payload fetched from ``url`` (``charset`` as declared over HTTP)."""
    html, used_charset = decode_html(payload, charset)
    truncated = False
    if len(html) > MAX_PARSE_CHARS:
        html, truncated = html[:MAX_PARSE_CHARS], True
    tree = LexborHTMLParser(html)
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base_href = base_node.attrs.get("href") or ""
        base = Resolver(url).resolve(base_href.strip()) if base_href.strip() else None
        base = base[0] if base else url
    resolver = Resolver(base)
    page_host = Resolver(url).host
    page_domain = registered_domain(page_host) if page_host else None
    title_node = tree.css_first("title")
    title = " ".join(title_node.text().split())[:1000] if title_node is not None else ""
    dropped: Counter = Counter()
    links = _links(tree, resolver, page_host, page_domain, dropped)
    text = visible_text(tree)
    return ParsedPage(
        title=title,
        text=text,
        lang=guess_language(text),
        links=links,
        truncated=truncated,
        charset=used_charset,
        host=page_host,
        dropped_links=dropped,
    )


def decode_html(payload: bytes, declared: str | None = None) -> tuple[str, str]:
    """Bytes -> text: HTTP charset, then ``<meta charset>``, then UTF-8, then cp1252.

    A wrong or unknown declaration falls through to the next candidate, and the last one
    decodes anything, so decoding never raises. ISO-8859-1 is read as cp1252, as browsers do.
    """
    candidates = []
    if declared:
        candidates.append(declared)
    meta = _META_CHARSET.search(payload, 0, 4096)
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for name in candidates:
        codec = _codec(name)
        if codec is None:
            continue
        try:
            return payload.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    return payload.decode("cp1252", errors="replace"), "cp1252"


def _codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):
        return None
    if codec in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"  # WHATWG: these labels mean windows-1252
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        return None  # an 8-bit page declaring UTF-16 is lying; binary sniffing skipped the rest
    return codec


def _links(
    tree: LexborHTMLParser,
    resolver: Resolver,
    page_host: str | None,
    page_domain: str | None,
    dropped: Counter,
) -> list[LinkContext]:
    """All usable links in document order, with heading chain and region from one walk."""
    nodes = tree.css(_LINKS_AND_HEADINGS)
    region_of = _regions(tree)
    headings: list[str] = ["", "", "", ""]
    heading_chain = ""
    links: list[LinkContext] = []
    position = 0
    resolve = resolver.resolve
    for node in nodes:
        tag = node.tag
        if tag != "a":
            level = ord(tag[1]) - 49  # "h1" -> 0
            headings[level] = " ".join(node.text().split())[:200]
            for deeper in range(level + 1, 4):
                headings[deeper] = ""
            heading_chain = " > ".join(h for h in headings if h)
            continue
        href = node.attrs["href"]
        resolved = resolve(href) if href else None
        if resolved is None:
            dropped[unusable_reason(href or "")] += 1
            continue
        dst_url, dst_host = resolved
        position += 1
        internal = dst_host == page_host or (
            page_domain is not None and registered_domain(dst_host) == page_domain
        )
        anchor = node.text(strip=True)
        if not anchor:
            anchor = _fallback_anchor(node)
        elif len(anchor) > MAX_ANCHOR_CHARS or "  " in anchor or "\n" in anchor:
            anchor = " ".join(anchor.split())[:MAX_ANCHOR_CHARS]
        rel = node.attrs.get("rel") or ""
        region = region_of.get(node.mem_id, DEFAULT_REGION)
        if internal:
            links.append(
                LinkContext(dst_url, anchor, "", "", region, rel, position, True, dst_host)
            )
        else:
            links.append(
                LinkContext(
                    dst_url,
                    anchor,
                    _sentence_around(node, anchor),
                    heading_chain,
                    region,
                    rel.lower(),
                    position,
                    False,
                    dst_host,
                )
            )
    return links


def _regions(tree: LexborHTMLParser) -> dict[int, str]:
    """Link node id -> page region; containers come in document order, so inner ones win."""
    region_of: dict[int, str] = {}
    for container in tree.css(_CONTAINERS):
        tag = container.tag
        region = _TAG_REGION.get(tag)
        if region is None:
            attrs = container.attrs
            role = (attrs.get("role") or "").strip().lower()
            region = _ROLE_REGION.get(role)
            if region is None and tag not in ("body", "html"):
                marks = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
                if "footer" in marks:
                    region = "footer"
        if region is None:
            continue
        for link in container.css("a[href]"):
            region_of[link.mem_id] = region
    return region_of


def _fallback_anchor(node) -> str:
    """Anchor of a link without text: logo ``<img alt>``, then ``title``/``aria-label``."""
    image = node.css_first("img[alt]")
    if image is not None:
        alt = (image.attrs.get("alt") or "").strip()
        if alt:
            return " ".join(alt.split())[:MAX_ANCHOR_CHARS]
    attrs = node.attrs
    for name in ("title", "aria-label"):
        value = (attrs.get(name) or "").strip()
        if value:
            return " ".join(value.split())[:MAX_ANCHOR_CHARS]
    return ""


def _sentence_around(node, anchor: str) -> str:
    """The sentence of the nearest block ancestor that contains the link (bounded walk)."""
    block = node.parent
    for _ in range(8):
        if block is None or block.tag in _BLOCK_TAGS:
            break
        block = block.parent
    if block is None:
        return anchor
    raw = block.text(separator=" ")
    if len(raw) > 20_000:
        raw = raw[:20_000]
    text = " ".join(raw.split())
    if not text:
        return anchor
    at = text.find(anchor) if anchor else -1
    if at < 0:
        return text[:MAX_CONTEXT_CHARS]
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, at):
        start = match.end()
    end_match = _SENTENCE_END.search(text, at + len(anchor))
    end = end_match.start() + 1 if end_match else len(text)
    sentence = text[start:end].strip()
    if len(sentence) > MAX_CONTEXT_CHARS:
        half = MAX_CONTEXT_CHARS // 2
        lo = max(start, at - half)
        sentence = text[lo : lo + MAX_CONTEXT_CHARS].strip()
    return sentence


def visible_text(tree: LexborHTMLParser) -> str:
    """Text a reader sees: boilerplate tags removed (mutates the tree), whitespace folded."""
    tree.strip_tags(BOILERPLATE_TAGS)
    root = tree.body or tree.root
    if root is None:
        return ""
    return " ".join(root.text(separator=" ").split())


def guess_language(text: str, max_words: int = 400) -> str:
    """Cheap language guess from stopword counts over the first words ("" if unsure)."""
    counts: Counter = Counter()
    for index, match in enumerate(_WORD.finditer(text[:6000])):
        if index >= max_words:
            break
        langs = _STOPWORD_LANG.get(match.group().lower())
        if langs:
            counts.update(langs)
    if not counts:
        return ""
    (best, hits), *rest = counts.most_common(2) + [("", 0)]
    runner_up = rest[0][1]
    return best if hits >= 3 and hits > runner_up else ""


def page_url(url: str) -> str:
    """Canonical form of a page URL (as in the pages table); the raw URL if unusable."""
    return normalize_url(url) or url
