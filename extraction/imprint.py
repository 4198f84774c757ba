"""Company identity from a site's imprint / legal-notice page.

German, Austrian and Swiss law requires an imprint (Impressum), and most European company
sites carry a legal notice: legal name with its legal form, register court and number, VAT
id, managing directors, postal address. A register number or VAT id joins a registered
domain to a firm register (Handelsregister, Firmenbuch, Companies House, KvK, SIRENE).

Pure functions over strings: :func:`imprint_score` tells imprint pages from other pages by
URL path and title; :func:`imprint_lines` turns an imprint's HTML into text lines (blocks,
``<br>`` and table cells kept apart); :func:`parse_imprint` reads an :class:`Identity` from
the text. Every field carries its evidence (the text span it was read from) and a
confidence; nothing is guessed from the domain. Ids are accepted only when their format
and, where the id has one, their check digit are valid (see the ``valid_*`` functions).
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from extraction.companies import LEGAL_FORMS

# --------------------------------------------------------------------------- detection

#: Path segments of imprint / legal-notice pages (lower case, without extension).
IMPRINT_PATHS = (
    "impressum",
    "imprint",
    "legal-notice",
    "legalnotice",
    "legal_notice",
    "legal",
    "mentions-legales",
    "mentions_legales",
    "mentionslegales",
    "aviso-legal",
    "colofon",
    "disclaimer",
    "offenlegung",
    "company-information",
    "anbieterkennzeichnung",
    "note-legali",
)
_TITLE_CUES = re.compile(
    r"\b(impressum|imprint|legal notice|mentions l[ée]gales|aviso legal|colofon|"
    r"anbieterkennzeichnung|note legali|offenlegung)\b",
    re.IGNORECASE,
)


def imprint_score(url: str, title: str | None = None) -> int:
    """How clearly a page is the site's imprint: 3 path cue, 2 title cue, 0 none.

    The strongest cues are the conventional paths (``/impressum``, ``/imprint``,
    ``/mentions-legales``, ...); a title naming the imprint counts for pages at other paths.
    """
    try:
        path = unquote(urlsplit(url).path).lower()
    except ValueError:
        path = ""
    segments = [s.rsplit(".", 1)[0] for s in path.split("/") if s]
    if any(s in IMPRINT_PATHS for s in segments):
        return 3
    if title and _TITLE_CUES.search(title):
        return 2
    return 0


# --------------------------------------------------------------------------- html -> lines

_DROP = re.compile(r"<(script|style|noscript|template|svg|head)\b.*?</\1\s*>", re.I | re.S)
_CELL_END = re.compile(r"</t[dh]\s*>", re.I)
_BREAK = re.compile(
    r"<br\b[^>]*>|</?(?:p|div|tr|li|ul|ol|h[1-6]|table|tbody|thead|section|article|footer|"
    r"header|address|dt|dd|dl|main|aside|blockquote|pre)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]+>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2009]+")


def imprint_lines(html: str) -> str:
    """An imprint's HTML as text, one block, ``<br>`` line or table row per line.

    Table cells of a row are joined by a tab, so ``<td>Firma</td><td>X GmbH</td>`` reads as
    the labelled line ``Firma<TAB>X GmbH``.
    """
    text = _COMMENT.sub(" ", html)
    text = _DROP.sub(" ", text)
    text = _CELL_END.sub("\x00", text)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = _html.unescape(text)
    lines = []
    for raw in text.split("\n"):
        cells = [_SPACES.sub(" ", c).strip() for c in raw.split("\x00")]
        line = "\t".join(c for c in cells if c)
        if line:
            lines.append(line)
    return "\n".join(lines)


_AT = re.compile(r"\s*(?:\[|\(|\{)\s*(?:at|ät|arobase|@)\s*(?:\]|\)|\})\s*|\s+at\s+", re.I)
_DOT = re.compile(r"\s*(?:\[|\(|\{)\s*(?:dot|punkt|point|punt)\s*(?:\]|\)|\})\s*|\s+dot\s+", re.I)
_EMAIL = re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")


_OBFUSCATED = re.compile(
    r"[\w.+\-]+(?:\s*[\[\({]\s*(?:at|ät|arobase)\s*[\]\)}]\s*|\s+at\s+)[\w\-]+"
    r"(?:(?:\s*[\[\({]\s*(?:dot|punkt|point|punt)\s*[\]\)}]\s*|\s+dot\s+|\.)[\w\-]+)+",
    re.I,
)
#: Cheap test for an obfuscated address (the full pattern is costly on long pages).
_OBFUSCATION_HINT = re.compile(r"[\[\({]\s*(?:at|ät|arobase)\s*[\]\)}]|\sat\s[\w\-]+\sdot\s", re.I)


def deobfuscate_emails(text: str) -> str:
    """``info (at) firma [dot] de`` -> ``info@firma.de`` (only around things that then read
    as an e-mail address; other text is left as it was)."""
    if not _OBFUSCATION_HINT.search(text):
        return text

    def fix(match: re.Match) -> str:
        candidate = _DOT.sub(".", _AT.sub("@", match.group(0)))
        return candidate if _EMAIL.fullmatch(candidate) else match.group(0)

    return _OBFUSCATED.sub(fix, text)


# --------------------------------------------------------------------------- check digits


def valid_de_vat(digits: str) -> bool:
    """German USt-IdNr.: 9 digits, ISO 7064 MOD 11,10 check digit."""
    if not re.fullmatch(r"[1-9]\d{8}", digits):
        return False
    product = 10
    for ch in digits[:8]:
        total = (int(ch) + product) % 10 or 10
        product = (2 * total) % 11
    return (11 - product) % 10 == int(digits[8])


def valid_at_vat(digits: str) -> bool:
    """Austrian UID (after ``ATU``): 8 digits, Luhn-like weights 1,2,1,2,.. plus 4."""
    if not re.fullmatch(r"\d{8}", digits):
        return False
    total = 0
    for i, ch in enumerate(digits[:7]):
        d = int(ch) * (2 if i % 2 else 1)
        total += d // 10 + d % 10
    return (10 - (total + 4) % 10) % 10 == int(digits[7])


def valid_ch_uid(digits: str) -> bool:
    """Swiss UID (CHE-xxx.xxx.xxx): 9 digits, mod-11 with weights 5,4,3,2,7,6,5,4."""
    if not re.fullmatch(r"\d{9}", digits):
        return False
    total = sum(int(c) * w for c, w in zip(digits, (5, 4, 3, 2, 7, 6, 5, 4), strict=False))
    check = 11 - total % 11
    if check == 10:
        return False
    return check % 11 == int(digits[8])


def valid_gb_vat(digits: str) -> bool:
    """UK VAT: 9 digits (12 with a branch suffix), mod-97 or the newer 9755 scheme."""
    if not re.fullmatch(r"\d{9}(?:\d{3})?", digits):
        return False
    total = sum(int(c) * w for c, w in zip(digits[:7], range(8, 1, -1), strict=True))
    total += int(digits[7:9])
    return total % 97 == 0 or (total + 55) % 97 == 0


def valid_luhn(digits: str) -> bool:
    """Luhn checksum (French SIREN, SIRET)."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def valid_fr_vat(key: str, siren: str) -> bool:
    """French TVA: a numeric key ``(12 + 3 * (SIREN mod 97)) mod 97`` and a valid SIREN
    (alphanumeric keys of newer numbers are accepted on format only)."""
    if not re.fullmatch(r"\d{9}", siren) or not valid_luhn(siren):
        return False
    if key.isdigit():
        return int(key) == (12 + 3 * (int(siren) % 97)) % 97
    return bool(re.fullmatch(r"[0-9A-HJ-NP-Z]{2}", key))


def valid_nl_vat(number: str) -> bool:
    """Dutch btw-id ``NL`` + 9 digits + ``B`` + 2 digits: the old mod-11 over the 9 digits
    (weights 9..2, last digit the remainder), or since 2020 mod-97 = 1 over the whole id."""
    match = re.fullmatch(r"NL(\d{9})B(\d{2})", number)
    if not match:
        return False
    digits = match.group(1)
    remainder = sum(int(c) * w for c, w in zip(digits[:8], range(9, 1, -1), strict=True)) % 11
    if remainder < 10 and remainder == int(digits[8]):
        return True
    numeric = "".join(str(ord(c) - 55) if c.isalpha() else c for c in number)
    return int(numeric) % 97 == 1


# --------------------------------------------------------------------------- the identity


@dataclass(frozen=True)
class Field:
    """One extracted value with the text span it was read from and a confidence in [0, 1]."""

    value: str
    evidence: str
    confidence: float


#: The identity's fields, in the order of the ``companies`` table's columns.
IDENTITY_FIELDS = (
    "legal_name",
    "legal_form",
    "register_number",
    "register_court",
    "vat_id",
    "directors",
    "address",
    "country",
)


@dataclass(frozen=True)
class Identity:
    """A company identity read from one imprint text (fields absent when not found)."""

    legal_name: Field | None = None
    legal_form: Field | None = None
    register_number: Field | None = None
    register_court: Field | None = None
    vat_id: Field | None = None
    directors: Field | None = None
    address: Field | None = None
    country: Field | None = None
    #: Register numbers and VAT ids of other entities on the page (a general partner, a
    #: parent company): the page names more than one legal entity.
    other_ids: tuple[str, ...] = field(default_factory=tuple)

    @property
    def found(self) -> bool:
        """Whether the text identifies a company at all (a name with a form, or an id)."""
        return bool(self.register_number or self.vat_id or self.legal_form)

    def fields(self) -> dict[str, Field]:
        """The found fields by name, in :data:`IDENTITY_FIELDS` order."""
        return {n: getattr(self, n) for n in IDENTITY_FIELDS if getattr(self, n) is not None}


# --------------------------------------------------------------------------- ids

_SEP = r"[ .\-]?"  # what people put between digit groups
_D9 = _SEP.join([r"\d"] * 9)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@dataclass(frozen=True)
class _Hit:
    value: str
    start: int
    end: int
    confidence: float
    country: str
    court: str | None = None


_VAT_LABEL = re.compile(
    r"(ust|umsatzsteuer|mwst|mwst\.|vat|tva|iva|btw|uid|steuernummer|tax)", re.IGNORECASE
)


def _vat_hits(text: str) -> list[_Hit]:
    hits: list[_Hit] = []

    def add(match: re.Match, value: str, country: str) -> None:
        before = text[max(0, match.start() - 60) : match.start()]
        confidence = 0.97 if _VAT_LABEL.search(before) else 0.85
        hits.append(_Hit(value, match.start(), match.end(), confidence, country))

    for m in re.finditer(rf"\bDE{_SEP}({_D9})(?!\d)", text):
        if valid_de_vat(_digits(m.group(1))):
            add(m, "DE" + _digits(m.group(1)), "DE")
    for m in re.finditer(r"\bATU" + _SEP + _SEP.join([r"\d"] * 8) + r"(?!\d)", text):
        digits = _digits(m.group(0))
        if valid_at_vat(digits):
            add(m, "ATU" + digits, "AT")
    for m in re.finditer(rf"\bCHE{_SEP}({_D9})\s*(MWST|TVA|IVA)\b", text, re.IGNORECASE):
        digits = _digits(m.group(1))
        if valid_ch_uid(digits):
            add(m, f"CHE{digits}{m.group(2).upper()}", "CH")
    gb = r"(\d{3}[ ]?\d{4}[ ]?\d{2}(?:[ ]?\d{3})?)(?![\d])"
    for m in re.finditer(rf"\bGB[ ]?{gb}", text):
        digits = _digits(m.group(1))
        if valid_gb_vat(digits):
            add(m, "GB" + digits, "GB")
    # A UK VAT number is often written without its GB prefix, right after its label.
    for m in re.finditer(rf"\bVAT\b[^\n\d]{{0,30}}?(?<![A-Z]){gb}", text, re.IGNORECASE):
        digits = _digits(m.group(1))
        if valid_gb_vat(digits) and not any(h.start <= m.start(1) < h.end for h in hits):
            hits.append(_Hit("GB" + digits, m.start(1), m.end(), 0.8, "GB"))
    for m in re.finditer(r"\bFR[ ]?([0-9A-HJ-NP-Z]{2})[ ]?(\d{3}[ ]?\d{3}[ ]?\d{3})\b", text):
        siren = _digits(m.group(2))
        if valid_fr_vat(m.group(1), siren):
            add(m, f"FR{m.group(1)}{siren}", "FR")
    for m in re.finditer(rf"\bNL{_SEP}({_D9}){_SEP}B{_SEP}(\d{{2}})\b", text):
        number = f"NL{_digits(m.group(1))}B{m.group(2)}"
        if valid_nl_vat(number):
            add(m, number, "NL")
    return sorted(hits, key=lambda h: h.start)


_CITY = r"([A-ZÄÖÜ][\wäöüß\-]+(?:[ \-](?:am|an der|im|in der|ob der|i\.\s?Br\.)[ \-][\wäöüß\-]+)?)"
_DE_COURT = re.compile(
    r"(?:Registergericht:?\s+)?(?:Amtsgerichts?|Local Court \(Amtsgericht\)|Registergericht)\s+"
    + _CITY
    + r"|\bAG[ ]+"  # "AG Köln, HRB 1588": AG abbreviates Amtsgericht right before a number
    + _CITY
    + r"(?=,?[ ]*HR[AB]\b)"
)
_AT_COURT = re.compile(
    r"\b((?:Landesgericht(?: für ZRS)?|Handelsgericht|LG|Landesgerichts|Handelsgerichts|"
    r"Regional Court)\s+(?:für ZRS\s+)?[A-ZÄÖÜ][\wäöü\-]+)"
)
_CH_REGISTER = re.compile(
    r"(Handelsregister(?:amt)? des Kantons [A-ZÄÖÜ][\wäöü\-. ]+?|Registre du commerce du canton "
    r"de [A-ZÉ][\w\-]+|Registro di commercio del Cantone [A-Z]\w+)(?=[,.;\n]|$)",
    re.M,
)
_UK_PREFIX = r"(?:SC|NI|OC|SO|NC|FC|SE|GE|LP|SL|IP|RS)"
_UK_NUMBER = re.compile(
    r"\b(?:company|registration|registered in (?:england|wales|scotland|northern ireland)"
    r"(?: (?:and|&) wales)?|under)\s+(?:registration\s+)?(?:number|no\.?|nr\.?)\s*[:.\t]?\s*"
    rf"({_UK_PREFIX}?\d{{6,8}})\b",
    re.IGNORECASE,
)
_UK_LABEL = re.compile(
    rf"\bcompany (?:number|no\.?)\s*\t\s*({_UK_PREFIX}?\d{{6,8}})\b", re.IGNORECASE
)
_KVK = re.compile(
    r"\b(?:KvK|K\.v\.K\.|Kamer van Koophandel|Chamber of Commerce)[^\d\n]{0,40}?(\d{8})\b"
)
_SIREN = r"(\d{3}[ ]?\d{3}[ ]?\d{3})"
_FR_NUMBER = (
    re.compile(rf"\bSIRE[NT]\b\s*(?:n°|no\.?|:)?\s*:?\s*{_SIREN}(?:[ ]?\d{{5}})?\b", re.I),
    re.compile(rf"\bRCS\b[^\d\n]{{0,60}}?{_SIREN}\b"),
    re.compile(rf"{_SIREN}\s+R\.?C\.?S\.?\b"),
)
_RCS_CITY = re.compile(r"\bRCS\s+(?:de\s+)?([A-ZÉ][\w\-éè]+(?:[ \-]M[ée]tropole)?)")


def _register_hits(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    court_de = _DE_COURT.search(text)
    for m in re.finditer(
        r"\b(HRA|HRB|GnR|GenR|PR|VR)\s*(?:Nr\.?\s*)?(\d{1,6})(?:[ ]([A-Z]{1,2}))?(?![\w-]|\.\w)",
        text,
    ):
        kind = "GnR" if m.group(1) == "GenR" else m.group(1)
        value = f"{kind} {m.group(2)}" + (f" {m.group(3)}" if m.group(3) else "")
        court = _nearest_court(text, m.start(), _DE_COURT)
        hits.append(_Hit(value, m.start(), m.end(), 0.95 if court else 0.85, "DE", court))
    for m in re.finditer(
        r"\bHandelsregister (A|B) des Amtsgerichts " + _CITY + r"\s+(?:Nr\.?|unter)\s*(\d{1,6})",
        text,
    ):
        hits.append(_Hit(f"HR{m.group(1)} {m.group(3)}", m.start(), m.end(), 0.9, "DE", m.group(2)))
    del court_de
    for m in re.finditer(r"\bFN\s*(\d{1,6})\s?([a-z])\b", text):
        court = _nearest_court(text, m.start(), _AT_COURT)
        hits.append(_Hit(f"FN {m.group(1)}{m.group(2)}", m.start(), m.end(), 0.95, "AT", court))
    for m in re.finditer(rf"\bCHE{_SEP}({_D9})(?!\d)", text):
        digits = _digits(m.group(1))
        if valid_ch_uid(digits):
            court_match = _CH_REGISTER.search(text)
            value = f"CHE-{digits[:3]}.{digits[3:6]}.{digits[6:]}"
            court = court_match.group(1) if court_match else None
            hits.append(_Hit(value, m.start(), m.end(), 0.95, "CH", court))
    lowered = text.lower()  # cheap substring tests skip patterns that cannot match
    uk_patterns = (_UK_NUMBER, _UK_LABEL) if "number" in lowered or " no" in lowered else ()
    for pattern in uk_patterns:
        for m in pattern.finditer(text):
            number = m.group(1).upper()
            if number.isdigit():
                number = number.zfill(8)
            if len(number) == 8:
                hits.append(_Hit(number, m.start(1), m.end(1), 0.9, "GB"))
    kvk = "kvk" in lowered or "k.v.k" in lowered or "koophandel" in lowered or "chamber" in lowered
    for m in _KVK.finditer(text) if kvk else ():
        hits.append(_Hit(m.group(1), m.start(1), m.end(1), 0.9, "NL"))
    french = "RCS" in text or "R.C.S" in text or "sire" in lowered
    for pattern in _FR_NUMBER if french else ():
        for m in pattern.finditer(text):
            siren = _digits(m.group(1))
            if valid_luhn(siren):
                city = _RCS_CITY.search(text)
                court = f"RCS {city.group(1)}" if city else None
                hits.append(_Hit(siren, m.start(1), m.end(1), 0.9, "FR", court))
    unique: dict[tuple[int, str], _Hit] = {}
    for hit in sorted(hits, key=lambda h: h.start):
        if not any(h.value == hit.value or h.start == hit.start for h in unique.values()):
            unique[(hit.start, hit.value)] = hit
    return sorted(unique.values(), key=lambda h: h.start)


def _nearest_court(text: str, position: int, pattern: re.Pattern) -> str | None:
    """The court named closest to a register number (within 120 characters)."""
    best = None
    for m in pattern.finditer(text, max(0, position - 120), position + 120):
        distance = abs(m.start() - position)
        if best is None or distance < best[0]:
            named = [g for g in m.groups() if g] or [m.group(0)]
            best = (distance, named[0])
    if best is None:
        return None
    court = best[1]
    if pattern is _DE_COURT and not court.startswith("Amtsgericht"):
        court = f"Amtsgericht {court}"
    return court


# --------------------------------------------------------------------------- legal name

#: Forms seen in imprints beyond the shared list (Austrian, Swiss, French, Dutch variants).
IMPRINT_FORMS = (
    "GmbH & Co KG",
    "GmbH & Co. OHG",
    "Ges.m.b.H.",
    "GesmbH",
    "e.U.",
    "eGen",
    "Sàrl",
    "SARL",
    "S.à r.l.",
    "Sagl",
    "SNC",
    "EURL",
    "SASU",
    "U.A.",
    "V.O.F.",
    "KGaA",
    "PartG mbB",
    "PartG",
)
_FORMS = sorted(set(LEGAL_FORMS) | set(IMPRINT_FORMS), key=len, reverse=True)
# Forms that are also ordinary words or postcode letters: a name needs a word before them.
_FORM = re.compile(
    r"(?<![\w&])(" + "|".join(re.escape(f) for f in _FORMS) + r")(?![\w&]|\.\w)",
)
_NAME_WORD = re.compile(r"[A-ZÄÖÜÉÈÀÂÇ0-9][\w'’&.\-]*|&|\+")
_CONNECTORS = {
    "&",
    "+",
    "und",
    "u.",
    "and",
    "van",
    "der",
    "den",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "et",
    "di",
    "del",
    "von",
    "zu",
    "für",
    "of",
}
#: Words that start a sentence or label rather than a name.
_NOT_NAME_START = {
    "impressum",
    "imprint",
    "herausgeber",
    "anbieter",
    "diensteanbieter",
    "betreiber",
    "firma",
    "die",
    "der",
    "das",
    "the",
    "this",
    "le",
    "la",
    "de",
    "het",
    "een",
    "copyright",
    "©",
    "(c)",
    "legal",
    "notice",
    "colofon",
    "mentions",
    "site",
    "website",
}
#: Left contexts that name another entity than the site's operator.
_OTHER_ENTITY = re.compile(
    r"(gesellschafterin|komplementär\w*|tochter\w*|gesellschaft der|h[ée]bergeu?r|"
    r"h[ée]bergement|hosting|hosted by|hoster|webagentur|technische umsetzung|webdesign|"
    r"design by|umsetzung|bildnachweis\w*|fotos?|mitglied|member of|subsidiary of|part of|"
    r"filiale d[eu]|onderdeel van|aufsichtsrat\w*|unternehmen der|a company of)\W*$",
    re.IGNORECASE,
)
_LABELLED_NAME = re.compile(
    r"^(?:firma|firmenname|unternehmen|medieninhaber(?:in)?|herausgeber(?:in)?|raison sociale|"
    r"d[ée]nomination(?: sociale)?|registered name|company name|statutaire naam|"
    r"handelsnaam|[ée]diteur(?: du site)?|name)\s*[:\t]\s*(.+)$",
    re.IGNORECASE | re.MULTILINE,
)


def _name_before(text: str, form_start: int) -> tuple[int, list[str]]:
    """Walk back from a legal form over the words of a name (capitalised words and
    connectors) on the same line, up to six words; returns the start and the words."""
    line_start = max(text.rfind("\n", 0, form_start), text.rfind("\t", 0, form_start)) + 1
    segment = text[line_start:form_start]
    cut = max(segment.rfind(c) for c in ':|·•–—;,()"“”')
    segment_start = line_start + cut + 1 if cut >= 0 else line_start
    words = list(re.finditer(r"\S+", text[segment_start:form_start]))
    taken: list[re.Match] = []
    for word in reversed(words):
        token = word.group(0)
        if len(taken) >= 6:
            break
        if token.lower() in _CONNECTORS and taken:
            taken.append(word)
            continue
        if (
            _NAME_WORD.fullmatch(token)
            and not token.endswith(".")
            or re.fullmatch(r"[A-ZÄÖÜ][\w\-]*\.", token)
        ):
            if token.lower().rstrip(".") in _NOT_NAME_START:
                break
            taken.append(word)
            continue
        break
    taken.reverse()
    # A name starts with a capitalised word ("Van der Berg" keeps its "Van").
    while taken and (
        taken[0].group(0) in _CONNECTORS or re.fullmatch(r"[\d\-–/.,]+", taken[0].group(0))
    ):
        taken.pop(0)
    if not taken:
        return form_start, []
    return segment_start + taken[0].start(), [w.group(0) for w in taken]


def _name_candidates(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, name, form) for every legal form preceded by a name."""
    candidates = []
    for m in _FORM.finditer(text):
        start, words = _name_before(text, m.start())
        if not words:
            continue
        if _OTHER_ENTITY.search(text[max(0, start - 60) : start]):
            continue
        name = f"{' '.join(words)} {m.group(1)}"
        candidates.append((start, m.end(), name, m.group(1)))
    return candidates


_HEADINGS = re.compile(
    r"^(impressum|imprint|legal notice|legal information|mentions l[ée]gales|informations "
    r"l[ée]gales|colofon|disclaimer.*|about us|über uns|company information|anbieterkennzeichnung|"
    r"angaben gem.*|offenlegung.*|note legali|over deze website)\s*:?$",
    re.IGNORECASE,
)


def _first_line_name(text: str) -> tuple[int, str] | None:
    """Fallback for firms without a legal form: the line right after an imprint heading
    (``Impressum``, ``Colofon``, ...) that has a postal address within its next lines, cut
    before a comma or a verb (``X is run by``). A page's navigation comes before its
    heading, so the first line of a page is never taken blindly."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for number, line in enumerate(lines[:-1]):
        if not _HEADINGS.match(line.strip()):
            continue
        candidate = lines[number + 1].strip()
        if not candidate or _HEADINGS.match(candidate) or candidate.endswith(":"):
            continue
        near = "\n".join(lines[number + 1 : number + 5])
        if not any(p.search(near) for p in (_ADDRESS_DACH, _ADDRESS_NL, _ADDRESS_UK)):
            continue
        name = re.split(r",|\t| \| | · | (?:is|ist|est|wordt|run by)\b", candidate)[0].strip()
        if 2 <= len(name) <= 80 and not re.search(r"\d{4}", name):
            return offsets[number + 1], name
    return None


# --------------------------------------------------------------------------- other fields

_DIRECTOR_LABEL = re.compile(
    r"(?:vertreten durch(?: ihre| die| den)?(?: geschäftsführer(?:in|innen)?)?\s*:?\s*"
    r"|(?<![\w-])(?:geschäftsführer(?:in|innen)?|geschäftsführung|geschäftsleitung|vorstand|"
    r"inhaber(?:in)?|gesellschafter|vertretungsberechtigte personen|managing directors?|"
    r"directors?|board of directors|management board|board|g[ée]rante?|"
    r"directeur(?: g[ée]n[ée]ral)?|directrice|pr[ée]sident(?:e)?|chairman|directie|"
    r"algemeen directeur|bestuur|gerente|obmann)[ ]*(?::|\t|\n)\s*)"
    r"(?:(?:sind|is|are)\s+)?([^\n|;]*)",
    re.IGNORECASE,
)
_CITY_WORDS = (
    r"[A-ZÄÖÜ][\wäöüßéè\-]+(?:[ \-](?:am|an der|im|in der|ob der|bei|sur)[ \-][\wäöüß\-]+"
    r"|(?: [A-ZÄÖÜ][\wäöüßéè\-]+)(?=\s*(?:$|[,|·\t])))?"
)
_ADDRESS_DACH = re.compile(
    r"(?<![-–/])\b(?:[A-Z]-)?(\d{4,5})[ ]+(?:St\. )?(" + _CITY_WORDS + ")", re.M
)
_ADDRESS_NL = re.compile(r"\b(\d{4}\s?[A-Z]{2})\s+([A-Z][\w\-]+)")
_ADDRESS_UK = re.compile(
    r"\b([A-Z][\w\-]+(?: [A-Z][\w\-]+)?)[ ,]+([A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\b"
)
_COUNTRY_WORDS = (
    ("DE", r"deutschland|germany|allemagne"),
    ("AT", r"österreich|austria|autriche"),
    ("CH", r"schweiz|suisse|svizzera|switzerland"),
    ("GB", r"united kingdom|england|scotland|wales|northern ireland|great britain"),
    ("NL", r"nederland|netherlands|pays-bas"),
    ("FR", r"france|frankreich"),
)


_SENTENCE_END = re.compile(
    r"(?<!\bDr)(?<!\bProf)(?<!\bMag)(?<!\bIng)(?<!\bDipl)(?<!\bSt)\.(?:\s|$)"
)


def _directors(text: str) -> Field | None:
    for m in _DIRECTOR_LABEL.finditer(text):
        value = _SENTENCE_END.split(re.sub(r"\([^)]*\)", "", m.group(1)))[0]
        parts = [
            p.strip(" ,")
            for p in re.split(r",| und | and | et | en |&| / ", value)
            if p.strip(" ,")
        ]
        names = [p for p in parts if re.match(r"^(?:[A-ZÄÖÜ][\w.]*\.?\s)*[A-ZÄÖÜ]\w", p)]
        names = [p for p in names if len(p.split()) <= 6 and not _FORM.search(p)]
        if names:
            return Field("; ".join(names), m.group(0).strip(), 0.8)
    return None


#: A street line: "Industriestraße 14", "Mariahilfer Straße 101/3/12", "12 rue de la Paix".
_STREET = re.compile(
    r"(?:^|\s)(?:[A-ZÄÖÜ][\wäöüßéè.\-' ]*\s\d+\s?[a-z]?(?:[-/]\d+\w?)*"
    r"|\d+[a-z]?(?:-\d+)?,? [A-Za-zÄÖÜäöüéè][\wäöüßéè.\-' ]+)\s*$"
)


def _address(text: str, after: int) -> Field | None:
    """The first postal address at or after the legal name: street + postcode + city."""
    best = None
    for pattern in (_ADDRESS_DACH, _ADDRESS_NL, _ADDRESS_UK):
        for m in pattern.finditer(text, after):
            if pattern is _ADDRESS_DACH and re.match(r"(19|20)\d\d\b", m.group(1)):
                continue
            if best is None or m.start() < best.start():
                best = m
            break
    if best is None:
        return None
    line_start = text.rfind("\n", 0, best.start()) + 1
    before = text[line_start : best.start()]
    pieces = [p for p in re.split(r"[|·,\t]", before) if p.strip()]
    street = pieces[-1].strip() if pieces and _STREET.search(pieces[-1]) else ""
    if not street:
        prev_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        previous = text[prev_start : max(prev_start, line_start - 1)].strip()
        if _STREET.search(previous):
            street = previous.split(",")[-1].strip()
            start = prev_start
        else:
            start = best.start()
    else:
        start = best.start() - len(before) + before.rfind(street)
    postcode_city = re.split(r"[,|·\t]", best.group(0))[0].strip()
    value = f"{street}, {postcode_city}" if street else postcode_city
    return Field(value, text[start : best.end()].strip(), 0.7 if street else 0.5)


def _country(text: str, vat: _Hit | None, register: _Hit | None) -> Field | None:
    for hit in (vat, register):
        if hit is not None:
            return Field(hit.country, hit.value, 0.95)
    for code, words in _COUNTRY_WORDS:
        m = re.search(rf"\b(?:{words})\b", text, re.IGNORECASE)
        if m:
            return Field(code, m.group(0), 0.8)
    return None


# --------------------------------------------------------------------------- parsing

MAX_TEXT_CHARS = 60_000


def parse_imprint(text: str) -> Identity:
    """The company identity an imprint text states (see the module docstring)."""
    text = deobfuscate_emails(text[:MAX_TEXT_CHARS])
    vats = _vat_hits(text)
    registers = _register_hits(text)
    vat = vats[0] if vats else None
    register = registers[0] if registers else None
    others = tuple(
        dict.fromkeys(
            [h.value for h in registers[1:] if h.value != register.value]
            + [h.value for h in vats[1:] if vat and h.value != vat.value]
        )
        if register or vat
        else ()
    )
    legal_name = legal_form = None
    name_end = 0
    labelled = _LABELLED_NAME.search(text)
    candidates = _name_candidates(text)
    if labelled:
        inside = [c for c in candidates if labelled.start(1) <= c[0] < labelled.end(1)]
        if inside:
            candidates = inside + [c for c in candidates if c not in inside]
    if candidates:
        start, end, name, form = candidates[0]
        confidence = 0.9 if len({c[2] for c in candidates}) == 1 else 0.8
        line_end = text.find("\n", end)
        evidence = text[start : line_end if line_end >= 0 else len(text)][:200]
        legal_name = Field(name, evidence, confidence)
        legal_form = Field(form, name, confidence)
        name_end = end
    else:
        fallback = _first_line_name(text)
        if fallback:
            start, name = fallback
            legal_name = Field(name, name, 0.4)
            name_end = start + len(name)
    court = None
    if register and register.court:
        court = Field(register.court, register.court, 0.85)
    return Identity(
        legal_name=legal_name,
        legal_form=legal_form,
        register_number=(
            Field(register.value, text[register.start : register.end], register.confidence)
            if register
            else None
        ),
        register_court=court,
        vat_id=Field(vat.value, text[vat.start : vat.end], vat.confidence) if vat else None,
        directors=_directors(text),
        address=_address(text, name_end),
        country=_country(text, vat, register),
        other_ids=others,
    )


def parse_imprint_html(html: str) -> Identity:
    """:func:`parse_imprint` over an imprint page's HTML."""
    return parse_imprint(imprint_lines(html))
