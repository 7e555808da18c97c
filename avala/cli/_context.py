"""What the root options decide, shared by every command through `click.Context.obj`.

The SDK is imported here only when a command asks for a client, never at `avala --help`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ._errors import EXIT_AUTH, EXIT_USAGE, CliError

if TYPE_CHECKING:
    from .._sync._client import Client
    from ._config import Resolved

__all__ = ["OUTPUT_MODES", "OutputMode", "Settings", "current_settings"]

OutputMode = Literal["table", "json", "jsonl"]
OUTPUT_MODES: tuple[OutputMode, ...] = ("table", "json", "jsonl")


@dataclass
class Settings:
    api_key: str | None = None
    base_url: str | None = None
    profile: str | None = None
    output: OutputMode | None = None
    timeout: float | None = None
    max_retries: int | None = None
    debug: bool = False
    _resolved: Resolved | None = field(default=None, repr=False)
    _client: Client | None = field(default=None, repr=False)

    @property
    def output_mode(self) -> OutputMode:
        """`-o`, else `AVALA_OUTPUT`, else a table on a terminal and JSON in a pipe."""
        if self.output is not None:
            return self.output
        env = os.environ.get("AVALA_OUTPUT", "").strip().lower()
        if env:
            modes = {mode: mode for mode in OUTPUT_MODES}
            if env not in modes:
                raise CliError(
                    f"AVALA_OUTPUT must be one of {', '.join(OUTPUT_MODES)}, got {env!r}",
                    EXIT_USAGE,
                )
            return modes[env]
        return "table" if sys.stdout.isatty() else "json"

    def resolve(self) -> Resolved:
        if self._resolved is None:
            from ._config import loose_permissions, resolve

            self._resolved = resolve(
                api_key=self.api_key, base_url=self.base_url, profile=self.profile
            )
            source = self._resolved.api_key_source or ""
            if source.startswith("profile") and loose_permissions(self._resolved.config_file):
                path = self._resolved.config_file
                print(
                    f"avala: warning: {path} holds API keys and is readable by other users; "
                    f"run: chmod 600 {path}",
                    file=sys.stderr,
                )
        return self._resolved

    def make_client(self) -> Client:
        """A new client with the resolved settings (the caller closes it)."""
        resolved = self.resolve()
        if not resolved.api_key:
            raise CliError(
                "no API key: pass --api-key, set AVALA_API_KEY, or run `avala configure`",
                EXIT_AUTH,
            )
        return self.new_client(resolved.api_key, resolved.base_url)

    def new_client(self, api_key: str, base_url: str | None) -> Client:
        """A client for this key and URL with the global --timeout / --max-retries."""
        from .._core._config import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
        from .._sync._client import Client

        try:
            return Client(
                api_key,
                base_url=base_url,
                timeout=DEFAULT_TIMEOUT if self.timeout is None else self.timeout,
                max_retries=DEFAULT_MAX_RETRIES if self.max_retries is None else self.max_retries,
            )
        except ValueError as exc:
            raise CliError(str(exc), EXIT_USAGE) from None

    def client(self) -> Client:
        """The command's client, created once and closed when the command ends."""
        if self._client is None:
            self._client = self.make_client()
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def current_settings() -> Settings:
    """The running command's settings (the root group stores them on the click context)."""
    import click

    settings = click.get_current_context().find_object(Settings)
    assert settings is not None
    return settings
