"""``ClassifierConfig``: what the ``link_classifier`` asset trains on and the quality bar."""

from __future__ import annotations

from dagster import ConfigurableResource

from models.registry import DEFAULT_KIND
from pipelines.config import Settings


class ClassifierConfig(ConfigurableResource):
    """Training inputs, registry and check floors; each field can be overridden per run."""

    #: One labelled JSONL file; "" means the default sources of ``models.data``.
    labelled: str = ""
    #: Warehouse root whose latest ``company_links`` crawl feeds weak labels ("" = none).
    warehouse: str = ""
    #: Registry folder; "" means ``$SUPPLYLINKS_MODELS`` / ``<repo>/artifacts/models``.
    models: str = ""
    kind: str = DEFAULT_KIND
    epochs: int | None = None
    base_model: str | None = None
    use_weak_labels: bool = True
    weak_limit: int = 20_000
    #: if-better: the new version becomes the default only if it scores >= the model in use.
    promote: str = "if-better"
    min_macro_f1: float = 0.85
    min_label_f1: float = 0.75
    #: Floors on the hard split: issue 15's targets (macro-F1 0.85, every label 0.75,
    #: misleading-cue and prose accuracy 0.80, each language's macro-F1 0.85), which the
    #: default kind reaches (models/README.md, "Session 14"; earlier sessions kept the kind
    #: and language floors lower while the spaCy default missed English).
    hard_min_macro_f1: float = 0.85
    hard_min_label_f1: float = 0.75
    #: Accuracy floor of the misleading-cue and prose rows, overall and in each language
    #: (logo walls are easier).
    hard_min_kind_accuracy: float = 0.80
    #: Macro-F1 floor of each language (en, de) on the hard split.
    hard_min_lang_macro_f1: float = 0.85

    @classmethod
    def from_settings(cls, settings: Settings) -> ClassifierConfig:
        return cls(warehouse=settings.warehouse)

    def training_config(self) -> dict:
        config: dict = {}
        if self.epochs:
            config["epochs"] = self.epochs
        if self.base_model:
            config["base_model"] = self.base_model
        return config
