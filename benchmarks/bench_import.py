"""1. Cold `import avala`: a fresh interpreter per run, timing only the import statement.

Each run is `python -I -c "t = perf_counter(); <import>; print(perf_counter() - t)"`, so
interpreter start-up is left out and `-I` keeps the working directory (and with it this
repository's `avala`) off `sys.path` of the official SDK's interpreter. One discarded run per
variant first writes the bytecode caches, as any installed package has them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from .results import Results, Variant, interleave

SECTION = "1. cold import"
SCRIPT = "import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"


def _timer(python: str, stmt: str) -> Variant:
    def run() -> float:
        done = subprocess.run(
            [python, "-I", "-c", SCRIPT.format(stmt=stmt)],
            capture_output=True,
            text=True,
            check=True,
            cwd=tempfile.gettempdir(),
            timeout=120,
        )
        return float(done.stdout.strip().splitlines()[-1])

    return run


def run(results: Results, official_python: Path | None, official_why: str, *, rounds: int) -> None:
    ours = sys.executable
    plan: list[tuple[str, str, str | None, str]] = [
        ("import.httpx", "import httpx (this venv)", ours, "import httpx"),
        ("import.sdk", "import avala (this SDK)", ours, "import avala"),
        (
            "import.sdk.client",
            "from avala import Client (this SDK)",
            ours,
            "from avala import Client",
        ),
        (
            "import.sdk.async_client",
            "from avala import AsyncClient (this SDK)",
            ours,
            "from avala import AsyncClient",
        ),
        (
            "import.official",
            "import avala (official SDK, its venv)",
            str(official_python) if official_python else None,
            "import avala",
        ),
        (
            "import.official.httpx",
            "import httpx (official SDK's venv)",
            str(official_python) if official_python else None,
            "import httpx",
        ),
    ]
    variants: dict[str, Variant] = {}
    for key, label, python, stmt in plan:
        if python is None:
            results.unavailable(key, label, official_why)
            continue
        results.sample(key, label)
        variants[key] = _timer(python, stmt)
        variants[key]()  # writes __pycache__ (PYTHONDONTWRITEBYTECODE is ignored under -I)
    interleave(results, variants, rounds, collect=False)
    results.check(
        SECTION, "import avala / import httpx", "import.sdk", "import.httpx", "at_most", 1.3
    )
    results.check(
        SECTION, "official import avala / ours", "import.sdk", "import.official", "faster_by"
    )
    results.check(
        SECTION,
        "from avala import Client / import httpx",
        "import.sdk.client",
        "import.httpx",
        "at_most",
    )
