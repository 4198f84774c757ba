"""Weak relation labels from link context: the rule table, English and German.

The rules are one ordered table (:data:`RULES`); the first rule that fires wins. The order
is by specificity, i.e. by how directly the evidence speaks about *this* target:

1. the target itself (a social network or web tool is never a business partner, whatever
   section it sits in), then web-agency credits ("Website by", "Webdesign") — both ``other``;
2. the anchor text, the words written on the link itself;
3. boilerplate anchors (Impressum, Privacy, Jobs) — ``other``;
4. the sentence around the link, which names the relation next to the target;
5. the nearest section heading, then the headings above it (a heading speaks for a whole
   list of links, so it is weaker than the link's own sentence);
6. the source page's URL path (``/partner``, ``/kunden``): it speaks for a whole page;
7. navigation regions (nav/header) without any business cue — ``other``.

Within each evidence field the labels are tried from the most specific to the most generic:
ownership, investor, membership, supplier, customer, partner ("member of the X group" is
ownership, not membership; "Partner" appears in many compounds and is tried last).
Nothing business-like -> ``other`` with rule ``none``. Confidences fall with the steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

try:  # the regex parser moved in Python 3.11; the old name still works with a warning
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_parse

from extraction.labels import NO_RELATION, check_label
from extraction.urls import host_of, registered_domain, url_path


@dataclass(frozen=True)
class WeakLabel:
    """A rule's verdict on one link: label, confidence in [0, 1], and the rule's name."""

    label: str
    confidence: float
    rule: str


#: Label -> cue words (English | German) as regex; matched case-insensitively.
#: German cues match inside compounds ("Technologiepartner", "Referenzkunden").
TERMS: dict[str, str] = {
    "ownership": (
        r"\bsubsidiar(?:y|ies)\b|\bgroup compan|\bparent company\b|\baffiliated compan"
        r"|\b(?:part|member) of the [\w&.\- ]{1,40} group\b|\bour group\b|\bholding\b"
        r"|tochtergesellschaft|tochterunternehmen|muttergesellschaft|schwesterunternehmen"
        r"|unternehmensgruppe|firmengruppe|konzern(?!e)|\bgruppe\b|beteiligung"
    ),
    "investor": (
        r"\binvestors?\b|\bfunded by\b|\bbacked by\b|\bventure capital\b|\bshareholders?\b"
        r"|\bfinanced by\b|\bfunding\b"
        r"|investor(?:en)?\b|gefördert (?:durch|von)|förderung|finanziert (?:durch|von)"
        r"|gesellschafter|kapitalgeber|geldgeber|förderer"
    ),
    "membership": (
        r"\bmembers? of\b|\bmembership|\bwe are (?:a )?members?\b|\bassociations?\b"
        r"|\bchamber of\b|\bcertified by\b|\bcluster\b|\bnetwork of\b|\baffiliations?\b"
        r"|mitglied|verband|verbände|kammer\b|\bihk\b|\bcluster|netzwerk|\bverein\b"
        r"|zertifiziert (?:durch|von)"
    ),
    "supplier": (
        r"\bsuppliers?\b|\bvendors?\b|\bmanufacturers?\b|\bbrands?\b|\bwe (?:carry|distribute|"
        r"resell|stock)\b|\bsourced from\b|\bdistributor for\b|\bauthori[sz]ed dealer\b"
        r"|lieferant|zulieferer|hersteller|\bmarken\b|vertretungen|bezugsquelle|sortiment"
    ),
    "customer": (
        r"\bclients?\b|\bcustomers?\b|\breferences?\b|\bcase stud(?:y|ies)\b"
        r"|\bsuccess stor(?:y|ies)\b|\btrusted by\b|\bworked for\b|\bwe work for\b"
        r"|kunde(?!nservice|nportal|nlogin|ncenter|nkonto|ndienst|nbereich)|referenz"
        r"|auftraggeber|fallstudie|erfolgsgeschichte"
    ),
    "partner": (
        r"\bpartner|\balliances?\b|\bcooperation\b|\bcollaborat|\bjoint venture\b"
        r"|partner|kooperation|zusammenarbeit|allianz"
    ),
}
#: Label -> source URL path cues (a path segment starting with one of these).
PATH_TERMS: dict[str, str] = {
    "ownership": r"gruppe|group|tochter|subsidiar|konzern|beteiligungen|holding|unternehmensgruppe",
    "investor": r"investor|shareholder|funding|foerderung|förderung|gesellschafter",
    "membership": r"mitglied|membership|verband|verbaende|associations|netzwerk|network",
    "supplier": r"lieferant|supplier|hersteller|manufacturer|marken|brands|vendor",
    "customer": r"kunden|referenz|clients|customers|references|case-stud|success-stor",
    "partner": r"partner|kooperation|cooperation|alliance",
}
LABEL_ORDER = ("ownership", "investor", "membership", "supplier", "customer", "partner")

#: Targets that are never business relations: social networks, platforms, web tools.
NON_BUSINESS_DOMAINS = frozenset(
    [
        "facebook.com",
        "fb.com",
        "twitter.com",
        "x.com",
        "t.co",
        "instagram.com",
        "linkedin.com",
        "xing.com",
        "youtube.com",
        "youtu.be",
        "vimeo.com",
        "tiktok.com",
        "pinterest.com",
        "flickr.com",
        "tumblr.com",
        "reddit.com",
        "whatsapp.com",
        "wa.me",
        "telegram.org",
        "t.me",
        "snapchat.com",
        "kununu.com",
        "glassdoor.com",
        "github.com",
        "medium.com",
        "google.com",
        "google.de",
        "goo.gl",
        "maps.google.com",
        "apple.com",
        "wikipedia.org",
        "wordpress.org",
        "wordpress.com",
        "wix.com",
        "jimdo.com",
        "typo3.org",
        "adobe.com",
        "get.adobe.com",
        "mozilla.org",
        "microsoft.com",
        "cookiebot.com",
        "usercentrics.eu",
        "onetrust.com",
        "trustedshops.de",
        "trustpilot.com",
        "bit.ly",
    ]
)
AGENCY_CREDIT = (
    r"\b(?:website|web ?site|site|webdesign|web design|design|realisation|realization|"
    r"programming|hosting|made|built|developed|created|implemented) (?:by|von|durch)\b"
    r"|\bwebdesign\b|\bweb ?agentur\b|\bwebagentur\b|realisiert (?:von|durch)"
    r"|umgesetzt (?:von|durch)|gestaltung (?:von|durch)|\bpowered by\b|\bmade with\b"
)
BOILERPLATE_ANCHOR = (
    r"^(?:impressum|imprint|legal notice|datenschutz\w*|privacy(?: policy)?|cookies?"
    r"(?: settings| policy)?|agb|terms(?: of use| and conditions)?|kontakt|contact(?: us)?"
    r"|jobs?|karriere|careers?|news|presse|press|blog|sitemap|login|home|startseite"
    r"|follow us|folgen sie uns|share|teilen|download|mehr|more|read more|weiterlesen)$"
)
NAV_REGIONS = frozenset({"nav", "header"})


@dataclass(frozen=True)
class Rule:
    """One row of the table: if ``pattern`` is found in ``field``, say ``label``.

    ``triggers`` (derived from the pattern) are lower-case strings one of which every match
    contains: a substring test rules most texts out before the slower regex runs.
    """

    name: str
    label: str
    confidence: float
    field: str  # dst_domain | credit | anchor | context | heading | parent_headings | src_path
    pattern: re.Pattern | frozenset
    triggers: frozenset[str] | None = None


def _rule(name: str, label: str, confidence: float, field: str, pattern: str) -> Rule:
    compiled = re.compile(pattern, re.I)
    return Rule(name, label, confidence, field, compiled, required_strings(pattern))


def _cue_rules(field: str, confidence: float, terms: dict[str, str]) -> list[Rule]:
    return [
        _rule(f"{field}_{label}", label, confidence, field, terms[label]) for label in LABEL_ORDER
    ]


_ZERO_WIDTH = {sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT}


def required_strings(pattern: str) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` contains (None: unknown).

    Walks the regex parse tree: a run of literal characters is required; a group, or a
    repeat of at least one, is required if its content is; a branch if all its arms are.
    """
    try:
        found = _required(sre_parse.parse(pattern))
    except (re.error, TypeError, ValueError):
        return None
    return frozenset(s.lower() for s in found) if found else None


def _required(items) -> set[str] | None:
    best: set[str] | None = None

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if candidate and (best is None or _strength(candidate) > _strength(best)):
            best = candidate

    run: list[str] = []
    for op, value in items:
        if op is sre_parse.LITERAL:
            run.append(chr(value))
            continue
        if op in _ZERO_WIDTH:
            continue  # \b and look-arounds consume nothing: the run stays contiguous
        consider({"".join(run)} if len(run) >= 3 else None)
        run = []
        if op is sre_parse.BRANCH:
            arms = [_required(arm) for arm in value[1]]
            consider(set().union(*arms) if all(arms) else None)
        elif op is sre_parse.SUBPATTERN:
            consider(_required(value[-1]))
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and value[0] >= 1:
            consider(_required(value[2]))
    consider({"".join(run)} if len(run) >= 3 else None)
    return best


def _strength(candidates: set[str]) -> tuple[int, int]:
    return (min(len(c) for c in candidates), -len(candidates))


RULES: tuple[Rule, ...] = (
    Rule("social_or_tool_target", "other", 0.95, "dst_domain", NON_BUSINESS_DOMAINS),
    _rule("agency_credit", "other", 0.9, "credit", AGENCY_CREDIT),
    *_cue_rules("anchor", 0.85, TERMS),
    _rule("boilerplate_anchor", "other", 0.8, "anchor", BOILERPLATE_ANCHOR),
    *_cue_rules("context", 0.8, TERMS),
    *_cue_rules("heading", 0.75, TERMS),
    *_cue_rules("parent_headings", 0.65, TERMS),
    *_cue_rules("src_path", 0.6, {k: rf"/(?:{v})" for k, v in PATH_TERMS.items()}),
    Rule("navigation_region", "other", 0.6, "region", NAV_REGIONS),
)
for _rule in RULES:
    check_label(_rule.label)

NO_RULE = WeakLabel(NO_RELATION, 0.5, "none")
#: Rule name -> its verdict (WeakLabel is frozen, so one instance per rule is shared).
_VERDICTS = {rule.name: WeakLabel(rule.label, rule.confidence, rule.name) for rule in RULES}


def weak_label(
    *,
    section_heading: str = "",
    src_url: str = "",
    dst_url: str = "",
    anchor_text: str = "",
    context: str = "",
    region: str = "",
) -> WeakLabel:
    """Label a link by the first rule of :data:`RULES` that fires (``other``/``none`` else)."""
    return _weak_label(section_heading, src_url, dst_url, anchor_text, context, region)


def _weak_label(
    heading: str, src_url: str, dst_url: str, anchor: str, context: str, region: str
) -> WeakLabel:
    return label_link(_target_domain(dst_url), anchor, context, heading, _src_path(src_url), region)


def label_link(
    target: str, anchor: str, context: str, heading: str, src_path: str, region: str
) -> WeakLabel:
    """:func:`weak_label` from prepared fields (the extraction hot path's entry).

    ``target`` is the destination's registered domain (or host), ``src_path`` the source
    URL's lower-cased path. The verdict of the link's own fields is memoised as a whole.
    """
    rule = _link_rule(target, anchor, context, heading)
    if rule is None:
        if src_path:
            rule = _first_rule(_SRC_PATH_BLOCK, src_path)
        if rule is None and region:
            rule = _first_rule(_REGION_BLOCK, region)
        if rule is None:
            return NO_RULE
    return _VERDICTS[rule.name]


@lru_cache(maxsize=32_768)
def _link_rule(target: str, anchor: str, context: str, heading: str) -> Rule | None:
    """First rule over the link's own evidence (target, credit, anchor, context, headings)."""
    parts = heading.rsplit(" > ", 1) if heading else [""]
    values = (
        target,
        f"{anchor} {context}" if context and context != anchor else anchor,
        anchor.strip(),
        context,
        parts[-1],
        parts[0] if len(parts) > 1 else "",
    )
    for block, value in enumerate(values):
        if value:
            rule = _first_rule(block, value)
            if rule is not None:
                return rule
    return None


#: RULES cut into runs over one field, in table order (the order ``_weak_label`` reads).
_BLOCKS: tuple[tuple[Rule, ...], ...] = tuple(
    tuple(rule for rule in RULES if rule.field == name)
    for name in ("dst_domain", "credit", "anchor", "context", "heading", "parent_headings",
                 "src_path", "region")
)  # fmt: skip
assert sum(_BLOCKS, ()) == RULES, "rules of one field must be contiguous in RULES"
_SRC_PATH_BLOCK, _REGION_BLOCK = 6, 7


@lru_cache(maxsize=32_768)
def _first_rule(block: int, value: str) -> Rule | None:
    """The first rule of a field's block that fires on ``value`` (memoised: headings and
    paths repeat on every page)."""
    lowered = value.lower()
    for rule in _BLOCKS[block]:
        if isinstance(rule.pattern, frozenset):
            if value in rule.pattern:
                return rule
        elif (rule.triggers is None or any(t in lowered for t in rule.triggers)) and (
            rule.pattern.search(value) is not None
        ):
            return rule
    return None


@lru_cache(maxsize=32_768)
def _target_domain(dst_url: str) -> str:
    host = host_of(dst_url) if dst_url else None
    return (registered_domain(host) or host) if host else ""


@lru_cache(maxsize=16_384)
def _src_path(src_url: str) -> str:
    return url_path(src_url).lower() if src_url else ""
