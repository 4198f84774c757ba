"""Link features: the one place that turns a link row into model input, for training and
inference alike (a model never sees a row any other way).

Two views of the same normalised :class:`LinkInput`:

* :func:`bow_features` — field-tagged sparse features for the fast spaCy model: words of the
  anchor, nearest heading, parent headings and sentence, the target host, the source path's
  relation cues (its words are site-specific slugs: template-held-out CV 0.67 -> 0.72), word
  bigrams of the short fields, region and language. German compounds are head-final
  ("Vertriebs|partner", "System|lieferanten", "Kunden|referenzen"), so long words also emit
  their prefixes and suffixes of 4-6 characters: an unseen compound shares features with
  the known head and modifier, at ~6 extra features per long word instead of every char n-gram.
  Each text field also reports which relation cues of the rule lexicon
  (``extraction.weak_labels.TERMS``, EN + DE) it contains — all of them, not only the first
  as the rules do — plus agency-credit, boilerplate-anchor and social-target flags: the model
  learns how far to trust each cue in each field, and generalises to phrasings whose words
  it never saw in training (cue features count :data:`CUE_WEIGHT` times). The target's own
  name is masked in the sentence, so company names do not become features.
* :func:`text_features` — one short tagged string for the transformer.

Each view has its version (:data:`FEATURE_VERSIONS`, per model kind): bump it whenever that
view's output changes; artefacts record it and refuse to load under another version.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extraction.labels import NO_RELATION
from extraction.targets import target_kind
from extraction.urls import host_of, registered_domain
from extraction.weak_labels import (
    AGENCY_CREDIT,
    BOILERPLATE_ANCHOR,
    LABEL_ORDER,
    NOISE_TERMS,
    NON_BUSINESS_DOMAINS,
    PATH_TERMS,
    TERMS,
    required_strings,
    word_patterns,
)
from models.cues import heading_cues, sentence_cues

#: Model kind -> version of the feature view it reads.
FEATURE_VERSIONS = {"spacy": "f10", "transformer": "t11"}


def feature_version(kind: str) -> str:
    return FEATURE_VERSIONS[kind]


#: Row keys a model reads; anything else in a row is ignored.
INPUT_FIELDS = (
    "src_url",
    "dst_url",
    "anchor_text",
    "section_heading",
    "context",
    "region",
    "lang",
    "page_path",
)
HEADING_SEPARATOR = " > "
_WORD = re.compile(r"[^\W_]+")
_AFFIX_MIN_WORD = 7
_AFFIX_LENGTHS = (4, 5, 6)
_MAX_CONTEXT_WORDS = 60
_LABEL_CUES = tuple(
    (label, re.compile(pattern, re.I))
    for label, pattern in [*TERMS.items(), (NO_RELATION, NOISE_TERMS)]
)
#: Words in a target's host name that say what the target is (``foerderbank.de``,
#: ``ihk-muenchen.de``, ``northstar-ventures.com``, ``allgaeuer-zeitung.de``).
HOST_TERMS: dict[str, str] = {
    "investor": r"capital|ventures?|vc$|invest|fonds|fund|kapital|angels?|equity|foerder|seed",
    "membership": (
        r"verband|innung|kammer|^ihk|^hwk|association|federation|institut|society|verein"
        r"|cluster|netzwerk|council|certif|zert|tuev|tuv|dekra|^iso$|^fsc$"
    ),
    "ownership": r"holding|gruppe|group$|beteiligungen",
    NO_RELATION: r"news|zeitung|presse?$|times|journal|magazin|maps|jobs|karriere|^blog",
}
_HOST_CUES = tuple((label, re.compile(pattern)) for label, pattern in HOST_TERMS.items())
_PATH_CUES = re.compile(
    "|".join(f"(?P<{label}>/(?:{pattern}))" for label, pattern in PATH_TERMS.items()), re.I
)
_CREDIT = re.compile(AGENCY_CREDIT, re.I)
_BOILERPLATE = re.compile(BOILERPLATE_ANCHOR, re.I)
TARGET_MASK = " zztarget "
#: The source's own name in its sentence (:func:`_self_masked`).
SELF_MASK = "zzself"
#: Cue features are repeated: a bag-of-features model then weighs the curated lexicon above
#: the many template words it would otherwise memorise (measured by template-held-out CV).
CUE_WEIGHT = 3


@dataclass(frozen=True, slots=True)
class LinkInput:
    """A link row with every model field present as a string (missing/None -> "")."""

    src_url: str = ""
    dst_url: str = ""
    anchor_text: str = ""
    section_heading: str = ""
    context: str = ""
    region: str = ""
    lang: str = ""
    page_path: str = ""

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> LinkInput:
        """Normalise a row; raises TypeError naming the field if a value is not a string."""
        values = {}
        for name in INPUT_FIELDS:
            value = row.get(name)
            if value is None:
                value = ""
            elif not isinstance(value, str):
                raise TypeError(f"field {name!r} must be a string, got {type(value).__name__}")
            values[name] = value
        return cls(**values)

    @property
    def heading(self) -> str:
        """The nearest heading (last element of the heading chain)."""
        return self.section_heading.rsplit(HEADING_SEPARATOR, 1)[-1]

    @property
    def parent_headings(self) -> str:
        parts = self.section_heading.rsplit(HEADING_SEPARATOR, 1)
        return parts[0] if len(parts) > 1 else ""

    @property
    def source_path(self) -> str:
        return self.page_path or _path_of(self.src_url)


def bow_features(link: LinkInput) -> list[str]:
    """Sparse, field-tagged features of a link for the bag-of-features text classifier."""
    return [feature for group in bow_feature_groups(link) for feature in group]


def bow_feature_groups(link: LinkInput) -> list[tuple[str, ...]]:
    """:func:`bow_features` as per-field groups, each cached by its text.

    The links of one list share heading, page and region, and crawls repeat anchors and
    targets, so most groups are cache hits; callers may cache per group object too.
    """
    host, path = _host_and_path(link.dst_url)
    anchor, a = _text_group("a", link.anchor_text, True, True, 30)
    masked = _self_masked(_masked(link.context, link.anchor_text), link.src_url)
    sentence, c = _text_group("c", masked, True, True, _MAX_CONTEXT_WORDS)
    heading, parents, path_words, path_cues, (h, p, s, path_labels) = _page_groups(
        link.section_heading, link.source_path
    )
    target = _target_group(host, path)
    social = bool(target) and "d!social" in target
    stated = _sentence_cue_group(masked)
    if stated:  # the sentence states a relation: page cues get their own (weaker) weights
        heading, parents, path_words, path_cues = (
            _shadowed(heading),
            _shadowed(parents),
            _shadowed(path_words),
            _shadowed(path_cues),
        )
    return [
        anchor,
        heading,
        parents,
        sentence,
        stated,
        _conflict_group(stated, h | p | s | path_labels),
        path_words,
        path_cues,
        target,
        _meta_group(link.region, link.lang, not link.anchor_text.strip(), not link.context),
        _verdict_group(a, h, p, c, s, path_labels, social, bool(stated)),
    ]


@lru_cache(maxsize=100_000)
def _page_groups(section_heading: str, source_path: str) -> tuple:
    """Heading and source-path groups (and their cues): shared by every link of a list."""
    nearest, _, parents_text = _split_heading(section_heading)
    heading, h = _text_group("h", nearest, True, True, 30)
    heading += heading_cues(nearest) * CUE_WEIGHT
    parents, p = _text_group("p", parents_text, False, True, 30)
    path_words, s = _cue_group("s", source_path.replace("-", " ").replace("_", " "))
    path_cues, path_labels = _path_group(source_path)
    return heading, parents, path_words, path_cues, (h, p, s, path_labels)


def _split_heading(section_heading: str) -> tuple[str, str, str]:
    """(nearest heading, separator, parent headings) of a heading chain."""
    parts = section_heading.rsplit(HEADING_SEPARATOR, 1)
    return (parts[1], HEADING_SEPARATOR, parts[0]) if len(parts) > 1 else (parts[0], "", "")


#: A field's features and the cue labels found in it (the verdict feature reads those).
Group = tuple[tuple[str, ...], frozenset[str]]
_NO_CUES: frozenset[str] = frozenset()
_EMPTY: Group = ((), _NO_CUES)
#: Evidence fields in the rules' order of trust (``extraction.weak_labels``): the anchor,
#: the sentence, the nearest heading, the headings above, the source path (words, cues).
_VERDICT_FIELDS = ("a", "c", "h", "p", "s", "s")
_PAGE_FIELDS = frozenset("hps")


@lru_cache(maxsize=100_000)
def _verdict_group(
    a: frozenset[str],
    h: frozenset[str],
    p: frozenset[str],
    c: frozenset[str],
    s: frozenset[str],
    path: frozenset[str],
    social: bool,
    stated: bool = False,
) -> tuple[str, ...]:
    """What the rule table would say, from the cues already found (no second regex pass):
    the first field with a business cue wins, its most specific label first. The model
    learns how far to trust each (field, label) verdict; the rules trust all of them.
    A verdict read from the page (heading, path) under a sentence that ``stated`` a relation
    is a separate ``~v=`` feature, as the page cues are: there the page often misleads."""
    if social:
        return ("v=social",) * CUE_WEIGHT
    if "credit" in a or "credit" in c:
        return ("v=credit",) * CUE_WEIGHT
    for field, found in zip(_VERDICT_FIELDS, (a, c, h, p, s, path), strict=True):
        for label in LABEL_ORDER:
            if label in found:
                mark = "~" if stated and field in _PAGE_FIELDS else ""
                return (f"{mark}v={field}_{label}", f"{mark}v={label}") * CUE_WEIGHT
        if field == "a" and "boilerplate" in found:
            return ("v=boilerplate",) * CUE_WEIGHT
        if field == "c" and NO_RELATION in found:
            return ("v=c_other",) * CUE_WEIGHT
    return ("v=none",)


@lru_cache(maxsize=100_000)
def _sentence_cue_group(masked: str) -> tuple[str, ...]:
    """Relation wording of the sentence (:mod:`models.cues`), weighted like the rule cues."""
    return sentence_cues(masked[:400]) * CUE_WEIGHT


_RELATION_SET = frozenset(LABEL_ORDER) | {NO_RELATION}


@lru_cache(maxsize=100_000)
def _conflict_group(stated: tuple[str, ...], page: frozenset[str]) -> tuple[str, ...]:
    """The sentence's relation wording against the page's cues (heading, parents, path):
    ``x!supplier@customer`` for "woven by X" on a clients page, ``x!customer@customer`` where
    they agree. A bag-of-features model cannot learn from separate weights alone that the
    sentence outweighs *this* page cue; one weight per pair can."""
    if not stated:
        return ()
    said = dict.fromkeys(feature[2:] for feature in stated)
    pages = sorted(label for label in page if label in _RELATION_SET) or ["none"]
    return tuple(f"x!{label}@{where}" for label in said for where in pages) * CUE_WEIGHT


@lru_cache(maxsize=100_000)
def _shadowed(group: tuple[str, ...]) -> tuple[str, ...]:
    """A page-level group under a sentence that states a relation, as separate features."""
    return tuple("~" + feature for feature in group)


def clear_caches() -> None:
    """Forget cached feature groups (benchmarks measure cold and warm)."""
    for cached in (
        glossed,
        _conflict_group,
        _sentence_cue_group,
        _shadowed,
        _page_groups,
        _self_pattern,
        _verdict_group,
        _host_word_cues,
        _text_group,
        _word_part,
        _pair_part,
        _span_cues,
        _word_cues,
        _path_group,
        _target_group,
        _meta_group,
        _affixes,
        _host_and_path,
    ):
        cached.cache_clear()


def text_features(link: LinkInput, gloss: bool = False) -> str:
    """The transformer's input: the most telling fields first, so truncation drops the least.

    Starts with the rule lexicon's cues per field ("heading customer; text partner") and the
    sentence's relation wording of :mod:`models.cues` ("stated supplier", t11): the
    encoder was never taught the EN/DE relation vocabulary, and without it fine-tuning on a
    few hundred examples memorised the training phrasings. Kept short (~35 word pieces):
    transformer cost grows with length, so the sentence is cut to the words around the link,
    and the target host and source path appear only through their cues (their words are
    site-specific names, which cost tokens and taught nothing that generalised).
    With ``gloss``, a German link's words that hold a relation cue carry its English name
    (:func:`glossed`).
    """
    anchor, heading = link.anchor_text.strip(), link.section_heading.strip()
    sentence = _sentence_window(link.context, link.anchor_text)
    if gloss and link.lang.lower().startswith("de"):
        anchor, heading, sentence = glossed(anchor), glossed(heading), glossed(sentence)
    return f"{_cue_summary(link)} | {anchor} | {heading} | {sentence}"


@lru_cache(maxsize=100_000)
def glossed(text: str) -> str:
    """``text`` with each word that holds a cue of the rule lexicon followed by the English
    name of the relation ("Systemlieferanten (supplier)", "Mitgliedschaft (membership)"):
    an English encoder cuts German compounds into meaningless pieces. The word gets the
    first label in the rules' order whose cue starts inside it (a cue of several words
    glosses its first word); words that already start with that name ("Partner",
    "Investoren") stay as they are."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    if not words:
        return text
    starts = [start for start, _ in words]
    label_of: dict[int, str] = {}
    for label, cue in _LABEL_CUES:
        if label == NO_RELATION:
            continue
        for match in cue.finditer(text):
            index = bisect_right(starts, match.start()) - 1
            if index >= 0 and match.start() < words[index][1]:
                label_of.setdefault(index, label)
    out, last = [], 0
    for index in sorted(label_of):
        start, end = words[index]
        label = label_of[index]
        if text[start:end].lower().startswith(label):
            continue
        out.append(f"{text[last:end]} ({label})")
        last = end
    return "".join(out) + text[last:]


#: Prefixes of the :func:`bow_features` that carry relation evidence rather than words: the
#: rule verdict, region and language (lexicon cues are the features with a "!").
_CUE_PREFIXES = ("v=", "r=", "l=")
_TARGET_PAIR = TARGET_MASK.strip()


def cue_features(link: LinkInput, neighbours: bool = False) -> tuple[str, ...]:
    """The fast model's relation evidence of a link, without its words: lexicon cues per
    field (``h!customer``), the rule verdict (``v=c_supplier``), target flags (``d!social``),
    region and language; sorted, each once. The transformer's optional wide head reads them
    next to the encoder (config ``cue_features``). With ``neighbours``, also the sentence's
    word pairs with the masked target (``c=von_zztarget``, ``c=zztarget_supplies``): the
    direction of a relation often sits in the word next to the firm ("for X" / "from X")."""
    return tuple(
        sorted(
            {
                feature
                for group in bow_feature_groups(link)
                for feature in group
                if "!" in feature
                or feature.lstrip("~").startswith(_CUE_PREFIXES)
                or (neighbours and feature.startswith("c=") and _TARGET_PAIR in feature)
            }
        )
    )


_CUE_FIELDS = {
    "a": "anchor",
    "h": "heading",
    "p": "section",
    "c": "text",
    "k": "stated",
    "s": "page",
    "d": "target",
}


def _cue_summary(link: LinkInput) -> str:
    """Cues per field, compact ("heading customer text customer partner"): tokens cost time."""
    by_field: dict[str, list[str]] = {}
    for group in bow_feature_groups(link):
        for feature in group:
            tag, bang, label = feature.lstrip("~").partition("!")  # shadowed cues count too
            if bang and tag in _CUE_FIELDS:
                labels = by_field.setdefault(_CUE_FIELDS[tag], [])
                if label not in labels:
                    labels.append(label)
    return " ".join(f"{field} {' '.join(labels)}" for field, labels in by_field.items()) or "none"


def _sentence_window(context: str, anchor: str, words: int = 14) -> str:
    """At most ``words`` words of the sentence, centred on the anchor when it occurs."""
    tokens = context.split()
    if len(tokens) <= words:
        return " ".join(tokens)
    head = anchor.strip().split()[:1]
    start = tokens.index(head[0]) if head and head[0] in tokens else 0
    start = max(0, min(start - words // 2, len(tokens) - words))
    return " ".join(tokens[start : start + words])


@lru_cache(maxsize=100_000)
def _text_group(tag: str, text: str, bigrams: bool, affixes: bool, limit: int) -> Group:
    if not text:
        return _EMPTY
    out: list[str] = []
    found: set[str] = set()
    flags: set[str] = set()
    previous = ""
    for word in _WORD.findall(text.lower())[:limit]:
        if word.isdigit() and len(word) < _AFFIX_MIN_WORD:  # numbers: no cue, often unique
            out.append(f"{tag}={word}")
            previous = word
            continue
        features, cues, word_flags = _word_part(tag, word, affixes)
        out.extend(features)
        if cues:
            found.update(cues)
        if word_flags:
            flags.update(word_flags)
        if previous and not word.isdigit():
            features, cues = _pair_part(tag, previous, word, bigrams)
            out.extend(features)
            if cues:
                found.update(cues)
        previous = word
    if tag in ("a", "c") and "credit" in flags and _CREDIT.search(text):
        found.add("credit")
    if tag == "a" and "boilerplate" in flags and _BOILERPLATE.match(text.strip()):
        found.add("boilerplate")
    cues = [f"{tag}!{label}" for label in sorted(found)]
    return tuple(out + cues * CUE_WEIGHT), frozenset(found) if found else _NO_CUES


@lru_cache(maxsize=200_000)
def _word_part(
    tag: str, word: str, affixes: bool
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A word's features (itself, its affixes), cue labels and pattern flags, cached: new
    texts are mostly known words, and the same string objects hash faster downstream."""
    features = (f"{tag}={word}",)
    if affixes and len(word) >= _AFFIX_MIN_WORD:
        features += _affixes(word)
    if word.isdigit():
        return features, (), ()
    cues, flags = _word_cues(word)
    return features, cues, flags


@lru_cache(maxsize=500_000)
def _pair_part(tag: str, previous: str, word: str, bigrams: bool) -> tuple[tuple[str, ...], tuple]:
    """A word pair's bigram feature (if wanted) and cue labels."""
    features = (f"{tag}={previous}_{word}",) if bigrams else ()
    return features, _span_cues(f"{previous} {word}")


def _pieces(pattern: str) -> frozenset[str]:
    """One word of each string every match of ``pattern`` contains ("" if unknown)."""
    triggers = required_strings(pattern)
    if triggers is None:
        return frozenset([""])  # "" is in every word: always run the regex
    return frozenset(max(re.findall(r"[^\W_]+", t) or [""], key=len) for t in triggers)


#: The credit and boilerplate patterns start with an alternation, which Python's regex
#: engine tries at every position (~5 µs a text): run them only when a word holds a piece.
_FLAG_PIECES = {"credit": _pieces(AGENCY_CREDIT), "boilerplate": _pieces(BOILERPLATE_ANCHOR)}


@lru_cache(maxsize=200_000)
def _word_cues(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A word's cue labels, and which of the credit/boilerplate patterns it may start."""
    flags = tuple(f for f, pieces in _FLAG_PIECES.items() if any(p in word for p in pieces))
    return _span_cues(word), flags


@lru_cache(maxsize=500_000)
def _span_cues(span: str) -> tuple[str, ...]:
    """Labels whose cue pattern fires in one word or a two-word span, cached by span.

    Scanning every text with the whole lexicon cost ~60 µs per field; words and word pairs
    repeat, so per-span answers are nearly always cache hits. Cues longer than two words
    ("part of the X group") are left to the neighbouring word cues.
    A pattern runs only if one of the span's words holds one of its pieces
    (:func:`extraction.weak_labels.word_patterns`, cached per word): on crawl text most new
    spans are a new word next to a known one and name no pattern, so no regex runs.
    """
    candidates = frozenset().union(*map(word_patterns, span.split(" ")))
    if not candidates:
        return ()
    return tuple(
        label
        for label, pattern in _LABEL_CUES
        if pattern.pattern in candidates and pattern.search(span)
    )


@lru_cache(maxsize=100_000)
def _cue_group(tag: str, text: str) -> Group:
    """Only the lexicon cues of a text (for fields whose words are site-specific)."""
    features, cues = _text_group(tag, text, False, False, 30)
    return tuple(f for f in features if "!" in f), cues


@lru_cache(maxsize=100_000)
def _path_group(path: str) -> Group:
    labels = sorted({str(m.lastgroup) for m in _PATH_CUES.finditer(path)})
    return tuple(f"s!{label}" for label in labels) * CUE_WEIGHT, frozenset(labels)


def _self_masked(sentence: str, src_url: str) -> str:
    """The sentence with the source's own name as ``zzself``: "Pinemoor was acquired by X",
    "Die Stadtwerke nutzen Lindqvist Plan" state the direction through it, as "we" does."""
    pattern = _self_pattern(_host_and_path(src_url)[0]) if sentence and src_url else None
    return pattern.sub(SELF_MASK, sentence) if pattern is not None else sentence


@lru_cache(maxsize=20_000)
def _self_pattern(src_host: str) -> re.Pattern[str] | None:
    """The first word of the source's registered domain ("lindqvist-software.de" ->
    Lindqvist, "moellenkamp-logistik.de" -> Möllenkamp) and any ending; None if the word is
    short (< 5 letters: "abc-bau.de" would mask every "ABC")."""
    if not src_host:
        return None
    domain = registered_domain(src_host) or src_host
    word = domain.partition(".")[0].split("-")[0]
    if len(word) < 5 or not word.isalpha() or not word.isascii():
        return None
    spelled = re.escape(word)
    for ascii_form, umlaut in (("ae", "ä"), ("oe", "ö"), ("ue", "ü"), ("ss", "ß")):
        spelled = spelled.replace(ascii_form, f"(?:{ascii_form}|{umlaut})")
    return re.compile(rf"\b{spelled}\w*", re.I)


def _masked(context: str, anchor: str) -> str:
    """The sentence with the link's own text replaced by a placeholder word."""
    anchor = anchor.strip()
    if len(anchor) < 3 or anchor not in context:
        return context
    return context.replace(anchor, TARGET_MASK)


@lru_cache(maxsize=100_000)
def _target_group(host: str, path: str) -> tuple[str, ...]:
    out: list[str] = []
    if host:
        domain = _domain_guess(host)
        out += ["d=" + host, "dd=" + domain, "dt=" + host.rsplit(".", 1)[-1]]
        kind = host_target_kind(host)
        if kind or domain in NON_BUSINESS_DOMAINS or host in NON_BUSINESS_DOMAINS:
            out += ["d!social", f"d!{kind or 'social'}"] * CUE_WEIGHT
        for word in domain.partition(".")[0].split("-"):
            if word and not word.isdigit():
                out += _host_word_cues(word)
    if path:
        out += [f"t={word}" for word in _WORD.findall(path)[:8]]
    else:
        out.append("t=/")
    return tuple(out)


def url_target_kind(url: str) -> str | None:
    """The non-business kind of a link target (:func:`extraction.targets.target_kind`).

    Shares the features' cached host split, so the post-rule of ``models.base`` costs a
    cache hit per link; non-ASCII hosts go through ``host_of`` (IDNA), as the graph does."""
    host = _host_and_path(url)[0]
    if not host.isascii():
        host = host_of(url.strip()) or ""
    return host_target_kind(host) if host else None


def host_target_kind(host: str) -> str | None:
    """:func:`target_kind` of a host: its labels down to the registered domain are looked
    up, so the registered domain need not be computed (a suffix-list walk per link)."""
    return target_kind(None, host)


@lru_cache(maxsize=100_000)
def _host_word_cues(word: str) -> tuple[str, ...]:
    """Cue features of one word of a target's domain name ("ventures" -> "d!investor")."""
    labels = [label for label, cue in _HOST_CUES if cue.search(word)]
    return tuple(f"d!{label}" for label in labels) * CUE_WEIGHT


@lru_cache(maxsize=1_024)
def _meta_group(region: str, lang: str, no_anchor: bool, no_context: bool) -> tuple[str, ...]:
    out = ["r=" + (region or "?"), "l=" + (lang or "?")]
    if no_anchor:
        out.append("a=<empty>")
    if no_context:
        out.append("c=<empty>")
    return tuple(out)


@lru_cache(maxsize=200_000)
def _affixes(word: str) -> tuple[str, ...]:
    """Prefixes and suffixes of a long word (field-agnostic: a compound's head and modifier)."""
    found = []
    for n in _AFFIX_LENGTHS:
        if len(word) > n + 2:
            found.append(f"<{word[:n]}")
            found.append(f">{word[-n:]}")
    return tuple(found)


@lru_cache(maxsize=100_000)
def _host_and_path(url: str) -> tuple[str, str]:
    """(host without www., lower-case path or "") by string slicing: urlsplit was a hot spot."""
    url = url.strip()
    scheme_end = url.find("://")
    if scheme_end < 0:
        return "", ""
    rest = url[scheme_end + 3 :]
    cut = len(rest)
    for mark in "/?#":
        found = rest.find(mark)
        if 0 <= found < cut:
            cut = found
    authority, tail = rest[:cut], rest[cut:]
    host = authority.rpartition("@")[2]
    host = host.partition("]")[0] + "]" if host.startswith("[") else host.partition(":")[0]
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    path = tail
    for mark in "?#":
        path = path.partition(mark)[0]
    return host, ("" if path in ("", "/") else path.lower()[:100])


@lru_cache(maxsize=100_000)
def _path_of(url: str) -> str:
    return _host_and_path(url)[1]


def _domain_guess(host: str) -> str:
    """Last two labels of a host: cheap stand-in for the registered domain (a feature only)."""
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) > 2 else host
