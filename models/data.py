"""Training data: the labelled link contexts, weak-labelled crawl contexts, and their hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from extraction.labels import check_label
from extraction.weak_labels import weak_label
from models.features import LinkInput, text_features

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Rendered from phrasing templates by ``extraction.synthetic`` (train + dev, split by family).
GENERATED_LABELLED = REPO_ROOT / "data_samples" / "labelled" / "link_contexts.jsonl"
#: Written by hand, not from templates: more varied training contexts, and the held-out
#: ``test`` split (never trained or tuned on; see models/README.md).
HANDWRITTEN_DIR = REPO_ROOT / "data_samples" / "labelled"
HANDWRITTEN_TRAIN = HANDWRITTEN_DIR / "handwritten_train.jsonl"
HANDWRITTEN_TEST = HANDWRITTEN_DIR / "handwritten_test.jsonl"
#: Session 11 (issue 15): 253 more hand-written EN/DE train rows, 32 new sites, mostly a
#: sentence that states one relation on a page whose heading or path names another.
HANDWRITTEN_TRAIN_S11 = HANDWRITTEN_DIR / "handwritten_train_s11.jsonl"
#: Session 12 (issue 15): 408 more hand-written train rows from 71 new sites, 60 % English,
#: mostly prose and misleading cues (the weakest kinds in English on the hard split), by a
#: writer who read neither hard split nor the test split.
HANDWRITTEN_TRAIN_S12 = HANDWRITTEN_DIR / "handwritten_train_s12.jsonl"
#: Session 12, second batch: 306 rows from 90 new sites, 85 % English, every row a
#: misleading cue (page, path or word pointing to another label), same writer's rules.
HANDWRITTEN_TRAIN_S13 = HANDWRITTEN_DIR / "handwritten_train_s13.jsonl"
#: The hard evaluation split (issue 15): hand-written logo walls, misleading cues and prose,
#: each row tagged with its ``kind``. Test only: never trained on, never read while tuning,
#: so it is not in :data:`DEFAULT_SOURCES`; :func:`load_hard_eval` reads it.
HARD_EVAL = HANDWRITTEN_DIR / "handwritten_hard_eval.jsonl"
#: The hard *development* split (issue 15, session 9): the same kinds, other sites, targets and
#: sentences, written apart from the hard split. What settings are tuned on; never trained on.
HARD_DEV = HANDWRITTEN_DIR / "handwritten_hard_dev.jsonl"
HARD_KINDS = ("logo_wall", "misleading", "prose")
#: What ``load_labelled()`` reads when no file is named.
DEFAULT_SOURCES = (
    GENERATED_LABELLED, HANDWRITTEN_TRAIN, HANDWRITTEN_TRAIN_S11, HANDWRITTEN_TRAIN_S12,
    HANDWRITTEN_TRAIN_S13, HANDWRITTEN_TEST,
)  # fmt: skip
DEFAULT_LABELLED = GENERATED_LABELLED  # kept for callers of the first session
SPLITS = ("train", "dev", "test")
#: Splits a model is evaluated on and never trained on.
EVALUATION_SPLITS = ("dev", "test")
#: Weak labels below this rule confidence are too noisy to train on.
WEAK_MIN_CONFIDENCE = 0.75


@dataclass(frozen=True)
class Example:
    """One link with its label; ``source`` says where the label came from."""

    id: str
    link: LinkInput
    label: str
    split: str = "train"
    lang: str = ""
    source: str = "labelled"  # labelled | weak
    template: str = ""  # the phrasing family it was rendered from, or "handwritten-*"
    kind: str = ""  # hard split only: logo_wall | misleading | prose

    @property
    def handwritten(self) -> bool:
        return self.template.startswith("handwritten")


def load_labelled(paths: str | Path | Sequence[str | Path] | None = None) -> list[Example]:
    """Read labelled JSONL files (default: :data:`DEFAULT_SOURCES`); a malformed line is an
    error naming file and line, and an id used twice is an error naming both places."""
    templated = paths is None or paths == ""
    if templated:
        paths = DEFAULT_SOURCES
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    examples: list[Example] = []
    where: dict[str, str] = {}
    for path in paths:
        for number, example in _read_labelled(Path(path)):
            if example.id in where:
                raise ValueError(f"{path}:{number}: id {example.id!r} also at {where[example.id]}")
            where[example.id] = f"{path}:{number}"
            examples.append(example)
    if templated:
        examples += template_examples()
    return examples


def template_examples() -> list[Example]:
    """The training and dev rows of :mod:`models.templates` (part of the default data)."""
    from models.templates import template_rows

    return [labelled_example(row) for split in ("train", "dev") for row in template_rows(split)]


def load_for_scoring(path: str | Path) -> list[Example]:
    """A labelled split of one's own, to score models on (``supplylinks evaluate``): its
    rows whatever ``split`` they name (an outside split may name its own); a row without
    ``kind`` counts under ``all``."""
    return [
        replace(example, kind=example.kind or "all")
        for _, example in _read_labelled(Path(path), split="test")
    ]


def _read_labelled(path: Path, split: str | None = None) -> list[tuple[int, Example]]:
    """(line number, example) per row; ``split`` overrides the rows' own."""
    if not path.is_file():
        raise FileNotFoundError(f"labelled data not found: {path}")
    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if split is not None:
                    row = {**row, "split": split}
                examples.append((number, labelled_example(row)))
            except (ValueError, TypeError, KeyError) as exc:
                raise ValueError(f"{path}:{number}: {exc}") from None
    return examples


def labelled_example(row: Mapping[str, Any]) -> Example:
    split = row.get("split") or "train"
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    return Example(
        id=str(row.get("id", "")),
        link=LinkInput.from_row(row),
        label=check_label(row["label"]),
        split=split,
        lang=row.get("lang") or "",
        template=str(row.get("template") or ""),
        kind=str(row.get("kind") or ""),
    )


def load_hard_eval(path: str | Path = HARD_EVAL) -> list[Example]:
    """The hard test split; every row must carry a known ``kind`` and the ``test`` split."""
    return load_hard(path, "test")


def load_hard_dev(path: str | Path = HARD_DEV) -> list[Example]:
    """The hard development split (tuning only); rows carry a ``kind`` and split ``dev``."""
    return load_hard(path, "dev")


def load_hard(path: str | Path, split: str) -> list[Example]:
    """A hard split's rows; each must carry a known ``kind`` and ``split``."""
    examples = load_labelled(path)
    for example in examples:
        if example.kind not in HARD_KINDS or example.split != split:
            raise ValueError(
                f"{path}: {example.id}: hard rows need split {split!r} and kind in "
                f"{HARD_KINDS}, got {example.split!r}/{example.kind!r}"
            )
    return examples


def weak_examples(
    rows: Iterable[Mapping[str, Any]],
    *,
    exclude: Iterable[Example] = (),
    min_confidence: float = WEAK_MIN_CONFIDENCE,
    limit: int | None = None,
) -> list[Example]:
    """Label unlabelled link contexts with the rules; keep confident, distinct ones.

    Rows whose text equals an ``exclude`` example (the dev split) are dropped, so evaluation
    never sees its own contexts in training.
    """
    seen = {text_features(e.link) for e in exclude}
    out = []
    for row in rows:
        try:
            link = LinkInput.from_row(row)
        except TypeError:
            continue
        verdict = weak_label(
            section_heading=link.section_heading,
            src_url=link.src_url,
            dst_url=link.dst_url,
            anchor_text=link.anchor_text,
            context=link.context,
            region=link.region,
        )
        if verdict.rule == "none" or verdict.confidence < min_confidence:
            continue
        key = text_features(link)
        if key in seen:
            continue
        seen.add(key)
        out.append(Example(str(row.get("id") or key[:40]), link, verdict.label, source="weak"))
        if limit is not None and len(out) >= limit:
            break
    return out


def data_hash(examples: Iterable[Example]) -> str:
    """A stable hash of what a model is trained on (inputs and labels)."""
    digest = hashlib.sha256()
    for example in sorted(examples, key=lambda e: (e.source, e.id, e.label, text_features(e.link))):
        record = [example.source, example.id, example.label, text_features(example.link)]
        digest.update(json.dumps(record, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()
