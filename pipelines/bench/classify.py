"""``supplylinks bench classify``: links/s per core for rules, the spaCy and the transformer
model on the same inputs.

Inputs are crawl-like: rows of the labelled set, each with a fresh target, anchor and
sentence (so anchors, sentences and targets miss every cache) while headings and page paths
repeat as they do on real pages; or ``--input FILE.jsonl`` (e.g. contexts from a crawl).
Throughput is links per CPU-second of this process with one torch thread, i.e. per core.
The spaCy model is ``--spacy``, else the newest registered one, else one trained here on the
labelled train split; the transformer is ``--transformer``, else the newest registered one,
else the local MiniLM base with an untrained head (speed does not depend on the weights).
The last printed line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

TARGETS = {"spacy": 20_000.0, "transformer": 200.0}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("classify", help="links/s/core of rules, spaCy and transformer")
    parser.add_argument("--links", type=int, default=100_000, help="links for rules and spaCy")
    parser.add_argument("--transformer-links", type=int, default=2_000)
    parser.add_argument("--input", help="JSONL of link contexts instead of generated ones")
    parser.add_argument("--spacy", help="spaCy model ref (default: the newest registered)")
    parser.add_argument("--transformer", help="transformer model ref (default: see above)")
    parser.add_argument("--skip-transformer", action="store_true")
    parser.set_defaults(func=run)


def crawl_like_rows(n: int) -> list[dict[str, Any]]:
    """``n`` rows built from the labelled set with unique targets, anchors and sentences."""
    from models.data import load_labelled

    base = [e for e in load_labelled() if e.split != "test"]  # test stays for evaluation only
    rows = []
    for i in range(n):
        example = base[i % len(base)]
        link = example.link
        anchor = f"{link.anchor_text} {i}" if link.anchor_text else ""
        context = (
            link.context.replace(link.anchor_text, anchor)
            if link.anchor_text
            else f"{link.context} ({i})"
        )
        rows.append(
            {
                "src_url": link.src_url,
                "dst_url": f"https://www.firm-{i}.example/",
                "anchor_text": anchor,
                "section_heading": link.section_heading,
                "context": context,
                "region": "main",
                "lang": example.lang,
            }
        )
    return rows


def measure(model, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Predict all rows in batches as the Spark job does; CPU seconds of this process."""
    from models.features import LinkInput, clear_caches

    # warm-up on other rows (first-call kernel set-up is paid once per executor, not per link)
    model.predict_inputs([LinkInput(anchor_text=f"warm-up {i}") for i in range(64)])
    clear_caches()
    cpu, wall = time.process_time(), time.perf_counter()
    links = [LinkInput.from_row(row) for row in rows]
    for start in range(0, len(links), 10_000):
        model.predict_inputs(links[start : start + 10_000])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "version": model.version,
        "links": len(rows),
        "cpu_seconds": round(cpu, 3),
        "links_per_s_core": round(len(rows) / cpu, 1) if cpu else None,
        "wall_seconds": round(wall, 3),
    }


def run(args: argparse.Namespace) -> int:
    import torch

    torch.set_num_threads(1)
    rows = _read_rows(Path(args.input)) if args.input else crawl_like_rows(args.links)
    rows = rows[: args.links]
    figures: dict[str, Any] = {"links": len(rows)}
    from models import load_model

    figures["rules"] = measure(load_model("rules"), rows)
    _print("rules", figures["rules"])
    with tempfile.TemporaryDirectory(prefix="bench-classify-") as scratch:
        spacy_model = _spacy_model(args.spacy, Path(scratch))
        figures["spacy"] = measure(spacy_model, rows)
        _print("spacy", figures["spacy"])
        if not args.skip_transformer:
            transformer = _transformer_model(args.transformer)
            figures["transformer"] = measure(transformer, rows[: args.transformer_links])
            _print("transformer", figures["transformer"])
    figures["targets_links_per_s_core"] = TARGETS
    figures["meets_targets"] = all(
        figures[kind]["links_per_s_core"] >= target
        for kind, target in TARGETS.items()
        if kind in figures
    )
    print(json.dumps(figures))
    return 0


def _print(name: str, figure: dict[str, Any]) -> None:
    print(
        f"{name:12s} {figure['version']:28s} {figure['links']:>8,} links  "
        f"{figure['links_per_s_core']:>10,.0f} links/s/core",
        flush=True,
    )


def _spacy_model(ref: str | None, scratch: Path):
    from models import load_model
    from models.data import load_labelled
    from models.registry import Registry
    from models.training import train_model

    if ref:
        model = load_model(ref)
        if model.kind != "spacy":
            raise SystemExit(f"--spacy {ref} is a {model.kind} model")
        return model
    if newest := Registry().newest("spacy"):
        return load_model(newest.version)
    print("no spaCy model registered: training one on the labelled train split", flush=True)
    result = train_model("spacy", load_labelled(), registry=Registry(scratch), promote="never")
    return load_model(str(result.path))


def _transformer_model(ref: str | None):
    from models import load_model
    from models.registry import Registry

    if ref:
        return load_model(ref)
    if newest := Registry().newest("transformer"):
        return load_model(newest.version)
    from models.transformer import (
        DEFAULT_CONFIG,
        TransformerClassifier,
        default_base_model,
        load_base,
    )

    base = default_base_model()
    print(f"no transformer registered: timing {base} with an untrained head", flush=True)
    tokenizer, model = load_base(base)
    return TransformerClassifier(
        model,
        tokenizer,
        "minilm-untrained-head",
        DEFAULT_CONFIG["max_length"],
        DEFAULT_CONFIG["quantize"],
    )


def _read_rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict):
                rows.append(row)
    return rows
