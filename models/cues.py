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
        r"|\bzztarget (?:uses|use|used|runs|ran|run|nutzt|nutzen|nutzte|setzt|setzen|plant|planen"
        r"|steuert|steuern|rolled|deployed|deploys|signed|asked us|has chosen|wählte)\b.{0,40}"
        r"\b(?:zzself|our|unser\w*|uns)\b|\b(?:asked|hired|commissioned|chose|selected) us\b"
        r"|\bsupplier (?:to|of) zztarget\b|\bsupplier of the year\b|\blieferanten? des jahres\b"
        r"|\b(?:orders?|aufträge?) (?:came |kam |kamen |comes )?(?:from|von|der|des) zztarget"
        r"|\b(?:gibt es|bekommen sie|erhalten sie|erhältlich|kaufen sie)\b.{0,50}"
        r"\b(?:im|in der|beim|bei|bei der)\b|\b(?:available|stocked|sold) (?:at|in|by) zztarget"
        r"|\bour (?:offer|quote|bid) (?:for|to)\b|\bunsere offerte\b|\bunser angebot\b"
        r"|\bversorgung (?:von|der|des) zztarget|\bfor (?:them|whom)\b|\bwe handled\b"
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
        r"|(?<!of the year )(?<!award )(?<!awarded )\bby zztarget\b"  # not "... of the year by X"
        r"|\bzztarget (?:makes|manufactures|supplies|delivers|provides|produces"
        r"|roasts|extrudes|casts|mills|builds|hosts)|\bzztarget (?:liefert|fertigt|produziert"
        r"|stellt|röstet|gießt|presst|hostet)\b|\b(?:source|sources|sourced|buy|buys|bought"
        r"|purchase|purchased|rent|license|licensed)\b.{0,30}\bfrom\b"
        r"|\b(?:beziehen|bezogen|kaufen|gekauft|einkaufen|bestellen|mieten)\b"
        r"|\b(?:stammt|stammen|kommt|kommen) (?:von|aus)\b|\bfor us\b|\bfür uns\b"
        r"|\bwe (?:rely|depend) on\b|\bsetzen (?:wir )?auf\b|\bmade for us\b|\bliefert uns\b"
        r"|\bour (?:supplier|provider|vendor|manufacturer|producer)|\bunser(?:em|en)? "
        r"(?:zulieferer|lieferanten|dienstleister|hersteller|erzeuger)|\bdealer\b|\bhändler\b"
        r"|\bstockist|\bwe stock\b|\bführen (?:wir )?das\b|\bsortiment\b|\bhosted by\b"
        r"|\b(?:made|built|woven|rolled|milled|grown|supplied|delivered|produced|manufactured"
        r"|roasted|hosted|handled|provided|designed) by zztarget\b|\brented from\b"
        r"|\b(?:licen[cs]e|lizenzieren|lizenziert|mieten|leasen)\b.{0,30}\b(?:from|von|bei)\b"
        r"|\b(?:angeliefert|geliefert|hergestellt|gefertigt|vermahlen|gebaut|produziert)"
        r" (?:von|bei|durch) (?:der |dem |den )?zztarget|\bvom zztarget\b"
        r"|\bkommt (?:der|die|das) .{0,40}\bvon\b|\b(?:kaufen|bestellen|beziehen) wir\b"
        r"|\bzzself\b.{0,40}\b(?:betrieben|gehostet|hosted) (?:bei|by|von)\b"
        r"|\bwe (?:buy|order|source|rent|license|lease)\b|\bpaying for\b"
        r"|\bmoved to zztarget\b|\b(?:contract manufactur|lohnfertig|auftragsfertig)"
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
        r"|\bresell|\bweiterverkauf|\b(?:sells?|services?|vertreibt|verkauft|betreut)"
        r"(?: and (?:sells?|services?))? (?:our|unsere)\b|\bco-?build|\bshared with\b"
        r"|\btechnische[rn]? unterstützung|\bengineering (?:time|support)\b|\bbid jointly\b"
        r"|\bunsere vertretung\b|\bour (?:representative|distributor|integrator|reseller)"
        r"|\bwill represent\b|\brepresent zzself\b|\bvertritt zzself\b|\bim gegenzug\b"
        r"|\bteilen wir\b|\bwe team up\b|\bwork closely with\b|\beng mit\b.{0,40}\bzusammen\b"
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
        r"|\bacquired by\b|\bzzself (?:was|wurde|is|ist) (?:acquired|bought|übernommen|gekauft)"
        r"|\bwhich we (?:bought|acquired|own)\b|\bdie wir\b.{0,40}\b(?:kauften|gekauft|übernahmen)"
        r"|\b(?:100|hundred) ?(?:%|percent|prozent) (?:der |of the )?(?:anteile|shares)"
        r"|\banteile an\b.{0,40}\berworben|\bour (?:\S+ )?arm\b|\bbelong(?:s|ed)? to\b"
        r"|\b(?:joined|joins) the (?:zzself )?(?:family|group)\b|\bmember of the \S+ group\b"
        r"|\bzum unternehmen gehört|\bgehört (?:seit \d+ )?zum unternehmen|\bstill owns us\b"
        r"|\bsteht heute\b|\beigenen standort|\bour (?:us|uk|german|polish|french) (?:entity"
        r"|subsidiary|branch)|\bcompleted (?:its|the) purchase\b|\bhat .{0,30}übernommen\b"
    ),
    "investor": (
        r"\bled (?:our|the) (?:seed|series|round|funding)|\bround\b|\brunde\b|\bseed\b"
        r"|\bseries [a-d]\b|\binvest|\bbacked by\b|\bminority stake|\bminderheitsbeteiligung"
        r"|\bgrant\b|\bfunded\b|\bfunding\b|\bfinanc|\bfinanzier|\bförder|\bloan\b|\bdarlehen"
        r"|\bkredit|\bzuschuss|\bventure capital|\bwagniskapital|\bequity\b|\bkapital"
        r"|\bco-?financed\b|\bkofinanziert|\bmitfinanziert|\bmit mitteln\b|\baus mitteln\b"
        r"|\bshares?\b(?! (?:a|our) showroom)|\bshareholder|\bgesellschafter\b|\bstiller?\b"
        r"|\blent us\b|\bstille beteiligung|\bbürgeraktie|\bstartkapital|\bbezuschusst"
        r"|\b(?:unterstützt|gefördert|supported|backed|funded)\b.{0,40}\b\d[\d.,']* ?(?:euro|eur"
        r"|franken|chf|pfund|€|£|\$|million|mio)|\b\d[\d.,']* ?(?:euro|franken|chf|€|£)\b.{0,30}"
        r"\b(?:unterstützt|gefördert|supported|funded)|\bdoubled down\b|\bfollow-on\b"
        r"|\b(?:pre-?seed|angel)\b|\bpart-funded\b|\bmitfinanziert\b"
    ),
    "membership": (
        r"\bmembers? (?:of|in)\b|\bmitglied|\bcertified by\b|\bcertified to\b|\bzertifiziert"
        r"|\baccredited\b|\bakkreditiert|\baudit(?:s|ed)?\b|\bauditiert|\btested by\b"
        r"|\bgeprüft (?:von|durch)|\bprüft\b|\bquality (?:seal|mark)|\bgütezeichen|\bgütesiegel"
        r"|\bcode of (?:conduct|practice)|\bverhaltenskodex|\bregistered with\b|\beingetragen"
        r"|\bboard of\b|\bvorstand\b|\bcommittee\b|\bausschuss|\bnormen|\bstandards?\b"
        r"|\bbelong to (?:the )?(?:regional |industry )?(?:network|association)"
        r"|\bgehören dem\b|\bangehört\b|\bangeschlossen|\bnetwork\b|\bnetzwerk\b|\bapproved\b"
        r"|\bfull member\b|\bfounding member\b|\bmitgliedsbetrieb|\bpräsidium\b"
        r"|\bengagieren (?:uns|wir uns) (?:im|in der|beim)\b|\bzusammenschluss\b"
        r"|\bgehören (?:wir )?(?:dem|der)\b.{0,60}\ban\b|\bjoined the .{0,40}\b(?:association"
        r"|federation|guild|chamber|council|society)|\blisted on the register|\binspect(?:ed|ion)"
        r" by\b|\bcertified under\b|\bchain-of-custody|\bkontrollstelle|\bsiegel\b"
    ),
    "other": (
        r"\bedition\b|\bausgabe\b|\binterview|\bstand [a-z]?\d|\bhall \d|\bhalle \d"
        r"|\bdirections\b|\banfahrt\b|\bfollow us\b|\bfolgen sie\b|\bpodcast\b|\bapp\b"
        r"|\bwebsite (?:was )?(?:built|made|designed)|\bwebsite wurde\b|\bonline ?shop\b"
        r"|\brate us\b|\bbewerten sie\b|\bbook an appointment\b|\btermine?\b.{0,20}\bbuchen"
        r"|\bopen (?:positions|roles|vacancies)|\boffene stellen\b|\bbewerb|\bapply\b"
        r"|\bbackground\b|\bhintergr|\bwrote about\b|\bberichtete\b|\bfeature\b"
        r"|\bcovered (?:our|us|the)\b|\bran a (?:feature|story|piece)\b|\barticle\b"
        r"|\bshortlisted\b|\bforecast\b|\bwebinar\b|\beinwahl|\brezept|\brecipe"
        r"|\bgestaltet (?:von|durch)\b|\bsite by\b|\bbook a (?:demo|call|meeting)\b"
        r"|\bopen roles\b|\bwe'?re (?:hiring|recruiting|growing the team)|\bsee our jobs\b"
    ),
}
_CUES = tuple((label, re.compile(pattern)) for label, pattern in SENTENCE_CUES.items())


@lru_cache(maxsize=100_000)
def sentence_cues(masked_sentence: str) -> tuple[str, ...]:
    """``k!<label>`` for each relation whose wording occurs in the (masked) sentence."""
    if not masked_sentence:
        return ()
    text = " ".join(masked_sentence.lower().split())  # the mask leaves double spaces
    return tuple(f"k!{label}" for label, pattern in _CUES if pattern.search(text))


#: Label -> pattern over a lower-cased heading chain: list headings that name a relation
#: without the rule lexicon's nouns ("Werkstoffe von", "Deployed at", "Vertretungen im
#: Ausland", "Standards we meet"). Features ``g!<label>`` of the heading fields only; the
#: rules (``extraction.weak_labels``) do not read them.
HEADING_CUES: dict[str, str] = {
    "customer": (
        r"\bfitted out\b|\bausgestattet\b|\bdeployed (?:in|at|by)\b|\bim einsatz (?:bei|in)\b"
        r"|\bprojects? for\b|\bprojekte für\b|\b(?:wir )?(?:drucken|bauen|arbeiten|fahren|planen"
        r"|liefern) für\b|\bfür wen wir\b|\bwe (?:work|print|build|deliver) for\b|\bwhere to "
        r"(?:find|buy)\b|\bwo (?:kaufen|erhältlich)\b|\berhältlich (?:bei|in)\b|\bportfolio\b"
        r"|\bour work\b|\bunsere arbeiten\b|\binstallations?\b|\b(?:supplied|delivered|geliefert)"
        r" (?:to|an)\b|\bwir beliefern\b|\bincluding\b|\bsuch as\b|\bdarunter\b"
    ),
    "supplier": (
        r"\bmaterials?\b|\bwerkstoffe?\b|\brohstoffe?\b|\bcomponents?\b|\bkomponenten\b"
        r"|\bingredients?\b|\bequipment\b|\bausrüstung\b|\b(?:maschinen|produkte|materialien"
        r"|technik) von\b|\b(?:machines|products|parts|materials) (?:from|by)\b"
        r"|\binfrastru[ck]tur|\btech(?:nology)? stack\b|\bbuilt with\b|\bpowered by\b"
        r"|\bproducers?\b|\bgrowers?\b|\bsources?\b|\bwe carry\b|\bin our (?:range|showroom)\b"
        r"|\bim sortiment\b|\bmaschinenpark\b|\bengines?\b|\bantriebe\b|\bhardware\b"
    ),
    "partner": (
        r"\babroad\b|\bim ausland\b|\binternational\b|\bworldwide\b|\bweltweit\b"
        r"|\brepresentatives?\b|\bagents?\b|\bdealer network\b|\bhändlernetz|\bdistribut"
        r"|\bworks with\b|\bkompatibel mit\b|\bresellers?\b|\bintegrators?\b|\bintegratoren\b"
        r"|\bcollaborat|\bwe collaborate\b|\bforschung\b|\bresearch\b|\bnetzwerk\b|\bnetwork\b"
    ),
    "ownership": (
        r"\bentities\b|\bgesellschaften\b|\bstandorte\b|\blocations\b|\boffices\b"
        r"|\bniederlassungen\b|\bfamily of\b|\bpart of\b|\bein unternehmen der\b|\bholdings?\b"
        r"|\bverbundene unternehmen\b|\blandesgesellschaft|\bour companies\b"
    ),
    "investor": (
        r"\bbacked by\b|\bsupported by\b|\bunterstützt (?:von|durch)\b|\bmit unterstützung\b"
        r"|\bförder|\bpart-funded\b|\bfunded by\b|\bshareholders?\b|\bunterstützer\b"
    ),
    "membership": (
        r"\bstandards?\b|\bcompliance\b|\bapprovals?\b|\bzulassungen\b|\bsiegel\b|\bseals?\b"
        r"|\baffiliations?\b|\bwir sind dabei\b|\bengagement\b|\binitiativen\b|\bmembers?\b"
        r"|\bkontrollen\b|\bcertifi|\bzertifi|\bprüf"
    ),
    "other": (
        r"\bfollow\b|\bfolgen\b|\bsocial\b|\bfind us\b|\bso finden sie uns\b|\bfeatured\b"
        r"|\bbekannt aus\b|\bpress\b|\bpresse\b|\bwe accept\b|\bzahlung|\bpayment\b"
        r"|\brechtliches\b|\blegal\b|\bcookie|\bjobs?\b|\bkarriere\b|\bcareers?\b"
        r"|\bopen roles\b|\bkontakt\b|\bcontact\b|\bdownload|\bapps?\b"
    ),
}
_HEADING_CUES = tuple((label, re.compile(pattern)) for label, pattern in HEADING_CUES.items())


@lru_cache(maxsize=50_000)
def heading_cues(heading_chain: str) -> tuple[str, ...]:
    """``g!<label>`` for each relation a list heading names (:data:`HEADING_CUES`)."""
    if not heading_chain:
        return ()
    text = heading_chain.lower()
    return tuple(f"g!{label}" for label, pattern in _HEADING_CUES if pattern.search(text))
