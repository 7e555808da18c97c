"""The built-in commands (`status`, `local`, `completion`), `--version`, and a fast `--help`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from avala import __version__
from avala.testing import LocalAvala

from .conftest import KEY, Run, Served

ROOT = Path(__file__).resolve().parents[2]


def python(
    *args: str, env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_version(cli: Run) -> None:
    result = cli("--version")
    assert (result.code, result.stdout) == (0, f"avala {__version__}\n")


def test_help_lists_resources_and_commands(cli: Run) -> None:
    result = cli("--help")
    assert result.code == 0
    for name in ("projects", "fleet", "annotation-issues", "configure", "status", "local"):
        assert f"\n  {name} " in result.stdout
    assert "Exit codes" in result.stdout


def test_help_does_not_import_the_sdk() -> None:
    """`avala --help` in a fresh interpreter: no httpx, no resources, no rich."""
    result = python(
        "-X", "importtime", "-c", "from avala.cli import main; raise SystemExit(main(['--help']))"
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: avala" in result.stdout
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    assert "click" in imported  # the check can see imports at all
    heavy = {
        m for m in imported if m.split(".")[0] in ("httpx", "httpcore", "rich", "anyio", "tenacity")
    }
    heavy |= {
        m
        for m in imported
        if m.startswith(("avala._sync", "avala._async", "avala._core", "avala.types"))
    }
    assert not heavy, sorted(heavy)


def test_resource_help_builds_commands_from_the_sdk(cli: Run) -> None:
    result = cli("fleet", "devices", "--help")
    assert result.code == 0
    for name in ("register", "list", "get", "update", "delete"):
        assert f"\n  {name} " in result.stdout


def test_missing_extra_prints_the_install_hint(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rich", None)  # find_spec() now reports it missing
    result = cli("projects", "list")
    assert result.code == 2
    assert (
        result.stderr.strip()
        == "avala: the command line needs click and rich: pip install 'avala[cli]'"
    )


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _avala_completion avala"),
        ("zsh", "#compdef avala"),
        ("fish", "complete --no-files --command avala"),
    ],
)
def test_completion_scripts(cli: Run, shell: str, marker: str) -> None:
    result = cli("completion", shell)
    assert result.code == 0
    assert marker in result.stdout
    assert "_AVALA_COMPLETE" in result.stdout


def test_completion_completes_resources_commands_and_values() -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_AVALA_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        result = python("-m", "avala.cli", env=env)
        return [line.split(",", 1)[1] for line in result.stdout.splitlines()]

    assert "projects" in complete("avala proj")
    assert "devices" in complete("avala fleet dev")
    assert "get-by-slug" in complete("avala datasets get-by")
    assert {"pending", "in_progress"} <= set(complete("avala tasks list --status "))


def test_status(cli: Run, fresh: Served) -> None:
    fresh.api.seed_tasks(12)
    result = cli("--base-url", fresh.base_url, "--api-key", KEY, "-o", "json", "status")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["user"]["username"] == "demo"
    assert report["base_url"] == fresh.base_url
    assert report["api_key_source"] == "--api-key"
    assert KEY not in result.stdout
    store = fresh.api.store
    expected = {name: len(list(store.col(name))) for name in ("projects", "datasets", "tasks")}
    assert report["counts"] == expected
    assert report["counts_capped"] == []
    assert set(report["rate_limit"]) == {"limit", "remaining", "reset"}


def test_status_with_a_rate_limit_and_a_count_cap(cli: Run) -> None:
    api = LocalAvala(data="demo", rate_limit=1000)
    api.seed_tasks(30)
    with api.serve() as server:
        base = ("--base-url", server.base_url, "--api-key", KEY)
        report = json.loads(cli(*base, "-o", "json", "status", "--count-cap", "10").stdout)
        table = cli(*base, "-o", "table", "status", "--count-cap", "10")
    assert report["counts"]["tasks"] == 10
    assert report["counts_capped"] == ["tasks"]
    assert report["rate_limit"]["limit"] == 1000
    assert 0 < report["rate_limit"]["remaining"] < 1000
    assert "10+" in table.stdout
    assert "requests left" in table.stdout
    assert KEY not in table.stdout


def test_status_with_a_wrong_key_exits_3(cli: Run) -> None:
    with LocalAvala(data="demo", api_key="right").serve() as server:
        result = cli("--base-url", server.base_url, "--api-key", "wrong", "status")
    assert result.code == 3


def test_local_serves_until_sigint(cli: Run) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "avala.cli", "local", "--port", "0", "--data", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as process:
        try:
            assert process.stdout is not None
            first = process.stdout.readline().strip()
            assert first.startswith("AVALA_BASE_URL=http://127.0.0.1:")
            url = first.split("=", 1)[1]
            # The other terminal: point the CLI at it.
            got = cli(
                "--base-url", url, "--api-key", KEY, "-o", "json", "projects", "get", "proj_123"
            )
            assert got.code == 0
            assert json.loads(got.stdout)["uid"] == "proj_123"
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=15) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_local_with_a_bad_port_is_a_usage_error(cli: Run) -> None:
    result = cli("local", "--port", "99999")
    assert result.code == 2
    assert "99999 is not a port" in result.stderr
    assert "Traceback" not in result.stderr


def test_local_help_is_the_servers(cli: Run) -> None:
    result = cli("local", "--help")
    assert result.code == 0
    assert "usage: avala local" in result.stdout
    assert "--rate-limit" in result.stdout
    assert "--job-steps" in result.stdout


def test_secret_options_read_a_file_or_stdin(cli: Run, fresh: Served, tmp_path: Path) -> None:
    """Credentials need not be typed on the command line (visible in `ps` and history)."""
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("whsec_from_file\n")
    base = ("--base-url", fresh.base_url, "--api-key", KEY, "-o", "json")
    hook = ("webhooks", "create", "--target-url", "https://example.com/h", "--events", "a.b")
    assert cli(*base, *hook, "--secret", f"@{secret_file}").code == 0
    assert cli(*base, *hook, "--secret", "@-", stdin="whsec_from_stdin\n").code == 0
    assert cli(*base, *hook, "--secret", "whsec_inline").code == 0
    stored = {h.get("secret") for h in fresh.api.store.objects("webhooks")}
    assert {"whsec_from_file", "whsec_from_stdin", "whsec_inline"} <= stored
    missing = cli(*base, *hook, "--secret", f"@{tmp_path / 'nope'}")
    assert missing.code == 2
    assert "cannot read" in missing.stderr
    helped = cli("webhooks", "create", "--help")
    assert "@file or @-" in helped.stdout
