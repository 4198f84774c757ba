"""Imprint pages of the synthetic sites: DE/AT/CH/UK/NL/FR legal notices in several styles.

Each firm's identity (register number, VAT id with a valid check digit, directors) is drawn
from its own ``random.Random`` (``imprint:<company_id>``), so adding or changing imprints
never shifts the random choices of the rest of a site. Styles vary by firm: labelled
``<br>`` blocks, a table, free running text; some obfuscate the e-mail address. US sites
state no identity (no imprint duty), Spanish and Belgian ones name the firm only. Two
legal entities: a GmbH & Co. KG names its general partner GmbH with its own HRB number.

Also non-seed sites that seed companies link to (``OUTSIDER_IMPRINTS``): their imprint
pages let the link graph show the legal names of non-seed targets; one states conflicting
register numbers on two pages, and a Swiss site nobody links to carries a UID.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from html import escape

from extraction.imprint import (
    valid_at_vat,
    valid_de_vat,
    valid_fr_vat,
    valid_gb_vat,
    valid_luhn,
    valid_nl_vat,
)
from extraction.synthetic.economy import Firm

FIRST = ("Anna", "Jonas", "Sabine", "Markus", "Petra", "Lukas", "Claire", "Tom", "Eva", "Ole")
LAST = ("Berger", "Hofmann", "Keller", "Wagner", "Jansen", "Dubois", "Clarke", "Huber", "Lenz")
#: A seed whose imprint states a longer legal name than the seed CSV (a check flags it).
RENAMED = {"C20": "Westbridge Materials Group plc"}
#: Sites with no identity on their legal page (no imprint duty where they are based).
NO_IDENTITY_COUNTRIES = ("US",)


def _digits(rng: random.Random, count: int, first_nonzero: bool = True) -> str:
    head = str(rng.randint(1, 9)) if first_nonzero else str(rng.randint(0, 9))
    return head + "".join(str(rng.randint(0, 9)) for _ in range(count - 1))


def _complete(rng: random.Random, count: int, valid: Callable[[str], bool]) -> str:
    """``count`` digits whose last one makes ``valid`` true (drawn until one does)."""
    while True:
        stem = _digits(rng, count - 1)
        for last in "0123456789":
            if valid(stem + last):
                return stem + last


def _people(rng: random.Random, count: int) -> list[str]:
    return [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(count)]


def _mail(rng: random.Random, domain: str) -> str:
    user = rng.choice(("info", "kontakt", "office", "hello"))
    if rng.random() < 0.5:
        return f"{user} [at] {domain.replace('.', ' [dot] ')}"
    return f"{user}@{domain}"


def _block(lines: list[str]) -> str:
    return "<p>" + "<br>".join(escape(line) for line in lines) + "</p>"


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f"<table class='imprint'>{cells}</table>"


def imprint_body(firm: Firm, street: str, postcode: str) -> str:
    """The identity part of ``firm``'s imprint page as HTML (may state no identity)."""
    rng = random.Random(f"imprint:{firm.company_id}")
    name = RENAMED.get(firm.company_id, firm.name)
    style = rng.choice(("block", "table", "text"))
    domain = firm.primary_domain
    country = firm.country
    if country in NO_IDENTITY_COUNTRIES:
        return (
            "<p>This website is provided for information only. Questions about this site can "
            "be sent through our contact form.</p>"
        )
    if country == "DE":
        return _german(firm, name, rng, style, street, postcode, domain)
    if country == "AT":
        fn = f"FN {rng.randint(100000, 599999)} {rng.choice('abdfghikmpstvwxyz')}"
        vat = "ATU" + _complete(rng, 8, valid_at_vat)
        rows = [
            ("Medieninhaber", name),
            ("Anschrift", f"{street}, {postcode} {firm.city}, Österreich"),
            ("Firmenbuchnummer", fn),
            ("Firmenbuchgericht", f"Landesgericht {firm.city}"),
            ("UID-Nr.", f"{vat[:3]} {vat[3:]}"),
            ("Geschäftsführer", ", ".join(_people(rng, 2))),
            ("E-Mail", _mail(rng, domain)),
        ]
        return _table(rows) if style == "table" else _block([f"{k}: {v}" for k, v in rows])
    if country == "GB":
        number = f"{rng.randint(1000000, 13999999):08d}"
        vat = _complete(rng, 9, valid_gb_vat)
        directors = " and ".join(_people(rng, 2))
        if style == "text":
            return (
                f"<p>{escape(name)} is registered in England and Wales under company number "
                f"{number}. Registered office: {escape(street)}, {escape(firm.city)} "
                f"{escape(postcode)}. VAT registration number GB {vat[:3]} {vat[3:7]} "
                f"{vat[7:]}. Directors: {escape(directors)}.</p>"
            )
        return _block([name, street, f"{firm.city} {postcode}", "United Kingdom",
                       f"Company number: {number}", f"VAT No.: GB{vat}",
                       f"Directors: {directors}"])  # fmt: skip
    if country == "NL":
        kvk = _digits(rng, 8)
        vat = "NL" + _complete(rng, 9, lambda d: valid_nl_vat(f"NL{d}B01")) + "B01"
        return _block([name, street, f"{postcode} {firm.city}", "Nederland",
                       f"KvK-nummer: {kvk}", f"Btw-nummer: {vat}",
                       f"Directie: {_people(rng, 1)[0]}",
                       f"E-mail: {_mail(rng, domain)}"])  # fmt: skip
    if country == "FR":
        siren = _complete(rng, 9, valid_luhn)
        key = f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"
        assert valid_fr_vat(key, siren)
        return (
            f"<h2>Mentions légales</h2><p>{escape(name)}, société anonyme au capital de "
            f"{rng.randint(1, 9)} 000 000 €, siège social : {escape(street)}, "
            f"{escape(postcode)} {escape(firm.city)}, France. RCS {escape(firm.city)} "
            f"{siren[:3]} {siren[3:6]} {siren[6:]}. N° TVA intracommunautaire : FR {key} "
            f"{siren}. Directeur général : {escape(_people(rng, 1)[0])}.</p>"
        )
    # ES, BE and others: the firm and its address only
    return _block([name, street, f"{postcode} {firm.city}"])


def _german(firm, name, rng, style, street, postcode, domain) -> str:
    vat = _complete(rng, 9, valid_de_vat)
    city = firm.city
    directors = _people(rng, rng.choice((1, 2)))
    if name.endswith("e.V."):
        register, board = f"VR {rng.randint(1000, 9999)}", "Vorstand"
    elif name.endswith("KG") and "Co." not in name:
        register, board = f"HRA {rng.randint(1000, 29999)}", "Persönlich haftender Gesellschafter"
    elif "Co. KG" in name:
        register, board = f"HRA {rng.randint(1000, 29999)}", "Geschäftsführer"
    elif name.startswith("Industrie- und Handelskammer"):
        return _block([name, "Körperschaft des öffentlichen Rechts", street,
                       f"{postcode} {city}", f"Hauptgeschäftsführer: {directors[0]}",
                       f"USt-IdNr.: DE{vat}"])  # fmt: skip
    else:
        register = f"HRB {rng.randint(1000, 99999)}"
        board = "Vorstand" if name.endswith((" AG", " SE")) else "Geschäftsführer"
    partner = ""
    if "GmbH & Co. KG" in name:  # two legal entities: the KG and its general partner
        short = name.replace(" GmbH & Co. KG", "")
        partner = (
            f"Persönlich haftende Gesellschafterin: {short} Verwaltungs GmbH, Sitz {city}, "
            f"Amtsgericht {city}, HRB {rng.randint(1000, 99999)}"
        )
    if style == "table":
        rows = [("Firma", name), ("Anschrift", f"{street}, {postcode} {city}"),
                (board, ", ".join(directors)), ("Registergericht", f"Amtsgericht {city}"),
                ("Registernummer", register), ("USt-IdNr.", f"DE{vat}"),
                ("E-Mail", _mail(rng, domain))]  # fmt: skip
        html = _table(rows)
    elif style == "text":
        html = (
            f"<p>Anbieter dieser Website ist die {escape(name)}, {escape(street)}, "
            f"{escape(postcode)} {escape(city)}, eingetragen im Register des Amtsgerichts "
            f"{escape(city)} unter {register}. {board}: {escape(' und '.join(directors))}. "
            f"Umsatzsteuer-Identifikationsnummer gemäß § 27a UStG: DE {vat[:3]} {vat[3:6]} "
            f"{vat[6:]}. E-Mail: {escape(_mail(rng, domain))}</p>"
        )
    else:
        html = _block([name, street, f"{postcode} {city}", "Deutschland",
                       f"{board}: {', '.join(directors)}",
                       f"Registergericht: Amtsgericht {city}", f"Registernummer: {register}",
                       f"USt-IdNr.: DE{vat}"])  # fmt: skip
    return html + (f"<p>{escape(partner)}</p>" if partner else "")


# ---------------------------------------------------------------------- non-seed sites

#: (host, path, title, lang, body) of imprint pages on sites that are no seed companies.
OUTSIDER_IMPRINTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "www.giesserei-ahlen.de", "/impressum", "Impressum", "de",
        _table([("Firma", "Gießerei Ahlen GmbH"), ("Anschrift", "Hammer Straße 40, 59229 Ahlen"),
                ("Geschäftsführer", "Bernd Schulte"), ("Registergericht", "Amtsgericht Münster"),
                ("Registernummer", "HRB 10452"), ("USt-IdNr.", "DE811587147")]),
    ),
    (
        "www.giesserei-ahlen.de", "/en/legal-notice", "Legal notice", "en",
        _block(["Gießerei Ahlen GmbH", "Hammer Straße 40, 59229 Ahlen, Germany",
                "Managing Director: Bernd Schulte",
                "Register court: Amtsgericht Münster, HRB 10452",
                "VAT ID: DE811587147"]),
    ),
    (
        "www.harbour-retail.co.uk", "/legal-notice", "Legal notice", "en",
        "<p>Harbour Retail Group Ltd. is registered in Scotland with company number SC417233. "
        "Registered office: 80 Broomielaw, Glasgow G1 4RU. VAT No. GB 224 5551 78.</p>",
    ),
    (
        "www.mittelstandsverbund-sued.de", "/impressum", "Impressum", "de",
        _block(["Mittelstandsverbund Süd e.V.", "Prinzregentenstraße 8", "80538 München",
                "Vorstand: Gabriele Sattler", "Registergericht: Amtsgericht München",
                "Registernummer: VR 20418"]),
    ),
    (
        "www.stadtwerke-kornbach.de", "/impressum", "Impressum", "de",
        _block(["Stadtwerke Kornbach GmbH", "Am Wasserwerk 1", "54321 Kornbach",
                "Geschäftsführer: Ralf Imhof", "Amtsgericht Kornbach, HRB 3311",
                "USt-IdNr.: DE941858399"]),
    ),
    (  # an outdated second imprint: another register number (a conflict the check reports)
        "www.stadtwerke-kornbach.de", "/service/impressum", "Impressum", "de",
        _block(["Stadtwerke Kornbach GmbH", "Am Wasserwerk 1", "54321 Kornbach",
                "Amtsgericht Kornbach, HRB 1207"]),
    ),
    (
        "www.helvetia-foerdersysteme.ch", "/impressum", "Impressum", "de",
        _block(["Helvetia Fördersysteme AG", "Industriestrasse 12", "8604 Volketswil",
                "Schweiz", "Handelsregister des Kantons Zürich",
                "UID: CHE-945.992.467", "MWST-Nr.: CHE-945.992.467 MWST",
                "Geschäftsleitung: Reto Baumann"]),
    ),
)  # fmt: skip


def outsider_page_html(host: str, title: str, lang: str, body: str) -> str:
    name = host.removeprefix("www.")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)} | {escape(name)}</title></head>\n<body>"
        f"<main><h1>{escape(title)}</h1>{body}</main>\n</body></html>\n"
    )
