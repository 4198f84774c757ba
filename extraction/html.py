"""HTML pages -> title, visible text, language and hyperlinks with their context.

Built for crawl scale on Lexbor, the engine of ``selectolax.lexbor``. Each page is parsed
and walked once in C (:mod:`extraction._pagewalk`): the walk gathers the title, ``<base
href>`` and visible text and keeps, per ``a[href]`` in document order, only pointers (the
element, its href and rel, region, heading chain) — no Python object per link. One more C
call (``Page.links``) resolves every href, finds its registered domain, splits internal
from external and builds the anchor, URL, link id and context sentence of the links that
leave the site only (~10 % of a crawl page's links); the rare hrefs it cannot resolve go
to :class:`~extraction.urls.Resolver`. Links come out column-wise (:class:`PageLinks`).
Nothing recurses over the tree, so deeply nested pages cannot overflow a stack.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser

from extraction.native import pagewalk as _pagewalk
from extraction.urls import Resolver, idna_netloc, registered_domain, unusable_reason


def _words(text: str) -> list[str]:
    return text.split()


#: HTML parsed per page (characters, or bytes of a UTF-8 page); the rest is dropped and the
#: page marked truncated.
MAX_PARSE_CHARS = 2 * 1024 * 1024
#: Longest context sentence and anchor kept (characters).
MAX_CONTEXT_CHARS = 400
MAX_ANCHOR_CHARS = 300
#: Subtrees whose text a reader does not see (the C walk skips the same tags).
BOILERPLATE_TAGS = ["script", "style", "noscript", "template", "nav", "svg", "iframe", "object"]
DEFAULT_REGION = "main"
if _pagewalk.MAX_ANCHOR_CHARS != MAX_ANCHOR_CHARS:
    raise ImportError("extraction._pagewalk is stale (anchor cap differs): rebuild it")


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
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
#: Where a sentence ends, as a regular expression over whitespace-folded text (the C pass
#: implements it; tests check one against the other).
SENTENCE_END = re.compile(r"[.!?;]\s+(?=[A-ZÄÖÜ0-9\"'(])|\s[|•·]\s")
_STOPWORDS = {
    "en": _words("the and of to in is for with that on are we our you this by as from be"),
    "de": _words("der die und das ist mit für von zu den im des ein eine wir unsere auf sie"),
    "fr": _words("le la les et des est pour une dans du en nous avec sur vous qui au"),
    "es": _words("el la los las y de que en es para con una por del nuestro su se"),
    "it": _words("il la di che e per un una sono con del della nel gli le"),
    "nl": _words("de het en van een is voor met op zijn wij ons onze dat te"),
}
_LANGUAGES = tuple(_STOPWORDS)
#: stopword -> bit mask of the languages (by position in _LANGUAGES) it belongs to.
_STOPWORD_MASK: dict[str, int] = {}
for _bit, _list in enumerate(_STOPWORDS.values()):
    for _word in _list:
        _STOPWORD_MASK[_word] = _STOPWORD_MASK.get(_word, 0) | 1 << _bit
_LONGEST_STOPWORD = max(map(len, _STOPWORD_MASK))
_HREF_BYTES = re.compile(rb"href\s*=", re.I)
_HREF_TEXT = re.compile(r"href\s*=", re.I)


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
    """A page's links that leave its registered domain, column-wise, in document order.

    Resolution, the registered-domain lookup, the internal/external split, anchors and
    contexts ran in C (``_pagewalk.Page.links``); links inside the site are only counted
    (:attr:`internal`), unless the page was parsed with ``keep_internal`` (then every usable
    link is listed, :attr:`internal` holds one flag per link and internal links have ""
    as context). ``positions`` count the page's usable links from 1; ``contexts`` hold the
    sentence around each link (:func:`sentence_around` of its block text).
    """

    positions: list[int]
    urls: list[str]
    hosts: list[str]
    domains: list[str | None]
    ids: list[str]
    anchors: list[str]
    regions: list[str]
    rels: list[str | None]
    headings: list[str]
    contexts: list[str]
    internal: int | list[bool]

    def __len__(self) -> int:
        return len(self.urls)


@dataclass(slots=True)
class LinkCounts:
    """A page's links when they went into a ``_pagewalk.LinkSink`` (:func:`parse_raw` with
    ``sink``): how many it took (the links that leave the site) and how many stayed."""

    external: int
    internal: int

    def __len__(self) -> int:
        return self.external


@dataclass
class ParsedPage:
    """What a page says: title, visible text, language guess and its links.

    :attr:`text` joins the page's stripped text nodes with single spaces; whitespace inside
    a text node is not folded (folding 20 KB of text costs as much as parsing it). It is
    kept as UTF-8 and decoded only when read: the extraction needs its length and language,
    not the 20 KB string. :func:`parse_page` gives ``links`` as :class:`LinkContext`
    objects, :func:`parse_raw` as one :class:`PageLinks`.
    """

    title: str
    text_utf8: bytes
    text_length: int
    lang: str
    links: list[LinkContext] | PageLinks | LinkCounts
    truncated: bool
    charset: str = "utf-8"
    host: str | None = None
    domain: str | None = None
    dropped_links: Counter = field(default_factory=Counter)
    flattened: bool = False

    @property
    def text(self) -> str:
        """The visible text (decoded from :attr:`text_utf8` on each access)."""
        return self.text_utf8.decode("utf-8", "replace")


def parse_page(payload: bytes, url: str, charset: str | None = None) -> ParsedPage:
    """Parse an HTML payload fetched from ``url`` (``charset`` as declared over HTTP), with
    every usable link as a :class:`LinkContext` (internal ones without context)."""
    page = parse_raw(payload, url, charset, keep_internal=True)
    links: PageLinks = page.links
    page.links = [
        LinkContext(
            dst_url=dst_url,
            anchor_text=anchor,
            context=context,
            section_heading="" if internal else heading,
            region=region,
            rel=rel or "",
            position=position,
            internal=internal,
            dst_host=dst_host,
            dst_domain=dst_domain,
        )
        for position, dst_url, dst_host, dst_domain, anchor, region, rel, heading, context,
        internal in zip(links.positions, links.urls, links.hosts, links.domains, links.anchors,
                        links.regions, links.rels, links.headings, links.contexts,
                        links.internal, strict=True)
    ]  # fmt: skip
    return page


def parse_raw(
    payload: bytes, url: str, charset: str | None = None, id_prefix: str = "",
    keep_internal: bool = False, sink: _pagewalk.LinkSink | None = None,
) -> ParsedPage:  # fmt: skip
    """:func:`parse_page` with the links that leave the site as one :class:`PageLinks`
    (all usable links when ``keep_internal``). ``id_prefix`` starts each link id
    (``extraction.extract.link_id``). With a ``sink`` the links go into it, in Arrow's
    columnar layout and without link ids, and ``links`` only counts them: the crawl's form."""
    html, used_charset, truncated, flattened, lost = prepare_html(payload, charset)
    if isinstance(html, str):
        html = html.encode("utf-8", "ignore")  # what selectolax feeds Lexbor for text
    page = _pagewalk.walk(html)
    try:
        page_resolver = Resolver(url)
        page_host = page_resolver.host
        page_domain = registered_domain(page_host) if page_host else None
        resolver = page_resolver
        base_href = (page.base_href or "").strip()
        if base_href:
            resolved_base = page_resolver.resolve(base_href)
            if resolved_base:
                resolver = Resolver(resolved_base[0])
        dropped: Counter = Counter()
        links = _page_links(page, resolver, page_host, page_domain, dropped, id_prefix,
                            keep_internal, sink)  # fmt: skip
        if lost:
            dropped["after_parse_cap"] += lost
        title, text_utf8, text_length = page.title, page.text_utf8, page.text_length
    finally:
        page.close()  # free the Lexbor document now, not at the next garbage collection
    return ParsedPage(
        title=title,
        text_utf8=text_utf8,
        text_length=text_length,
        lang=guess_language(text_utf8),
        links=links,
        truncated=truncated or flattened,
        flattened=flattened,
        charset=used_charset,
        host=page_host,
        domain=page_domain,
        dropped_links=dropped,
    )


def prepare_html(
    payload: bytes, declared: str | None = None
) -> tuple[str | bytes, str, bool, bool, int]:
    """What goes to Lexbor: ``(html, charset used, truncated, flattened, hrefs lost)``.

    A page that is valid UTF-8 stays bytes: decoding it to ``str`` only to encode it back
    costs a fifth of the parse. Other charsets are decoded to ``str``. Over-long pages are
    capped (:data:`MAX_PARSE_CHARS`; the ``href=`` attributes in the cut-off tail are
    counted as lost) and pathologically deep ones flattened.
    """
    utf8, ascii, tags = _pagewalk.utf8_scan(payload)  # one pass, nothing decoded
    if ascii:
        used = _ascii_charset(payload, declared)
    else:
        used = "utf-8" if utf8 and _first_codec(payload, declared) == "utf-8" else None
    if used is not None:
        html: str | bytes = payload
    else:
        text, used = decode_html(payload, declared)
        html = payload if used == "utf-8" else text
        if html is text:
            tags = text.count("<")
    truncated, lost = False, 0
    if len(html) > MAX_PARSE_CHARS:
        lost = _hrefs_in(html[MAX_PARSE_CHARS:])
        html, truncated = html[:MAX_PARSE_CHARS], True
        if isinstance(html, bytes):  # do not cut a UTF-8 sequence in two
            html = html.decode("utf-8", "ignore").encode("utf-8")
        tags = html.count(b"<" if isinstance(html, bytes) else "<")
    flattened = False
    if tags >= _DEPTH_SCAN_TAGS:
        text = html.decode("utf-8") if isinstance(html, bytes) else html
        flat, flattened = flatten_if_deep(text)
        if flattened:
            html = flat
    return html, used, truncated, flattened, lost


def _hrefs_in(tail: str | bytes) -> int:
    """How many ``href=`` attributes a cut-off tail holds (any case): links lost to the cap."""
    pattern = _HREF_BYTES if isinstance(tail, bytes) else _HREF_TEXT
    return sum(1 for _ in pattern.finditer(tail))


def load_tree(
    payload: bytes, declared: str | None = None
) -> tuple[LexborHTMLParser, str, bool, bool]:
    """:func:`prepare_html` parsed by selectolax: ``(tree, charset, truncated, flattened)``.

    The benchmark's bare pass (what every extractor must do first) and tests use it; the
    extraction itself parses in :mod:`extraction._pagewalk`.
    """
    html, used, truncated, flattened, _ = prepare_html(payload, declared)
    return LexborHTMLParser(html), used, truncated, flattened


def _first_codec(payload: bytes, declared: str | None) -> str | None:
    """The codec :func:`decode_html` tries first (a valid UTF-8 page needs no decoding
    when that is UTF-8)."""
    for name in _charset_candidates(payload, declared):
        codec = _codec(name)
        if codec is not None:
            return codec
    return None


def _ascii_charset(payload: bytes, declared: str | None) -> str | None:
    """The charset :func:`decode_html` would pick for an all-ASCII payload, found without
    decoding it; None when that charset does not read ASCII as ASCII (then decode)."""
    codec = _first_codec(payload, declared)
    return codec if codec is not None and _ascii_compatible(codec) else None


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


def _page_links(
    page, resolver: Resolver, page_host: str | None, page_domain: str | None, dropped: Counter,
    id_prefix: str, keep_internal: bool, sink: _pagewalk.LinkSink | None = None,
) -> PageLinks | LinkCounts:  # fmt: skip
    """A walked page's links, resolved and split in C; unusable hrefs counted in ``dropped``.

    Python runs per link only for the rare hrefs the C resolver leaves to
    :class:`~extraction.urls.Resolver` (non-ASCII, whitespace, userinfo, ...): the walk
    made no Python object per link, and ``Page.links`` makes them only for the links kept.
    """

    def fallback(href: str) -> tuple[str, str] | str:
        resolved = resolver.resolve(href) if href else None
        return resolved if resolved is not None else unusable_reason(href)

    *columns, internal, reasons = page.links(
        resolver.base, resolver.host, page_host, page_domain, fallback, registered_domain,
        id_prefix, keep_internal, idna_netloc, MAX_CONTEXT_CHARS, sink,
    )  # fmt: skip
    dropped.update(reasons)
    if sink is not None:
        return LinkCounts(columns[0], internal)
    return PageLinks(*columns, internal)


def sentence_around(block: str | None, anchor: str) -> str:
    """The sentence of a link's block text (``block.text(separator=" ")``, capped by the
    walk) that contains its anchor (the anchor when there is no block or it is blank).

    The block's whitespace is folded to single spaces; the sentence runs from the last
    sentence end before the anchor to the first after it (:data:`SENTENCE_END`, matched on
    the folded text) and is at most :data:`MAX_CONTEXT_CHARS` long, centred on the anchor
    when cut. One C pass (``_pagewalk.sentence``); an anchor not in the block gives the
    block's start.
    """
    if block is None:
        return anchor
    return _pagewalk.sentence(block, anchor, MAX_CONTEXT_CHARS)


def visible_text(tree: LexborHTMLParser) -> str:
    """Text a reader sees: boilerplate tags removed (mutates the tree), text nodes joined.

    The selectolax form, for a tree from :func:`load_tree` (the benchmark's bare pass); the
    extraction gets the same text from its walk (``ParsedPage.text``).
    """
    tree.strip_tags(BOILERPLATE_TAGS)
    root = tree.body or tree.root
    if root is None:
        return ""
    return root.text(separator=" ", strip=True)


def guess_language(text: str | bytes, max_chars: int = 1200) -> str:
    """Cheap language guess from stopword counts in the first ~200 words ("" if unsure).

    The words of ``text[:max_chars].lower().split()`` are counted in C (no word list is
    built; ``text`` may be a str or UTF-8 bytes); the best language needs 3 hits and more
    than any other.
    """
    hits = _pagewalk.stopword_counts(
        text, max_chars, _STOPWORD_MASK, _LONGEST_STOPWORD, len(_LANGUAGES)
    )
    best = max(hits)
    if best < 3 or hits.count(best) > 1:
        return ""
    return _LANGUAGES[hits.index(best)]
