"""Every development task is a nox session; `python dev.py ...` bootstraps nox itself.

    nox -s ci          lint + typecheck + tests in one environment (what CI runs)
    nox -s tests       the test suite (async, generated sync, core, local API)
    nox -s lint        ruff, formatting, and `scripts/unasync.py --check`
    nox -s typecheck   mypy --strict over avala/ (generated _sync/ included)
    nox -s generate    regenerate avala/_sync and tests/_sync, then format
    nox -s demo        the user page's examples against the local Avala API

Sessions run on the interpreter that runs nox (no interpreter matrix: CI machines have one
Python, and CI=true makes a missing interpreter an error).
"""

from __future__ import annotations

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


def run_tests(session: nox.Session) -> None:
    args = session.posargs or ["-q", "-m", "not soak"]
    session.run("pytest", *args)


@nox.session
def ci(session: nox.Session) -> None:
    """Lint, type-check and test in one environment: what `.ci/run` and `dev.py test` run."""
    install(session, "lint", "typecheck", "test")
    run_lint(session)
    run_typecheck(session)
    run_tests(session)


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
def generate(session: nox.Session) -> None:
    """Format the async sources, then regenerate the sync trees from them."""
    install(session, "lint", package=False)
    session.run("ruff", "format", "avala", "tests", "scripts")
    session.run("ruff", "check", "--fix", "--select", "I", "avala", "tests", "scripts")
    session.run("python", "scripts/unasync.py")
