"""What every link classifier offers: a version, a kind, the label set and batched predict."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from extraction.labels import RELATION_LABELS
from models.features import LinkInput


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

    @abstractmethod
    def predict_inputs(self, links: Sequence[LinkInput]) -> list[Prediction]:
        """Label already normalised links, in order, batched internally."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.version}>"
