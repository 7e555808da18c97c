"""The root `avala` group: global options, resource groups derived from the client, the
built-in commands, and the translation of every failure into one stderr line and an exit code.

Importing this module imports click and a few small modules, never the SDK or rich.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from .._version import __version__
from ..errors import AvalaError
from ._completion import completion
from ._configure import configure
from ._context import OUTPUT_MODES, Settings
from ._errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CliError,
    describe,
    one_line,
)
from ._groups import ResourceGroup
from ._import import import_group
from ._lerobot import lerobot_group
from ._local import local
from ._registry import ResourceSpec, resources
from ._status import status
from ._view import view

__all__ = ["cli", "run"]

EPILOG = (
    "\b\n"
    "Exit codes: 0 ok, 1 other error, 2 usage, 3 authentication, 4 not found,\n"
    "5 validation, 6 rate limited, 7 server or network error, 130 interrupted.\n"
    "Run `avala RESOURCE --help` for a resource's commands."
)


def _closed_pipe() -> NoReturn:
    """The reader of stdout went away (`avala tasks list | head -3`): success, as for any Unix
    tool. Python's documented recipe: point stdout at /dev/null so the flush at exit does not
    fail again, then leave without a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file descriptor (an in-process capture): nothing to flush later
    raise click.exceptions.Exit(0)


class RootGroup(click.Group):
    """Built-in commands plus one lazily built group per resource."""

    # click turns a closed pipe into exit code 1; both places output can happen end in 0.
    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:  # `avala --help | head -1`
            _closed_pipe()

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _closed_pipe()

    @staticmethod
    def _resources() -> dict[str, ResourceSpec]:
        return {spec.name: spec for spec in resources()}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*self.commands, *self._resources()])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is not None:
            return command
        specs = self._resources()
        spec = specs.get(cmd_name) or specs.get(cmd_name.replace("_", "-"))
        return ResourceGroup(spec) if spec is not None else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        sections = (
            ("Resources", [(s.name, s.help) for s in resources()]),
            (
                "Commands",
                [(n, c.get_short_help_str(limit)) for n, c in sorted(self.commands.items())],
            ),
        )
        for title, rows in sections:
            with formatter.section(title):
                formatter.write_dl(rows)


@click.group(
    cls=RootGroup,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--api-key",
    metavar="KEY",
    default=None,
    help="API key [default: $AVALA_API_KEY, then the profile's].",
)
@click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help="API root [default: $AVALA_BASE_URL, then the profile's, then https://api.avala.ai/api/v1].",
)
@click.option(
    "--profile",
    metavar="NAME",
    default=None,
    help="Profile of the config file [default: $AVALA_PROFILE, then 'default'].",
)
@click.option(
    "-o",
    "--output",
    type=click.Choice(OUTPUT_MODES),
    default=None,
    help="Output format [default: $AVALA_OUTPUT, else table on a terminal, json in a pipe].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds per request [default: 30].",
)
@click.option(
    "--max-retries",
    type=click.IntRange(min=0),
    default=None,
    help="Retries after a network error, 408, 429 or 5xx [default: 2].",
)
@click.option("--debug", is_flag=True, default=False, help="Log requests; tracebacks on errors.")
@click.version_option(__version__, "--version", prog_name="avala", message="%(prog)s %(version)s")
@click.pass_context
def cli(
    ctx: click.Context,
    api_key: str | None,
    base_url: str | None,
    profile: str | None,
    output: Any,
    timeout: float | None,
    max_retries: int | None,
    debug: bool,
) -> None:
    """The Avala API from the shell: every SDK method is a command.

    \b
    avala projects list
    avala -o json tasks list --project-id proj_123 --limit 10
    avala exports create --project proj_123 --wait
    """
    settings = Settings(
        api_key=api_key,
        base_url=base_url,
        profile=profile,
        output=output,
        timeout=timeout,
        max_retries=max_retries,
        debug=debug,
    )
    ctx.obj = settings
    ctx.call_on_close(settings.close)
    if debug:
        _debug_logging(ctx)


def _debug_logging(ctx: click.Context) -> None:
    """The SDK's request log on stderr, for this command only."""
    import logging

    logger = logging.getLogger("avala")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def restore() -> None:
        logger.removeHandler(handler)
        logger.setLevel(level)

    ctx.call_on_close(restore)


cli.add_command(configure)
cli.add_command(status)
cli.add_command(local)
cli.add_command(completion)
cli.add_command(view)
cli.add_command(import_group)
cli.add_command(lerobot_group)


def _error(message: str) -> None:
    click.echo(f"avala: error: {one_line(message)}", err=True)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code instead of raising SystemExit."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args

    def trace() -> None:
        if debug:
            import traceback

            traceback.print_exc()

    try:
        result = cli.main(args, prog_name="avala", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return int(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        trace()
        click.echo("avala: interrupted", err=True)
        return EXIT_INTERRUPTED
    except CliError as exc:
        trace()
        _error(exc.message)
        return exc.exit_code
    except AvalaError as exc:
        trace()
        code, message = describe(exc)
        _error(message)
        return code
    except (ValueError, TypeError) as exc:
        # The SDK checks arguments before sending anything (an empty id, a bad interval...).
        trace()
        _error(f"invalid argument: {exc}")
        return EXIT_USAGE
    except Exception as exc:
        trace()
        hint = "" if debug else " (run with --debug for the traceback)"
        _error(f"unexpected {type(exc).__name__}: {exc}{hint}")
        return EXIT_ERROR
    return result if isinstance(result, int) else 0
