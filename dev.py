#!/usr/bin/env python3
"""Run a development task on a fresh clone with nothing but Python 3.10+ installed.

    python3 dev.py demo        # the SDK against the local Avala API
    python3 dev.py test        # lint, type checks, and the whole test suite
    python3 dev.py <session>   # any nox session (see noxfile.py), extra args after `--`

It creates `.venv-dev/` with nox (standard library only: venv and pip), then hands over to
nox, which builds the project's own environments under `.nox/`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".venv-dev"
NOX = "nox==2026.10.20"
ALIASES = {"test": "ci"}


def tools_python() -> Path:
    scripts = TOOLS / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    marker = TOOLS / ".nox-installed"
    if not marker.exists() or marker.read_text() != NOX:
        print(f"dev.py: preparing {TOOLS.name}/ with {NOX} (first run only)", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(TOOLS)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", NOX],
            check=True,
        )
        marker.write_text(NOX)
    return python


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 10):  # noqa: UP036 - this script must run (and explain) on old ones
        sys.exit("avala needs Python 3.10 or newer")
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    session, rest = argv[0], argv[1:]
    command = [str(tools_python()), "-m", "nox", "-s", ALIASES.get(session, session), *rest]
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
