"""Feature building: one normalisation for training and inference, compound-friendly."""

from __future__ import annotations

import pytest

from models.features import (
    LinkInput,
    bow_feature_groups,
    bow_features,
    cue_features,
    glossed,
    text_features,
)


def test_missing_and_none_fields_become_empty_and_unknown_fields_are_ignored():
    link = LinkInput.from_row({"anchor_text": "ACME", "context": None, "colour": 3})
    assert link.anchor_text == "ACME"
    assert link.context == "" and link.dst_url == ""


def test_non_string_field_is_a_type_error_naming_the_field():
    with pytest.raises(TypeError, match="section_heading"):
        LinkInput.from_row({"section_heading": ["Partner"]})


def test_heading_chain_splits_into_nearest_and_parents():
    link = LinkInput(section_heading="Über uns > Netzwerk > Unsere Partner")
    assert link.heading == "Unsere Partner"
    assert link.parent_headings == "Über uns > Netzwerk"
    features = bow_features(link)
    assert "h=partner" in features and "p=netzwerk" in features and "h=netzwerk" not in features


def test_german_compounds_share_their_head_with_unseen_compounds():
    seen = set(bow_features(LinkInput(section_heading="Vertriebspartner")))
    unseen = set(bow_features(LinkInput(section_heading="Technologiepartner")))
    assert {">rtner", ">artner"} <= seen & unseen
    customers = set(bow_features(LinkInput(anchor_text="Kundenreferenzen")))
    assert "<kunde" in customers and ">renzen" in customers


def test_source_path_comes_from_page_path_or_src_url():
    from_url = LinkInput(src_url="https://firma.de/ueber-uns/lieferanten")
    assert from_url.source_path == "/ueber-uns/lieferanten"
    assert "s!supplier" in bow_features(from_url)  # path cues only: slugs are site-specific
    assert LinkInput(src_url="https://a.de/x", page_path="/kunden").source_path == "/kunden"


def test_target_host_region_and_language_are_features():
    link = LinkInput(dst_url="https://www.facebook.com/acme", region="footer", lang="de")
    features = bow_features(link)
    assert {"d=facebook.com", "dt=com", "t=acme", "r=footer", "l=de"} <= set(features)


def test_groups_flatten_to_the_features_and_text_view_has_every_field():
    link = LinkInput(anchor_text="ACME AG", section_heading="Kunden", context="Für ACME AG.")
    assert [f for g in bow_feature_groups(link) for f in g] == bow_features(link)
    # the sentence states the relation ("für X"): the summary says so as "stated"
    assert (
        text_features(link) == "heading customer stated customer | ACME AG | Kunden | Für ACME AG."
    )
    long = LinkInput(anchor_text="ACME", context=" ".join(["x"] * 40 + ["ACME"] + ["y"] * 40))
    window = text_features(long).split(" | ")[-1].split()
    assert len(window) == 14 and "ACME" in window


def test_rule_verdict_is_a_feature_of_the_most_trusted_field_with_a_cue():
    # the sentence speaks before the heading, as in the rule table
    link = LinkInput(section_heading="Unsere Partner", context="Wir sind Mitglied im VDMA.")
    features = bow_features(link)
    assert "v=c_membership" in features and "v=membership" in features
    assert "v=h_partner" not in features
    assert "v=social" in bow_features(LinkInput(dst_url="https://www.linkedin.com/x"))
    assert "v=none" in bow_features(LinkInput(anchor_text="ACME"))
    press = LinkInput(section_heading="Referenzen", context="Die Zeitung berichtet über uns.")
    assert {"c!other", "h!customer", "v=c_other"} <= set(bow_features(press))


def test_target_host_words_carry_cues():
    assert "d!investor" in bow_features(LinkInput(dst_url="https://www.northstar-ventures.com/"))
    assert "d!membership" in bow_features(LinkInput(dst_url="https://www.ihk-muenchen.de/"))
    assert not any("!" in f for f in bow_features(LinkInput(dst_url="https://firm-12.example/")))


def test_cue_features_keep_the_evidence_and_drop_the_words():
    link = LinkInput(
        anchor_text="Kern AG",
        section_heading="Unsere Kunden",
        context="Seit 2010 beliefern wir die Kern AG mit Getrieben.",
        region="footer",
    )
    cues = cue_features(link)
    # the sentence states the relation ("beliefern wir"): the page's cues are shadowed
    assert {"k!customer", "~h!customer", "~v=h_customer", "r=footer"} <= set(cues)
    assert cues == tuple(sorted(set(cues))) and set(cues) <= set(bow_features(link))
    assert not any(cue.startswith(("c=", "h=", "a=")) for cue in cues)  # no words
    # with neighbours: the words next to the masked target, where direction is read
    near = set(cue_features(link, neighbours=True)) - set(cues)
    assert {"c=die_zztarget", "c=zztarget_mit"} <= near
    assert all("zztarget" in cue for cue in near)


def test_glosses_name_the_relation_of_german_cue_words_from_the_rule_lexicon():
    assert glossed("Unsere Systemlieferanten") == "Unsere Systemlieferanten (supplier)"
    assert glossed("Tochtergesellschaft der Falk Gruppe") == (
        "Tochtergesellschaft (ownership) der Falk Gruppe (ownership)"
    )
    assert glossed("Mitglied im Verband") == "Mitglied (membership) im Verband (membership)"
    # the lexicon's own exceptions hold: "Lieferant des Jahres" is an award from a customer
    assert glossed("Lieferant des Jahres 2023") == "Lieferant (customer) des Jahres 2023"
    assert glossed("Gefördert durch das Land") == "Gefördert (investor) durch das Land"
    # words that already say the relation in English, and words without a cue, stay
    assert glossed("Unsere Partner und Investoren, seit 1990") == (
        "Unsere Partner und Investoren, seit 1990"
    )


def test_text_view_glosses_only_german_links_and_only_when_asked():
    german = LinkInput(
        anchor_text="Kern AG",
        section_heading="Vertriebspartner",
        context="Die Kern AG ist Händler unserer Geräte.",
        lang="de",
    )
    assert "(" not in text_features(german)
    text = text_features(german, gloss=True)
    assert "Vertriebspartner (partner)" in text and "Händler (supplier)" in text
    english = LinkInput(section_heading="Our suppliers", lang="en")
    assert text_features(english, gloss=True) == text_features(english)


def test_a_sentence_that_states_a_relation_shadows_the_page_verdict():
    """Under "Customers", a sentence saying "X rolled the steel" keeps the heading's verdict
    as a separate ``~v=`` feature: the model learns that there the page misleads."""
    page = {"section_heading": "Customers", "anchor_text": "Morvern Steel"}
    stated = set(bow_features(LinkInput(**page, context="Plate rolled by Morvern Steel.")))
    assert {"k!supplier", "~v=h_customer", "~v=customer"} <= stated
    assert "v=customer" not in stated
    bare = set(bow_features(LinkInput(**page, context="Morvern Steel")))
    assert {"v=h_customer", "v=customer"} <= bare and not any(f[0] == "~" for f in bare)


def test_the_source_names_itself_as_zzself_and_list_headings_carry_cues():
    link = LinkInput(
        src_url="https://www.moellenkamp-logistik.de/news",
        anchor_text="Kühllogistik Bremer",
        context="Möllenkamps Kunde Kühllogistik Bremer nutzt Möllenkamp seit 2020.",
        section_heading="Werkstoffe von",
    )
    features = bow_features(link)
    assert "c=zzself" in features and "c=möllenkamp" not in features
    assert "k!customer" in features  # "X nutzt <source>": the target uses the source
    assert "~g!supplier" in features  # a list heading's cue, shadowed by the sentence
    assert "g!supplier" in bow_features(LinkInput(section_heading="Werkstoffe von"))
    short = LinkInput(src_url="https://www.abc-bau.de/", context="ABC baut für ACME.")
    assert "c=abc" in bow_features(short)  # names under 5 letters stay words


def test_sentence_against_page_features_pair_the_stated_relation_with_the_page_cue():
    woven = LinkInput(
        section_heading="Clients > Recent clients",
        page_path="/clients",
        anchor_text="Ashby Looms",
        context="Every sofa is upholstered in fabric woven by Ashby Looms.",
    )
    features = bow_features(woven)
    assert "x!supplier@customer" in features and "k!supplier" in features
    plain = LinkInput(section_heading="Clients", anchor_text="Ashby Looms")
    assert not [f for f in bow_features(plain) if f.startswith("x!")]
    no_page = LinkInput(anchor_text="Ashby Looms", context="Fabric woven by Ashby Looms.")
    assert "x!supplier@none" in bow_features(no_page)


def test_supplier_of_the_year_by_x_is_not_a_supplier_cue():
    from models.cues import sentence_cues

    assert sentence_cues("acme was named supplier of the year by zztarget .") == ("k!customer",)
    assert sentence_cues("the cloth is woven by zztarget .") == ("k!supplier",)


def test_word_piece_prefilter_finds_the_same_cues_as_running_every_pattern():
    """Cue spans skip patterns none of whose pieces occur in a word; over every word and word
    pair of the labelled rows (and glued pairs, as German compounds are) the answer must be
    what running all patterns gives."""
    import itertools

    from models import features
    from models.data import load_labelled

    def every_pattern(span: str) -> tuple[str, ...]:
        return tuple(label for label, pattern in features._LABEL_CUES if pattern.search(span))

    spans: set[str] = set()
    for example in load_labelled():
        link = example.link
        for text in (link.anchor_text, link.context, link.section_heading):
            words = features._WORD.findall(text.lower())
            spans.update(words)
            spans.update(f"{a} {b}" for a, b in itertools.pairwise(words))
            spans.update(a + b for a, b in itertools.pairwise(words))
    assert len(spans) > 10_000
    found = 0
    for span in spans:
        cues = features._span_cues.__wrapped__(span)
        assert cues == every_pattern(span), span
        found += bool(cues)
    assert found > 500  # the lexicon does fire: the prefilter is not simply "never"
