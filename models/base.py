"""What every link classifier offers: a version, a kind, the label set and batched predict."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from extraction.labels import NO_RELATION, RELATION_LABELS
from models.features import LinkInput, url_target_kind

#: Confidence of the non-business-target post-rule (that of the rules' social-target rule).
NON_BUSINESS_CONFIDENCE = 0.95


class Prediction(NamedTuple):
    """One link's relation label and the model's confidence in it (0..1)."""

    label: str
    confidence: float


class LinkClassifier(ABC):
    """A loaded model. ``version`` is what ``company_links.model_version`` records."""

    version: str
    kind: str
    labels: tuple[str, ...] = RELATION_LABELS

    def predict(self, rows: Sequence[Mapping[str, Any]]) -> list[Prediction]:
        """Label rows (dicts with any of the model fields; missing/None -> empty)."""
        return self.predict_inputs([LinkInput.from_row(row) for row in rows])

    def predict_inputs(self, links: Sequence[LinkInput]) -> list[Prediction]:
        """Label already normalised links, in order, batched internally; a link to a
        non-business target (:mod:`extraction.targets`) or whose anchor is a site credit
        ("Website by X", "Webdesign: X") is ``other``, whatever the model said: every model
        kind applies these post-rules."""
        return with_target_rule(links, self.predict_links(links))

    @abstractmethod
    def predict_links(self, links: Sequence[LinkInput]) -> list[Prediction]:
        """The model's own labels for normalised links (before the target post-rule)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.version}>"


_OTHER = Prediction(NO_RELATION, NON_BUSINESS_CONFIDENCE)


#: An anchor that credits the site's makers ("Website by X", "Webdesign: X", "Realisierung
#: durch X"): the target is the web agency or host, never a business relation. Only whole
#: credits at the anchor's start; "powered by X" is left to the model (a supplier's product
#: can power the source's own).
SITE_CREDIT_ANCHOR = re.compile(
    r"\s*(?:website|web ?site|site|webdesign|web ?design|design|gestaltung|realisierung"
    r"|realisation|realization|umsetzung|programmierung|hosting|konzept (?:und|&) design"
    r"|design (?:und|&) umsetzung|site (?:design|built)|website (?:design|erstellt))"
    r"\s*(?:by|von|durch|:)\s*\w",
    re.I,
)


def with_target_rule(links: Sequence[LinkInput], predictions: list[Prediction]) -> list[Prediction]:
    """``predictions`` with every link to a non-business target, or with a site-credit
    anchor, set to ``other``."""
    return [
        _OTHER
        if p.label != NO_RELATION
        and (non_business_target(link.dst_url) or site_credit(link.anchor_text))
        else p
        for link, p in zip(links, predictions, strict=True)
    ]


def site_credit(anchor_text: str) -> bool:
    """True when ``anchor_text`` credits the site's makers (:data:`SITE_CREDIT_ANCHOR`)."""
    return bool(anchor_text) and SITE_CREDIT_ANCHOR.match(anchor_text) is not None


def non_business_target(url: str) -> bool:
    """True when ``url`` points at a job portal, social network, tool, registry, …"""
    return bool(url) and url_target_kind(url) is not None
