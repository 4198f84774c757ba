"""A small labelled set of link contexts (EN + DE, all seven labels) for fast tests.

Built from templates with a fixed seed, in the JSONL format of
``data_samples/labelled/link_contexts.jsonl`` (id, src_url, dst_url, anchor_text,
section_heading, context, label, lang, split). Dev rows use held-out companies and
templates, so a model must generalise over names, not memorise them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

# label -> list of (lang, heading, context template, src path); {name} is the target company.
TEMPLATES: dict[str, list[tuple[str, str, str, str]]] = {
    "customer": [
        ("en", "Our clients", "We are proud to work for {name} and many others.", "/clients"),
        ("en", "References", "Case study: how {name} cut costs with our software.", "/references"),
        ("de", "Unsere Kunden", "Zu unseren Kunden zählt die {name}.", "/kunden"),
        ("de", "Referenzen", "Referenzprojekt für {name}: neue Fertigungshalle.", "/referenzen"),
    ],
    "supplier": [
        ("en", "Our suppliers", "We source our components from {name}.", "/suppliers"),
        ("en", "Brands we carry", "We are an authorised dealer for {name}.", "/brands"),
        ("de", "Lieferanten", "Unser Systemlieferant für Antriebe ist {name}.", "/lieferanten"),
        ("de", "Hersteller", "Wir führen Produkte der Hersteller wie {name}.", "/hersteller"),
    ],
    "partner": [
        ("en", "Partners", "Technology partner: {name} integrates our platform.", "/partners"),
        ("en", "Alliances", "In cooperation with {name} we develop new solutions.", "/alliances"),
        ("de", "Partner", "Unser Vertriebspartner in Österreich ist {name}.", "/partner"),
        ("de", "Kooperationen", "In Kooperation mit {name} forschen wir.", "/kooperationen"),
    ],
    "ownership": [
        ("en", "Group companies", "{name} is a subsidiary of our holding.", "/group"),
        ("en", "Our group", "We are part of the {name} group since 2001.", "/about/group"),
        ("de", "Unternehmensgruppe", "Die {name} ist eine Tochtergesellschaft.", "/gruppe"),
        ("de", "Beteiligungen", "Wir halten eine Beteiligung an der {name}.", "/beteiligungen"),
    ],
    "investor": [
        ("en", "Investors", "We are backed by {name} and business angels.", "/investors"),
        ("en", "Funding", "Our seed round was funded by {name}.", "/funding"),
        ("de", "Investoren", "Zu unseren Investoren gehört {name}.", "/investoren"),
        ("de", "Förderung", "Das Projekt wird gefördert durch die {name}.", "/foerderung"),
    ],
    "membership": [
        ("en", "Memberships", "We are a member of {name}.", "/memberships"),
        ("en", "Associations", "Active in the industry association {name}.", "/associations"),
        ("de", "Mitgliedschaften", "Wir sind Mitglied im {name}.", "/mitgliedschaften"),
        ("de", "Verbände", "Mitglied der {name} und des Branchenverbands.", "/verbaende"),
    ],
    "other": [
        ("en", "Follow us", "Follow us on {name} for news.", "/"),
        ("en", "", "Website by {name}.", "/imprint"),
        ("de", "Impressum", "Webdesign und Umsetzung: {name}.", "/impressum"),
        ("de", "Aktuelles", "Lesen Sie den Artikel auf {name}.", "/news"),
    ],
}
NAMES = [
    f"{stem} {form}"
    for stem in (
        "Alpha",
        "Bergmann",
        "Cobalt",
        "Delta",
        "Elbe",
        "Falk",
        "Gamma",
        "Horizon",
        "Isar",
        "Jade",
        "Kern",
        "Lumen",
    )
    for form in ("GmbH", "AG")
]


def labelled_rows(per_label: int = 24, seed: int = 0) -> list[dict]:
    """``per_label`` rows per label: 3/4 train, 1/4 dev (dev uses held-out names)."""
    rng = random.Random(seed)
    rows = []
    train_names, dev_names = NAMES[:18], NAMES[18:]
    for label, templates in TEMPLATES.items():
        for i in range(per_label):
            split = "dev" if i % 4 == 3 else "train"
            lang, heading, context, path = templates[(i + i // 4) % len(templates)]
            name = rng.choice(dev_names if split == "dev" else train_names)
            slug = name.split()[0].lower()
            rows.append(
                {
                    "id": f"{label}-{i}",
                    "src_url": f"https://www.source{i % 5}.example{path}",
                    "dst_url": f"https://www.{slug}.example/",
                    "anchor_text": name,
                    "section_heading": f"Home > {heading}" if heading else "",
                    "context": context.format(name=name),
                    "label": label,
                    "lang": lang,
                    "split": split,
                }
            )
    return rows


def write_labelled(path: Path, rows: list[dict] | None = None) -> Path:
    rows = labelled_rows() if rows is None else rows
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
