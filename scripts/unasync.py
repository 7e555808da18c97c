#!/usr/bin/env python3
"""Generate the synchronous code from its async source of truth.

    python scripts/unasync.py           # regenerate avala/_sync and tests/_sync
    python scripts/unasync.py --check   # exit 1 (with a diff) if anything generated is stale

Pipeline (identical in both modes, only the destination differs): copy the async trees and
pyproject.toml into a scratch directory, convert with the `unasync` package plus our rules,
fix up docstrings and comments, prepend the do-not-edit header, format with ruff. Then
compare the scratch `_sync` trees with the committed ones: missing, stale (no async source),
hand-edited and out-of-date files all fail the check.

Two guards catch rule rot: a replacement that never fires is an error (it hides a rename
that no longer exists), and a deny-list of tokens that must never survive into sync code
(`__await__`, `aclose`, `asyncio.sleep`, `SyncRetrying`, ...) is checked on every output.
"""

from __future__ import annotations

import argparse
import difflib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

# This file is itself named unasync.py: keep its folder off the path so `import unasync`
# finds the package, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import unasync  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# (async source dir, generated sync dir), relative to the repository root.
TREES = (("avala/_async", "avala/_sync"), ("tests/_async", "tests/_sync"))

# Hand-written twin pairs (async source, sync twin): what unasync cannot derive and that does
# not fit `avala/_twins.py`'s primitives. The async file is not converted; the sync file is
# committed by hand, next to its generated siblings, and must exist.
HAND_WRITTEN = {"avala/_async/_paginator.py": "avala/_sync/_paginator.py"}

# Token renames beyond unasync's built-ins (__aenter__, AsyncIterator, ...). Any other name
# `Async<Upper>...` loses its prefix (`AsyncTasks` -> `Tasks`, `AsyncRetrying` -> `Retrying`,
# `httpx.AsyncClient` -> `httpx.Client`): see `AvalaRule.unasync_name`.
SOURCE_REPLACEMENTS = {
    "aclose": "close",  # httpx.AsyncClient.aclose
    "async_sleep": "sleep",  # avala._twins
    "handle_async_request": "handle_request",  # httpx transports (avala._async._transfer)
    "aiter_bytes": "iter_bytes",  # httpx.Response
    "aiter_raw": "iter_raw",  # httpx.Response
    "aread": "read",  # httpx.Response
    "async_checkpoint": "checkpoint",  # avala._runner
    "async_load": "load",  # avala._async._load
    "async_object_file": "object_file",  # avala._download_twins
}
TEST_REPLACEMENTS = {
    **SOURCE_REPLACEMENTS,
    "async_httpx_client": "httpx_client",  # avala.testing.LocalAvala
    "_async": "_sync",  # imports of private modules: avala._async._transfer
}

# What must never appear in generated code (outside comments and strings).
DENY = re.compile(
    r"\b(?:await|async|__await__|__aiter__|__anext__|aclose|aread|aiter_\w+|anext|"
    r"async_sleep|Awaitable|AsyncMock|StopIteration|Sync[A-Z]\w*|Async[A-Z]\w*)\b"
    r"|asyncio\.sleep|anyio\.sleep|pytest\.mark\.(?:asyncio|anyio|trio)"
)

HEADER = (
    "# Generated from {source} by scripts/unasync.py. Do not edit: change the async source\n"
    "# and run `nox -s generate` (or `python scripts/unasync.py`).\n"
)

# Prose fix-ups for docstrings and comments, which unasync leaves untouched.
PROSE = (
    (re.compile(r"\bawait\s+"), ""),
    (re.compile(r"\basync\s+(for|with|def)\b"), r"\1"),
    (re.compile(r"\baclose\(\)"), "close()"),
    (re.compile(r"`async for`"), "`for`"),
    (re.compile(r"\bAsync([A-Z]\w*)"), r"\1"),
    (re.compile(r"\basyncio\.run\((\w+)\(\)\)"), r"\1()"),
)


class AvalaRule(unasync.Rule):  # type: ignore[misc]
    """unasync's Rule with our naming convention and prose fix-ups."""

    def __init__(self, fromdir: str, todir: str, replacements: dict[str, str]) -> None:
        super().__init__(fromdir, todir, additional_replacements=replacements)
        self.replacements = replacements
        self.fired: set[str] = set()

    def _unasync_name(self, name: str) -> str:
        if name in self.token_replacements:
            if name in self.replacements:
                self.fired.add(name)
            return str(self.token_replacements[name])
        if len(name) > 5 and name.startswith("Async") and name[5].isupper():
            return name[5:]
        return name

    def _unasync_tokens(self, tokens):  # type: ignore[no-untyped-def]
        for token in super()._unasync_tokens(tokens):
            if token.name == "COMMENT" or (
                token.name == "STRING" and token.src.lstrip("rbuRBU").startswith(('"""', "'''"))
            ):
                text = token.src
                for pattern, replacement in PROSE:
                    text = pattern.sub(replacement, text)
                token = token._replace(src=text)
            yield token


def _code_only(source: str) -> str:
    """The source with comments and string literals blanked, for the deny-list scan."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.STRING):
            continue
        if sys.version_info >= (3, 12) and tok.type in (
            tokenize.FSTRING_START,
            tokenize.FSTRING_MIDDLE,
            tokenize.FSTRING_END,
        ):
            continue
        out.append(tok.string)
    return " ".join(out)


def generate(scratch: Path) -> tuple[dict[str, str], list[str]]:
    """Generate every sync file under `scratch`; return {relative path: text} and problems."""
    shutil.copy(ROOT / "pyproject.toml", scratch / "pyproject.toml")
    problems: list[str] = []
    rules = []
    sources: list[str] = []
    for src_dir, dst_dir in TREES:
        replacements = TEST_REPLACEMENTS if src_dir.startswith("tests") else SOURCE_REPLACEMENTS
        rule = AvalaRule(f"/{src_dir}/", f"/{dst_dir}/", dict(replacements))
        rules.append(rule)
        shutil.copytree(
            ROOT / src_dir, scratch / src_dir, ignore=shutil.ignore_patterns("__pycache__")
        )
        for twin in HAND_WRITTEN:
            (scratch / twin).unlink(missing_ok=True)
        sources += [str(p) for p in sorted((scratch / src_dir).rglob("*.py"))]
    unasync.unasync_files(sources, rules)

    # The test rules include the source ones, so a replacement is dead only if it fired in
    # no tree at all.
    declared = set().union(*(rule.replacements for rule in rules))
    never = declared - set().union(*(rule.fired for rule in rules))
    if never:
        problems.append(f"replacement rules that never fired (remove them): {sorted(never)}")

    outputs: dict[str, str] = {}
    for src_dir, dst_dir in TREES:
        for path in sorted((scratch / dst_dir).rglob("*.py")):
            rel = path.relative_to(scratch).as_posix()
            source = rel.replace(dst_dir, src_dir, 1)
            path.write_text(HEADER.format(source=source) + path.read_text())
    targets = [str(scratch / dst) for _, dst in TREES if (scratch / dst).exists()]
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run(
        [*ruff, "check", "--quiet", "--select", "I,F401", "--fix", "--exit-zero", *targets],
        cwd=scratch,
        check=True,
    )
    subprocess.run([*ruff, "format", "--quiet", *targets], cwd=scratch, check=True)
    for _, dst_dir in TREES:
        for path in sorted((scratch / dst_dir).rglob("*.py")):
            rel = path.relative_to(scratch).as_posix()
            text = path.read_text()
            outputs[rel] = text
            for match in DENY.finditer(_code_only(text)):
                problems.append(f"{rel}: async-only token {match.group(0)!r} survived conversion")
    return outputs, problems


def committed() -> dict[str, str]:
    found: dict[str, str] = {}
    hand_written = set(HAND_WRITTEN.values())
    for _, dst_dir in TREES:
        base = ROOT / dst_dir
        if base.exists():
            for path in sorted(base.rglob("*.py")):
                rel = path.relative_to(ROOT).as_posix()
                if rel not in hand_written:
                    found[rel] = path.read_text()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if generated code is stale")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="avala-unasync-") as tmp:
        expected, problems = generate(Path(tmp))
    current = committed()
    for source, twin in HAND_WRITTEN.items():
        if not (ROOT / source).exists() or not (ROOT / twin).exists():
            problems.append(f"{source} and {twin} are a hand-written pair: both must exist")

    stale = sorted(set(current) - set(expected))
    missing = sorted(set(expected) - set(current))
    changed = sorted(p for p in set(expected) & set(current) if expected[p] != current[p])

    if args.check:
        for rel in changed:
            sys.stdout.writelines(
                difflib.unified_diff(
                    current[rel].splitlines(keepends=True),
                    expected[rel].splitlines(keepends=True),
                    f"{rel} (committed)",
                    f"{rel} (generated)",
                )
            )
        for rel in missing:
            problems.append(f"{rel}: missing (run python scripts/unasync.py)")
        for rel in stale:
            problems.append(f"{rel}: has no async source; delete it (python scripts/unasync.py)")
        for rel in changed:
            problems.append(f"{rel}: differs from its async source (edited by hand, or stale)")
    else:
        for rel in stale:
            (ROOT / rel).unlink()
        for rel in missing + changed:
            (ROOT / rel).parent.mkdir(parents=True, exist_ok=True)
            (ROOT / rel).write_text(expected[rel])
        print(
            f"unasync: {len(expected)} files, {len(missing)} new, {len(changed)} updated, "
            f"{len(stale)} removed"
        )

    for problem in problems:
        print(f"unasync: {problem}", file=sys.stderr)
    if problems:
        return 1
    if args.check:
        print(f"unasync: {len(expected)} generated files are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
