"""``ClassifierConfig``: what the ``link_classifier`` asset trains on and the quality bar."""

from __future__ import annotations

from dagster import ConfigurableResource

from pipelines.config import Settings


class ClassifierConfig(ConfigurableResource):
    """Training inputs, registry and check floors; each field can be overridden per run."""

    #: One labelled JSONL file; "" means the default sources of ``models.data``.
    labelled: str = ""
    #: Warehouse root whose latest ``company_links`` crawl feeds weak labels ("" = none).
    warehouse: str = ""
    #: Registry folder; "" means ``$SUPPLYLINKS_MODELS`` / ``<repo>/artifacts/models``.
    models: str = ""
    kind: str = "spacy"
    epochs: int | None = None
    base_model: str | None = None
    use_weak_labels: bool = True
    weak_limit: int = 20_000
    #: if-better: the new version becomes the default only if it scores >= the model in use.
    promote: str = "if-better"
    min_macro_f1: float = 0.85
    min_label_f1: float = 0.75
    #: Floors on the hard split (models/README.md, "Session 8" and "Session 11"). Session 8
    #: set them at what its spaCy model reached (0.791 macro-F1, customer 0.613, misleading
    #: 0.683, EN 0.734), below the issue's targets of 0.85 / 0.75 / 0.80 / 0.85 per language.
    #: Session 11 raised the label floor to the issue's 0.75; session 12 the macro floor to
    #: the issue's 0.85 (the shipped spaCy model: 0.869, weakest label customer 0.771). The
    #: kind and language floors stay below the issue's 0.80 / 0.85 until the default
    #: reaches them (EN misleading 0.737, EN macro-F1 0.832).
    hard_min_macro_f1: float = 0.85
    hard_min_label_f1: float = 0.75
    #: Accuracy floor of the misleading-cue and prose rows (logo walls are easier).
    hard_min_kind_accuracy: float = 0.68
    #: Macro-F1 floor of each language (en, de) on the hard split.
    hard_min_lang_macro_f1: float = 0.73

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
