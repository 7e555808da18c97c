"""The per-user config file: profiles holding an API key and an optional base URL.

An INI file (standard library only; `tomllib` is 3.11+):

    [default]
    api_key = avk_...

    [local]
    api_key = anything
    base_url = http://127.0.0.1:8765/api/v1

Location: `$AVALA_CONFIG_FILE`, else `$XDG_CONFIG_HOME/avala/config.ini` (`~/.config/...` when
unset; `%APPDATA%\\avala\\config.ini` on Windows). Written atomically (temporary file, fsync,
rename) with mode 0600 in a 0700 directory.

Each setting is resolved on its own: the flag, then the environment (`AVALA_API_KEY`,
`AVALA_BASE_URL`), then the profile (`--profile`, else `AVALA_PROFILE`, else `default`).
"""

from __future__ import annotations

import configparser
import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ._errors import EXIT_USAGE, CliError

__all__ = [
    "DEFAULT_PROFILE",
    "Resolved",
    "config_path",
    "load_profiles",
    "resolve",
    "save_profile",
]

DEFAULT_PROFILE = "default"
_KEYS = ("api_key", "base_url")


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    explicit = env.get("AVALA_CONFIG_FILE")
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform == "win32" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "avala" / "config.ini"
    base = env.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return root / "avala" / "config.ini"


def _parser() -> configparser.ConfigParser:
    # No interpolation: a key may contain `%`. Section names keep their case.
    return configparser.ConfigParser(interpolation=None, default_section="__avala_none__")


def _read(path: Path) -> configparser.ConfigParser:
    parser = _parser()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return parser
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}", EXIT_USAGE) from None
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        message = " ".join(str(exc).split())
        raise CliError(f"invalid config file {path}: {message}", EXIT_USAGE) from None
    return parser


def load_profiles(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Every profile of the file: `{name: {"api_key": ..., "base_url": ...}}` (keys present
    only when set)."""
    parser = _read(path or config_path())
    return {
        name: {key: parser[name][key] for key in _KEYS if parser[name].get(key)}
        for name in parser.sections()
    }


def save_profile(name: str, values: Mapping[str, str | None], path: Path | None = None) -> Path:
    """Set (or with None, remove) `values` in profile `name`, keeping the rest of the file."""
    target = path or config_path()
    parser = _read(target)
    if not parser.has_section(name):
        parser.add_section(name)
    for key, value in values.items():
        if value is None:
            parser.remove_option(name, key)
        else:
            parser.set(name, key, value)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp already creates the file 0600; chmod again in case of an unusual umask/FS.
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            parser.write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


@dataclass(frozen=True)
class Resolved:
    """The settings a command runs with, and where each came from (for `avala status`)."""

    profile: str
    api_key: str | None
    api_key_source: str | None
    base_url: str | None
    base_url_source: str | None
    config_file: Path


def resolve(
    *,
    api_key: str | None,
    base_url: str | None,
    profile: str | None,
    environ: Mapping[str, str] | None = None,
) -> Resolved:
    """Flag, then environment, then profile, for the key and the base URL independently."""
    env = os.environ if environ is None else environ
    path = config_path(env)
    name = profile or env.get("AVALA_PROFILE") or DEFAULT_PROFILE
    explicit = bool(profile or env.get("AVALA_PROFILE"))
    needs_file = not (api_key or env.get("AVALA_API_KEY")) or not (
        base_url or env.get("AVALA_BASE_URL")
    )
    values: dict[str, str] = {}
    if needs_file or explicit:
        profiles = load_profiles(path)
        if name in profiles:
            values = profiles[name]
        elif explicit:
            raise CliError(
                f"no profile {name!r} in {path}; create it with `avala --profile {name} configure`",
                EXIT_USAGE,
            )

    def pick(flag: str | None, var: str, key: str) -> tuple[str | None, str | None]:
        if flag:
            return flag, f"--{key.replace('_', '-')}"
        if env.get(var):
            return env[var], var
        if values.get(key):
            return values[key], f"profile {name!r} ({path})"
        return None, None

    key_value, key_source = pick(api_key, "AVALA_API_KEY", "api_key")
    url_value, url_source = pick(base_url, "AVALA_BASE_URL", "base_url")
    return Resolved(name, key_value, key_source, url_value, url_source, path)


def loose_permissions(path: Path) -> bool:
    """True when a config file holding keys is readable by others (POSIX only)."""
    if os.name != "posix":
        return False
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRWXG | stat.S_IRWXO))
