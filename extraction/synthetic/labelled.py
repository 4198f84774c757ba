"""Labelled link contexts for training and evaluating the relation classifier.

Rows are rendered from the template families in ``phrases`` with invented firms, so they
look like what the extractor yields (anchor, sentence, section heading, URLs). The split is
by family *and* by name pool: a ``dev`` row uses a phrasing family and firm names that no
``train`` row uses, so dev measures generalisation rather than memory. Rows are balanced
over the seven labels and cover English and German.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from extraction.labels import RELATION_LABELS
from extraction.synthetic.phrases import (
    CERT_WORDS,
    CHAMBER_WORDS,
    FUNDING_WORDS,
    THINGS,
    Family,
    families_for,
    other_target,
)
from extraction.synthetic.sites import slug

ROWS_PER_LABEL = 110

# Name parts; the first half of each list feeds train rows, the second half dev rows.
_SURNAMES = {
    "de": ("Achterberg", "Bäumler", "Dornbusch", "Eggert", "Falkenrath", "Grieshaber",
           "Hollmann", "Issel", "Kerkhoff", "Lamprecht", "Mertens", "Nolting",
           "Obermaier", "Pfisterer", "Reinecke", "Stallmann", "Tillmanns", "Uhlig",
           "Vosskuhl", "Wendeler", "Zirngibl", "Brandl", "Kötter", "Sailer"),
    "en": ("Ashford", "Blackwood", "Carrington", "Donnelly", "Ellsworth", "Fairbanks",
           "Granger", "Hollis", "Kensington", "Lockhart", "Merriweather", "Northcott",
           "Pemberton", "Radcliffe", "Sterling", "Thornton", "Whitfield", "Yardley",
           "Marlowe", "Quincy", "Harrow", "Calloway", "Dunmore", "Everly"),
}  # fmt: skip
_TRADES = {
    "de": ("Maschinenbau", "Antriebstechnik", "Metallbau", "Kunststofftechnik", "Elektrotechnik",
           "Logistik", "Verpackungen", "Systemtechnik", "Präzisionsteile", "Anlagenbau",
           "Feinmechanik", "Gießerei", "Oberflächentechnik", "Steuerungstechnik"),
    "en": ("Engineering", "Components", "Industries", "Systems", "Technologies", "Materials",
           "Logistics", "Controls", "Manufacturing", "Fabrication", "Automation", "Plastics",
           "Electronics", "Tooling"),
}  # fmt: skip
_FORMS = {
    "de": ("GmbH", "AG", "SE", "GmbH & Co. KG", "KG", "GmbH"),
    "en": ("Inc.", "Ltd.", "plc", "B.V.", "S.A.", "Ltd.", "LLC"),
}
_TLDS = {"de": (".de", ".de", ".com", ".at", ".ch", ".eu"), "en": (".com", ".co.uk", ".nl", ".io")}
_REGIONS = {
    "de": ("Mittelfranken", "Ostwestfalen", "Oberschwaben", "Lausitz", "Emsland", "Nordhessen",
           "Saar", "Rheinhessen", "Altmark", "Allgäu", "Vorpommern", "Breisgau"),
    "en": ("Midlands", "Yorkshire", "Tyneside", "Lancashire", "Wessex", "Clyde Valley",
           "Ontario", "New England", "Flanders", "Ohio Valley", "Cumbria", "Ulster"),
}  # fmt: skip
# Organisation names by kind: membership targets and investors must suit their sentence.
_ORGS = {
    "assoc": {
        "de": ("Fachverband {trade} e.V.", "Verband der {trade}industrie e.V.",
               "Netzwerk {trade} {region} e.V.", "Bundesverband {trade} e.V.",
               "Arbeitsgemeinschaft {trade} e.V.", "Wirtschaftsforum {region} e.V."),
        "en": ("{trade} Manufacturers' Association", "Institute of {trade}",
               "{trade} Industry Network", "British {trade} Federation",
               "{region} Business Council", "Society of {trade} Professionals"),
    },
    "chamber": {
        "de": ("Industrie- und Handelskammer {region}", "IHK {region}",
               "Handwerkskammer {region}", "IHK für {region}"),
        "en": ("{region} Chamber of Commerce", "{region} Chamber of Industry",
               "Chamber of Commerce {region}", "{region} Chamber of Trade"),
    },
    "cluster": {
        "de": ("Cluster {trade} {region} e.V.", "{region} Cluster {trade}",
               "Innovationscluster {region}", "Cluster {trade} Süd e.V."),
        "en": ("{region} {trade} Cluster", "{trade} Cluster {region}",
               "{region} Innovation Cluster", "Northern {trade} Cluster"),
    },
    "certifier": {
        "de": ("{surname} Zertifizierungs GmbH", "Prüfstelle {region} für Qualität GmbH",
               "{surname} Cert GmbH", "Technischer Prüfdienst {region} GmbH"),
        "en": ("{surname} Certification Ltd.", "{surname} Accreditation Services Ltd.",
               "{region} Quality Assurance Ltd.", "{surname} Certification Body Inc."),
    },
    "investor": {
        "de": ("{surname} Capital GmbH", "{region} Beteiligungsgesellschaft mbH",
               "{surname} Invest AG", "{surname} Ventures GmbH", "{surname} Equity GmbH",
               "Mittelstandsbeteiligungen {region} AG"),
        "en": ("{surname} Ventures", "{surname} Growth Partners LLP", "{surname} Capital Ltd.",
               "{surname} Equity Partners", "{surname} & Co. Investments", "{region} Capital"),
    },
    "funder": {
        "de": ("Förderbank {region}", "Investitionsbank {region}", "Innovationsfonds {region}",
               "Mittelstandsfonds {region}", "Landesförderinstitut {region}",
               "Stiftung {trade} {region}"),
        "en": ("{region} Innovation Fund", "{region} Development Agency",
               "{region} Enterprise Fund", "{trade} Research Council",
               "{region} Growth Fund", "{region} Regional Development Fund"),
    },
}  # fmt: skip
_EXTRA_CONTEXT = {
    "de": ("Mehr dazu erfahren Sie auf Anfrage.", "Stand: {year}.", "Weitere folgen in Kürze.",
           "Wir freuen uns auf die weitere Zusammenarbeit."),
    "en": ("More on request.", "As of {year}.", "More to follow soon.",
           "We look forward to continuing the work."),
}  # fmt: skip


class _Names:
    """Invented organisations for one split (train or dev use disjoint name parts)."""

    def __init__(self, rng: random.Random, split: str) -> None:
        self.rng = rng
        half = 0 if split == "train" else 1
        self.surnames = {k: v[half::2] for k, v in _SURNAMES.items()}
        self.trades = {k: v[half::2] for k, v in _TRADES.items()}
        self.regions = {k: v[half::2] for k, v in _REGIONS.items()}
        self.templates = {
            kind: {lang: names[half::2] for lang, names in by_lang.items()}
            for kind, by_lang in _ORGS.items()
        }

    def _parts(self, lang: str) -> dict[str, str]:
        return {
            "surname": self.rng.choice(self.surnames[lang]),
            "trade": self.rng.choice(self.trades[lang]),
            "region": self.rng.choice(self.regions[lang]),
        }

    def org(self, lang: str, kind: str) -> tuple[str, str]:
        """(name, registered domain) of an invented organisation of ``kind``."""
        parts = self._parts(lang)
        if kind in self.templates:
            name = self.rng.choice(self.templates[kind][lang]).format(**parts)
        else:
            name = f"{parts['surname']} {parts['trade']} {self.rng.choice(_FORMS[lang])}"
        skip = {"e", "v", "mbh", "gmbh", "ag", "ltd", "inc", "llp", "co", "fuer", "der", "of", "s"}
        words = [w for w in slug(_short(name)).split("-") if w not in skip][:3]
        return name, "-".join(words) + self.rng.choice(_TLDS[lang])


def _target_kind(label: str, template: str) -> str:
    """The kind of organisation a sentence of this label talks about."""
    text = template.lower()
    if label == "membership":
        if any(k in text for k in CERT_WORDS):
            return "certifier"
        if any(k in text for k in CHAMBER_WORDS):
            return "chamber"
        return "cluster" if "cluster" in text else "assoc"
    if label == "investor":
        return "funder" if any(k in text for k in FUNDING_WORDS) else "investor"
    return "company"


def _short(name: str) -> str:
    for form in sorted({f for forms in _FORMS.values() for f in forms}, key=len, reverse=True):
        if name.endswith(" " + form):
            return name[: -len(form) - 1]
    return name


def _row(fam: Family, rng: random.Random, names: _Names, number: int) -> dict:
    lang = fam.lang
    src_name, src_domain = names.org(lang, "company")
    template = rng.choice(fam.sentences)
    if fam.target == "company":
        name, domain = names.org(lang, _target_kind(fam.label, template))
        host = rng.choice(("www.", "www.", "")) + domain
        dst_url = f"https://{host}" + rng.choice(
            ("/", "", "/de/", "/en/", "/home", "/?ref=partner")
        )
        anchor_style = rng.choice(fam.anchors)
        anchor = anchor_style.format(name=rng.choice((name, name, _short(name))), domain=host)
    else:
        name, url = other_target(fam.target, template, rng)
        dst_url = url.format(slug=slug(_short(src_name)))
        anchor_style = rng.choice(fam.anchors)
        anchor = anchor_style.format(name=name, domain=dst_url.split("/")[2])
    year = str(rng.randint(1995, 2023))
    thing = rng.choice(THINGS[lang])
    if "{name}" in anchor_style or "{domain}" in anchor_style:
        context = template.format(a=anchor, src=_short(src_name), thing=thing, year=year)
    else:  # "Read more" style anchors follow the sentence that names the target
        context = template.format(a=name, src=_short(src_name), thing=thing, year=year)
        context = f"{context} {anchor}"
    context = context.replace("..", ".")
    shape = rng.random()
    if shape < 0.12 and fam.target == "company" and "{name}" in anchor_style:
        context = anchor  # logo walls and bare lists: the anchor is all the context there is
    elif shape < 0.35 and context.endswith("."):
        context = f"{context} {rng.choice(_EXTRA_CONTEXT[lang]).format(year=year)}"
    heading = rng.choice(fam.headings)
    if heading and rng.random() < 0.2:  # a heading chain, as the extractor reports it
        heading = f"{'Unternehmen' if lang == 'de' else 'Company'} > {heading}"
    return {
        "id": f"lc-{number:05d}",
        "src_url": f"https://www.{src_domain}{rng.choice(fam.paths)}",
        "dst_url": dst_url,
        "anchor_text": anchor,
        "section_heading": heading,
        "context": context,
        "label": fam.label,
        "lang": lang,
        "split": fam.split,
        "template": fam.key,
    }


def labelled_contexts(seed: int = 0, rows_per_label: int = ROWS_PER_LABEL) -> Iterator[dict]:
    """Balanced labelled rows: ``rows_per_label`` per label, spread over its families."""
    rng = random.Random(f"{seed}:labelled")
    names = {split: _Names(rng, split) for split in ("train", "dev")}
    number = 0
    for label in RELATION_LABELS:
        families = families_for(label)
        for i in range(rows_per_label):
            fam = families[i % len(families)]
            number += 1
            yield _row(fam, rng, names[fam.split], number)
