"""Relation wording of whole sentences, EN + DE, beyond the rule lexicon's keywords.

``extraction.weak_labels.TERMS`` names relations by nouns ("supplier", "Kunden", "Partner");
real sentences state them by verbs and their direction: *we buy from X* (supplier) against
*X buys from us* (customer), *we took over X* (ownership), *X led our round* (investor),
*audited by X* (membership), *X sells our products in France* (partner). These patterns
are features of the sentence only (``k!<label>``), next to the rule cues; the model learns
how far to trust them. Written from domain knowledge for issue 15, not from the hard split.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Label -> pattern over the lower-cased sentence (the target masked as ``zztarget``).
SENTENCE_CUES: dict[str, str] = {
    "customer": (
        r"\bfor (?:the )?zztarget\b|\bfür (?:die |den |das )?zztarget\b|\bzztarget (?:has )?"
        r"(?:ordered|orders|buys|bought|chose|hired|commissioned|appointed|selected|uses|runs)"
        r"|\b(?:supply|supplies|supplied|deliver|delivers|serve|serves|served) zztarget\b"
        r"|\b(?:beliefern|liefern|betreuen|warten|beraten) (?:wir )?(?:die |den |das )?zztarget"
        r"|\bzztarget (?:bestellt|bezieht|kauft|setzt|nutzt|vertraut|hat uns|beauftragte)"
        r"|\bvon uns\b|\bbei uns\b|\bfrom us\b|\bwith us\b|\bour (?:client|customer)s?\b"
        r"|\bauftrag\b|\bbeauftragt|\baward(?:ed)? us\b|\bhat uns\b|\bim auftrag\b"
        r"|\bcontract (?:with|from)\b|\bfor (?:their|its)\b|\bfor all of their\b"
        r"|\b(?:installed|fitted|built|designed|printed|delivered|refurbished|equipped)\b.{0,40}"
        r"\b(?:for|at)\b|\b(?:montiert|geliefert|gebaut|errichtet|saniert|gedruckt|ausgestattet)\b"
    ),
    "supplier": (
        r"\bfrom zztarget\b|\bvon (?:der |dem )?zztarget\b|\bbei (?:der |dem )?zztarget\b"
        r"|\bby zztarget\b|\bzztarget (?:makes|manufactures|supplies|delivers|provides|produces"
        r"|roasts|extrudes|casts|mills|builds|hosts)|\bzztarget (?:liefert|fertigt|produziert"
        r"|stellt|röstet|gießt|presst|hostet)\b|\b(?:source|sources|sourced|buy|buys|bought"
        r"|purchase|purchased|order|ordered|rent|license|licensed)\b.{0,30}\bfrom\b"
        r"|\b(?:beziehen|bezogen|kaufen|gekauft|einkaufen|bestellen|mieten)\b"
        r"|\b(?:stammt|stammen|kommt|kommen) (?:von|aus)\b|\bfor us\b|\bfür uns\b"
        r"|\bwe (?:rely|depend) on\b|\bsetzen (?:wir )?auf\b|\bmade for us\b|\bliefert uns\b"
        r"|\bour (?:supplier|provider|vendor|manufacturer|producer)|\bunser(?:em|en)? "
        r"(?:zulieferer|lieferanten|dienstleister|hersteller|erzeuger)|\bdealer\b|\bhändler\b"
        r"|\bstockist|\bwe stock\b|\bführen (?:wir )?das\b|\bsortiment\b|\bhosted by\b"
    ),
    "partner": (
        r"\btogether with\b|\bjointly\b|\bjoint\b|\bgemeinsam\b|\bzusammen mit\b"
        r"|\bmit (?:der |dem )?zztarget (?:entwickeln|bieten|betreiben|haben|teilen|forschen)"
        r"|\bwith zztarget we\b|\bco-?(?:develop|deliver|operat|found)|\bconsortium\b"
        r"|\bbietergemeinschaft|\barbeitsgemeinschaft|\bdistribut(?:es|ed|ion|or)\b"
        r"|\bvertreibt\b|\bvertrieb\b|\bvertritt\b|\brepresents? us\b|\bon our behalf\b"
        r"|\bsales (?:agent|partner|representative)|\bhandelsvertret|\bin (?:france|spain|italy"
        r"|poland|japan|the nordics?|scandinavia|benelux|the us|austria|switzerland)\b"
        r"|\bin (?:frankreich|spanien|italien|polen|skandinavien|österreich|der schweiz)\b"
        r"|\bintegrat|\bschnittstelle|\bconnector\b|\bresearch (?:project|team|partner)"
        r"|\bforschungs(?:projekt|team|partner)|\bhand in hand\b|\bside by side\b"
        r"|\btechnical support\b|\btechnische unterstützung\b|\bteam(?:ed)? up\b|\balongside\b"
    ),
    "ownership": (
        r"\bsubsidiar|\btochter|\bparent (?:company|group)\b|\bmuttergesellschaft|\bsister\b"
        r"|\bschwester|\bacquir|\bacquisition\b|\btook over\b|\btaken over\b|\btakeover\b"
        r"|\bübernimmt\b|\bübernommen\b|\bübernahme\b|\bbought (?:the company|the business|us)"
        r"|\b(?:owned|owns|own) (?:by|outright|100|fully)|\bfully owned\b|\bwholly owned\b"
        r"|\bgehört (?:zur|zum|zu)\b|\bgehören zur\b|\bpart of (?:the )?zztarget\b"
        r"|\bteil der\b|\bmerger\b|\bfusion\b|\bmajority (?:stake|shareholder)|\bmehrheit\b"
        r"|\bhundertprozentig|\balleinige gesellschafterin|\bspin-?out|\bausgründung"
        r"|\bkauf der\b|\bzukauf\b|\bgroup company\b|\bder gruppe\b|\bof the group\b"
    ),
    "investor": (
        r"\bled (?:our|the) (?:seed|series|round|funding)|\bround\b|\brunde\b|\bseed\b"
        r"|\bseries [a-d]\b|\binvest|\bbacked by\b|\bminority stake|\bminderheitsbeteiligung"
        r"|\bgrant\b|\bfunded\b|\bfunding\b|\bfinanc|\bfinanzier|\bförder|\bloan\b|\bdarlehen"
        r"|\bkredit|\bzuschuss|\bventure capital|\bwagniskapital|\bequity\b|\bkapital"
        r"|\bco-?financed\b|\bkofinanziert|\bmitfinanziert|\bmit mitteln\b|\baus mitteln\b"
        r"|\bshares?\b(?! (?:a|our) showroom)|\bshareholder|\bgesellschafter\b|\bstiller?\b"
    ),
    "membership": (
        r"\bmembers? (?:of|in)\b|\bmitglied|\bcertified by\b|\bcertified to\b|\bzertifiziert"
        r"|\baccredited\b|\bakkreditiert|\baudit(?:s|ed)?\b|\bauditiert|\btested by\b"
        r"|\bgeprüft (?:von|durch)|\bprüft\b|\bquality (?:seal|mark)|\bgütezeichen|\bgütesiegel"
        r"|\bcode of (?:conduct|practice)|\bverhaltenskodex|\bregistered with\b|\beingetragen"
        r"|\bboard of\b|\bvorstand\b|\bcommittee\b|\bausschuss|\bnormen|\bstandards?\b"
        r"|\bbelong to (?:the )?(?:regional |industry )?(?:network|association)"
        r"|\bgehören dem\b|\bangehört\b|\bangeschlossen|\bnetwork\b|\bnetzwerk\b|\bapproved\b"
    ),
    "other": (
        r"\bedition\b|\bausgabe\b|\binterview|\bstand [a-z]?\d|\bhall \d|\bhalle \d"
        r"|\bdirections\b|\banfahrt\b|\bfollow us\b|\bfolgen sie\b|\bpodcast\b|\bapp\b"
        r"|\bwebsite (?:was )?(?:built|made|designed)|\bwebsite wurde\b|\bonline ?shop\b"
        r"|\brate us\b|\bbewerten sie\b|\bbook an appointment\b|\btermine?\b.{0,20}\bbuchen"
        r"|\bopen (?:positions|roles|vacancies)|\boffene stellen\b|\bbewerb|\bapply\b"
        r"|\bbackground\b|\bhintergr|\bwrote about\b|\bberichtete\b|\bfeature\b"
    ),
}
_CUES = tuple((label, re.compile(pattern)) for label, pattern in SENTENCE_CUES.items())


@lru_cache(maxsize=100_000)
def sentence_cues(masked_sentence: str) -> tuple[str, ...]:
    """``k!<label>`` for each relation whose wording occurs in the (masked) sentence."""
    if not masked_sentence:
        return ()
    text = masked_sentence.lower()
    return tuple(f"k!{label}" for label, pattern in _CUES if pattern.search(text))
