"""Filler prose for company pages: varied, plausible sentences in German and English."""

from __future__ import annotations

import random

GENERIC = {
    "de": (
        "{name} wurde {year} in {city} gegründet und beschäftigt heute rund {n} Mitarbeitende.",
        "Als inhabergeführtes Unternehmen stehen wir für Qualität, Verlässlichkeit und kurze Wege.",
        "Unsere {thing} kommen in Maschinen, Fahrzeugen und Anlagen auf der ganzen Welt zum Einsatz.",  # noqa: E501
        "Von der ersten Idee bis zur Serienfertigung begleiten wir unsere Kunden partnerschaftlich.",  # noqa: E501
        "Am Standort {city} fertigen wir auf über {n} Quadratmetern Produktionsfläche.",
        "Nachhaltigkeit ist für uns kein Schlagwort: Seit {year} beziehen wir ausschließlich Ökostrom.",  # noqa: E501
        "Ein eigenes Prüflabor sichert die gleichbleibend hohe Qualität unserer {thing}.",
        "Wir bilden jedes Jahr junge Menschen in technischen und kaufmännischen Berufen aus.",
        "Kurze Lieferzeiten und ein persönlicher Ansprechpartner zeichnen unseren Service aus.",
        "Mit einer Exportquote von {n} Prozent sind wir in über 40 Ländern aktiv.",
        "Unser Entwicklungsteam arbeitet an der nächsten Generation von {thing}.",
        "Digitale Prozesse vom Angebot bis zur Rechnung machen die Zusammenarbeit einfach.",
        "Im Jahr {year} haben wir unsere Fertigung um eine vollautomatische Linie erweitert.",
        "Sicherheit am Arbeitsplatz hat bei uns oberste Priorität.",
        "Sprechen Sie uns an – wir finden die passende Lösung für Ihre Anwendung.",
        "Das Familienunternehmen wird heute in dritter Generation geführt.",
    ),
    "en": (
        "{name} was founded in {city} in {year} and today employs around {n} people.",
        "As a privately held company we stand for quality, reliability and short decision paths.",
        "Our {thing} are used in machines, vehicles and plants all over the world.",
        "From the first sketch to series production we work hand in hand with our customers.",
        "Our {city} site houses more than {n} square metres of production space.",
        "Sustainability matters to us: since {year} all our plants run on renewable power.",
        "An in-house test laboratory ensures the consistent quality of our {thing}.",
        "Every year we train apprentices in engineering and business roles.",
        "Short lead times and a dedicated contact person set our service apart.",
        "With {n} per cent of sales abroad we are active in more than 40 countries.",
        "Our engineering team is working on the next generation of {thing}.",
        "Digital processes from quotation to invoice make working with us easy.",
        "In {year} we expanded production with a fully automated line.",
        "Health and safety at work is our top priority.",
        "Talk to us: we will find the right solution for your application.",
        "The family business is now run by the third generation.",
    ),
}

INTROS = {
    "customer": {
        "de": "Eine Auswahl der Unternehmen, die auf unsere Leistungen vertrauen.",
        "en": "A selection of the companies that rely on our work.",
    },
    "supplier": {
        "de": "Wir arbeiten mit ausgewählten Herstellern und Lieferanten zusammen.",
        "en": "We work with carefully selected manufacturers and suppliers.",
    },
    "partner": {
        "de": "Gemeinsam mit starken Partnern bieten wir mehr.",
        "en": "Together with strong partners we deliver more.",
    },
    "ownership": {
        "de": "Die Gesellschaften der Gruppe im Überblick.",
        "en": "An overview of the companies in the group.",
    },
    "investor": {
        "de": "Unser Wachstum wird von erfahrenen Investoren und Förderern begleitet.",
        "en": "Our growth is supported by experienced investors and funders.",
    },
    "membership": {
        "de": "Wir engagieren uns in Verbänden, Netzwerken und Initiativen unserer Branche.",
        "en": "We are active in the associations and networks of our industry.",
    },
}

PAGE_TITLES = {
    "home": {"de": "Startseite", "en": "Home"},
    "about": {"de": "Über uns", "en": "About us"},
    "contact": {"de": "Kontakt", "en": "Contact"},
    "imprint": {"de": "Impressum", "en": "Imprint"},
    "careers": {"de": "Karriere", "en": "Careers"},
    "news": {"de": "Aktuelles", "en": "News"},
}

PAGE_PATHS = {
    "home": {"de": "/", "en": "/"},
    "about": {"de": "/ueber-uns", "en": "/about-us"},
    "contact": {"de": "/kontakt", "en": "/contact"},
    "imprint": {"de": "/impressum", "en": "/imprint"},
    "careers": {"de": "/karriere", "en": "/careers"},
    "news": {"de": "/aktuelles", "en": "/news"},
}

NEWS_HEADLINES = {
    "de": (
        "{name} eröffnet neues Logistikzentrum in {city}",
        "Rekordjahr: Umsatz steigt um {n} Prozent",
        "Neue Produktgeneration {thing} vorgestellt",
        "{name} auf der Hannover Messe {year}",
        "Ausbildungsstart: {n} neue Azubis begrüßt",
    ),
    "en": (
        "{name} opens new logistics centre in {city}",
        "Record year: sales up {n} per cent",
        "New generation of {thing} launched",
        "{name} at the Hannover Messe {year}",
        "Welcome to our {n} new apprentices",
    ),
}


def fill(template: str, rng: random.Random, **slots: str) -> str:
    """Fill a template's slots; numbers and years are drawn from ``rng``."""
    values = {"year": str(rng.randint(1994, 2023)), "n": str(rng.choice((12, 35, 60, 85, 140)))}
    values.update(slots)
    return template.format_map(_Keep(values))


def paragraph(rng: random.Random, lang: str, sentences: int, **slots: str) -> str:
    picked = rng.sample(GENERIC[lang], sentences)
    return " ".join(fill(s, rng, **slots) for s in picked)


class _Keep(dict):
    """format_map helper: unknown slots stay as they are (``{a}`` is filled later)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
