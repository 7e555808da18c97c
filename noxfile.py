"""Every development task is a nox session; `python dev.py ...` bootstraps nox itself.

    nox -s ci          lint + typecheck + tests in one environment (what CI runs)
    nox -s tests       the test suite (async, generated sync, core, local API)
    nox -s lint        ruff, formatting, and `scripts/unasync.py --check`
    nox -s typecheck   mypy --strict over avala/ (generated _sync/ included)
    nox -s integrations  the optional integrations' tests with torch, Ray, rosbags installed
    nox -s generate    regenerate avala/_sync and tests/_sync, then format
    nox -s demo        the user page's examples against the local Avala API
    nox -s bench       benchmarks vs the official SDK and raw httpx; writes BENCHMARKS.md
                       (`nox -s bench -- --quick` for a smoke run, `-- --help` for options)
    nox -s official    the official avala 0.10.0 SDK against the local Avala API

Sessions run on the interpreter that runs nox (no interpreter matrix: CI machines have one
Python, and CI=true makes a missing interpreter an error).
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["ci"]

PYPROJECT = nox.project.load_toml("pyproject.toml")


def group(name: str) -> list[str]:
    return list(nox.project.dependency_groups(PYPROJECT, name))


def install(session: nox.Session, *groups: str, package: bool = True) -> None:
    requirements = sorted({req for name in groups for req in group(name)})
    session.install(*requirements)
    if package:
        session.install("-e", ".[local]")


def run_lint(session: nox.Session) -> None:
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("python", "scripts/unasync.py", "--check")


def run_typecheck(session: nox.Session) -> None:
    session.run("mypy", "avala")


OFFICIAL_SDK = "avala==0.10.0"


def official_sdk_python(session: nox.Session) -> str:
    """An interpreter whose environment holds the official SDK. It has the same import name
    as ours, so it lives in its own virtual environment, never in the session's."""
    venv_dir = Path(session.virtualenv.location).parent / "official-sdk"
    python = venv_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    marker = venv_dir / ".installed"
    if not marker.exists() or marker.read_text() != OFFICIAL_SDK:
        session.run("python", "-m", "venv", "--clear", str(venv_dir))
        session.run(
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            OFFICIAL_SDK,
            external=True,
        )
        marker.write_text(OFFICIAL_SDK)
    return str(python)


def run_tests(session: nox.Session) -> None:
    args = session.posargs or ["-q"]
    # The local API's compatibility check drives the official SDK in its own interpreter.
    env = {"AVALA_OFFICIAL_SDK_PYTHON": official_sdk_python(session)}
    session.run("pytest", *args, env=env)


@nox.session
def ci(session: nox.Session) -> None:
    """Lint, type-check and test in one environment: what `.ci/run` and `dev.py test` run."""
    install(session, "lint", "typecheck", "test")
    run_lint(session)
    run_typecheck(session)
    run_tests(session)
    session.notify("integrations")


# A CPU build of torch: PyPI's default Linux wheel brings ~3 GB of CUDA libraries the tests
# never use. The CI image ships this release as a `+cpu` wheel that pip finds through its
# find-links; elsewhere set AVALA_TORCH_REQUIREMENT (and pip's index) to a CPU build you have.
TORCH_REQUIREMENT = os.environ.get("AVALA_TORCH_REQUIREMENT", "torch==2.13.*")

# lerobot (tests/integrations/test_lerobot*.py): 0.4.4 is the newest release that installs on
# Python 3.11 (0.5+ needs 3.12). Its dataset code imports torchvision, and PyPI's torchvision
# builds load only with the CUDA build of the torch release they pin, so this session uses
# torch 2.14.1 + torchvision 0.29.1 (they run on CPU; the CI image keeps them in a local
# index). lerobot 0.4.4 pins torch<2.11, which its dataset code does not need: it is
# installed without dependencies, and the ones its dataset code imports are listed here.
# AVALA_LEROBOT=0 keeps the small CPU torch and skips the LeRobot tests.
LEROBOT_REQUIREMENT = "lerobot==0.4.4"
LEROBOT_TORCH = ["torch==2.14.1", "torchvision==0.29.1"]
LEROBOT_DEPENDENCIES = [
    "datasets>=4,<5",
    "huggingface-hub>=0.34.2,<0.36",
    "accelerate>=1.10,<2",
    "av>=15,<16",
    "packaging>=24.2,<26",
]


@nox.session
def integrations(session: nox.Session) -> None:
    """The optional integrations (tests/integrations) with their libraries installed: torch,
    Ray, rosbags, the MCAP writers. `nox -s ci` runs this session after its own."""
    install(session, "test", "integrations")
    if os.environ.get("AVALA_LEROBOT", "1") == "0":
        session.install(TORCH_REQUIREMENT)
    else:
        session.install(*LEROBOT_TORCH, *LEROBOT_DEPENDENCIES)
        session.install("--no-deps", LEROBOT_REQUIREMENT)
    session.run("pytest", *(session.posargs or ["-q"]), "tests/integrations")


@nox.session
def tests(session: nox.Session) -> None:
    install(session, "test")
    run_tests(session)


@nox.session
def lint(session: nox.Session) -> None:
    install(session, "lint", package=False)
    run_lint(session)


@nox.session
def typecheck(session: nox.Session) -> None:
    install(session, "typecheck")
    run_typecheck(session)


@nox.session
def demo(session: nox.Session) -> None:
    """The documentation page's flows, async and sync, against the local Avala API."""
    session.install("-e", ".[local]")
    session.run("python", "examples/demo.py")


@nox.session
def official(session: nox.Session) -> None:
    """Only the official SDK's compatibility check against the local Avala API."""
    install(session, "test")
    env = {"AVALA_OFFICIAL_SDK_PYTHON": official_sdk_python(session)}
    session.run("pytest", "-q", "tests/testing/test_official_sdk.py", env=env)


@nox.session
def generate(session: nox.Session) -> None:
    """Format the async sources, then regenerate the sync trees from them."""
    install(session, "lint", package=False)
    session.run("ruff", "format", "avala", "tests", "scripts")
    session.run("ruff", "check", "--fix", "--select", "I", "avala", "tests", "scripts")
    session.run("python", "scripts/unasync.py")


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmark suite (`benchmarks/`), against the local Avala API on loopback.

    The official SDK is installed by the suite itself, into `.bench/official-venv` (it has
    the same import name as this SDK, so it never enters this session's venv).
    """
    install(session, "bench")
    session.install(TORCH_REQUIREMENT)  # the training-loader benchmark (section 12)
    session.run("python", "-m", "benchmarks.run", *session.posargs)


@nox.session
def soak(session: nox.Session) -> None:
    """The fault soak (tests marked `soak`) at a larger size: `AVALA_SOAK_OPS` operations per
    client (default 50,000; CI runs 5,000 in the ordinary test run). Prints each run's
    figures; `AVALA_SOAK_REPORT=<file>` also appends them there as JSON lines."""
    install(session, "test")
    env = {"AVALA_SOAK_OPS": os.environ.get("AVALA_SOAK_OPS", "50000")}
    session.run("pytest", "-q", "-m", "soak", "-rP", *session.posargs, env=env)
