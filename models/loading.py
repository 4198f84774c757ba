"""Turn a model reference into a loaded :class:`LinkClassifier`.

A reference is one of:

* ``"rules"`` — the weak-label rules (version ``rules-2``), always available;
* ``None`` / ``"default"`` — the registry's DEFAULT version; **when no trained model is
  registered, the rules model** (a warning is logged, and ``model_version`` says ``rules-2``,
  so rows classified this way are recognisable and a later backfill can relabel them);
* a registered version id (``spacy-1a2b3c4d5e6f``);
* a filesystem path to an artefact folder (one with ``meta.json``).

Nothing is ever downloaded.
"""

from __future__ import annotations

import logging
from pathlib import Path

from models.base import LinkClassifier
from models.features import feature_version
from models.registry import ArtefactMeta, Registry
from models.rules import RulesClassifier

log = logging.getLogger(__name__)

RULES = "rules"
DEFAULT = "default"


def resolve_model_ref(ref: str | None = None, registry: Registry | None = None) -> str:
    """The concrete target of ``ref``: ``"rules"`` or an artefact folder path.

    Resolve once before a run and hand the result to every worker, so the whole run uses one
    model even if the DEFAULT pointer moves meanwhile.
    """
    registry = registry or Registry()
    ref = (ref or DEFAULT).strip()
    if ref == RULES:
        return RULES
    if ref == DEFAULT:
        version = registry.default_version()
        if version is None:
            log.warning("no default model registered in %s; using the rules model", registry.root)
            return RULES
        return str(registry.path(version))
    if registry.has(ref):
        return str(registry.path(ref))
    path = Path(ref).expanduser()
    if path.is_dir():
        ArtefactMeta.read(path)  # clear error if it is not an artefact
        return str(path.resolve())
    known = ", ".join(m.version for m in registry.versions()) or "none"
    raise ValueError(
        f"unknown model {ref!r}: not 'rules', 'default', a version in {registry.root} "
        f"(registered: {known}) or an artefact folder"
    )


def load_model(ref: str | None = None, registry: Registry | None = None) -> LinkClassifier:
    """Load the model ``ref`` names (see the module docstring for the accepted forms)."""
    target = resolve_model_ref(ref, registry)
    if target == RULES:
        return RulesClassifier()
    return load_artefact(Path(target))


def load_artefact(path: Path) -> LinkClassifier:
    """Load an artefact folder, checking it was built with this code's feature version."""
    meta = ArtefactMeta.read(path)
    expected = feature_version(meta.kind) if meta.kind in ("spacy", "transformer") else None
    if expected and meta.feature_version != expected:
        raise ValueError(
            f"model {meta.version} was built with features {meta.feature_version}, "
            f"this code builds {expected}: retrain it"
        )
    if meta.kind == "spacy":
        from models.spacy_model import SpacyClassifier

        model: LinkClassifier = SpacyClassifier.load(path, meta.version)
    elif meta.kind == "transformer":
        from models.transformer import TransformerClassifier

        try:
            model = TransformerClassifier.load(path, meta.version)
        except ModuleNotFoundError as exc:  # e.g. a cluster that installed no extras
            raise ModuleNotFoundError(
                f"model {meta.version} is a transformer and this Python lacks {exc.name}: "
                "install supplylinks[transformer] where it runs, or name a spaCy version "
                "(SUPPLYLINKS_MODEL, crawl_config.model) as crawl-scale runs do",
                name=exc.name,
            ) from exc
    else:
        raise ValueError(f"model {meta.version} has unknown kind {meta.kind!r}")
    log.info("loaded model %s (%s) from %s", meta.version, meta.kind, path)
    return model
