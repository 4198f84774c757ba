"""Word-level generators for the diverse benchmark pages: nothing pre-rendered, nothing pooled.

Real crawl pages never repeat a sentence, a product name or a deep URL, so the benchmark
must not either: every sentence here is drawn slot by slot from a large vocabulary that is
itself combined procedurally (German compounds from stems and heads, English noun phrases,
brand names from syllables, company names with legal forms, place names), so a 100,000-page
crawl holds millions of distinct sentences. Only the vocabulary is fixed; all choices come
from the caller's ``random.Random``, so output is reproducible.
"""

from __future__ import annotations

import random
from itertools import product

ONSETS = ("b", "br", "d", "dr", "f", "fl", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "pr",
          "r", "s", "st", "t", "tr", "v", "w", "z", "sch", "th", "c", "cl", "qu", "x")  # fmt: skip
VOWELS = ("a", "e", "i", "o", "u", "ei", "au", "ä", "ö", "ü", "y", "ea", "io")
CODAS = ("", "n", "r", "l", "s", "x", "nd", "rt", "ck", "m", "ng", "st", "k", "t")

DE_STEMS = (
    "Antriebs", "Maschinen", "Werkzeug", "Fahrzeug", "Anlagen", "Präzisions", "Kunststoff",
    "Metall", "Stahl", "Aluminium", "Elektro", "Mess", "Regel", "Steuerungs", "Förder",
    "Verpackungs", "Lebensmittel", "Medizin", "Energie", "Wasser", "Umwelt", "Logistik",
    "Lager", "Bau", "Holz", "Glas", "Textil", "Papier", "Druck", "Oberflächen", "Schweiß",
    "Hydraulik", "Pneumatik", "Sensor", "Software", "Daten", "Netzwerk", "Sicherheits",
    "Prüf", "Labor", "Filter", "Pumpen", "Ventil", "Getriebe", "Motor", "Licht", "Kabel",
    "Klima", "Kälte", "Wärme", "Solar", "Wind", "Batterie", "Lackier", "Gieß", "Fräs",
    "Dreh", "Stanz", "Biege", "Montage", "Service", "Ersatzteil", "Sonder", "Serien",
    "Industrie", "Handels", "Qualitäts", "Automatisierungs", "Robotik", "Zerspanungs",
    "Dicht", "Feder", "Schrauben", "Lager", "Profil", "Rohr", "Blech", "Gummi", "Keramik",
)  # fmt: skip
DE_HEADS = (
    "technik", "bau", "teile", "systeme", "lösungen", "werk", "anlagen", "komponenten",
    "module", "geräte", "service", "handel", "fertigung", "produktion", "entwicklung",
    "beratung", "planung", "montage", "logistik", "prüfung", "messung", "steuerung",
    "gehäuse", "halter", "platten", "rollen", "wellen", "ringe", "sensoren", "pumpen",
    "ventile", "filter", "motoren", "antriebe", "schalter", "leitungen", "verbindungen",
    "lager", "profile", "rohre", "bleche", "folien", "beschichtung", "veredelung",
)  # fmt: skip
DE_ADJECTIVES = (
    "neue", "modulare", "robuste", "kompakte", "effiziente", "langlebige", "präzise",
    "flexible", "nachhaltige", "digitale", "innovative", "bewährte", "leistungsstarke",
    "individuelle", "zuverlässige", "wartungsarme", "leichte", "sichere", "intelligente",
    "vernetzte", "energiesparende", "hochwertige", "zertifizierte", "regionale",
    "internationale", "automatisierte", "maßgeschneiderte", "kundenspezifische",
)  # fmt: skip
DE_VERBS = (
    "entwickelt", "fertigt", "liefert", "plant", "prüft", "montiert", "vertreibt", "optimiert",
    "betreut", "konstruiert", "produziert", "integriert", "modernisiert", "wartet",
    "verbessert", "testet", "beschafft", "bearbeitet", "veredelt", "verpackt", "lagert",
)  # fmt: skip
DE_SUBJECTS = (
    "Unser Team", "Die Abteilung", "Das Werk", "Unsere Fertigung", "Der Standort",
    "Die Geschäftsführung", "Unser Vertrieb", "Das Labor", "Die Konstruktion", "Jedes Projekt",
    "Der Service", "Unser Einkauf", "Die Entwicklung", "Das Familienunternehmen",
)  # fmt: skip
DE_OBJECT_ARTICLES = ("die", "unsere", "alle", "viele", "moderne", "eigene")
DE_PREPOSITIONS = ("für", "mit", "in", "aus", "nach", "bei", "seit", "ohne", "gegen", "über")
DE_CONNECTORS = (
    "und", "sowie", "damit", "weil", "obwohl", "während", "sodass", "wobei", "bevor", "nachdem",
)  # fmt: skip
DE_TAILS = (
    "im ganzen Land", "weltweit", "seit vielen Jahren", "in kurzer Zeit", "nach Maß",
    "in Serie", "auf Anfrage", "rund um die Uhr", "mit hoher Qualität", "zu fairen Preisen",
    "für anspruchsvolle Anwendungen", "nach DIN EN ISO 9001", "direkt ab Werk",
)  # fmt: skip

EN_MODIFIERS = (
    "drive", "machine", "tool", "vehicle", "plant", "precision", "plastic", "metal", "steel",
    "aluminium", "electrical", "measuring", "control", "conveyor", "packaging", "food",
    "medical", "energy", "water", "environmental", "logistics", "storage", "building", "wood",
    "glass", "textile", "paper", "printing", "surface", "welding", "hydraulic", "pneumatic",
    "sensor", "software", "data", "network", "safety", "test", "lab", "filter", "pump",
    "valve", "gearbox", "motor", "lighting", "cable", "cooling", "heating", "solar", "wind",
    "battery", "coating", "casting", "milling", "turning", "stamping", "assembly", "service",
    "spare part", "custom", "industrial", "quality", "automation", "robotics", "sealing",
)  # fmt: skip
EN_NOUNS = (
    "systems", "solutions", "components", "modules", "devices", "parts", "assemblies",
    "housings", "brackets", "plates", "rollers", "shafts", "rings", "sensors", "pumps",
    "valves", "filters", "motors", "drives", "switches", "lines", "connectors", "bearings",
    "profiles", "tubes", "sheets", "films", "coatings", "units", "platforms", "kits",
    "controllers", "interfaces", "frames", "panels", "enclosures", "actuators", "fittings",
)  # fmt: skip
EN_ADJECTIVES = (
    "new", "modular", "robust", "compact", "efficient", "durable", "precise", "flexible",
    "sustainable", "digital", "innovative", "proven", "powerful", "tailored", "reliable",
    "low-maintenance", "lightweight", "secure", "smart", "connected", "energy-saving",
    "high-quality", "certified", "regional", "global", "automated", "bespoke", "rugged",
)  # fmt: skip
EN_VERBS = (
    "develops", "builds", "delivers", "designs", "tests", "assembles", "sells", "optimises",
    "supports", "engineers", "produces", "integrates", "upgrades", "maintains", "improves",
    "validates", "sources", "machines", "finishes", "packs", "stores", "ships",
)  # fmt: skip
EN_SUBJECTS = (
    "Our team", "The department", "The plant", "Our factory", "The site", "Management",
    "Our sales team", "The laboratory", "Engineering", "Every project", "Our service desk",
    "Procurement", "Research and development", "The family business", "Each of our engineers",
)  # fmt: skip
EN_OBJECT_ARTICLES = ("the", "our", "all", "many", "modern", "its own")
EN_PREPOSITIONS = ("for", "with", "in", "from", "to", "at", "since", "without", "across")
EN_CONNECTORS = (
    "and", "while", "so that", "because", "although", "whereas", "before", "after", "since",
)  # fmt: skip
EN_TAILS = (
    "across the country", "worldwide", "for many years", "in record time", "to measure",
    "in series", "on request", "around the clock", "to the highest standards",
    "at fair prices", "for demanding applications", "to ISO 9001", "straight from the factory",
)  # fmt: skip

SURNAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Schäfer",
    "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Braun",
    "Zimmermann", "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler",
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker",
    "Wright", "Thompson", "Hughes", "Green", "Hall", "Clarke", "Jackson", "Harris", "Baker",
    "Dubois", "Martin", "Bernard", "Janssen", "de Vries", "Bakker", "Rossi", "Ferrari",
    "García", "Fernández", "Novak", "Kowalski", "Nielsen", "Andersson", "Tanaka", "Silva",
)  # fmt: skip
CITY_FIRST = ("Neu", "Alt", "Ober", "Unter", "Groß", "Klein", "Bad ", "Nord", "Süd", "West",
              "Ost", "Hohen", "Mittel", "Nieder", "Rhein", "Wald", "Berg", "Sankt ")  # fmt: skip
CITY_LAST = ("burg", "dorf", "stadt", "hausen", "heim", "feld", "berg", "brück", "hagen",
             "kirchen", "stein", "bach", "au", "tal", "rode", "ingen", "furt", "hofen",
             "ford", "ton", "field", "bridge", "port", "bury", "wick", "mouth")  # fmt: skip
MONTHS = {
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip

DE_COMPOUNDS = tuple(stem + head for stem, head in product(DE_STEMS, DE_HEADS))
EN_COMPOUNDS = tuple(f"{mod} {noun}" for mod, noun in product(EN_MODIFIERS, EN_NOUNS))
#: Syllables of invented brand names (~5,000 distinct), hence ~10^7 two-syllable brands.
SYLLABLES = tuple(o + v + c for o, v, c in product(ONSETS, VOWELS, CODAS))
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "í": "i",
                         "á": "a"})  # fmt: skip


class Words:
    """Draws words, names and sentences in one language from the caller's generator."""

    def __init__(self, rng: random.Random, lang: str) -> None:
        self.rng, self.lang = rng, lang
        de = lang == "de"
        self.compounds = DE_COMPOUNDS if de else EN_COMPOUNDS
        self.adjectives = DE_ADJECTIVES if de else EN_ADJECTIVES
        self.verbs = DE_VERBS if de else EN_VERBS
        self.subjects = DE_SUBJECTS if de else EN_SUBJECTS
        self.articles = DE_OBJECT_ARTICLES if de else EN_OBJECT_ARTICLES
        self.prepositions = DE_PREPOSITIONS if de else EN_PREPOSITIONS
        self.connectors = DE_CONNECTORS if de else EN_CONNECTORS
        self.tails = DE_TAILS if de else EN_TAILS

    def pick(self, options: tuple[str, ...]) -> str:
        """``rng.choice`` in a third of its time (words are most of the generator's work)."""
        return options[int(self.rng.random() * len(options))]

    def brand(self) -> str:
        """An invented brand: two or three syllables, capitalised."""
        rng = self.rng
        return "".join(rng.choices(SYLLABLES, k=2 + (rng.random() < 0.3))).capitalize()

    def city(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return rng.choice(CITY_FIRST) + rng.choice(CITY_LAST)
        return rng.choice(SYLLABLES).capitalize() + rng.choice(CITY_LAST)

    def thing(self) -> str:
        """A product class: a German compound or an English noun phrase."""
        return self.compounds[int(self.rng.random() * len(self.compounds))]

    def product(self) -> str:
        """A named product: brand, model number, product class."""
        rng = self.rng
        model = f"{rng.choice(SYLLABLES)[:2].upper()}-{rng.randrange(10, 9999)}"
        return f"{self.brand()} {model} {self.thing().capitalize() if self.lang == 'en' else self.thing()}"  # noqa: E501

    def sentence(self, tail: str = "") -> str:
        """One declarative sentence, 9-25 words; ``tail`` (e.g. a link) is woven in."""
        rng = self.rng
        choice = self.pick
        words = [
            choice(self.subjects),
            choice(self.verbs),
            choice(self.articles),
            choice(self.adjectives),
            self.thing(),
            choice(self.prepositions),
            self.thing() if rng.random() < 0.6 else self.city(),
        ]
        if rng.random() < 0.6:
            words += [choice(self.connectors), choice(self.articles), self.thing(),
                      choice(self.verbs), choice(self.tails)]  # fmt: skip
        else:
            words.append(choice(self.tails))
        if rng.random() < 0.35:
            words.insert(2, str(rng.randrange(3, 4000)))
        if tail:
            words.insert(rng.randrange(3, len(words)), tail)
        return " ".join(words) + ("." if rng.random() < 0.9 else "!")

    def sentences(self, count: int) -> str:
        return " ".join(self.sentence() for _ in range(count))

    def heading(self) -> str:
        rng = self.rng
        return f"{rng.choice(self.adjectives).capitalize()} {self.thing()}"

    def date(self) -> str:
        rng = self.rng
        month = rng.choice(MONTHS[self.lang])
        return f"{rng.randrange(1, 29)}. {month} {rng.randrange(2008, 2025)}"

    def slug(self, words: int = 3) -> str:
        """A URL path segment: lower-case, ASCII, hyphenated, drawn afresh."""
        rng = self.rng
        parts = [self.thing() if rng.random() < 0.5 else self.pick(SYLLABLES)
                 for _ in range(words)]  # fmt: skip
        text = "-".join(parts).lower().translate(UMLAUTS).replace(" ", "-")
        return text if rng.random() < 0.7 else f"{text}-{rng.randrange(1, 99999)}"
