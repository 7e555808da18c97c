"""`avala configure` and profiles: the key is checked, stored 0600 and never printed;
precedence is flag, then environment, then profile."""

from __future__ import annotations

import configparser
import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from avala.cli._config import config_path, load_profiles, resolve, save_profile
from avala.testing import LocalAvala

from .conftest import Run

GOOD, BAD = "good-key-0123456789", "bad-key-9876543210"

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture
def locked() -> Iterator[str]:
    """An API that accepts only GOOD."""
    with LocalAvala(data="demo", api_key=GOOD).serve() as server:
        yield server.base_url


def config_file(tmp_path: Path) -> Path:
    return tmp_path / "xdg" / "avala" / "config.ini"


def test_config_path_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert config_path() == config_file(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")
    assert config_path() == Path.home() / ".config" / "avala" / "config.ini"
    monkeypatch.setenv("AVALA_CONFIG_FILE", str(tmp_path / "elsewhere.ini"))
    assert config_path() == tmp_path / "elsewhere.ini"


@posix_only
def test_configure_checks_stores_0600_and_never_prints_the_key(
    cli: Run, locked: str, tmp_path: Path
) -> None:
    result = cli("--base-url", locked, "configure", stdin=GOOD + "\n")
    assert result.code == 0, result.stderr
    assert GOOD not in result.stdout + result.stderr
    assert "demo" in result.stderr  # the user the key belongs to
    path = config_file(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_profiles(path) == {"default": {"api_key": GOOD, "base_url": locked}}
    assert not [p for p in path.parent.iterdir() if p.name != path.name]  # no temp file left
    # The stored profile is enough to run commands now.
    listed = cli("-o", "json", "projects", "list")
    assert listed.code == 0
    assert json.loads(listed.stdout)


def test_configure_refuses_a_wrong_key_and_stores_nothing(
    cli: Run, locked: str, tmp_path: Path
) -> None:
    result = cli("--base-url", locked, "configure", stdin=BAD + "\n")
    assert result.code == 3
    assert BAD not in result.stdout + result.stderr
    assert not config_file(tmp_path).exists()


def test_configure_named_profiles_keep_each_other(cli: Run, locked: str, tmp_path: Path) -> None:
    assert cli("--api-key", GOOD, "configure", "--base-url", locked).code == 0
    assert cli("configure", "--profile", "other", "--no-verify", stdin="k2\n").code == 0
    profiles = load_profiles(config_file(tmp_path))
    assert profiles["default"] == {"api_key": GOOD, "base_url": locked}
    assert profiles["other"] == {"api_key": "k2"}
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config_file(tmp_path))
    assert parser.sections() == ["default", "other"]


def test_configure_rejects_bad_profile_names_and_empty_keys(cli: Run) -> None:
    assert cli("configure", "--profile", "a]b", "--no-verify", stdin="k\n").code == 2
    assert cli("configure", "--no-verify", stdin="\n").code == 2


def test_precedence_flag_then_env_then_profile(
    cli: Run, locked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_profile("default", {"api_key": GOOD, "base_url": locked})
    save_profile("wrong", {"api_key": BAD, "base_url": locked})

    def code(*args: str) -> int:
        return cli("-o", "json", *args, "projects", "list").code

    assert code() == 0  # profile
    assert code("--profile", "wrong") == 3
    monkeypatch.setenv("AVALA_PROFILE", "wrong")
    assert code() == 3  # AVALA_PROFILE picks the profile
    assert code("--profile", "default") == 0  # the flag beats AVALA_PROFILE
    monkeypatch.delenv("AVALA_PROFILE")
    monkeypatch.setenv("AVALA_API_KEY", BAD)
    assert code() == 3  # environment beats profile
    assert code("--api-key", GOOD) == 0  # flag beats environment
    monkeypatch.setenv("AVALA_API_KEY", GOOD)
    assert code("--profile", "wrong") == 0  # environment key, profile's URL


def test_base_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    save_profile("default", {"api_key": "p", "base_url": "http://127.0.0.1:1/api/v1"})
    resolved = resolve(api_key=None, base_url=None, profile=None)
    assert (resolved.api_key, resolved.base_url) == ("p", "http://127.0.0.1:1/api/v1")
    assert resolved.api_key_source is not None
    assert resolved.api_key_source.startswith("profile")
    monkeypatch.setenv("AVALA_BASE_URL", "http://127.0.0.1:2/api/v1")
    assert resolve(api_key=None, base_url=None, profile=None).base_url.endswith(":2/api/v1")  # type: ignore[union-attr]
    flagged = resolve(api_key="f", base_url="http://127.0.0.1:3/api/v1", profile=None)
    assert (flagged.api_key, flagged.api_key_source) == ("f", "--api-key")
    assert flagged.base_url == "http://127.0.0.1:3/api/v1"


def test_unknown_profile_is_a_usage_error(cli: Run) -> None:
    result = cli("--profile", "nope", "projects", "list")
    assert result.code == 2
    assert "no profile 'nope'" in result.stderr


def test_broken_config_file_is_a_usage_error(cli: Run, tmp_path: Path) -> None:
    path = config_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("this is not ini\n")
    result = cli("projects", "list")
    assert result.code == 2
    assert "invalid config file" in result.stderr


@posix_only
def test_a_world_readable_config_is_warned_about(cli: Run, locked: str, tmp_path: Path) -> None:
    path = save_profile("default", {"api_key": GOOD, "base_url": locked})
    os.chmod(path, 0o644)
    result = cli("-o", "json", "projects", "list")
    assert result.code == 0
    assert "chmod 600" in result.stderr
    assert GOOD not in result.stderr
