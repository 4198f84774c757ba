"""Every model kind labels a link to a non-business target ``other`` (extraction/targets)."""

from __future__ import annotations

from models.base import non_business_target
from models.features import LinkInput
from models.rules import RulesClassifier
from models.spacy_model import SpacyClassifier, train_spacy

CAREERS_ON_CLIENTS_PAGE = {
    "src_url": "https://www.example-werk.de/referenzen",
    "dst_url": "https://www.stepstone.de/cmp/de/example-werk",
    "anchor_text": "Kunden",
    "section_heading": "Unsere Kunden",
    "context": "Unsere Kunden",
    "region": "footer",
}
CLIENT = {**CAREERS_ON_CLIENTS_PAGE, "dst_url": "https://www.kunde-gmbh.de/"}


def tiny_spacy_model(heading: str, label: str) -> SpacyClassifier:
    """A spaCy model trained on six firms under ``heading`` (``label``) and six press links."""
    pairs = [
        (LinkInput(section_heading=heading, anchor_text=f"Firma {i}"), label) for i in range(6)
    ] + [
        (LinkInput(section_heading="Presse", anchor_text=f"Zeitung {i}"), "other") for i in range(6)
    ]
    return SpacyClassifier(train_spacy(pairs, {"epochs": 3}), "spacy-test")


def test_post_rule_overrides_a_business_label():
    rules = RulesClassifier()
    assert rules.predict_links([LinkInput.from_row(CLIENT)])[0].label == "customer"
    assert rules.predict_links([LinkInput.from_row(CAREERS_ON_CLIENTS_PAGE)])[0].label == (
        "customer"
    )  # the rules alone follow the heading ...
    assert rules.predict([CAREERS_ON_CLIENTS_PAGE])[0].label == "other"  # ... the post-rule not
    assert rules.predict([CLIENT])[0].label == "customer"


def test_trained_spacy_model_applies_the_post_rule():
    model = tiny_spacy_model("Unsere Kunden", "customer")
    assert model.predict([CLIENT])[0].label == "customer"
    prediction = model.predict([CAREERS_ON_CLIENTS_PAGE])[0]
    assert prediction.label == "other" and prediction.confidence >= 0.9


def test_non_business_target_reads_the_url():
    assert non_business_target("https://de.linkedin.com/company/x")
    assert non_business_target("https://acme.jobs.personio.de/job/1")
    assert not non_business_target("https://www.kunde-gmbh.de/")
    assert not non_business_target("")
    # networks under country domains, and hosts the feature split reads without IDNA
    assert non_business_target("https://www.pinterest.ie/calloway/")
    assert non_business_target("https://WWW.Facebook.at:443/acme")
    assert not non_business_target("https://www.facebook-fans-gmbh.de/")
    assert not non_business_target("https://www.bäckerei-müller.de/")


def test_site_credit_anchor_is_other_for_every_model():
    from models.base import site_credit

    for anchor in (
        "Site by Nordlicht Digital",
        "Website by Harbour Pixel",
        "Webdesign: Agentur Seeblick",
        "Realisierung: Pixelwerk",
        "Realisierung durch Medienhaus Kern",
        "Design & Umsetzung: Studio Acht",
        "webdesign von Studio Acht",
    ):
        assert site_credit(anchor), anchor
    for anchor in ("Kern AG", "Designwerk Kern GmbH", "Powered by Lumen Cloud", "Website", ""):
        assert not site_credit(anchor), anchor
    credit = {**CLIENT, "anchor_text": "Webdesign: Agentur Seeblick", "region": "footer"}
    assert RulesClassifier().predict([credit])[0].label == "other"
    model = tiny_spacy_model("Partner", "partner")
    on_partner_page = {**credit, "section_heading": "Partner"}
    assert model.predict_links([LinkInput.from_row(on_partner_page)])[0].label == "partner"
    assert model.predict([on_partner_page])[0].label == "other"
