"""URLs, hosts and registered domains: the rules of the hot path, in Python.

The per-link work runs in C (``extraction._pagewalk.Page.links``: resolution,
normalisation, the public-suffix walk, limits), and gives exactly what these functions
give; :class:`Resolver` is its reference and its fallback for the rare hrefs C leaves to
Python (non-ASCII, whitespace, userinfo, IPv6 literals, ...), and resolves page and
``<base href>`` URLs. The public-suffix rules are tldextract's bundled snapshot (never
fetched), loaded once into the C table with the ACE forms of its IDN rules, so punycode
hosts are answered in C too.

Limits: a stored URL is at most :data:`MAX_URL_CHARS` (2,048: the longest URL sitemaps,
browsers' address bars of old and search engines accept; longer ones are tracking junk),
a host at most 253 characters in labels of at most 63 (RFC 1035), a numeric host a valid
dotted-quad IPv4 address, and no URL holds control characters; anything else is a counted
skip (:func:`url_limit_reason`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import idna
import tldextract

from extraction.idn import to_ascii
from extraction.native import pagewalk

_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_OK = re.compile(r"^[a-z0-9_.-]+$|^\[[0-9a-f:.]+\]$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
#: An ASCII URL that normalize_url would return unchanged: lower-case http(s) scheme and
#: host, no port/userinfo, a path, no fragment, no whitespace or controls, no bare ``?``.
_CANONICAL = re.compile(r"https?://[a-z0-9_-]+(?:\.[a-z0-9_-]+)*/[^#\x00-\x20\x7f]*(?<!\?)\Z")
#: Schemes whose links never point at a web page; counted by name when dropped.
_NON_WEB = {"javascript", "mailto", "tel", "data", "ftp", "file", "callto", "sms", "skype"}

# The bundled public-suffix snapshot; an empty URL list and no cache dir mean no network ever.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _with_ace_forms(rules: list[str]) -> list[str]:
    """The rules, plus each rule with non-ASCII labels in its ACE (``xn--``) form.

    tldextract decodes a host's ``xn--`` labels with ``idna.decode`` before its suffix walk,
    so a punycode label matches a Unicode rule exactly when it is that rule label's A-label
    (``idna.alabel``, the inverse). With both forms in the C table, punycode hosts need no
    decoding: the C walk answers them as tldextract does (tests check every rule). A rule
    label that is no valid IDNA 2008 label cannot be matched by a decoded one: it has none.
    """
    ace = []
    for rule in rules:
        if rule.isascii():
            continue
        try:
            ace.append(".".join(
                label if label.isascii() else idna.alabel(label).decode("ascii")
                for label in rule.split(".")
            ))  # fmt: skip
        except idna.IDNAError:
            continue
    return sorted({*rules, *ace})


# The rules tldextract walks (public + extra, private ones excluded as its default), in C.
pagewalk.psl_load(
    _with_ace_forms(list(_EXTRACT._get_tld_extractor().tlds(include_psl_private_domains=False)))
)

MAX_URL_CHARS = pagewalk.MAX_URL_CHARS
MAX_HOST_CHARS = pagewalk.MAX_HOST_CHARS
MAX_LABEL_CHARS = pagewalk.MAX_LABEL_CHARS
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUMERIC_HOST = re.compile(r"^[0-9.]+$")
_IPV4 = re.compile(
    r"^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$"
)


def _idna_host(host: str) -> str | None:
    """Lower-case ASCII host (IDN labels to punycode), or None if it cannot be a host."""
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    if not host.isascii():
        try:
            host = to_ascii(host)  # what host.encode("idna") gives, nameprep memoised
        except UnicodeError:
            try:  # Python's idna codec is IDNA 2003; fall back label by label
                host = ".".join(
                    "xn--" + label.encode("punycode").decode("ascii")
                    if not label.isascii()
                    else label
                    for label in host.split(".")
                )
            except UnicodeError:
                return None
    if not _HOST_OK.match(host) or ".." in host:
        return None
    return host


def normalize_url(url: str) -> str | None:
    """Canonical http(s) URL: lower-case scheme/host, punycode, no fragment/default port.

    Returns None for other schemes and for anything that is not a usable URL.
    """
    url = url.strip()
    if not url:
        return None
    if url.isascii() and _CANONICAL.match(url):  # most page URLs: nothing to change
        return url
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            return None
        port = parts.port
        raw_host = parts.hostname
    except ValueError:  # bad port, bad IPv6 literal, ...
        return None
    if not raw_host:
        return None
    host = _idna_host(raw_host)
    if host is None:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path or "/"
    if " " in path:
        path = path.replace(" ", "%20")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def host_of(url: str) -> str | None:
    """The lower-case host of a normalised or raw http(s) URL (None if there is none)."""
    return _host_of(url)


def _host_of(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return _idna_host(host) if host else None


def registered_domain(host: str) -> str | None:
    """Registered domain (``new.siemens.com`` -> ``siemens.com``) from the bundled PSL.

    None for IP addresses, ``localhost`` and hosts whose suffix is not on the list. The C
    suffix walk answers lower-case ASCII hosts (punycode ones too); tldextract the rest.
    """
    if not host:
        return None
    host = host.lower().rstrip(".")
    found = pagewalk.registered_domain(host)
    if found is not False:
        return found
    return _tldextract_domain(host)


def _tldextract_domain(host: str) -> str | None:
    """tldextract's answer for the rare hosts the C walk leaves to it (characters other
    than lower-case ASCII letters, digits, ``-``, ``_`` and dots)."""
    if host.startswith("[") or host.replace(".", "").isdigit():
        return None
    return _EXTRACT(host).top_domain_under_public_suffix or None


@lru_cache(maxsize=16_384)
def idna_netloc(netloc: str) -> str | None:
    """The ASCII host of a non-ASCII ``netloc`` as :func:`normalize_url` finds it (urlsplit,
    then IDNA), or None; the C resolver asks for it (~100 us of IDNA a host, kept per
    netloc: a site's links repeat its host)."""
    try:
        host = urlsplit("//" + netloc).hostname
    except ValueError:
        return None
    return _idna_host(host) if host else None


def url_path(url: str) -> str:
    """The path of a URL (``/`` when empty); used by weak-label rules and tables."""
    if url.startswith(("https://", "http://")) and url.isprintable():  # as urlsplit cuts it
        start = url.find("//") + 2
        cut = len(url)
        for mark in "/?#":
            at = url.find(mark, start, cut)
            if at >= 0:
                cut = at
        if url[cut : cut + 1] != "/":
            return "/"
        end = len(url)
        for mark in "?#":
            at = url.find(mark, cut, end)
            if at >= 0:
                end = at
        return url[cut:end]
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return "/"


def has_scheme(href: str) -> bool:
    """True when ``href`` starts with a URL scheme (``https:``, ``mailto:``): its meaning
    does not depend on the page it sits on."""
    return _SCHEME.match(href) is not None


def unusable_reason(href: str) -> str:
    """Why :func:`resolve_url` refused ``href``: a short reason for skip counters."""
    href = href.strip()
    if not href:
        return "empty_href"
    match = _SCHEME.match(href)
    if match:
        scheme = match.group(1).lower()
        if scheme in _NON_WEB:
            return f"{scheme}_href"
        if scheme not in _DEFAULT_PORTS:
            return "other_scheme_href"
    return "malformed_href"


class Resolver:
    """Resolves the hrefs of one page against its base URL (``<base href>`` or page URL).

    ``resolve`` returns ``(url, host)`` or None. Hosts of relative links are the base host,
    so callers can tell internal links without parsing the result again.
    """

    __slots__ = ("base", "host", "origin", "_base_nofrag")

    def __init__(self, base: str) -> None:
        normalized = normalize_url(base)
        self.base = normalized or base
        self.host = self.origin = None
        if normalized:  # scheme://netloc/path...: a normalised URL always has a path
            cut = normalized.find("/", normalized.find("://") + 3)
            origin = normalized[:cut] if cut >= 0 else normalized
            self.host = _host_of(origin)  # cached per origin: pages of a site share it
            self.origin = origin if self.host else None
        self._base_nofrag = self.base

    def resolve(self, href: str) -> tuple[str, str] | None:
        """Absolute normalised URL and host of ``href``, or None if unusable."""
        first = href[:1]
        if first == "/":
            if href[1:2] == "/":  # protocol-relative
                return _absolute(self.base.split(":", 1)[0] + ":" + href)
            if self.origin is None or "/." in href or "\\" in href:
                return self._join(href)
            cut = href.find("#")
            if cut >= 0:
                href = href[:cut]
            if " " in href:
                href = href.replace(" ", "%20")
            return (self.origin + href, self.host)
        if first in ("h", "H") and (href[:7].lower() == "http://" or href[:8].lower() == "https:/"):
            return _absolute(href)
        if first == "#":
            return (self._base_nofrag, self.host) if self.host else None
        stripped = href.strip()
        if stripped != href:
            return self.resolve(stripped) if stripped else None
        if _SCHEME.match(href):  # some other scheme, or http with odd spelling
            return _absolute(href)
        return self._join(href)

    def _join(self, href: str) -> tuple[str, str] | None:
        if self.host is None:
            return None
        try:
            joined = urljoin(self.base, href)
        except ValueError:
            return None
        return _absolute(joined)


def _absolute(url: str) -> tuple[str, str] | None:
    normalized = normalize_url(url)
    if normalized is None:
        return None
    host = _host_of(normalized)
    return (normalized, host) if host else None


def resolver_for(base: str) -> Resolver:
    """A :class:`Resolver` for a base URL."""
    return Resolver(base)


def url_limit_reason(url: str, host: str | None = None) -> str | None:
    """Why a URL must not be stored (``url_too_long``, ``control_char_url``,
    ``host_too_long``, ``host_label_too_long``, ``invalid_ip_host``), or None.

    ``host`` defaults to the URL's own; the C resolver applies the same limits per link.
    """
    if len(url) > MAX_URL_CHARS:
        return "url_too_long"
    if _CONTROL.search(url):
        return "control_char_url"
    if host is None:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return None  # unusable anyway: normalize_url refuses it, the caller counts that
    if len(host) > MAX_HOST_CHARS:
        return "host_too_long"
    if any(len(label) > MAX_LABEL_CHARS for label in host.split(".")):
        return "host_label_too_long"
    if _NUMERIC_HOST.match(host) and not _IPV4.match(host):
        return "invalid_ip_host"
    return None


def resolve_url(href: str, base: str) -> str | None:
    """Absolute normalised URL of ``href`` on a page at ``base``; None if unusable.

    None for ``javascript:``, ``mailto:``, ``tel:``, ``data:`` and malformed hrefs
    (:func:`unusable_reason` says which).
    """
    if not href or not href.strip():
        return None
    resolved = resolver_for(base).resolve(href)
    return resolved[0] if resolved else None
