"""The compiled part of extraction (``extraction._pagewalk``), imported in one place.

There is no pure-Python fallback: without the extension, importing extraction fails here
with a message that says how to build it.
"""

from __future__ import annotations

try:
    from extraction import _pagewalk as pagewalk
except ImportError as exc:
    raise ImportError(
        "extraction needs its compiled page walker extraction._pagewalk, which is not built "
        f"({exc}). Build it from the repository root with `pip install -e .` (or `make venv`); "
        "that needs a C compiler and the Python headers."
    ) from exc

__all__ = ["pagewalk"]
