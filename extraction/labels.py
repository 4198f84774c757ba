"""The relation label set: the one place that names the seven labels of DESIGN.md.

Direction is always "what the source site says about the target".
"""

from __future__ import annotations

RELATION_LABELS: tuple[str, ...] = (
    "customer",
    "supplier",
    "partner",
    "ownership",
    "investor",
    "membership",
    "other",
)

#: The label for "no business relation"; weak rules and models fall back to it.
NO_RELATION = "other"


def check_label(label: str) -> str:
    """Return ``label`` if it is one of the seven, else raise a ValueError naming it."""
    if label not in RELATION_LABELS:
        raise ValueError(f"unknown relation label {label!r}; expected one of {RELATION_LABELS}")
    return label
