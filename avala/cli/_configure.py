"""`avala configure`: ask for a key, check it with one call, store it in a profile."""

from __future__ import annotations

import os
import re
import sys

import click

from ._context import Settings
from ._errors import EXIT_USAGE, CliError

__all__ = ["configure"]

_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _read_key(settings: Settings) -> str:
    if settings.api_key:
        return settings.api_key.strip()
    if sys.stdin.isatty():
        key: str = click.prompt("Avala API key", hide_input=True, err=True)
    else:  # piped: `echo "$KEY" | avala configure`
        key = sys.stdin.readline()
    key = key.strip()
    if not key:
        raise CliError("no API key given", EXIT_USAGE)
    return key


@click.command(short_help="Store an API key (checked first) in a profile of the config file.")
@click.option(
    "--profile",
    "profile",
    metavar="NAME",
    default=None,
    help="Profile to write [default: the global --profile, $AVALA_PROFILE, then 'default'].",
)
@click.option(
    "--base-url",
    "base_url",
    metavar="URL",
    default=None,
    help="Also store this API root in the profile (e.g. the local API's).",
)
@click.option("--no-verify", is_flag=True, default=False, help="Store the key without checking it.")
@click.pass_obj
def configure(
    settings: Settings, profile: str | None, base_url: str | None, no_verify: bool
) -> None:
    """Ask for an API key (hidden input; or read one line from stdin, or take the global
    --api-key), check it with one call (`GET /users/me/`), and store it in the config file
    (`$XDG_CONFIG_HOME/avala/config.ini`, mode 0600). The key is never printed.

    \b
    avala configure
    avala configure --profile local --base-url http://127.0.0.1:8765/api/v1
    echo "$AVALA_KEY" | avala configure --profile ci
    """
    from ._config import DEFAULT_PROFILE, config_path, load_profiles, save_profile

    name = profile or settings.profile or os.environ.get("AVALA_PROFILE") or DEFAULT_PROFILE
    if not _PROFILE_NAME.match(name):
        raise CliError(f"invalid profile name {name!r} (letters, digits, . _ -)", EXIT_USAGE)
    stored_url = base_url or settings.base_url
    path = config_path()
    key = _read_key(settings)
    if not no_verify:
        from ._progress import Activity
        from ._status import whoami

        check_url = (
            stored_url
            or os.environ.get("AVALA_BASE_URL")
            or load_profiles(path).get(name, {}).get("base_url")
        )
        with settings.new_client(key, check_url) as client, Activity("Checking the key"):
            user = whoami(client)
            where = client.base_url
        who = user.get("username") or user.get("uid") or "?"
        click.echo(f"Key accepted by {where} for {who}.", err=True)
    values: dict[str, str | None] = {"api_key": key}
    if stored_url:
        values["base_url"] = stored_url
    written = save_profile(name, values, path)
    click.echo(f"Saved profile {name!r} in {written} (mode 0600).", err=True)
    if os.environ.get("AVALA_API_KEY"):
        click.echo("Note: AVALA_API_KEY is set and takes precedence over profiles.", err=True)
