"""Weak relation labels from link context: the rule table, English and German.

The rules are one ordered table (:data:`RULES`); the first rule that fires wins. The order
is by specificity, i.e. by how directly the evidence speaks about *this* target:

1. the target itself (a social network or web tool is never a business partner, whatever
   section it sits in), then web-agency credits ("Website by", "Webdesign") — both ``other``;
2. the anchor text, the words written on the link itself;
3. boilerplate anchors (Impressum, Privacy, Jobs) — ``other``;
4. the sentence around the link, which names the relation next to the target — or says the
   link is press, a map, a job ad, an event or a download (``other``);
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
        r"|\bpart of\b|\bbelongs? to\b|\bowned by\b|\bwholly[- ]owned\b|\bmajority[- ]owned"
        r"|\bacquired\b|\bacquisition\b|\bdivision of\b|\bbusiness unit\b|\bsister compan"
        r"|\baffiliates?\b(?! program)|\bour (?:companies|businesses)\b|\bfamily of compan"
        r"|\bportfolio compan|\bmajority holding\b|\bimprints?\b|\btrading name of\b"
        r"|tochter|muttergesellschaft|schwester|unternehmensgruppe|firmengruppe"
        r"|konzern(?!e)|\bgruppe\b|(?<!mittelstands)beteiligung(?!sgesellschaft|smanagement)"
        r"|alleinige gesellschafterin|alleingesellschafter|\bteil (?:von|der|des)\b"
        r"|gehör(?:t|en) (?:zu|zur|zum)"
        r"|\bunternehmen der\b|\beine marke der\b|übernomm|übernahme|niederlassung"
        r"|geschäftsbereich|komplementär|persönlich haftende|unternehmensverbund"
        r"|\bunsere (?:unternehmen|gesellschaften|betriebe)\b|\bgesellschaften\b"
    ),
    "investor": (
        r"\binvestors?\b|\bfunded by\b|\bbacked by\b|\bventure capital\b|\bshareholders?\b"
        r"|\bfinanced by\b|\bfunding\b|\bventures?\b|\bseed (?:round|funding|investment)"
        r"|\bseries [a-d]\b|\blead investor|\bbackers?\b|\baccelerator\b|\bequity\b|\bstake\b"
        r"|\bgrants?\b|\bco-?funded\b|\bco-?financed\b|\bpart-funded\b|\bfunders?\b"
        r"|\bloan\b|\bcrowdfunding\b|\bbusiness angels?\b|\bangel investors?\b"
        r"|investor(?:en)?\b|gefördert|förderung|förderbank|förderkredit|förderprogramm"
        r"|förderhinweis|fördermittel|förderprojekt|finanziert (?:durch|von)|finanzierungsrunde"
        r"|gesellschafter|kapitalgeber|geldgeber|förderer|kofinanziert|mitfinanziert|zuschuss"
        r"|bezuschusst|darlehen|crowdinvesting|stille beteiligung|\banteile\b"
        r"|beteiligungsgesellschaft"
        r"|gründerfonds|bürgschaft|stipendium|kapital\b|\bserie[- ][a-d]\b|finanzierungspartner"
    ),
    "membership": (
        r"\bmembers? of\b|\bmembership|\bwe are (?:a )?members?\b|\bassociations?\b"
        r"|\bchamber of\b|\bcertified by\b|\bcluster\b|\bnetwork of\b|\baffiliations?\b"
        r"|\bmember (?:firm|company|companies)\b|\baffiliated with\b|\bfederation\b"
        r"|\binstitute\b|\bsociety\b|\bguild\b|\baccredit|\bcertified (?:to|under)\b"
        r"|\bcertification\b|\biso ?\d{4,5}\b|\bregistered with\b|\bregulated by\b"
        r"|\bworking groups?\b|\bindustry bod"
        r"|mitglied|verband|verbände|kammer\b|\bihk\b|\bcluster|netzwerk|\bverein\b"
        r"|zertifiziert (?:durch|von|nach)|zertifizierung|innung|\bangeschlossen\b"
        r"|\beingetragen\b|organisiert im|arbeitskreis|handwerksrolle"
    ),
    "supplier": (
        r"\bsuppliers?\b(?! (?:of the year|award|prize|day))|\bvendors?\b|\bmanufacturers?\b"
        r"|\bbrands?\b|\bwe (?:carry|distribute|resell|stock|sell)\b|\bsourced\b"
        r"|\bdistributor for\b|\bauthori[sz]ed dealer\b|\bdealer (?:for|of)\b|\breseller of\b"
        r"|\b(?:official|exclusive|approved|authori[sz]ed) (?:dealer|reseller|stockist|retailer"
        r"|distributor)s?\b|\bresell\b|\bstockists?\b|\bsupplied by\b|\bsubprocessors?\b"
        r"|\b(?:purchased|bought) from\b|\bmanufactured for us\b"
        r"|lieferant(?!enpreis|en-award| des jahres)|zulieferer|hersteller|\bmarken\b"
        r"|vertretungen|bezugsquelle|sortiment|händler|\bbeziehen\b|\bbezogen\b|\bgeliefert\b"
        r"|\bliefert\b|\bverbauen\b|\bzutaten\b|\berzeuger\b|auftragsverarbeiter"
    ),
    "customer": (
        r"\bclients?\b|\bcustomers?\b|\breferences?\b|\bcase stud(?:y|ies)\b"
        r"|\bsuccess stor(?:y|ies)\b|\btrusted by\b|\bworked for\b|\bwe work for\b"
        r"|\bsupplier (?:of the year|awards?|prize|day)\b|\bpreferred supplier\b"
        r"|\btestimonials?\b|\bon behalf of\b|\bcommissioned (?:by|for)\b|\bdelivered for\b"
        r"|\bloved by\b|\bused by\b|\brely on\b|\bengagements?\b|\bselected work\b"
        r"|kunde(?!nservice|nportal|nlogin|ncenter|nkonto|ndienst|nbereich)|referenz"
        r"|auftraggeber|fallstudie|erfolgsgeschichte|lieferantenpreis|lieferant des jahres"
        r"|bauherr|mandant|anwenderbericht|praxisbeispiel|erfolgsbeispiel|\bim auftrag\b"
        r"|vertrauen uns|\bsetzen auf\b|\bwir betreuen\b"
    ),
    "partner": (
        r"\bpartner|\balliances?\b|\bcooperation\b|\bcollaborat|\bjoint venture\b"
        r"|\btogether with\b|\bjointly\b|\bco-?develop|\bteam(?:ed)? up\b|\bintegrations?\b"
        r"|partner|kooperation|zusammenarbeit|allianz|zusammen mit|hand in hand"
        r"|arbeitsgemeinschaft|\bim verbund\b"
    ),
}
#: Cues of links that are no business relation: press, maps, jobs, events, downloads,
#: reviews, awards. Used as model features and by the ``context_other`` rule.
NOISE_TERMS = (
    r"\bpress\b|\bpresse\b|\bin the news\b|\bfeatured in\b|\bas seen in\b|\breported\b"
    r"|berichtet|\binterview|\baccording to\b|\blaut\b|\bnews\b|\bnachrichten\b|\bblog\b"
    r"|\bdirections\b|\banfahrt\b|\bkarte\b|\bmaps?\b|\bvacanc|\bjobs?\b|\bstellen"
    r"|\bkarriere\b|\bcareers?\b|\bdownload|\breviews?\b|\brated\b|bewertet|bewertungen"
    r"|\bvisit us\b|\bbesuchen sie uns\b|\btrade fair\b|\bexhibition\b|\bmesse\b"
    r"|\bshortlisted\b|\bnominated\b|\bnominiert\b|\bguidance\b|\bsee also\b"
)
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
    _rule("context_other", "other", 0.8, "context", NOISE_TERMS),
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


def _pieces(rule: Rule) -> list[str]:
    """The longest word of each trigger string: every match leaves one inside a text word."""
    return [max(re.findall(r"\w+", trigger), key=len) for trigger in rule.triggers or ()]


#: Word piece -> regex patterns (by source) one of whose triggers contains it. A text's
#: words then name the few rules worth running: per word a cached lookup, instead of ~45
#: substring tests per rule and field (the lexicon grew to ~300 triggers in session 2).
_PIECE_PATTERNS: dict[str, set[str]] = {}
for _r in RULES:
    if not isinstance(_r.pattern, frozenset):
        assert _r.triggers, f"rule {_r.name} needs literal triggers for the word prefilter"
        for _piece in _pieces(_r):
            _PIECE_PATTERNS.setdefault(_piece, set()).add(_r.pattern.pattern)
_TEXT_WORD = re.compile(r"\w+")


#: The same pieces indexed by their first two characters: a new word is checked at each of
#: its positions against the few pieces starting there (~10x fewer tests than every piece).
_PIECES_BY_PREFIX: dict[str, list[tuple[str, frozenset[str]]]] = {}
_SHORT_PIECES: list[tuple[str, frozenset[str]]] = []
for _piece, _patterns in _PIECE_PATTERNS.items():
    _entry = (_piece, frozenset(_patterns))
    if len(_piece) >= 2:
        _PIECES_BY_PREFIX.setdefault(_piece[:2], []).append(_entry)
    else:
        _SHORT_PIECES.append(_entry)


@lru_cache(maxsize=200_000)
def word_patterns(word: str) -> frozenset[str]:
    """Patterns (their source strings) that may fire on a text containing ``word``: those
    with a piece inside it. A text none of whose words names a pattern cannot match it."""
    found: set[str] = set()
    for start in range(len(word) - 1):
        for piece, patterns in _PIECES_BY_PREFIX.get(word[start : start + 2], ()):
            if word.startswith(piece, start):
                found |= patterns
    for piece, patterns in _SHORT_PIECES:
        if piece in word:
            found |= patterns
    return frozenset(found)


def _candidate_patterns(lowered: str) -> set[str]:
    candidates: set[str] = set()
    for word in _TEXT_WORD.findall(lowered):
        if not word.isdigit():
            candidates |= word_patterns(word)
    return candidates


@lru_cache(maxsize=32_768)
def _first_rule(block: int, value: str) -> Rule | None:
    """The first rule of a field's block that fires on ``value`` (memoised: headings and
    paths repeat on every page)."""
    lowered = value.lower()
    candidates = None
    for rule in _BLOCKS[block]:
        if isinstance(rule.pattern, frozenset):
            if value in rule.pattern:
                return rule
            continue
        if candidates is None:
            candidates = _candidate_patterns(lowered)
        if (
            rule.pattern.pattern in candidates
            and any(t in lowered for t in rule.triggers)
            and rule.pattern.search(value) is not None
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
