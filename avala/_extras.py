"""Optional integrations: import their libraries or say how to install them."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingExtraError

__all__ = ["require"]


def require(module: str, extra: str, *, feature: str | None = None) -> ModuleType:
    """Import `module`, or raise `MissingExtraError` naming `pip install "avala[extra]"`."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        what = feature or f"avala.{extra}"
        missing = exc.name or module
        raise MissingExtraError(
            f"{what} needs {missing!r}, which is not installed. Install it with: "
            f'pip install "avala[{extra}]"'
        ) from None
