"""HTML pages -> title, visible text, language and hyperlinks with their context.

Built for crawl scale on Lexbor (``selectolax.lexbor``). UTF-8 pages are handed to Lexbor as
bytes (no decode/encode round trip). One CSS query returns headings, links and region
containers in document order, so the heading chain and the region of every link fall out of
a single walk: a container's links are the next ``len(container.css("a[href]"))`` links of
the walk. Links come out column-wise (:class:`PageLinks`); only links that leave the site get
the costly context (the sentence around them, memoised per block text); internal links keep
cheap fields. Nothing here recurses over the tree, so deeply nested pages cannot overflow a
stack.
"""

from __future__ import annotations

import codecs
import re
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import attrgetter, itemgetter

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extraction.urls import (
    Resolver,
    has_scheme,
    normalize_url,
    registered_domain,
    resolver_for,
    unusable_reason,
)


def _words(text: str) -> list[str]:
    return text.split()


#: HTML parsed per page (characters, or bytes of a UTF-8 page); the rest is dropped and the
#: page marked truncated.
MAX_PARSE_CHARS = 2 * 1024 * 1024
#: Longest context sentence and anchor kept (characters).
MAX_CONTEXT_CHARS = 400
MAX_ANCHOR_CHARS = 300
BOILERPLATE_TAGS = ["script", "style", "noscript", "template", "nav", "svg", "iframe", "object"]
#: One walk: links, headings and region containers in document order. Headings and containers
#: carrying an ``href`` (invalid HTML) are left out, so the nodes with an ``href`` are exactly
#: the ``a[href]`` links (the region spans count those).
_WALK = "a[href], " + ", ".join(
    f"{kind}:not([href])"
    for kind in _words("h1 h2 h3 h4 nav header footer aside [role] [id*=footer] [class*=footer]")
)
_HEADING_LEVEL = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}
_NO_HREF = "\x00"  # no attribute value can hold NUL (the parser replaces it)
_TAG_REGION = {"nav": "nav", "header": "header", "footer": "footer", "aside": "aside"}
_ROLE_REGION = {
    "navigation": "nav",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "main": "main",
}
DEFAULT_REGION = "main"


#: Deepest element nesting parsed as is; deeper pages are flattened (see flatten_if_deep).
MAX_DEPTH = 1000
_DEPTH_SCAN_TAGS = 5000
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
#: Void or self-closing-by-sibling elements: they do not deepen the tree.
_NO_NESTING = frozenset(
    _words("area base br col embed hr img input link meta source track wbr p li option td th")
    + _words("tr dt dd")
)
_FLAT_STRIP = re.compile(r"</?(?!(?:a|img|h[1-6]|p|br|title|base|meta)\b)[a-zA-Z][^>]*>")
_BLOCK_TAGS = frozenset(
    _words("p li td th dd dt div section article blockquote figcaption caption body main")
    + _words("aside footer header h1 h2 h3 h4 h5 h6")
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?;]\s+(?=[A-ZÄÖÜ0-9\"'(])|\s[|•·]\s")
_STOPWORDS = {
    "en": _words("the and of to in is for with that on are we our you this by as from be"),
    "de": _words("der die und das ist mit für von zu den im des ein eine wir unsere auf sie"),
    "fr": _words("le la les et des est pour une dans du en nous avec sur vous qui au"),
    "es": _words("el la los las y de que en es para con una por del nuestro su se"),
    "it": _words("il la di che e per un una sono con del della nel gli le"),
    "nl": _words("de het en van een is voor met op zijn wij ons onze dat te"),
}
_STOPWORD_LANG: dict[str, tuple[str, ...]] = {}
for _lang, _list in _STOPWORDS.items():
    for _word in _list:
        _STOPWORD_LANG[_word] = (*_STOPWORD_LANG.get(_word, ()), _lang)
_STOPWORD_SET = frozenset(_STOPWORD_LANG)
#: Per-site caches of resolved hrefs (menus and footers repeat on every page of a site).
_SITE_CACHES: dict[tuple, dict[str, tuple | None]] = {}
_MAX_SITES, _MAX_HREFS_PER_SITE = 128, 2_000  # bounded: at most ~256k cached hrefs
#: Sentence around a link per (block text, anchor): partner lists repeat across a site.
_SENTENCES: dict[tuple[str, str], str] = {}
_MAX_SENTENCES, _MAX_MEMO_BLOCK_CHARS = 20_000, 2_000  # bounded: at most ~40M chars


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
    dst_domain: str | None = None


@dataclass(slots=True)
class PageLinks:
    """A page's usable links column-wise, in document order (the hot path's form).

    ``targets[i]`` is ``(dst_url, dst_host, dst_domain, internal, url_hash)``; the position
    of link ``i`` is ``i + 1``. Only links that leave the site are in ``external``, as
    ``(index, context, section_heading)``.
    """

    targets: list[tuple]
    anchors: list[str]
    regions: list[str]
    rels: list[str | None]
    external: list[tuple[int, str, str]]

    def __len__(self) -> int:
        return len(self.targets)


@dataclass
class ParsedPage:
    """What a page says: title, visible text, language guess and its links.

    ``text`` joins the page's stripped text nodes with single spaces; whitespace inside a
    text node is not folded (folding 20 KB of text costs as much as parsing it).
    :func:`parse_page` gives ``links`` as :class:`LinkContext` objects, :func:`parse_raw`
    as one :class:`PageLinks`.
    """

    title: str
    text: str
    lang: str
    links: list[LinkContext] | PageLinks
    truncated: bool
    charset: str = "utf-8"
    host: str | None = None
    domain: str | None = None
    dropped_links: Counter = field(default_factory=Counter)
    flattened: bool = False


def parse_page(payload: bytes, url: str, charset: str | None = None) -> ParsedPage:
    """Parse an HTML payload fetched from ``url`` (``charset`` as declared over HTTP)."""
    page = parse_raw(payload, url, charset)
    links: PageLinks = page.links
    contexts = {index: (context, heading) for index, context, heading in links.external}
    page.links = [
        LinkContext(
            dst_url=dst_url,
            anchor_text=anchor,
            context=contexts.get(index, ("", ""))[0],
            section_heading=contexts.get(index, ("", ""))[1],
            region=region,
            rel=rel or "",
            position=index + 1,
            internal=internal,
            dst_host=dst_host,
            dst_domain=dst_domain,
        )
        for index, ((dst_url, dst_host, dst_domain, internal, _), anchor, region, rel) in
        enumerate(zip(links.targets, links.anchors, links.regions, links.rels, strict=True))
    ]  # fmt: skip
    return page


def parse_raw(payload: bytes, url: str, charset: str | None = None) -> ParsedPage:
    """:func:`parse_page` with links as one :class:`PageLinks`: the hot path's form."""
    tree, used_charset, truncated, flattened = load_tree(payload, charset)
    page_resolver = resolver_for(url)
    page_host = page_resolver.host
    page_domain = registered_domain(page_host) if page_host else None
    resolver = page_resolver
    head = tree.head  # <base> and <title> live in <head>; searching it alone is cheap
    base_node = title_node = None
    for node in head.css("base[href], title") if head is not None else ():
        if node.tag == "title":
            title_node = title_node or node
        elif base_node is None:
            base_node = node
    if base_node is not None:
        base_href = (base_node.attrs.get("href") or "").strip()
        resolved_base = page_resolver.resolve(base_href) if base_href else None
        if resolved_base:
            resolver = resolver_for(resolved_base[0])
    if title_node is None:
        title_node = tree.css_first("title")
    title = " ".join(title_node.text_lexbor().split())[:1000] if title_node is not None else ""
    dropped: Counter = Counter()
    links = parse_links(tree, resolver, page_host, page_domain, dropped)
    text = visible_text(tree)
    return ParsedPage(
        title=title,
        text=text,
        lang=guess_language(text),
        links=links,
        truncated=truncated or flattened,
        flattened=flattened,
        charset=used_charset,
        host=page_host,
        domain=page_domain,
        dropped_links=dropped,
    )


def load_tree(
    payload: bytes, declared: str | None = None
) -> tuple[LexborHTMLParser, str, bool, bool]:
    """Parse a payload: ``(tree, charset used, truncated, flattened)``.

    What every extractor pass must do first (the benchmark's bare pass calls it too). A page
    that is valid UTF-8 goes to Lexbor as bytes: decoding it to ``str`` only for selectolax
    to encode it back costs a fifth of the parse. Other charsets are decoded first.
    """
    used = _ascii_charset(payload, declared) if payload.isascii() else None
    if used is not None:
        html: str | bytes = payload
    else:
        text, used = decode_html(payload, declared)
        html = payload if used == "utf-8" else text
    truncated = False
    if len(html) > MAX_PARSE_CHARS:
        html, truncated = html[:MAX_PARSE_CHARS], True
        if isinstance(html, bytes):  # do not cut a UTF-8 sequence in two
            html = html.decode("utf-8", "ignore").encode("utf-8")
    flattened = False
    if html.count(b"<" if isinstance(html, bytes) else "<") >= _DEPTH_SCAN_TAGS:
        text = html.decode("utf-8") if isinstance(html, bytes) else html
        flat, flattened = flatten_if_deep(text)
        if flattened:
            html = flat
    return LexborHTMLParser(html), used, truncated, flattened


def _ascii_charset(payload: bytes, declared: str | None) -> str | None:
    """The charset :func:`decode_html` would pick for an all-ASCII payload, found without
    decoding it; None when that charset does not read ASCII as ASCII (then decode)."""
    for name in _charset_candidates(payload, declared):
        codec = _codec(name)
        if codec is not None:
            return codec if _ascii_compatible(codec) else None
    return None


@lru_cache(maxsize=64)
def _ascii_compatible(codec: str) -> bool:
    """True when ASCII bytes decode to themselves in ``codec`` (not EBCDIC, not UTF-7)."""
    probe = b"<a href='/x?y=1&z'>+AGE-~\\</a>"
    try:
        return probe.decode(codec) == probe.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def flatten_if_deep(html: str) -> tuple[str, bool]:
    """Strip container tags from pathologically nested HTML; say whether it was done.

    Lexbor's tree builder is quadratic in nesting depth (50,000 nested divs take ~10 s), so
    pages whose elements nest deeper than :data:`MAX_DEPTH` lose every tag except links,
    images, headings, paragraphs and head tags: text and links survive, nesting does not.
    Pages with few tags cannot nest deeply and are not scanned (one ``str.count``).
    """
    if html.count("<") < _DEPTH_SCAN_TAGS:
        return html, False
    depth = deepest = 0
    for match in _TAG.finditer(html):
        name = match.group(2).lower()
        if name in _NO_NESTING:
            continue
        if match.group(1):
            depth = max(depth - 1, 0)
        elif not match.group(3):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return _FLAT_STRIP.sub(" ", html), True
    return html, False


def decode_html(payload: bytes, declared: str | None = None) -> tuple[str, str]:
    """Bytes -> text: HTTP charset, then ``<meta charset>``, then UTF-8, then cp1252.

    A wrong or unknown declaration falls through to the next candidate, and the last one
    decodes anything, so decoding never raises. ISO-8859-1 is read as cp1252, as browsers do.
    """
    tried = set()
    for name in _charset_candidates(payload, declared):
        codec = _codec(name)
        if codec is None or codec in tried:
            continue
        tried.add(codec)
        try:
            return payload.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    return payload.decode("cp1252", errors="replace"), "cp1252"


def _charset_candidates(payload: bytes, declared: str | None) -> Iterator[str]:
    if declared:
        yield declared
    meta = _META_CHARSET.search(payload, 0, 4096)
    if meta:
        yield meta.group(1).decode("ascii", "ignore")
    yield "utf-8"


@lru_cache(maxsize=256)
def _codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):
        return None
    if codec in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"  # WHATWG: these labels mean windows-1252
    if codec.startswith(("utf-16", "utf-32")):
        return None  # an 8-bit page declaring UTF-16 is lying; binary sniffing skipped the rest
    return codec


def parse_links(
    tree: LexborHTMLParser,
    resolver: Resolver,
    page_host: str | None,
    page_domain: str | None,
    dropped: Counter,
) -> PageLinks:
    """All usable links in document order, column-wise, from one walk.

    Per-link work runs as C-level ``map`` calls over the walk (attribute dicts, hrefs, the
    per-site cache of resolved hrefs, anchor texts); Python code runs only for the few
    other nodes of the walk and for exceptions (uncached or unusable hrefs, odd anchors).
    Headings update a running heading chain, read at each link that leaves the site; a
    region container marks its next ``k`` links (its own ``a[href]`` descendants), inner
    containers after outer ones, so the innermost wins. The sentence around a link is found
    for links that leave the site only.
    """
    nodes = tree.css(_WALK)
    attrs = list(map(_ATTRIBUTES, nodes))
    hrefs = list(map(dict.get, attrs, repeat("href"), repeat(_NO_HREF)))
    events: list[tuple[int, int, str]] = []  # (a[href] number, heading level, heading text)
    spans: list[tuple[int, int, str]] = []  # (first a[href] number, count, region)
    others = _positions(hrefs, _NO_HREF)
    for shift, at in enumerate(others):
        node, node_attrs = nodes[at], attrs[at]
        tag = node.tag
        level = _HEADING_LEVEL.get(tag)
        if level is not None:
            events.append((at - shift, level, " ".join(node.text_lexbor().split())[:200]))
        region = _container_region(tag, node_attrs) if node_attrs or level is None else None
        if region is not None:
            inside = len(node.css("a[href]"))
            if inside:
                spans.append((at - shift, inside, region))
    for at in reversed(others):
        del nodes[at], attrs[at], hrefs[at]
    targets, dropped_at = _targets(hrefs, resolver, page_host, page_domain, dropped)
    for at in reversed(dropped_at):
        del nodes[at], attrs[at]
    anchors = list(map(str.strip, map(_TEXT_CONTENT, nodes)))
    if anchors and (
        "" in anchors
        or max(map(len, anchors)) > MAX_ANCHOR_CHARS
        or "  " in (joined := " ".join(anchors))
        or not joined.isprintable()  # newlines, tabs, no-break spaces, ...
    ):
        anchors = _clean_anchors(anchors, nodes, attrs)
    rels = list(map(dict.get, attrs, repeat("rel")))
    rels = [rel.lower() if rel else None for rel in rels] if any(rels) else [None] * len(rels)
    external = _external(targets, nodes, anchors, events, dropped_at)
    return PageLinks(targets, anchors, _regions(len(targets), spans, dropped_at), rels, external)


_ATTRIBUTES = attrgetter("attributes")
_INTERNAL = itemgetter(3)
#: Anchor text = the link's DOM textContent (one Lexbor call, no per-text-node Python work),
#: stripped; inner whitespace runs are folded only where present.
_TEXT_CONTENT = LexborNode.text_lexbor


def _positions(values: list, marker) -> list[int]:
    """Indexes of ``marker`` in ``values`` (C-level scans: markers are rare)."""
    found: list[int] = []
    at = -1
    try:
        while True:
            at = values.index(marker, at + 1)
            found.append(at)
    except ValueError:
        return found


def _clean_anchors(anchors: list[str], nodes: list, attrs: list[dict]) -> list[str]:
    """Fold whitespace runs (one regex over all anchors joined), cap the length, and give
    empty anchors their fallback (:func:`_fallback_anchor`)."""
    joined = "\x00".join(anchors)
    if joined.count("\x00") == len(anchors) - 1:
        anchors = _WHITESPACE.sub(" ", joined).split("\x00")
    else:  # a NUL inside an anchor: fold one by one
        anchors = [" ".join(anchor.split()) for anchor in anchors]
    if max(map(len, anchors)) > MAX_ANCHOR_CHARS:
        anchors = [anchor[:MAX_ANCHOR_CHARS] for anchor in anchors]
    for at in _positions(anchors, ""):
        anchors[at] = _fallback_anchor(nodes[at], attrs[at])
    return anchors


def _external(
    targets: list[tuple],
    nodes: list,
    anchors: list[str],
    events: list[tuple[int, int, str]],
    dropped_at: list[int],
) -> list[tuple[int, str, str]]:
    """(index, sentence, heading chain) of each link that leaves the site."""
    outside = _positions(list(map(_INTERNAL, targets)), False)
    if not outside:
        return []
    headings = ["", "", "", ""]
    chain = ""
    pending = iter(events)
    event = next(pending, None)
    external = []
    for index in outside:
        changed = False
        while event is not None:
            number = event[0] - bisect_left(dropped_at, event[0]) if dropped_at else event[0]
            if number > index:
                break
            level = event[1]
            headings[level] = event[2]
            for deeper in range(level + 1, 4):
                headings[deeper] = ""
            changed = True
            event = next(pending, None)
        if changed:
            chain = " > ".join(h for h in headings if h)
        external.append((index, _sentence_around(nodes[index], anchors[index]), chain))
    return external


def _container_region(tag: str, attrs: dict) -> str | None:
    """The page region an element stands for (nav/header/footer/aside/main), if any."""
    region = _TAG_REGION.get(tag)
    if region is not None:
        return region
    role = attrs.get("role")
    if role:
        region = _ROLE_REGION.get(role.strip().lower())
        if region is not None:
            return region
    if tag in ("body", "html"):
        return None
    marks = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
    return "footer" if "footer" in marks else None


def _regions(count: int, spans: list[tuple[int, int, str]], dropped_at: list[int]) -> list[str]:
    """Region per kept link from container spans over the ``a[href]`` numbering.

    Spans come in document order, so an inner container overwrites its outer one. Dropped
    links shift the numbering; each span's ends are moved back by the drops before them.
    """
    regions = [DEFAULT_REGION] * count
    for first, size, region in spans:
        end = first + size
        if dropped_at:
            first -= bisect_left(dropped_at, first)
            end -= bisect_left(dropped_at, end)
        if end > first:
            regions[first:end] = [region] * (end - first)
    return regions


def _targets(
    hrefs: list, resolver: Resolver, page_host: str | None, page_domain: str | None, dropped
) -> tuple[list[tuple], list[int]]:
    """Resolved targets of the usable hrefs, and the positions of the unusable ones.

    One ``map`` over the per-site cache (href -> target, None when unusable); only hrefs
    it has no usable answer for are looked at one by one. Root-relative and absolute hrefs
    (any scheme) mean the same on every page of a site and are cached; hrefs relative to
    the page's own path are not.
    """
    resolved = _site_cache(resolver, page_domain)
    targets = list(map(resolved.get, hrefs))
    dropped_at: list[int] = []
    if None in targets:
        for at in _positions(targets, None):
            href = hrefs[at]
            if href in resolved:
                info = resolved[href]  # None: known to be unusable
            else:
                info = _resolve_link(href, resolver, page_host, page_domain) if href else None
                if href and (href[:1] == "/" or has_scheme(href)):
                    resolved[href] = info
            if info is None:
                dropped[unusable_reason(href or "")] += 1
                dropped_at.append(at)
            else:
                targets[at] = info
        for at in reversed(dropped_at):
            del targets[at]
    return targets, dropped_at


def _site_cache(resolver: Resolver, page_domain: str | None) -> dict[str, tuple | None]:
    """href -> resolved target (None: unusable) for the page's site, bounded."""
    key = (resolver.origin, page_domain)
    cache = _SITE_CACHES.get(key)
    if cache is None or len(cache) > _MAX_HREFS_PER_SITE:
        if len(_SITE_CACHES) > _MAX_SITES:
            _SITE_CACHES.clear()
        cache = _SITE_CACHES[key] = {}
    return cache


def _resolve_link(
    href: str, resolver: Resolver, page_host: str | None, page_domain: str | None
) -> tuple | None:
    """(dst_url, dst_host, dst_domain, internal, url_hash) of an href, or None if unusable."""
    resolved = resolver.resolve(href) if href else None
    if resolved is None:
        return None
    dst_url, dst_host = resolved
    dst_domain = page_domain if dst_host == page_host else registered_domain(dst_host)
    internal = dst_host == page_host or (page_domain is not None and dst_domain == page_domain)
    url_hash = f"{zlib.crc32(dst_url.encode('utf-8', 'replace')):08x}"
    return (dst_url, dst_host, dst_domain, internal, url_hash)


def _fallback_anchor(node, attrs: dict) -> str:
    """Anchor of a link without text: logo ``<img alt>``, then ``title``/``aria-label``."""
    image = node.css_first("img[alt]")
    if image is not None:
        alt = (image.attrs.get("alt") or "").strip()
        if alt:
            return " ".join(alt.split())[:MAX_ANCHOR_CHARS]
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
    if len(raw) > _MAX_MEMO_BLOCK_CHARS:
        return _sentence_in(raw, anchor)
    key = (raw, anchor)
    sentence = _SENTENCES.get(key)
    if sentence is None:
        if len(_SENTENCES) >= _MAX_SENTENCES:
            _SENTENCES.clear()
        sentence = _SENTENCES[key] = _sentence_in(raw, anchor)
    return sentence


def _sentence_in(raw: str, anchor: str) -> str:
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
        lo = max(start, at - MAX_CONTEXT_CHARS // 2)
        sentence = text[lo : lo + MAX_CONTEXT_CHARS].strip()
    return sentence


def visible_text(tree: LexborHTMLParser) -> str:
    """Text a reader sees: boilerplate tags removed (mutates the tree), text nodes joined."""
    tree.strip_tags(BOILERPLATE_TAGS)
    root = tree.body or tree.root
    if root is None:
        return ""
    return root.text(separator=" ", strip=True)


def guess_language(text: str, max_chars: int = 1200) -> str:
    """Cheap language guess from stopword counts in the first ~200 words ("" if unsure)."""
    counts: dict[str, int] = {}
    for word, hits in Counter(
        filter(_STOPWORD_SET.__contains__, text[:max_chars].lower().split())
    ).items():
        for lang in _STOPWORD_LANG[word]:
            counts[lang] = counts.get(lang, 0) + hits
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    best, hits = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return best if hits >= 3 and hits > runner_up else ""


def page_url(url: str) -> str:
    """Canonical form of a page URL (as in the pages table); the raw URL if unusable."""
    return normalize_url(url) or url
