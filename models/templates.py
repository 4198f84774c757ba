"""More varied training contexts (issue 15): logo walls, misleading cues and prose, EN + DE.

The generated (``extraction.synthetic``) and hand-written rows taught the model to trust the
heading and the page path: on real pages the sentence often contradicts them (a supplier
named on a references page, "partner" for a client, a careers link in the footer of a
customers page). These templates pair each label's sentences with the headings and paths
of *other* labels, put bare names and ``img alt`` anchors under list headings with no
sentence, and link non-business targets (:mod:`extraction.targets`) from every kind of page.

Written for training only, from domain knowledge, without reading the hard split
(``handwritten_hard_eval.jsonl``); a test asserts that no sentence and no target domain
of it occurs here. Frames are split by index: every fourth frame, heading and firm name
stem belongs to ``dev`` only, so dev measures unseen wording (used for tuning).
"""

from __future__ import annotations

import random
from functools import lru_cache

from extraction.labels import RELATION_LABELS

#: Rows per (label, kind, language) and split.
ROWS = {"train": 24, "dev": 4}

_STEMS = [
    "Aldwick",
    "Arnsberg",
    "Brenntal",
    "Corvana",
    "Dellmark",
    "Espera",
    "Falkwood",
    "Gerstner",
    "Hainbach",
    "Irwell",
    "Jostal",
    "Kranich",
    "Lomond",
    "Mittenwald",
    "Norrland",
    "Oberweis",
    "Pallant",
    "Quendel",
    "Rosskamp",
    "Selwyn",
    "Thurnau",
    "Ulmental",
    "Varnholt",
    "Wexford",
    "Ysenburg",
    "Zellner",
    "Albrook",
    "Birkenfeld",
    "Calder",
    "Dunstan",
    "Eichwald",
    "Fernau",
    "Glenwood",
    "Holmberg",
    "Ibbotson",
    "Jaegerhof",
    "Kelbra",
    "Larchmont",
    "Moorfeld",
    "Nettlebed",
    "Orwell",
    "Pfaffing",
    "Quarry",
    "Redlake",
    "Staufen",
    "Tamworth",
    "Unterberg",
    "Vennhof",
    "Wolfach",
    "Yarrow",
]
_SECTORS = {
    "de": [
        "Metallbau",
        "Kunststofftechnik",
        "Logistik",
        "Elektronik",
        "Verpackung",
        "Lebensmittel",
        "Antriebe",
        "Werkzeugbau",
        "Anlagenbau",
        "Haustechnik",
        "Textil",
        "Möbelwerk",
        "Chemie",
        "Druckerei",
        "Glastechnik",
    ],
    "en": [
        "Engineering",
        "Plastics",
        "Logistics",
        "Electronics",
        "Packaging",
        "Foods",
        "Drives",
        "Tooling",
        "Systems",
        "Fabrication",
        "Textiles",
        "Furniture",
        "Chemicals",
        "Printing",
        "Glassworks",
    ],
}
_SUFFIX = {"de": ("GmbH", "AG", "KG", "", "", ""), "en": ("Ltd", "Inc.", "plc", "", "", "")}
_TLD = {"de": (".de", ".at", ".ch", ".de"), "en": (".co.uk", ".com", ".com", ".ie")}

# Sentences per label and language; {n} is the target's name, {s} the source's own (as a
# site names itself: "X runs Aldwick software"). Each states the relation in the sentence
# itself, often with a misleading word nearby.
FRAMES: dict[str, dict[str, list[str]]] = {
    "customer": {
        "en": [
            "{n} has ordered another batch of our control cabinets for its new plant.",
            "We look after the complete fleet maintenance of {n}.",
            "Our long-standing partner {n} buys its entire stock of gaskets from us.",
            "{n} awarded us its Preferred Supplier status this year.",
            "For {n} we designed and installed a new conveyor line in 2022.",
            "The team at {n} relies on our software to plan its shifts.",
            "Working for {n} since 2011, we deliver fresh produce to all of their outlets.",
            "{n} chose us to refurbish the heating in their headquarters.",
            "We are proud to count {n} among our clients.",
            "Thanks to {n} for trusting us with the rollout across 40 branches.",
            "Our engineers commissioned the cooling system at {n}'s data centre.",
            "Every year we print the annual report of {n}.",
            "{n} now runs {s} software in all of its depots.",
            "After a two-year pilot, {n} rolled out {s} sensors across its network.",
            "{n} came to us with a tight deadline and a difficult site.",
            "The new canteen at {n} was fitted out by our joinery team.",
            "{s} has been the sole caterer at {n} since 2017.",
            "We were appointed by {n} to maintain its lifts for another five years.",
            "A repeat order from {n} keeps our second shift busy until spring.",
            "{n} put its trust in {s} for the refurbishment of its flagship store.",
        ],
        "de": [
            "{n} hat bei uns erneut Schaltschränke für das neue Werk bestellt.",
            "Wir betreuen den gesamten Fuhrpark der {n}.",
            "Unser langjähriger Partner {n} kauft sämtliche Dichtungen bei uns ein.",
            "{n} hat uns als Lieferant des Jahres ausgezeichnet.",
            "Für die {n} haben wir 2022 eine neue Förderanlage geplant und montiert.",
            "Die Disposition der {n} arbeitet täglich mit unserer Software.",
            "Seit 2011 beliefern wir alle Filialen der {n} mit frischer Ware.",
            "Im Auftrag der {n} sanierten wir die Heizung der Zentrale.",
            "Zu unseren Auftraggebern zählt auch die {n}.",
            "Danke an {n} für das Vertrauen beim Rollout in 40 Niederlassungen.",
            "Unsere Monteure haben bei {n} die Kühlung des Rechenzentrums in Betrieb genommen.",
            "Jedes Jahr drucken wir den Geschäftsbericht der {n}.",
            "{n} setzt die Software von {s} inzwischen an allen Standorten ein.",
            "Nach einer Testphase hat {n} die Sensoren von {s} in allen Werken eingeführt.",
            "Für die neue Zentrale von {n} lieferten und montierten wir 2.000 m² Glasfassade.",
            "{n} hat {s} mit der Wartung aller Aufzüge beauftragt.",
            "Seit 2017 kocht {s} täglich für die Kantine der {n}.",
            "Ein Folgeauftrag der {n} lastet unsere zweite Schicht bis zum Frühjahr aus.",
            "Die Filialen der {n} erhalten jede Woche frische Ware aus unserer Backstube.",
            "Mit {n} haben wir einen Dreijahresvertrag: Wir liefern, sie verbauen.",
        ],
    },
    "supplier": {
        "en": [
            "All the aluminium profiles we use are extruded by {n}.",
            "Our partner {n} manufactures the motors that go into every unit.",
            "We source our organic flour from {n}.",
            "The electronics inside are supplied by {n} under a framework contract.",
            "We are an authorised dealer for {n} and stock their full range.",
            "Our raw timber is bought from {n}, a sawmill two valleys away.",
            "The packaging film comes from {n}.",
            "We rely on {n} for the bearings in all our gearboxes.",
            "As a certified reseller we sell the machines of {n}.",
            "Coffee in our cafés is roasted for us by {n}.",
            "Spare parts are delivered to us by {n} within 24 hours.",
            "Our servers are hosted by {n} in a data centre in Frankfurt.",
            "Every {s} kettle is fitted with a thermostat made by {n}.",
            "The steel for our frames is rolled by {n} in Wales.",
            "We have bought our resin from {n} for over a decade.",
            "{s} runs on cloud servers rented from {n}.",
            "The glass for the new range comes from {n}.",
            "Our cheese is made for us by {n}, a dairy in the next valley.",
            "{n} delivers the printed circuit boards for our controllers every week.",
            "Our payroll is handled by {n}.",
        ],
        "de": [
            "Die Aluprofile, die wir verarbeiten, presst {n} für uns.",
            "Unser Partner {n} fertigt die Motoren für jedes Gerät.",
            "Das Biomehl beziehen wir von {n}.",
            "Die Elektronik liefert {n} im Rahmen eines Rahmenvertrags.",
            "Als autorisierter Fachhändler führen wir das komplette Sortiment von {n}.",
            "Unser Rundholz kaufen wir beim Sägewerk {n} ein.",
            "Die Verpackungsfolie stammt von {n}.",
            "Bei den Lagern für unsere Getriebe setzen wir auf {n} als Zulieferer.",
            "Als Vertragshändler verkaufen wir die Maschinen von {n}.",
            "Den Kaffee für unsere Cafés röstet {n} für uns.",
            "Ersatzteile erhalten wir von {n} innerhalb von 24 Stunden.",
            "Unsere Server stehen bei {n}, unserem Hosting-Dienstleister in Frankfurt.",
            "Jeder Wasserkocher von {s} hat einen Thermostat von {n}.",
            "Den Stahl für unsere Rahmen walzt {n} im Saarland.",
            "Das Harz kaufen wir seit über zehn Jahren bei {n}.",
            "{s} läuft auf Servern, die wir bei {n} mieten.",
            "Das Glas der neuen Serie kommt von {n}.",
            "Der Käse wird für uns von {n} hergestellt, einer Sennerei im Nachbartal.",
            "{n} liefert jede Woche die Leiterplatten für unsere Steuerungen.",
            "Die Lohnabrechnung übernimmt für uns {n}.",
        ],
    },
    "partner": {
        "en": [
            "In France our products are sold and serviced by {n}, our exclusive distributor.",
            "Together with {n} we offer joint training courses for installers.",
            "We co-develop the next sensor generation with the research team of {n}.",
            "{n} integrates our API into its platform, so users get both in one place.",
            "Our cooperation with {n} means customers get planning and build from one desk.",
            "{n} represents us as sales agent in the Nordic countries.",
            "With {n} we have formed a consortium for the motorway tender.",
            "Technical support for the pilot came from the engineers of {n}.",
            "We share a showroom with {n}, whose furniture complements our kitchens.",
            "{n} is our certified implementation partner for Benelux.",
            "A joint venture with {n} builds the new recycling plant.",
            "Customers in Spain can buy our valves through {n}.",
            "{n} sells and services {s} machines in Poland.",
            "With {n} we run a joint service desk for customers in both our markets.",
            "{n} resells our platform in the Middle East.",
            "Our engineers and those of {n} share a lab in Eindhoven.",
            "{n} and {s} offer a bundled package for new installers.",
            "In Austria, {n} acts as our local representative.",
            "We exchange capacity with {n} when either of us is fully booked.",
            "{n} builds the apps, we build the hardware: a cooperation since 2019.",
        ],
        "de": [
            "In Frankreich vertreibt und betreut {n} als Exklusivhändler unsere Produkte.",
            "Gemeinsam mit {n} bieten wir Schulungen für Installateure an.",
            "Mit dem Forschungsteam von {n} entwickeln wir die nächste Sensorgeneration.",
            "{n} bindet unsere Schnittstelle in die eigene Plattform ein.",
            "Durch die Kooperation mit {n} erhalten Kunden Planung und Bau aus einer Hand.",
            "{n} vertritt uns als Handelsvertretung in Skandinavien.",
            "Mit {n} haben wir eine Bietergemeinschaft für die Ausschreibung gebildet.",
            "Technische Unterstützung beim Pilotprojekt leisteten die Ingenieure von {n}.",
            "Wir teilen uns einen Schauraum mit {n}, deren Möbel unsere Küchen ergänzen.",
            "{n} ist unser zertifizierter Umsetzungspartner für die Schweiz.",
            "In einem Gemeinschaftsunternehmen mit {n} entsteht die neue Recyclinganlage.",
            "Kunden in Italien erhalten unsere Ventile über {n}.",
            "{n} verkauft und betreut die Maschinen von {s} in Polen.",
            "Mit {n} betreiben wir eine gemeinsame Servicehotline für Kunden beider Märkte.",
            "{n} vertreibt unsere Plattform im Nahen Osten.",
            "Unsere Ingenieure und die von {n} teilen sich ein Labor in Graz.",
            "{n} und {s} bieten Installateuren ein gemeinsames Paket an.",
            "In der Schweiz ist {n} unsere Vertretung vor Ort.",
            "Sind wir ausgelastet, hilft {n} mit Kapazität aus, und umgekehrt.",
            "{n} entwickelt die Apps, wir die Hardware: eine Kooperation seit 2019.",
        ],
    },
    "ownership": {
        "en": [
            "We are a subsidiary of {n}.",
            "{n} bought the company from the founding family in 2018.",
            "Our sister company {n} handles all service contracts.",
            "In 2023 we took over {n}, which now trades as our Irish branch.",
            "The business belongs to {n}, our parent company.",
            "{n} is a wholly owned subsidiary of ours.",
            "Since the merger we have been part of {n}.",
            "We acquired a majority stake in {n} last spring.",
            "Our partners at {n} own the company outright.",
            "{n} was spun out of our research department and is fully owned by us.",
            "One of the {n} family of companies.",
            "The acquisition of {n} adds two factories to our group.",
            "{s} was acquired by {n} in 2021.",
            "{n}, which we bought in 2019, now makes all of our castings.",
            "Since January {n} has been part of the {s} group.",
            "{n} is our service arm for the Nordic market.",
            "The family sold the business to {n}, which still owns it.",
            "{n} holds 100 percent of the shares in {s}.",
            "Our Austrian branch, {n}, opened in Linz this year.",
            "With the purchase of {n} we add a second plant.",
        ],
        "de": [
            "Wir sind ein Tochterunternehmen der {n}.",
            "{n} hat das Unternehmen 2018 von der Gründerfamilie übernommen.",
            "Unsere Schwestergesellschaft {n} kümmert sich um alle Serviceverträge.",
            "2023 haben wir {n} übernommen, heute unsere Niederlassung in Tirol.",
            "Der Betrieb gehört zur {n}, unserer Muttergesellschaft.",
            "{n} ist eine hundertprozentige Tochter unseres Hauses.",
            "Seit der Fusion sind wir Teil der {n}.",
            "Im Frühjahr haben wir die Mehrheit an {n} erworben.",
            "Alleinige Gesellschafterin ist die {n}.",
            "{n} ist eine Ausgründung unserer Forschung und gehört vollständig uns.",
            "Ein Unternehmen der {n}.",
            "Mit dem Kauf der {n} kommen zwei Werke zur Gruppe hinzu.",
            "{s} wurde 2021 von {n} übernommen.",
            "{n}, die wir 2019 gekauft haben, fertigt heute alle unsere Gussteile.",
            "Seit Januar gehört {n} zur {s} Gruppe.",
            "{n} ist unsere Servicetochter für Skandinavien.",
            "Die Familie hat den Betrieb an {n} verkauft, der er bis heute gehört.",
            "{n} hält 100 Prozent der Anteile an {s}.",
            "Unsere österreichische Niederlassung {n} hat in Linz eröffnet.",
            "Mit dem Erwerb der {n} kommt ein zweites Werk hinzu.",
        ],
    },
    "investor": {
        "en": [
            "{n} led our seed round.",
            "Our growth is backed by {n}, which holds a minority stake.",
            "The project is funded by a grant from {n}.",
            "We closed our Series B with {n} as lead investor.",
            "With support from {n} we financed the new production hall.",
            "{n} has invested in us since 2019.",
            "Financial support for this research came from {n}.",
            "Our partners at {n} provided the venture capital for the launch.",
            "A low-interest loan from {n} funded the new machines.",
            "The new plant was co-financed by {n}.",
            "{n} joined the round alongside our existing shareholders.",
            "This product received funding from {n}.",
            "{n} lent us the money for the new kiln.",
            "{s} raised a seed round from {n} in 2022.",
            "{n} put €3 million into {s} last year.",
            "A grant of £150,000 from {n} supports the trial.",
            "{n} is a silent partner with a 15 percent stake.",
            "The expansion was made possible by a development loan from {n}.",
            "{n} followed on in our Series A after backing us at seed.",
            "Our R&D programme is co-funded by {n}.",
        ],
        "de": [
            "{n} hat unsere Seed-Runde angeführt.",
            "Unser Wachstum finanziert {n}, die eine Minderheitsbeteiligung hält.",
            "Das Projekt wird durch {n} gefördert.",
            "Die Finanzierungsrunde schlossen wir mit {n} als Leadinvestor ab.",
            "Mit Unterstützung von {n} konnten wir die neue Halle finanzieren.",
            "{n} ist seit 2019 als Investor an Bord.",
            "Die Forschungsarbeiten werden finanziell von {n} unterstützt.",
            "Unsere Partner von {n} stellen das Wagniskapital für den Markteintritt.",
            "Ein Förderdarlehen von {n} ermöglichte die neuen Maschinen.",
            "Die Anlage wurde mit Mitteln von {n} kofinanziert.",
            "{n} beteiligt sich neben unseren Altgesellschaftern an der Runde.",
            "Gefördert aus Mitteln von {n}.",
            "{n} hat uns das Geld für den neuen Brennofen geliehen.",
            "{s} hat 2022 eine Seed-Finanzierung von {n} erhalten.",
            "{n} hat im vergangenen Jahr 3 Mio. Euro in {s} investiert.",
            "Ein Zuschuss von 150.000 Euro von {n} unterstützt den Versuch.",
            "{n} ist als stiller Gesellschafter mit 15 Prozent beteiligt.",
            "Die Erweiterung ermöglichte ein Förderdarlehen der {n}.",
            "Nach der Seed-Runde hat {n} auch in der Series A nachgelegt.",
            "Unser Forschungsprogramm wird von {n} mitfinanziert.",
        ],
    },
    "membership": {
        "en": [
            "We are a member of {n}.",
            "Our quality management is certified by {n}.",
            "Every product is tested by {n} before it leaves the factory.",
            "We are accredited by {n} for calibration work.",
            "Our partner {n} audits our welding process every year.",
            "As members of {n} we follow its code of conduct.",
            "The company is registered with {n} as an approved installer.",
            "We hold the quality seal of {n}.",
            "Our managing director sits on the board of {n}.",
            "We helped draft the standard within the committee of {n}.",
            "Certified to ISO 9001 by {n}.",
            "We belong to the regional network {n}.",
            "{s} is a full member of {n}.",
            "Our lab was accredited by {n} for another four years.",
            "We joined {n} to help write the new safety rules.",
            "Our managing director chairs the regional group of {n}.",
            "{n} inspects our workshop every spring.",
            "We hold the seal of {n} for fair employment.",
            "As a founding member of {n} we host its autumn meeting.",
            "Our kitchens are audited twice a year by {n}.",
        ],
        "de": [
            "Wir sind Mitglied im {n}.",
            "Unser Qualitätsmanagement ist von {n} zertifiziert.",
            "Jedes Produkt wird vor Auslieferung von {n} geprüft.",
            "Für Kalibrierarbeiten sind wir bei {n} akkreditiert.",
            "Unser Partner {n} auditiert jedes Jahr unser Schweißverfahren.",
            "Als Mitglied der {n} halten wir uns an deren Verhaltenskodex.",
            "Wir sind bei {n} als Fachbetrieb eingetragen.",
            "Wir tragen das Gütezeichen der {n}.",
            "Unser Geschäftsführer ist im Vorstand des {n}.",
            "Im Normenausschuss von {n} arbeiten wir an der Richtlinie mit.",
            "Zertifiziert nach ISO 9001 durch {n}.",
            "Wir gehören dem regionalen Netzwerk {n} an.",
            "{s} ist Vollmitglied bei {n}.",
            "Unser Labor wurde von {n} für weitere vier Jahre akkreditiert.",
            "Wir sind {n} beigetreten, um an den neuen Sicherheitsregeln mitzuarbeiten.",
            "Unsere Geschäftsführerin leitet die Regionalgruppe von {n}.",
            "{n} prüft unsere Werkstatt jedes Frühjahr.",
            "Wir tragen das Siegel von {n} für faire Arbeit.",
            "Als Gründungsmitglied von {n} richten wir die Herbsttagung aus.",
            "Unsere Küchen werden zweimal im Jahr von {n} auditiert.",
        ],
    },
    "other": {
        "en": [
            "{n} wrote about our new factory in its Saturday edition.",
            "Meet us at {n}, hall 4, stand B20.",
            "Directions to our site can be found on {n}.",
            "Read the interview our CEO gave to {n}.",
            "Open positions are listed on {n}.",
            "Follow us on {n} for project updates.",
            "This website was built by {n}.",
            "Our online shop runs on {n}.",
            "Background on the regulation is available from {n}.",
            "Rate us on {n}.",
            "Book an appointment through {n}.",
            "Our podcast is available on {n}.",
            "{n} ran a story on {s} in its Sunday edition.",
            "The weather forecast on {n} decides whether we open the terrace.",
            "Register for the webinar on {n}.",
            "Our apprentice was shortlisted for an award run by {n}.",
            "Recipes using our flour are collected on {n}.",
            "Join the call on {n}; the link is in your invitation.",
            "Parking is available at the car park run by {n}.",
            "Timetables for the bus to our site are on {n}.",
        ],
        "de": [
            "{n} berichtete in der Wochenendausgabe über unser neues Werk.",
            "Besuchen Sie uns auf der {n}, Halle 4, Stand B20.",
            "Die Anfahrt zu unserem Werk finden Sie auf {n}.",
            "Lesen Sie das Interview unseres Geschäftsführers bei {n}.",
            "Offene Stellen finden Sie auf {n}.",
            "Folgen Sie uns auf {n} für Neuigkeiten aus den Projekten.",
            "Diese Website wurde von {n} umgesetzt.",
            "Unser Onlineshop läuft mit {n}.",
            "Hintergründe zur Verordnung bietet {n}.",
            "Bewerten Sie uns auf {n}.",
            "Termine können Sie über {n} buchen.",
            "Unseren Podcast gibt es auf {n}.",
            "{n} berichtete in der Sonntagsausgabe über {s}.",
            "Ob wir die Terrasse öffnen, entscheidet die Wettervorhersage von {n}.",
            "Zum Webinar melden Sie sich über {n} an.",
            "Unser Azubi wurde für einen Preis von {n} nominiert.",
            "Rezepte mit unserem Mehl finden Sie auf {n}.",
            "Die Einwahl erfolgt über {n}, den Link finden Sie in der Einladung.",
            "Parkplätze gibt es im Parkhaus von {n}.",
            "Den Fahrplan der Buslinie zu unserem Werk finden Sie bei {n}.",
        ],
    },
}

#: List headings (logo walls) per label.
HEADINGS: dict[str, dict[str, list[str]]] = {
    "customer": {
        "en": [
            "Our clients",
            "Selected customers",
            "They trust us",
            "Clients include",
            "Companies we work for",
            "Customer references",
            "Used by",
            "Our references",
        ],
        "de": [
            "Unsere Kunden",
            "Ausgewählte Referenzen",
            "Kunden, die uns vertrauen",
            "Referenzkunden",
            "Für diese Unternehmen arbeiten wir",
            "Unsere Auftraggeber",
            "Kundschaft",
            "Referenzen",
        ],
    },
    "supplier": {
        "en": [
            "Our suppliers",
            "Brands we carry",
            "Manufacturers",
            "Our brands",
            "Product partners",
            "Sourcing",
            "Quality components from",
            "Supplied by",
        ],
        "de": [
            "Unsere Lieferanten",
            "Marken",
            "Hersteller",
            "Unsere Markenpartner",
            "Zulieferer",
            "Bezugsquellen",
            "Markenvielfalt",
            "Produkte von",
        ],
    },
    "partner": {
        "en": [
            "Partners",
            "Distribution partners",
            "Technology partners",
            "Our network",
            "Sales partners worldwide",
            "Cooperation partners",
            "Alliances",
            "Resellers",
        ],
        "de": [
            "Partner",
            "Vertriebspartner",
            "Technologiepartner",
            "Unser Netzwerk",
            "Händler weltweit",
            "Kooperationen",
            "Allianzen",
            "Servicepartner",
        ],
    },
    "ownership": {
        "en": [
            "Group companies",
            "Our subsidiaries",
            "Part of the group",
            "Our brands family",
            "Group structure",
            "Affiliated companies",
            "Member of the group",
            "Our locations",
        ],
        "de": [
            "Unternehmen der Gruppe",
            "Tochtergesellschaften",
            "Die Gruppe",
            "Beteiligungen",
            "Konzernstruktur",
            "Schwesterfirmen",
            "Gruppengesellschaften",
            "Standorte der Gruppe",
        ],
    },
    "investor": {
        "en": [
            "Our investors",
            "Backed by",
            "Funded by",
            "Shareholders",
            "Supported by",
            "Financing partners",
            "Venture partners",
            "With funding from",
        ],
        "de": [
            "Unsere Investoren",
            "Gefördert von",
            "Gesellschafter",
            "Finanziert durch",
            "Förderer",
            "Unterstützt durch",
            "Kapitalgeber",
            "Mit Mitteln von",
        ],
    },
    "membership": {
        "en": [
            "Memberships",
            "Certifications",
            "Accreditations",
            "Member of",
            "Approved by",
            "Quality seals",
            "Associations",
            "Certified by",
        ],
        "de": [
            "Mitgliedschaften",
            "Zertifizierungen",
            "Zertifikate",
            "Mitglied im",
            "Gütesiegel",
            "Verbände",
            "Akkreditierungen",
            "Geprüft von",
        ],
    },
    "other": {
        "en": [
            "Follow us",
            "In the press",
            "As seen in",
            "Payment options",
            "Find us",
            "Get our app",
            "Connect with us",
            "Reviews",
        ],
        "de": [
            "Folgen Sie uns",
            "Presse",
            "Bekannt aus",
            "Zahlungsarten",
            "Anfahrt",
            "App herunterladen",
            "Social Media",
            "Bewertungen",
        ],
    },
}
_NEUTRAL_HEADINGS = {
    "en": ["News", "About us", "Latest", "Our story", "Blog", "Projects", "Home", "Insights"],
    "de": [
        "Aktuelles",
        "Über uns",
        "News",
        "Geschichte",
        "Blog",
        "Projekte",
        "Startseite",
        "Neuigkeiten",
    ],
}
_PATHS = {
    "customer": ["/referenzen", "/kunden", "/clients", "/references", "/case-studies"],
    "supplier": ["/lieferanten", "/marken", "/brands", "/suppliers", "/hersteller"],
    "partner": ["/partner", "/kooperationen", "/partners", "/vertriebspartner", "/network"],
    "ownership": ["/gruppe", "/group", "/unternehmensgruppe", "/tochtergesellschaften", "/holding"],
    "investor": ["/investoren", "/investors", "/foerderung", "/funding", "/shareholders"],
    "membership": ["/mitgliedschaften", "/zertifikate", "/memberships", "/quality", "/verbaende"],
    "other": ["/presse", "/press", "/kontakt", "/contact", "/impressum"],
}
_NEUTRAL_PATHS = ["/news/", "/aktuelles/", "/blog/", "/ueber-uns", "/about", "/", "/projekte/"]
#: Non-business targets for ``other`` rows on business-looking pages.
_PLATFORMS = (
    ("https://www.xing.com/pages/{slug}", "XING"),
    ("https://www.linkedin.com/company/{slug}", "LinkedIn"),
    ("https://www.facebook.com/{slug}", "Facebook"),
    ("https://www.youtube.com/@{slug}", "YouTube"),
    ("https://www.instagram.com/{slug}/", "Instagram"),
    ("https://www.kununu.com/de/{slug}", "kununu"),
    ("https://www.glassdoor.de/{slug}", "Glassdoor"),
    ("https://{slug}.jobs.personio.de/", "Stellenangebote"),
    ("https://www.monster.de/jobs/{slug}", "Monster"),
    ("https://www.reed.co.uk/jobs/{slug}", "reed.co.uk"),
    ("https://www.woocommerce.com/", "WooCommerce"),
    ("https://www.jimdo.com/?ref={slug}", "Jimdo"),
    ("https://www.wix.com/", "Wix"),
    ("https://www.cookiebot.com/", "Cookiebot"),
    ("https://www.stripe.com/", "Stripe"),
    ("https://www.openstreetmap.org/search?query={slug}", "OpenStreetMap"),
    ("https://maps.google.com/?q={slug}", "Google Maps"),
    ("https://www.provenexpert.com/{slug}/", "ProvenExpert"),
    ("https://www.northdata.de/{slug}", "North Data"),
    ("https://www.bundesanzeiger.de/", "Bundesanzeiger"),
    ("https://www.derstandard.at/wirtschaft", "Der Standard"),
    ("https://www.nzz.ch/wirtschaft", "NZZ"),
    ("https://www.theguardian.com/business", "The Guardian"),
    ("https://www.calendly.com/{slug}", "Calendly"),
)
_PLATFORM_ANCHORS = {
    "en": ["{p}", "Find us on {p}", "Jobs on {p}", "We're hiring", "Powered by {p}", "{p} logo"],
    "de": ["{p}", "Wir auf {p}", "Jobs auf {p}", "Karriere", "Shop mit {p}", "Logo {p}"],
}


def template_rows(split: str, seed: int = 15) -> list[dict]:
    """Labelled rows of ``split`` (``train`` or ``dev``), deterministic for a seed."""
    if split not in ROWS:
        raise ValueError(f"templates have splits {tuple(ROWS)}, not {split!r}")
    return list(_rows(split, seed))


@lru_cache(maxsize=4)
def _rows(split: str, seed: int) -> tuple[dict, ...]:
    rng = random.Random(f"{seed}-{split}")
    out: list[dict] = []
    for label in RELATION_LABELS:
        for lang in ("en", "de"):
            for kind in ("logo_wall", "misleading", "prose"):
                for i in range(ROWS[split]):
                    row = _row(rng, split, label, lang, kind)
                    row["id"] = f"tpl-{split}-{label}-{lang}-{kind}-{i:02d}"
                    out.append(row)
    return tuple(out)


def _held(items: list, split: str) -> list:
    """Every fourth item is dev's; the rest train's."""
    return [x for i, x in enumerate(items) if (i % 4 == 3) == (split == "dev")]


def _name(rng: random.Random, split: str, lang: str) -> tuple[str, str]:
    stem = rng.choice(_held(list(_STEMS), split))
    sector = rng.choice(_SECTORS[lang])
    suffix = rng.choice(_SUFFIX[lang])
    name = " ".join(part for part in (stem, sector, suffix) if part)
    slug = f"{stem}-{sector}".lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        slug = slug.replace(a, b)
    return name, f"https://www.{slug}{rng.choice(_TLD[lang])}/"


def _row(rng: random.Random, split: str, label: str, lang: str, kind: str) -> dict:
    name, dst = _name(rng, split, lang)
    src_name, src = _name(rng, split, lang)
    self_name = src_name.split()[0]  # how a site names itself in its sentences ({s})
    region = "main"
    other_labels = [x for x in RELATION_LABELS if x != label]
    if label == "other" and kind != "prose":
        url, platform = rng.choice(_PLATFORMS)
        dst = url.format(slug=src.split("//www.")[1].split(".")[0])
        anchor = rng.choice(_PLATFORM_ANCHORS[lang]).format(p=platform)
        page_label = rng.choice(other_labels)
        heading = rng.choice(_held(HEADINGS[page_label][lang], split))
        if kind == "logo_wall":
            heading = rng.choice(_held(HEADINGS["other"][lang], split))
        path = rng.choice(_PATHS[page_label])
        region = rng.choice(("footer", "footer", "main", "aside"))
        context = "" if kind == "logo_wall" else rng.choice(_held(FRAMES["other"][lang], split))
        context = context.replace("{n}", platform).replace("{s}", self_name)
    elif kind == "logo_wall":
        heading = rng.choice(_held(HEADINGS[label][lang], split))
        form = rng.randrange(4)
        anchor = [name, f"Logo {name}", f"{name} logo", name.split()[0]][form]
        context = rng.choice(("", anchor))
        path = rng.choice(_PATHS[label])
        if label in ("ownership", "investor", "membership") and rng.random() < 0.3:
            region = "footer"
    else:
        frame = rng.choice(_held(FRAMES[label][lang], split))
        context = frame.replace("{n}", name).replace("{s}", self_name)
        anchor = rng.choice((name, name, "mehr" if lang == "de" else "more"))
        if kind == "misleading":
            page_label = rng.choice(other_labels)
            heading = rng.choice(_held(HEADINGS[page_label][lang], split))
            path = rng.choice(_PATHS[page_label])
        else:
            heading = rng.choice(_held(_NEUTRAL_HEADINGS[lang], split))
            path = rng.choice(_NEUTRAL_PATHS)
    site = src.rstrip("/")
    return {
        "src_url": site + path,
        "dst_url": dst,
        "anchor_text": anchor,
        "section_heading": heading,
        "context": context,
        "region": region,
        "page_path": path,
        "lang": lang,
        "label": label,
        "split": split,
        "template": f"tpl-{kind}",
        "kind": kind,
    }
