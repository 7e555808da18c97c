"""`avala`: the command line, built on the generated synchronous `Client`.

Install with `pip install 'avala[cli]'` (click and rich). Every resource method of the SDK is
a command (`avala RESOURCE ACTION`), derived from the method's signature and docstring when
the resource is used; `avala --help` imports neither httpx nor the SDK's resources.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

INSTALL_HINT = "avala: the command line needs click and rich: pip install 'avala[cli]'"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `avala` console script; returns the exit code."""
    from importlib.util import find_spec

    if find_spec("click") is None or find_spec("rich") is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    from ._app import run

    return run(argv)
