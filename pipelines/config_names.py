"""Readable names for nested config classes in the Dagster UI.

Why: Dagster turns every nested ``Config`` class into an anonymous ``Shape`` whose key is a
hash, and the resources page prints that key as the field's type (``Shape.23480a81…``), so
a user cannot tell an EMR spec from a price table. Dagster has no public way to name a
``Shape``; its config types are memoized by their content hash, though, and a parent's hash
includes its children's keys. Giving each nested class's ``Shape`` the class name as its key,
leaves first and before any resource built from the root class exists, makes every schema
built afterwards say ``EmrSpec``, ``Noneable.EmrSpec`` or ``Map.String.InstancePrice``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

from dagster import Config
from dagster._config.pythonic_config import infer_schema_from_config_class

#: Kinds of anonymous composite keys Dagster builds from a content hash.
HASHED_KEY_PREFIXES = ("Shape.", "Permissive.", "Selector.")


def name_config_types(*roots: type[Config]) -> None:
    """Key the config type of every ``Config`` class nested in ``roots`` by its class name.

    Call it at import time, right after the classes are defined: schemas built before the
    call keep their hashed keys."""
    for cls in _nested_config_classes(roots, seen=set()):
        config_type = infer_schema_from_config_class(cls).config_type
        if config_type.key.startswith(HASHED_KEY_PREFIXES):
            config_type.key = cls.__name__
            # Building the type already cached its snapshot under the hashed key.
            for cached in ("snapshot", "schema_snapshot"):
                vars(config_type).pop(cached, None)


def _nested_config_classes(roots, seen: set[type]) -> Iterator[type[Config]]:
    """Config classes used in the fields of ``roots`` (not the roots), leaves first."""
    for root in roots:
        for field in root.model_fields.values():
            for cls in _config_classes_in(field.annotation):
                if cls in seen:
                    continue
                seen.add(cls)
                yield from _nested_config_classes([cls], seen)
                yield cls


def _config_classes_in(annotation: Any) -> Iterator[type[Config]]:
    """``Config`` subclasses inside a field's type: ``X``, ``X | None``, ``list[X]``,
    ``dict[str, X]``."""
    if isinstance(annotation, type) and issubclass(annotation, Config):
        yield annotation
        return
    for arg in get_args(annotation):
        yield from _config_classes_in(arg)
