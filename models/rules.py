"""The weak-label rules as a named model (``rules``): the baseline, always available."""

from __future__ import annotations

from collections.abc import Sequence

from extraction.weak_labels import weak_label
from models.base import LinkClassifier, Prediction
from models.features import LinkInput

#: Bump when extraction.weak_labels changes its rule table in a way that changes labels.
RULES_VERSION = "rules-2"  # 2: session-2 lexicon (wider EN/DE cues, press/maps/jobs = other)


class RulesClassifier(LinkClassifier):
    """First matching context rule wins; its confidence is the rule's fixed confidence."""

    kind = "rules"

    def __init__(self) -> None:
        self.version = RULES_VERSION

    def predict_links(self, links: Sequence[LinkInput]) -> list[Prediction]:
        out = []
        for link in links:
            verdict = weak_label(
                section_heading=link.section_heading,
                src_url=link.src_url,
                dst_url=link.dst_url,
                anchor_text=link.anchor_text,
                context=link.context,
                region=link.region,
            )
            out.append(Prediction(verdict.label, verdict.confidence))
        return out
