"""The synthetic economy: seed companies, outside organisations, and who says what about whom.

Every relation here is what the *source* site presents about the target (DESIGN.md), and the
site generator writes exactly these links, so ``ground_truth.csv`` is the answer key for the
pipeline's ``company_links`` and ``link_graph`` on the sample crawl. All firms are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Firm:
    company_id: str
    name: str
    domains: tuple[str, ...]
    country: str
    lang: str
    kind: str  # maker, software, logistics, dealer, investor, association, funder, ...
    city: str
    seed: bool = True

    @property
    def primary_domain(self) -> str:
        return self.domains[0]

    @property
    def short(self) -> str:
        """The name without legal form, as people write it in running text."""
        for form in (" GmbH & Co. KG", " GmbH", " AG", " SE", " KG", " Inc.", " Ltd.", " B.V."):
            if self.name.endswith(form):
                return self.name[: -len(form)]
        return self.name.removesuffix(" S.A.").removesuffix(" plc").removesuffix(" e.V.")


def _parse(table: str, *, seed: bool) -> tuple[Firm, ...]:
    """Rows ``id|name|domains|country|lang|kind|city`` (domains ``;``-separated)."""
    firms = []
    for line in table.strip().splitlines():
        cid, name, domains, country, lang, kind, city = line.split("|")
        firms.append(Firm(cid, name, tuple(domains.split(";")), country, lang, kind, city, seed))
    return tuple(firms)


SEEDS: tuple[Firm, ...] = _parse(
    """
C01|Brunnhuber Antriebstechnik GmbH|brunnhuber-antriebe.de;brunnhuber.com|DE|de|maker|Augsburg
C02|Kessler & Voss Fahrzeugtechnik AG|kessler-voss.de|DE|de|maker|Stuttgart
C03|Rheinauer Stahlguss GmbH & Co. KG|rheinauer-stahlguss.de|DE|de|maker|Duisburg
C04|Lindqvist Sensorik SE|lindqvist-sensorik.de;lindqvist-sensors.com|DE|de|maker|Jena
C05|Halvorsen Motion Systems Ltd.|halvorsen-motion.co.uk|GB|en|maker|Sheffield
C06|Meridian Precision Components Inc.|meridianprecision.com|US|en|maker|Cleveland
C07|Van der Berg Kunststoffen B.V.|vanderberg-kunststoffen.nl|NL|en|maker|Eindhoven
C08|Ostwald Elektronik GmbH|ostwald-elektronik.de|DE|de|maker|Chemnitz
C09|Talbot Fluid Power plc|talbotfluidpower.co.uk|GB|en|maker|Leeds
C10|Iberflex Componentes S.A.|iberflex.es|ES|en|maker|Zaragoza
C11|Hagedorn Maschinenbau GmbH|hagedorn-maschinenbau.de;hagedorn-machines.com|DE|de|maker|Bielefeld
C12|Feldkamp Automation AG|feldkamp-automation.de|DE|de|maker|Karlsruhe
C13|Schönau Werkzeugbau GmbH|schoenau-werkzeugbau.de|DE|de|maker|Lüdenscheid
C14|Northgate Robotics Inc.|northgaterobotics.com|US|en|maker|Pittsburgh
C15|Bergmann Hydraulik GmbH & Co. KG|bergmann-hydraulik.de|DE|de|maker|Siegen
C16|Alpenland Fördertechnik GmbH|alpenland-foerdertechnik.at|AT|de|maker|Linz
C17|Corvana Chemie AG|corvana-chemie.de;corvana.com|DE|de|maker|Ludwigshafen
C18|Elbtal Polymere GmbH|elbtal-polymere.de|DE|de|maker|Dresden
C19|Aurelia Coatings S.A.|aurelia-coatings.fr|FR|en|maker|Lyon
C20|Westbridge Materials plc|westbridge-materials.com|GB|en|maker|Bristol
C21|Datenwerk Systemhaus GmbH|datenwerk-systemhaus.de|DE|de|software|Leipzig
C22|Quantix Software AG|quantix-software.de;quantix.io|DE|de|software|Berlin
C23|Brightlane Analytics Ltd.|brightlane-analytics.co.uk|GB|en|software|Manchester
C24|Cloudreef Technologies Inc.|cloudreef.com|US|en|software|Austin
C25|Nordlicht IT-Services GmbH|nordlicht-it.de|DE|de|software|Kiel
C26|Spedition Haberl GmbH & Co. KG|haberl-logistik.de|DE|de|logistics|Regensburg
C27|Transmar Shipping B.V.|transmar-shipping.nl|NL|en|logistics|Rotterdam
C28|Kranich Lagerlogistik GmbH|kranich-lager.de|DE|de|logistics|Hannover
C29|Technikhandel Sommer GmbH|technikhandel-sommer.de|DE|de|dealer|Ulm
C30|Industriebedarf Roth KG|roth-industriebedarf.de|DE|de|dealer|Kassel
C31|ProMech Distribution Ltd.|promech-distribution.co.uk|GB|en|dealer|Birmingham
C32|Solvita Energie SE|solvita-energie.de|DE|de|energy|Freiburg
C33|Greenfield Power Inc.|greenfieldpower.com|US|en|energy|Denver
C34|Baumeister Facility Services GmbH|baumeister-facility.de|DE|de|services|Köln
C35|Kellermann Lebensmittelwerke AG|kellermann-lebensmittel.de|DE|de|food|Bremen
C36|Ferrant Packaging S.A.|ferrant-packaging.es|ES|en|maker|Valencia
C37|Rheintal Capital Partners GmbH|rheintal-capital.de|DE|de|investor|Frankfurt am Main
C38|Northstar Ventures Ltd.|northstar-ventures.com|GB|en|investor|London
C39|Hanse Beteiligungs AG|hanse-beteiligungen.de|DE|de|investor|Hamburg
C40|Atlas Industrial Holdings Inc.|atlasindustrial.com|US|en|investor|Chicago
C41|Verband Antriebstechnik und Automation e.V.|vata-verband.de|DE|de|association|Frankfurt am Main
C42|Industrie- und Handelskammer Mittelrhein-Lahn|ihk-mittelrhein-lahn.de|DE|de|association|Koblenz
C43|Qualitas Zertifizierung GmbH|qualitas-cert.de|DE|de|certifier|Essen
C44|Automotive Cluster Baden e.V.|automotive-cluster-baden.de|DE|de|association|Mannheim
C45|European Fluid Power Association|efpa-association.eu|BE|en|association|Brussels
C46|Deutsche Logistik-Initiative e.V.|dli-logistik.de|DE|de|association|Bremen
""",
    seed=True,
)

# Organisations that are linked to but are not seed companies (unknown registered domains).
OUTSIDERS: tuple[Firm, ...] = _parse(
    """
X01|Stadtwerke Kornbach|stadtwerke-kornbach.de|DE|de|utility|Kornbach
X02|Gießerei Ahlen GmbH|giesserei-ahlen.de|DE|de|maker|Ahlen
X03|Pacific Rim Trading Co.|pacificrim-trading.com|US|en|dealer|Seattle
X04|Hochschule Rheinau|hs-rheinau.de|DE|de|research|Rheinau
X05|Förderbank Rheinland|foerderbank-rheinland.de|DE|de|funder|Düsseldorf
X06|European Innovation Fund|eu-innovationfund.eu|BE|en|funder|Brussels
X07|Mittelstandsverbund Süd e.V.|mittelstandsverbund-sued.de|DE|de|association|München
X08|Harbour Retail Group Ltd.|harbour-retail.co.uk|GB|en|retail|Glasgow
""",
    seed=False,
)

# (source, target, relation): what the source's website says about the target.
RELATIONS: tuple[tuple[str, str, str], ...] = (
    # ownership: parents list subsidiaries, subsidiaries name parents, funds list holdings
    ("C40", "C06", "ownership"), ("C40", "C14", "ownership"), ("C06", "C40", "ownership"),
    ("C14", "C40", "ownership"), ("C17", "C18", "ownership"), ("C18", "C17", "ownership"),
    ("C11", "C13", "ownership"), ("C11", "C16", "ownership"), ("C13", "C11", "ownership"),
    ("C02", "C10", "ownership"), ("C10", "C02", "ownership"), ("C39", "C28", "ownership"),
    ("C39", "C30", "ownership"), ("C39", "C04", "ownership"), ("C37", "C12", "ownership"),
    ("C37", "C22", "ownership"), ("C38", "C22", "ownership"), ("C38", "C23", "ownership"),
    ("C38", "C24", "ownership"),
    # investor: companies name investors and funders
    ("C12", "C37", "investor"), ("C22", "C38", "investor"), ("C22", "C37", "investor"),
    ("C23", "C38", "investor"), ("C24", "C38", "investor"), ("C04", "C39", "investor"),
    ("C28", "C39", "investor"), ("C32", "X05", "investor"), ("C25", "X05", "investor"),
    ("C21", "X06", "investor"), ("C19", "X06", "investor"),
    # supplier: suppliers, manufacturers and brands a firm buys or carries
    ("C02", "C01", "supplier"), ("C02", "C03", "supplier"), ("C02", "C04", "supplier"),
    ("C02", "C08", "supplier"), ("C02", "C07", "supplier"), ("C01", "C03", "supplier"),
    ("C01", "C08", "supplier"), ("C11", "C15", "supplier"), ("C11", "C08", "supplier"),
    ("C11", "C12", "supplier"), ("C11", "C05", "supplier"), ("C29", "C11", "supplier"),
    ("C29", "C15", "supplier"), ("C29", "C12", "supplier"), ("C30", "C15", "supplier"),
    ("C30", "C09", "supplier"), ("C30", "C13", "supplier"), ("C31", "C09", "supplier"),
    ("C31", "C05", "supplier"), ("C31", "C14", "supplier"), ("C35", "C36", "supplier"),
    ("C36", "C18", "supplier"), ("C36", "C20", "supplier"), ("C19", "C17", "supplier"),
    ("C06", "C20", "supplier"), ("C12", "C04", "supplier"), ("C12", "C08", "supplier"),
    ("C03", "X02", "supplier"),
    # customer: clients and reference customers a firm presents
    ("C01", "C02", "customer"), ("C01", "C11", "customer"), ("C03", "C01", "customer"),
    ("C03", "C15", "customer"), ("C04", "C02", "customer"), ("C04", "C12", "customer"),
    ("C04", "C14", "customer"), ("C08", "C02", "customer"), ("C08", "C11", "customer"),
    ("C08", "C12", "customer"), ("C07", "C02", "customer"), ("C07", "C35", "customer"),
    ("C15", "C11", "customer"), ("C15", "C16", "customer"), ("C21", "C11", "customer"),
    ("C21", "C26", "customer"), ("C21", "C34", "customer"), ("C21", "X01", "customer"),
    ("C23", "C20", "customer"), ("C23", "C09", "customer"), ("C24", "C06", "customer"),
    ("C24", "C33", "customer"), ("C26", "C17", "customer"), ("C26", "C35", "customer"),
    ("C26", "C11", "customer"), ("C27", "C17", "customer"), ("C27", "C20", "customer"),
    ("C25", "C28", "customer"), ("C25", "C30", "customer"), ("C34", "C32", "customer"),
    ("C34", "C17", "customer"), ("C18", "C36", "customer"), ("C13", "C02", "customer"),
    ("C20", "C06", "customer"), ("C20", "C36", "customer"), ("C31", "X08", "customer"),
    ("C36", "X03", "customer"),
    # partner: undirected cooperation, stated by one or both sides
    ("C22", "C21", "partner"), ("C21", "C22", "partner"), ("C24", "C22", "partner"),
    ("C22", "C24", "partner"), ("C12", "C14", "partner"), ("C14", "C12", "partner"),
    ("C05", "C09", "partner"), ("C09", "C05", "partner"), ("C26", "C27", "partner"),
    ("C27", "C26", "partner"), ("C32", "C33", "partner"), ("C23", "C24", "partner"),
    ("C25", "C24", "partner"), ("C04", "X04", "partner"), ("C17", "X04", "partner"),
    # membership: associations, chambers, clusters, certification bodies
    ("C01", "C41", "membership"), ("C11", "C41", "membership"), ("C12", "C41", "membership"),
    ("C15", "C41", "membership"), ("C04", "C41", "membership"), ("C01", "C42", "membership"),
    ("C08", "C42", "membership"), ("C13", "C42", "membership"), ("C26", "C42", "membership"),
    ("C28", "C42", "membership"), ("C03", "C43", "membership"), ("C11", "C43", "membership"),
    ("C17", "C43", "membership"), ("C15", "C43", "membership"), ("C02", "C44", "membership"),
    ("C01", "C44", "membership"), ("C04", "C44", "membership"), ("C08", "C44", "membership"),
    ("C05", "C45", "membership"), ("C09", "C45", "membership"), ("C15", "C45", "membership"),
    ("C26", "C46", "membership"), ("C27", "C46", "membership"), ("C28", "C46", "membership"),
    ("C41", "C45", "membership"), ("C29", "X07", "membership"), ("C30", "X07", "membership"),
)  # fmt: skip


def firms_by_id() -> dict[str, Firm]:
    return {firm.company_id: firm for firm in (*SEEDS, *OUTSIDERS)}


def relations_of(company_id: str) -> list[tuple[str, str]]:
    """(target id, relation) pairs the company's site states, in a stable order."""
    return [(dst, rel) for src, dst, rel in RELATIONS if src == company_id]
