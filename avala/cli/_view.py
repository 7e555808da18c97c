"""`avala view FILE`: open a local MCAP file in the hosted viewer; no account or key needed."""

from __future__ import annotations

import os
from pathlib import Path

import click

__all__ = ["view"]


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Local port [default: a free one]."
)
@click.option(
    "--viewer-url",
    envvar="AVALA_VIEWER_URL",
    default="https://avala.ai",
    show_default=True,
    help="The viewer web app [or $AVALA_VIEWER_URL].",
)
@click.option("--no-browser", is_flag=True, help="Print the viewer URL instead of opening it.")
@click.option("--force", is_flag=True, help="Serve the file even if it does not look like MCAP.")
def view(file: Path, port: int, viewer_url: str, no_browser: bool, force: bool) -> None:
    """Open a local MCAP FILE in the Avala viewer.

    The file stays on this machine: a server on 127.0.0.1 streams it to the viewer page
    in your browser, which reads it with range requests. Ctrl+C stops it.
    """
    from ..viewer import MCAP_MAGIC, build_viewer_url, origin_of, serve_file

    allowed_origin = origin_of(viewer_url)
    if not allowed_origin:
        raise click.BadParameter(
            "must be an absolute URL with a scheme and a host", param_hint="--viewer-url"
        )
    try:
        server = serve_file(file, port=port, allowed_origin=allowed_origin)
    except OSError as exc:
        raise click.ClickException(f"cannot serve {file}: {exc.strerror or exc}") from None
    # Checked through the server's own descriptor: the bytes checked are the bytes served.
    if not force and server.read_at(0, len(MCAP_MAGIC)) != MCAP_MAGIC:
        server.server_close()
        raise click.ClickException(
            f"{file} does not look like an MCAP file (no MCAP magic); --force serves it anyway"
        )
    url = build_viewer_url(viewer_url, server.port, host=server.host)
    click.echo(f"Serving {file.name} on http://{server.host}:{server.port} (this machine only)")
    click.echo(f"Viewer: {url}")
    if not no_browser and not _open_browser(url):
        click.echo("Could not start a browser: open the URL above.")
    click.echo("Press Ctrl+C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()


def _open_browser(url: str) -> bool:
    import webbrowser

    # Some browsers print to the terminal when they start: keep it off ours.
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return False
    saved = (os.dup(1), os.dup(2))
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        return webbrowser.open(url)
    except Exception:
        return False
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (devnull, *saved):
            os.close(fd)
