"""Weak labels: every rule of the table fires on its own evidence, EN and DE, in order."""

from __future__ import annotations

import pytest

from extraction.labels import RELATION_LABELS
from extraction.weak_labels import RULES, WeakLabel, required_strings, weak_label

DST = "https://www.target-firm.de/"

#: rule name -> link contexts (EN and DE) on which exactly that rule must fire.
EXAMPLES: dict[str, list[dict]] = {
    "social_or_tool_target": [
        {"dst_url": "https://de.linkedin.com/company/acme", "section_heading": "Partner"},
        {"dst_url": "https://www.youtube.com/c/acme", "anchor_text": "Our customers"},
    ],
    "agency_credit": [
        {"anchor_text": "Website by Pixelwerk", "region": "footer"},
        {"anchor_text": "Webdesign: Agentur Blau", "region": "footer"},
        {"context": "Realisiert von Agentur Blau", "anchor_text": "Agentur Blau"},
    ],
    "anchor_ownership": [{"anchor_text": "Our subsidiary in Austria"},
                         {"anchor_text": "Tochtergesellschaft Polen"}],
    "anchor_investor": [{"anchor_text": "Our investors"}, {"anchor_text": "Gefördert durch"}],
    "anchor_membership": [{"anchor_text": "Member of VDMA"}, {"anchor_text": "Mitglied im VDI"}],
    "anchor_supplier": [{"anchor_text": "Supplier portal"}, {"anchor_text": "Unsere Lieferanten"}],
    "anchor_customer": [{"anchor_text": "Case study: BMW"}, {"anchor_text": "Referenz Audi"}],
    "anchor_partner": [{"anchor_text": "Partner: SAP"}, {"anchor_text": "Vertriebspartner"}],
    "boilerplate_anchor": [{"anchor_text": "Impressum", "section_heading": "Partner"},
                           {"anchor_text": "Privacy policy"}],
    "context_ownership": [{"context": "We are part of the Bosch group."},
                          {"context": "Die Acme ist Teil der Unternehmensgruppe Müller."}],
    "context_investor": [{"context": "The project is funded by the EU."},
                         {"context": "Finanziert durch die KfW."}],
    "context_membership": [{"context": "We are a member of the chamber."},
                           {"context": "Wir sind Mitglied im Bundesverband."}],
    "context_supplier": [{"context": "We are an authorized dealer for Festo."},
                         {"context": "Als Hersteller liefern wir Pumpen."}],
    "context_customer": [{"context": "Our clients include BMW and Audi."},
                         {"context": "Zu unseren Kunden zählen BMW und Audi."}],
    "context_partner": [{"context": "In cooperation with the university."},
                        {"context": "In Kooperation mit der Hochschule."}],
    "context_other": [{"context": "As reported by the Financial Times.",
                       "section_heading": "Referenzen"},
                      {"context": "Die Allgäuer Zeitung berichtet über uns."}],
    "heading_ownership": [{"section_heading": "Group companies"},
                          {"section_heading": "Über uns > Tochtergesellschaften"}],
    "heading_investor": [{"section_heading": "Investors"},
                         {"section_heading": "Förderer und Geldgeber"}],
    "heading_membership": [{"section_heading": "Memberships"},
                           {"section_heading": "Verbände und Netzwerke"}],
    "heading_supplier": [{"section_heading": "Our Suppliers"},
                         {"section_heading": "Lieferanten"}],
    "heading_customer": [{"section_heading": "References"},
                         {"section_heading": "Unsere Referenzkunden"}],
    "heading_partner": [{"section_heading": "Partners > Technology partners"},
                        {"section_heading": "Kooperationen"}],
    "parent_headings_ownership": [{"section_heading": "Konzern > Standorte"}],
    "parent_headings_investor": [{"section_heading": "Investors > Q&A"}],
    "parent_headings_membership": [{"section_heading": "Mitgliedschaften > Regional"}],
    "parent_headings_supplier": [{"section_heading": "Hersteller > A-Z"}],
    "parent_headings_customer": [{"section_heading": "Our clients > Automotive"}],
    "parent_headings_partner": [{"section_heading": "Partner > Europa"}],
    "src_path_ownership": [{"src_url": "https://acme.de/gruppe/"},
                           {"src_url": "https://acme.com/about/subsidiaries"}],
    "src_path_investor": [{"src_url": "https://acme.com/investors"}],
    "src_path_membership": [{"src_url": "https://acme.de/mitgliedschaften"}],
    "src_path_supplier": [{"src_url": "https://acme.de/lieferanten/"},
                          {"src_url": "https://acme.com/suppliers.html"}],
    "src_path_customer": [{"src_url": "https://acme.de/referenzen/"},
                          {"src_url": "https://acme.de/kunden"},
                          {"src_url": "https://acme.com/en/customers/"}],
    "src_path_partner": [{"src_url": "https://acme.de/partner"}],
    "navigation_region": [{"region": "nav", "anchor_text": "Acme"},
                          {"region": "header"}],
}  # fmt: skip


CASES = [(name, example) for name, examples in EXAMPLES.items() for example in examples]


@pytest.mark.parametrize(("rule", "example"), CASES, ids=[f"{n}-{i}" for i, (n, _) in
                                                         enumerate(CASES)])  # fmt: skip
def test_rule_fires(rule: str, example: dict) -> None:
    got = weak_label(**{"dst_url": DST, **example})
    expected = next(r for r in RULES if r.name == rule)
    assert got == WeakLabel(expected.label, expected.confidence, rule)


def test_every_rule_has_examples_and_every_label_a_rule() -> None:
    assert {rule.name for rule in RULES} == set(EXAMPLES)
    assert {rule.label for rule in RULES} == set(RELATION_LABELS)


def test_nothing_business_like_is_other_with_rule_none() -> None:
    got = weak_label(dst_url=DST, anchor_text="Acme", context="Acme", region="main")
    assert got == WeakLabel("other", 0.5, "none")
    assert weak_label() == WeakLabel("other", 0.5, "none")


def test_new_cues_of_session_two() -> None:
    # a supplier award names the customer; "part of"/"Teil von" is ownership; dealers carry
    assert weak_label(context="Supplier of the Year award from Acme.").label == "customer"
    assert weak_label(context="Auszeichnung als Lieferant des Jahres").label == "customer"
    assert weak_label(context="Since 2013 we have been part of Acme.").label == "ownership"
    assert weak_label(context="Wir sind Teil von Acme.").label == "ownership"
    assert weak_label(context="We are the exclusive UK dealer for Acme.").label == "supplier"
    assert weak_label(context="Zusammen mit Acme entwickeln wir Sensoren.").label == "partner"


def test_customer_service_is_not_a_customer_relation() -> None:
    assert weak_label(dst_url=DST, section_heading="Kundenservice").rule == "none"


def test_confidence_falls_with_specificity() -> None:
    confidences = [rule.confidence for rule in RULES]
    assert confidences == sorted(confidences, reverse=True)


def test_more_specific_evidence_wins() -> None:
    # the link's own sentence beats the section heading, the heading beats the page path
    got = weak_label(
        dst_url=DST,
        section_heading="Unsere Partner",
        context="Wir sind Mitglied im VDMA.",
        src_url="https://acme.de/kunden/",
    )
    assert got.label == "membership" and got.rule == "context_membership"
    got = weak_label(dst_url=DST, section_heading="Lieferanten", src_url="https://acme.de/kunden/")
    assert got.rule == "heading_supplier"
    # the deepest heading speaks before the ones above it
    assert weak_label(dst_url=DST, section_heading="Partner > Kunden").rule == "heading_customer"


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"\bclients?\b|kunde(?!nservice)", {"client", "kunde"}),
        (r"\bwe (?:carry|distribute)\b", {"carry", "distribute"}),
        (r"\b(?:part|member) of the [\w ]{1,40} group\b", {" of the "}),
        (r"investor(?:en)?\b|förderung", {"investor", "förderung"}),
        (r"ab|\bpartner", None),  # an arm without a literal of 3+ characters: no prefilter
    ],
)
def test_required_strings_prefilter(pattern: str, required) -> None:
    got = required_strings(pattern)
    assert got == (frozenset(required) if required else None)
