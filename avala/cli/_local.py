"""`avala local`: serve the local Avala API, exactly `python -m avala.testing` (same options,
same first line `AVALA_BASE_URL=...`, same exit codes: 0 after Ctrl-C / SIGTERM, 2 when the
`local` extra is missing)."""

from __future__ import annotations

import click

__all__ = ["local"]


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
    short_help="Serve the local Avala API (for development and tests).",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def local(ctx: click.Context, args: tuple[str, ...]) -> None:
    """Serve the local Avala API on loopback: `python -m avala.testing` under another name.

    Prints `AVALA_BASE_URL=http://127.0.0.1:PORT/api/v1` first, then serves until Ctrl-C.
    Options: --host, --port (0 picks a free port), --data demo|empty, --api-key, --rate-limit,
    --fail-rate, --drop-rate, --storm-rate, --latency-ms, --job-steps, --seed; see
    `avala local --help`.
    """
    from ..testing import __main__ as server

    argv = list(args)
    if "-h" in argv or "--help" in argv:
        # The same parser, under the name the user typed.
        parser = server._parser()
        parser.prog = "avala local"
        parser.print_help()
        ctx.exit(0)
    try:
        code = server.main(argv)
    except SystemExit as exc:  # argparse refusing an option (exit 2, its message printed)
        code = exc.code if isinstance(exc.code, int) else 2
    ctx.exit(code)
