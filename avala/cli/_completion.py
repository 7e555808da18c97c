"""`avala completion SHELL`: the shell completion script (click's), for bash, zsh and fish."""

from __future__ import annotations

import click

__all__ = ["COMPLETE_VAR", "SHELLS", "completion"]

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_AVALA_COMPLETE"


@click.command()
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the shell completion script.

    \b
    bash:  eval "$(avala completion bash)"          (in ~/.bashrc)
    zsh:   eval "$(avala completion zsh)"           (in ~/.zshrc)
    fish:  avala completion fish > ~/.config/fish/completions/avala.fish
    """
    from click.shell_completion import get_completion_class

    root = ctx.find_root().command
    cls = get_completion_class(shell)
    if cls is None:  # pragma: no cover - the three shells ship with click
        raise click.UsageError(f"no completion for {shell}")
    script = cls(root, {}, "avala", COMPLETE_VAR).source()
    click.echo(script.rstrip("\n"))
