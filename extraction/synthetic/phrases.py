"""Template families: how company websites talk about other firms, per relation and language.

A family is one way of presenting a relation (a heading vocabulary, sentence shapes, URL
paths, anchor styles). The site generator uses every family; the labelled set splits by
family (``dev`` families never appear in ``train``), so its dev split measures whether a
classifier generalises to phrasings it has not seen. ``{a}`` marks where the link sits in a
sentence; ``{name}`` is the target's name, ``{src}`` the source's, ``{thing}`` a product.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    lang: str
    split: str  # "train" or "dev"
    headings: tuple[str, ...]
    sentences: tuple[str, ...]
    paths: tuple[str, ...]
    anchors: tuple[str, ...] = ("{name}",)
    #: for ``other``: which kind of target the link points to (social, agency, press, tool, ...)
    target: str = "company"


def _f(key, label, lang, split, headings, sentences, paths, anchors=("{name}",), target="company"):
    return Family(
        key, label, lang, split, tuple(headings), tuple(sentences), tuple(paths), tuple(anchors),
        target,
    )  # fmt: skip


FAMILIES: tuple[Family, ...] = (
    # ---------------------------------------------------------------- customer
    _f(
        "cust-de-ref",
        "customer",
        "de",
        "train",
        ["Referenzen", "Ausgewählte Referenzen", "Unsere Referenzen", "Referenzprojekte"],
        [
            "Für {a} haben wir {thing} geplant, gefertigt und in Betrieb genommen.",
            "Seit {year} beliefern wir {a} mit {thing}.",
            "Projekt {year}: Lieferung und Montage von {thing} bei {a}.",
            "{a} setzt in drei Werken auf unsere {thing}.",
            "Auftraggeber: {a} – Umbau und Erweiterung der Fertigung.",
        ],
        ["/referenzen", "/referenzen/projekte", "/unternehmen/referenzen"],
        ["{name}", "{name}", "Referenz ansehen", "{domain}"],
    ),
    _f(
        "cust-de-kunden",
        "customer",
        "de",
        "train",
        ["Unsere Kunden", "Kunden", "Zufriedene Kunden", "Kunden aus der Industrie"],
        [
            "Zu unseren Kunden zählen namhafte Unternehmen wie {a}.",
            "{a} vertraut bei {thing} seit Jahren auf unser Know-how.",
            "Wir betreuen {a} als Systemlieferant für {thing}.",
            "Langjähriger Kunde: {a}",
            "Mehr als 200 Kunden vertrauen uns, darunter {a}.",
        ],
        ["/kunden", "/unsere-kunden", "/de/kunden"],
    ),
    _f(
        "cust-de-auftrag",
        "customer",
        "de",
        "dev",
        ["Auftraggeber", "Wer mit uns arbeitet", "Erfolgsgeschichten"],
        [
            "Im Auftrag von {a} modernisierten wir die komplette Linie für {thing}.",
            "Auftraggeber des Projekts war {a}, für das wir {thing} entwickelt haben.",
            "Erfolgsgeschichte: Wie {a} mit unseren {thing} die Ausschussquote halbierte.",
        ],
        ["/auftraggeber", "/erfolgsgeschichten", "/projekte/kundenstimmen"],
        ["{name}", "Zur Erfolgsgeschichte", "{name}"],
    ),
    _f(
        "cust-en-clients",
        "customer",
        "en",
        "train",
        ["Our Clients", "Clients", "Customers", "Who we serve"],
        [
            "We are proud to count {a} among our long-standing clients.",
            "{a} has relied on our {thing} since {year}.",
            "Our customers include {a} and many other industry leaders.",
            "We supply {thing} to {a} across Europe.",
            "Client since {year}: {a}.",
        ],
        ["/customers", "/clients", "/our-customers"],
    ),
    _f(
        "cust-en-cases",
        "customer",
        "en",
        "train",
        ["Case Studies", "References", "Selected projects"],
        [
            "Case study: how {a} cut downtime by 30 % with our {thing}.",
            "For {a} we delivered a turnkey installation of {thing}.",
            "Reference project {year}: {thing} for {a}.",
            "Success story: {a} doubled its output with our {thing}.",
        ],
        ["/case-studies", "/references", "/projects"],
        ["{name}", "Read the case study", "{name}"],
    ),
    _f(
        "cust-en-trusted",
        "customer",
        "en",
        "dev",
        ["Trusted by", "Customer stories", "Some of the companies we work for"],
        [
            "Trusted by engineering teams at {a}.",
            "{a} chose us after a competitive tender for {thing}.",
            "Customer story: {a} rolled out our {thing} at every site.",
        ],
        ["/customer-stories", "/trusted-by", "/success"],
        ["{name}", "{name}", "View story"],
    ),
    # ---------------------------------------------------------------- supplier
    _f(
        "sup-de-lief",
        "supplier",
        "de",
        "train",
        ["Lieferanten", "Unsere Lieferanten", "Lieferantennetzwerk"],
        [
            "Unsere {thing} beziehen wir von {a}.",
            "Als Lieferant für {thing} arbeitet {a} eng mit unserer Fertigung zusammen.",
            "{a} liefert uns seit {year} hochwertige {thing}.",
            "Zuverlässiger Zulieferer: {a}",
            "Wir kaufen {thing} ausschließlich bei geprüften Lieferanten wie {a}.",
        ],
        ["/lieferanten", "/einkauf/lieferanten", "/unternehmen/lieferanten"],
    ),
    _f(
        "sup-de-marken",
        "supplier",
        "de",
        "train",
        ["Unsere Marken", "Marken", "Hersteller", "Unsere Hersteller"],
        [
            "Wir führen das komplette Sortiment von {a}.",
            "Original-Ersatzteile von {a} ab Lager lieferbar.",
            "Im Programm: {thing} des Herstellers {a}.",
            "Marke: {a}",
            "Als Fachhändler führen wir {thing} von {a}.",
        ],
        ["/marken", "/unsere-marken", "/hersteller"],
        ["{name}", "{name}", "Zum Hersteller"],
    ),
    _f(
        "sup-de-haendler",
        "supplier",
        "de",
        "train",  # hard case: "Partner" heading, dealer
        ["Partner", "Unsere Partner", "Partner & Marken"],
        [
            "Als autorisierter Fachhändler vertreiben wir die {thing} von {a}.",
            "Wir sind offizieller Vertriebspartner von {a} für {thing} in Süddeutschland.",
            "Service und Verkauf für Maschinen von {a}.",
        ],
        ["/partner", "/vertriebspartner", "/haendler/partner"],
    ),
    _f(
        "sup-de-bezug",
        "supplier",
        "de",
        "dev",
        ["Einkauf", "Bezugsquellen", "Vorlieferanten"],
        [
            "Rohmaterial und {thing} kaufen wir überwiegend bei {a} ein.",
            "Unsere wichtigste Bezugsquelle für {thing} ist {a}.",
            "Vorlieferant für {thing}: {a}, auditiert nach ISO 9001.",
        ],
        ["/einkauf", "/bezugsquellen", "/qualitaet/vorlieferanten"],
    ),
    _f(
        "sup-en-suppliers",
        "supplier",
        "en",
        "train",
        ["Our Suppliers", "Suppliers", "Supply chain"],
        [
            "We source our {thing} from {a}.",
            "{a} is a preferred supplier of {thing} to our plants.",
            "Key supplier since {year}: {a}.",
            "{a} manufactures the {thing} we build into our machines.",
        ],
        ["/suppliers", "/supply-chain", "/sourcing"],
    ),
    _f(
        "sup-en-brands",
        "supplier",
        "en",
        "train",
        ["Brands we carry", "Our Brands", "Manufacturers"],
        [
            "We stock the full range of {thing} from {a}.",
            "Genuine parts from {a} available from stock.",
            "Brands: {a}",
            "Sole distributor of {a} in the UK and Ireland.",
        ],
        ["/brands", "/our-brands", "/manufacturers"],
        ["{name}", "{name}", "{domain}"],
    ),
    _f(
        "sup-en-dealer",
        "supplier",
        "en",
        "dev",  # hard case: partner wording, dealer relation
        ["Partners", "Our partners", "Distribution partners"],
        [
            "As an authorised distributor we sell and service {thing} made by {a}.",
            "We are the exclusive UK dealer for {a}.",
            "Official reseller of {a} {thing}.",
        ],
        ["/partners", "/dealership", "/distribution"],
    ),
    _f(
        "sup-en-vendors",
        "supplier",
        "en",
        "dev",
        ["Vendors", "Approved vendors", "Where our parts come from"],
        [
            "Approved vendor for {thing}: {a}.",
            "Our {thing} are manufactured for us by {a}.",
            "We buy {thing} exclusively from {a}.",
        ],
        ["/vendors", "/quality/approved-vendors", "/procurement"],
    ),
    # ---------------------------------------------------------------- partner
    _f(
        "part-de-partner",
        "partner",
        "de",
        "train",
        ["Partner", "Unsere Partner", "Partnernetzwerk"],
        [
            "Gemeinsam mit {a} entwickeln wir neue Lösungen für {thing}.",
            "{a} ist unser Technologiepartner im Bereich {thing}.",
            "Strategische Partnerschaft mit {a} seit {year}.",
            "Zusammen mit unserem Partner {a} realisieren wir Projekte weltweit.",
        ],
        ["/partner", "/partnernetzwerk", "/unternehmen/partner"],
    ),
    _f(
        "part-de-koop",
        "partner",
        "de",
        "train",
        ["Kooperationen", "Kooperationspartner", "Forschung & Kooperation"],
        [
            "In Kooperation mit {a} erforschen wir {thing} der nächsten Generation.",
            "Kooperationspartner: {a}",
            "Im Rahmen einer Entwicklungskooperation mit {a} entstand unsere neue Produktlinie.",
        ],
        ["/kooperationen", "/forschung/kooperationen", "/netzwerk/kooperation"],
    ),
    _f(
        "part-de-allianz",
        "partner",
        "de",
        "dev",
        ["Allianzen", "Zusammenarbeit", "Gemeinsam stark"],
        [
            "Mit {a} bündeln wir unsere Kompetenzen bei {thing}.",
            "Zusammen mit {a} bieten wir Komplettlösungen aus einer Hand.",
            "Wir sind zertifizierter Implementierungspartner von {a}.",
        ],
        ["/allianzen", "/zusammenarbeit", "/loesungen/partner"],
    ),
    _f(
        "part-en-partners",
        "partner",
        "en",
        "train",
        ["Partners", "Technology Partners", "Our Partner Network"],
        [
            "We work closely with {a} to deliver integrated {thing}.",
            "Technology partner: {a}",
            "{a} and our team jointly develop {thing} for the European market.",
            "Certified partner: {a}.",
        ],
        ["/partners", "/technology-partners", "/ecosystem"],
    ),
    _f(
        "part-en-alliance",
        "partner",
        "en",
        "train",
        ["Alliances", "Strategic alliances", "Cooperation"],
        [
            "Through our strategic alliance with {a} customers get {thing} from a single source.",
            "In {year} we entered a cooperation agreement with {a}.",
            "Joint research project with {a} on {thing}.",
            "Together with {a} we offer integrated solutions.",
        ],
        ["/alliances", "/cooperation", "/research/partners"],
    ),
    _f(
        "part-en-certified",
        "partner",
        "en",
        "dev",
        ["Certified partner", "Collaborations", "Working together"],
        [
            "We are a certified implementation partner of {a}.",
            "Together with {a} we co-develop {thing}.",
            "Our collaboration with {a} brings {thing} to more customers.",
        ],
        ["/collaborations", "/certified-partner", "/together"],
    ),
    # ---------------------------------------------------------------- ownership
    _f(
        "own-de-gruppe",
        "ownership",
        "de",
        "train",
        ["Unternehmensgruppe", "Die Gruppe", "Unsere Gruppe"],
        [
            "Zur Unternehmensgruppe gehört außerdem {a}.",
            "{a} ist ein Unternehmen der {src} Gruppe.",
            "Schwesterunternehmen: {a}",
            "Wir gehören zur Unternehmensgruppe von {a}.",
        ],
        ["/unternehmensgruppe", "/gruppe", "/ueber-uns/gruppe"],
    ),
    _f(
        "own-de-toechter",
        "ownership",
        "de",
        "train",
        ["Tochtergesellschaften", "Standorte und Tochtergesellschaften", "Beteiligungen"],
        [
            "{a} – 100 % Tochtergesellschaft, Produktionsstandort seit {year}.",
            "Wir halten eine Mehrheitsbeteiligung an {a}.",
            "Tochtergesellschaft für {thing}: {a}",
        ],
        ["/tochtergesellschaften", "/beteiligungen", "/standorte"],
    ),
    _f(
        "own-de-mutter",
        "ownership",
        "de",
        "dev",
        ["Muttergesellschaft", "Konzern", "Gesellschafter"],
        [
            "Wir sind Teil von {a}.",
            "Seit {year} gehören wir zum Konzern {a}.",
            "Alleinige Gesellschafterin ist {a}.",
        ],
        ["/konzern", "/muttergesellschaft", "/ueber-uns/gesellschafter"],
    ),
    _f(
        "own-en-group",
        "ownership",
        "en",
        "train",
        ["Group companies", "Our Group", "The Group"],
        [
            "{a} is a member of our group.",
            "Group company for {thing}: {a}",
            "{a} joined the group in {year}.",
            "We are part of the {a} group of companies.",
        ],
        ["/group", "/group-companies", "/about/group"],
    ),
    _f(
        "own-en-subs",
        "ownership",
        "en",
        "train",
        ["Subsidiaries", "Portfolio", "Our portfolio companies"],
        [
            "Wholly owned subsidiary: {a}",
            "We acquired a majority stake in {a} in {year}.",
            "Portfolio company: {a}, a specialist in {thing}.",
            "{a} has been a wholly owned subsidiary since {year}.",
        ],
        ["/subsidiaries", "/portfolio", "/investments"],
    ),
    _f(
        "own-en-parent",
        "ownership",
        "en",
        "dev",
        ["Parent company", "Corporate structure", "Part of"],
        [
            "We are a subsidiary of {a}.",
            "Since {year} we have been part of {a}.",
            "Our parent company {a} holds all shares.",
        ],
        ["/corporate-structure", "/about/parent-company", "/ownership"],
    ),
    # ---------------------------------------------------------------- investor
    _f(
        "inv-de-investoren",
        "investor",
        "de",
        "train",
        ["Investoren", "Unsere Investoren", "Gesellschafter und Investoren"],
        [
            "Unsere Finanzierungsrunde im Jahr {year} wurde von {a} angeführt.",
            "Investor: {a}",
            "{a} unterstützt unser Wachstum als Investor.",
            "Neuer Gesellschafter: {a} beteiligt sich an unserem Unternehmen.",
        ],
        ["/investoren", "/investor-relations", "/ueber-uns/investoren"],
    ),
    _f(
        "inv-de-foerder",
        "investor",
        "de",
        "train",
        ["Förderung", "Gefördert durch", "Fördermittel"],
        [
            "Das Projekt wird gefördert durch {a}.",
            "Mit Mitteln von {a} bauen wir unsere Fertigung für {thing} aus.",
            "Gefördert von {a} im Rahmen des Innovationsprogramms.",
        ],
        ["/foerderung", "/projekte/foerderung", "/forschung/foerdermittel"],
    ),
    _f(
        "inv-de-kapital",
        "investor",
        "de",
        "dev",
        ["Kapitalgeber", "Finanzierung", "Wachstumskapital"],
        [
            "Kapitalgeber der Serie-A-Runde ist {a}.",
            "{a} hat sich mit Wachstumskapital an uns beteiligt.",
            "Wir danken unserem Finanzierungspartner {a}.",
        ],
        ["/finanzierung", "/kapitalgeber", "/presse/finanzierung"],
    ),
    _f(
        "inv-en-investors",
        "investor",
        "en",
        "train",
        ["Investors", "Our Investors", "Backed by"],
        [
            "Backed by {a}.",
            "Our Series B round was led by {a}.",
            "Investor: {a}",
            "{a} invested in our seed round in {year}.",
        ],
        ["/investors", "/about/investors", "/company/investors"],
    ),
    _f(
        "inv-en-funding",
        "investor",
        "en",
        "train",
        ["Funding", "Funded by", "Grants"],
        [
            "This project is funded by {a}.",
            "We received a grant from {a} to scale up {thing}.",
            "Funded by {a} under its innovation programme.",
            "Supported by funding from {a}.",
        ],
        ["/funding", "/grants", "/research/funding"],
    ),
    _f(
        "inv-en-capital",
        "investor",
        "en",
        "dev",
        ["Shareholders", "Financing", "Capital partners"],
        [
            "{a} became a minority shareholder in {year}.",
            "Growth capital provided by {a}.",
            "We are venture-funded; our lead investor is {a}.",
        ],
        ["/shareholders", "/financing", "/investor-information"],
    ),
    # ---------------------------------------------------------------- membership
    _f(
        "mem-de-mitglied",
        "membership",
        "de",
        "train",
        ["Mitgliedschaften", "Verbände", "Mitglied in"],
        [
            "Wir sind Mitglied im {a}.",
            "Aktives Mitglied bei {a} seit {year}.",
            "Mitglied: {a}",
            "Gründungsmitglied des Clusters {a}.",
        ],
        ["/mitgliedschaften", "/verbaende", "/ueber-uns/mitgliedschaften"],
    ),
    _f(
        "mem-de-ihk",
        "membership",
        "de",
        "train",
        ["Netzwerk", "Kammer", "Ausbildungsbetrieb"],
        [
            "Zuständige Kammer: {a}.",
            "Als IHK-Ausbildungsbetrieb sind wir Mitglied der {a}.",
            "Wir engagieren uns im Prüfungsausschuss der {a}.",
        ],
        ["/netzwerk", "/ausbildung", "/karriere/ausbildung"],
    ),
    _f(
        "mem-de-zert",
        "membership",
        "de",
        "dev",
        ["Zertifikate", "Qualität und Zertifizierung", "Cluster & Initiativen"],
        [
            "Unser Qualitätsmanagement ist zertifiziert durch {a}.",
            "Wir sind Teil des Clusters {a}.",
            "Zertifizierungsstelle: {a} (ISO 9001, ISO 14001).",
        ],
        ["/zertifikate", "/qualitaet", "/cluster"],
    ),
    _f(
        "mem-en-member",
        "membership",
        "en",
        "train",
        ["Memberships", "Member of", "Associations"],
        [
            "We are a member of {a}.",
            "Proud member of {a} since {year}.",
            "Membership: {a}",
            "Our CEO serves on the board of {a}.",
        ],
        ["/memberships", "/associations", "/about/memberships"],
    ),
    _f(
        "mem-en-cert",
        "membership",
        "en",
        "train",
        ["Certifications", "Accreditations", "Quality"],
        [
            "Our management system is certified by {a}.",
            "Accredited by {a}.",
            "ISO 9001 certificate issued by {a}.",
            "Audited annually by {a}.",
        ],
        ["/certifications", "/quality", "/accreditations"],
    ),
    _f(
        "mem-en-network",
        "membership",
        "en",
        "dev",  # hard case: partner wording, membership
        ["Industry networks", "Partners and networks", "Affiliations"],
        [
            "We take part in the working groups of {a}.",
            "Affiliated with {a}.",
            "Our managing director sits on the board of {a}.",
        ],
        ["/networks", "/affiliations", "/industry-networks"],
    ),
    # ---------------------------------------------------------------- other
    _f(
        "oth-de-social",
        "other",
        "de",
        "train",
        ["Folgen Sie uns", "Social Media", "Bleiben Sie in Kontakt"],
        ["Folgen Sie uns auf {a}.", "Besuchen Sie uns auf {a}.", "{a}"],
        ["/", "/kontakt", "/karriere"],
        ("{name}",),
        "social",
    ),
    _f(
        "oth-de-agentur",
        "other",
        "de",
        "train",  # hard case: agency credit in footer
        ["Impressum", "", "Rechtliches"],
        ["Webdesign und Umsetzung: {a}", "Realisiert von {a}", "Konzept & Gestaltung: {a}"],
        ["/impressum", "/", "/datenschutz"],
        ("{name}", "{domain}"),
        "agency",
    ),
    _f(
        "oth-de-presse",
        "other",
        "de",
        "train",  # hard case: Referenzen page with news
        ["Referenzen", "Aktuelles", "Presse"],
        [
            "Die {a} berichtete über unser neues Werk.",
            "Lesen Sie den Artikel über {src} bei {a}.",
            "Pressespiegel: {a} über unsere Expansion",
        ],
        ["/referenzen", "/aktuelles", "/presse"],
        ("{name}", "Zum Artikel"),
        "press",
    ),
    _f(
        "oth-de-tools",
        "other",
        "de",
        "train",
        ["Kontakt", "Karriere", "Anfahrt"],
        ["Anfahrt planen mit {a}.", "Jetzt bewerben über {a}.", "Termin online buchen bei {a}."],
        ["/kontakt", "/karriere", "/anfahrt"],
        ("{name}", "hier"),
        "tool",
    ),
    _f(
        "oth-de-misc",
        "other",
        "de",
        "dev",
        ["Downloads", "Service", "Links"],
        [
            "Zum Öffnen der Datenblätter benötigen Sie den {a}.",
            "Fernwartung per {a} – bitte nur nach Absprache.",
            "Wetter am Standort: {a}",
        ],
        ["/downloads", "/service", "/links"],
        ("{name}", "Download"),
        "tool",
    ),
    _f(
        "oth-de-bewertung",
        "other",
        "de",
        "dev",
        ["Arbeitgeber", "Bewertungen", "Messen"],
        [
            "Das sagen unsere Mitarbeitenden auf {a}.",
            "Besuchen Sie uns auf der Messe, Tickets über {a}.",
            "Bewerten Sie uns auf {a}.",
        ],
        ["/arbeitgeber", "/messen", "/bewertungen"],
        ("{name}",),
        "review",
    ),
    _f(
        "oth-en-social",
        "other",
        "en",
        "train",
        ["Follow us", "Connect with us", "Stay in touch"],
        ["Follow us on {a}.", "Join the conversation on {a}.", "{a}"],
        ["/", "/contact", "/news"],
        ("{name}",),
        "social",
    ),
    _f(
        "oth-en-agency",
        "other",
        "en",
        "train",
        ["", "Legal", "Imprint"],
        ["Website by {a}", "Designed and built by {a}", "Site credits: {a}"],
        ["/", "/imprint", "/legal-notice"],
        ("{name}", "{domain}"),
        "agency",
    ),
    _f(
        "oth-en-press",
        "other",
        "en",
        "train",
        ["In the press", "News", "References"],
        [
            "Featured in {a}: our new plant opens.",
            "Read the interview with our CEO in {a}.",
            "{a} covered our expansion into Asia.",
        ],
        ["/press", "/news", "/references"],
        ("{name}", "Read more"),
        "press",
    ),
    _f(
        "oth-en-tools",
        "other",
        "en",
        "dev",
        ["Contact", "Careers", "Resources"],
        ["Book a meeting via {a}.", "Apply now on {a}.", "Get directions with {a}."],
        ["/contact", "/careers", "/resources"],
        ("{name}", "here"),
        "tool",
    ),
    _f(
        "oth-en-misc",
        "other",
        "en",
        "dev",
        ["Useful links", "Events", "Reviews"],
        [
            "See what employees say on {a}.",
            "Register for the trade fair via {a}.",
            "Powered by {a}.",
        ],
        ["/links", "/events", "/reviews"],
        ("{name}",),
        "review",
    ),
)

# Things firms make and buy, per language: filled into {thing}.
THINGS = {
    "de": (
        "Antriebskomponenten", "Hydraulikzylinder", "Gussteile", "Sensoren", "Steuerungen",
        "Kunststoffspritzteile", "Förderanlagen", "Verpackungslösungen", "Beschichtungen",
        "Leiterplatten", "Getriebe", "Werkzeuge", "Softwarelösungen", "Logistikdienstleistungen",
        "Präzisionsdrehteile", "Schaltschränke", "Dichtungen", "Pumpen",
    ),
    "en": (
        "drive components", "hydraulic cylinders", "castings", "sensors", "control systems",
        "injection-moulded parts", "conveyor systems", "packaging solutions", "coatings",
        "circuit boards", "gearboxes", "tooling", "software solutions", "logistics services",
        "precision-turned parts", "switch cabinets", "seals", "pumps",
    ),
}  # fmt: skip

# Non-company targets of ``other`` links: (name, url, words of a sentence that suit it).
OTHER_TARGETS = {
    "social": (
        ("LinkedIn", "https://www.linkedin.com/company/{slug}", ()),
        ("XING", "https://www.xing.com/pages/{slug}", ()),
        ("Facebook", "https://www.facebook.com/{slug}", ()),
        ("Instagram", "https://www.instagram.com/{slug}/", ()),
        ("YouTube", "https://www.youtube.com/@{slug}", ()),
        ("X", "https://x.com/{slug}", ()),
    ),
    "agency": (
        ("Pixelhaus Webagentur", "https://www.pixelhaus-agentur.de/", ()),
        ("Blauwerk Digital", "https://blauwerk-digital.de/?ref={slug}", ()),
        ("Northside Studio", "https://www.northside-studio.co.uk/", ()),
        ("Kreativkontor Mainz", "https://www.kreativkontor-mainz.de/", ()),
        ("Brightpixel Media", "https://brightpixel.media/", ()),
    ),
    "press": (
        ("Handelsblatt", "https://www.handelsblatt.com/unternehmen/{slug}.html", ()),
        ("Financial Times", "https://www.ft.com/content/{slug}", ()),
        ("Reuters", "https://www.reuters.com/business/{slug}/", ()),
        ("Frankfurter Allgemeine", "https://www.faz.net/aktuell/wirtschaft/{slug}.html", ()),
        ("Industrieanzeiger", "https://industrieanzeiger.industrie.de/news/{slug}/", ()),
        ("The Engineer", "https://www.theengineer.co.uk/content/news/{slug}", ()),
    ),
    "tool": (
        ("Google Maps", "https://www.google.com/maps/place/{slug}", ("anfahrt", "directions")),
        ("Personio", "https://{slug}.jobs.personio.de/", ("bewerben", "apply")),
        ("StepStone", "https://www.stepstone.de/cmp/de/{slug}", ("bewerben", "apply")),
        ("Calendly", "https://calendly.com/{slug}/30min", ("termin", "meeting")),
        ("Adobe Acrobat Reader", "https://get.adobe.com/reader/", ("datenbl",)),
        ("TeamViewer", "https://www.teamviewer.com/de/download/", ("fernwartung",)),
        ("wetter.com", "https://www.wetter.com/deutschland/{slug}/", ("wetter",)),
    ),
    "review": (
        ("kununu", "https://www.kununu.com/de/{slug}", ("mitarbeitenden", "employees")),
        ("Glassdoor", "https://www.glassdoor.com/Overview/{slug}.htm", ("employees",)),
        ("Trustpilot", "https://www.trustpilot.com/review/{slug}", ("bewerten",)),
        ("Messe München", "https://messe-muenchen.de/tickets?exhibitor={slug}", ("messe", "fair")),  # noqa: E501
        ("WordPress", "https://wordpress.org/", ("powered",)),
    ),
}


def other_target(kind: str, sentence: str, rng) -> tuple[str, str]:
    """(name, url template) of a non-company target that suits the sentence."""
    text = sentence.lower()
    targets = OTHER_TARGETS[kind]
    suited = [t for t in targets if any(word in text for word in t[2])]
    name, url, _ = rng.choice(suited or [t for t in targets if not t[2]] or targets)
    return name, url


def families_for(label: str, lang: str | None = None) -> list[Family]:
    """The families of one label (and language), in a stable order."""
    return [f for f in FAMILIES if f.label == label and (lang is None or f.lang == lang)]


#: (subsidiary, parent) pairs whose statement points upwards ("we are part of ...").
UPWARD = frozenset({("C06", "C40"), ("C14", "C40"), ("C18", "C17"), ("C13", "C11"), ("C10", "C02")})

CERT_WORDS = ("zertifi", "certif", "accredit", "iso 9001", "audit")
CHAMBER_WORDS = ("kammer", "ihk", "chamber", "prüfungsausschuss")
FUNDING_WORDS = ("förder", "funded by", "funding", "grant", "mitteln", "innovationsprogramm")
_UPWARD = (
    "teil von",
    "gehören wir",
    "wir gehören",
    "gesellschafterin",
    "subsidiary of",
    "part of",
    "parent",
)


def fits(
    sentence: str, *, label: str, target_kind: str, target_name: str, upward: bool = False
) -> bool:
    """Whether a sentence suits its target (a certifier is not "a cluster", a fund no "grant",
    a parent is not "our subsidiary")."""
    text = sentence.lower()
    name = target_name.lower()
    if label == "membership":
        cert = any(key in text for key in CERT_WORDS)
        if target_kind == "certifier" or cert:
            return target_kind == "certifier" and cert
        if any(key in text for key in CHAMBER_WORDS):
            return "kammer" in name or "chamber" in name or "ihk" in name
        return "cluster" in name if "cluster" in text else True
    if label == "investor":
        return any(key in text for key in FUNDING_WORDS) == (target_kind == "funder")
    if label == "ownership":
        return any(key in text for key in _UPWARD) == upward
    return True
