"""`avala status`: who the key belongs to, which API, rate-limit headroom, and how many
projects, datasets and tasks it sees."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from ._context import Settings

if TYPE_CHECKING:
    from .._sync._client import Client

__all__ = ["count_items", "status", "whoami"]

COUNTED = ("projects", "datasets", "tasks")


def whoami(client: Client) -> dict[str, Any]:
    """The key's user (`GET /users/me/`) as plain data."""
    return client.users.me().to_dict()


def count_items(lister: Callable[..., Any], cap: int) -> tuple[int, bool]:
    """Items of a listing, page by page; stops at `cap` (0: no cap). True when capped."""
    page_size = 1000 if cap == 0 else min(cap, 1000)
    total = 0
    for page in lister(limit=page_size).iter_pages():
        total += len(page.items)
        if cap and total >= cap:
            return cap, bool(page.has_more) or total > cap
    return total, False


def _rate_limit(info: dict[str, str | None]) -> dict[str, int | None]:
    def number(name: str) -> int | None:
        value = info.get(f"x-ratelimit-{name}")
        try:
            return int(float(value)) if value is not None else None
        except ValueError:
            return None

    return {"limit": number("limit"), "remaining": number("remaining"), "reset": number("reset")}


@click.command(short_help="Who am I, which API, rate-limit headroom and object counts.")
@click.option(
    "--count-cap",
    type=click.IntRange(min=0),
    default=10_000,
    show_default=True,
    help="Stop counting a resource at this many items (0: count them all).",
)
@click.pass_obj
def status(settings: Settings, count_cap: int) -> None:
    """Check the key and the API: the user the key belongs to (`GET /users/me/`), the base URL
    and where the key came from (never the key), the rate-limit headroom the API reports, and
    the number of projects, datasets and tasks visible to the key."""
    from .._version import __version__
    from ._output import emit
    from ._progress import Activity

    resolved = settings.resolve()
    client = settings.client()
    counts: dict[str, int] = {}
    capped: list[str] = []
    with Activity("Checking the API") as activity:
        user = whoami(client)
        for name in COUNTED:
            activity.update(f"Counting {name}")
            counts[name], more = count_items(getattr(client, name).list, count_cap)
            if more:
                capped.append(name)
    rate = _rate_limit(client.rate_limit_info)
    report: dict[str, Any] = {
        "user": user,
        "base_url": client.base_url,
        "base_url_source": resolved.base_url_source or "SDK default",
        "api_key_source": resolved.api_key_source,
        "profile": resolved.profile,
        "config_file": str(resolved.config_file),
        "rate_limit": rate,
        "counts": counts,
        "counts_capped": capped,
        "version": __version__,
    }
    mode = settings.output_mode
    if mode != "table":
        emit(report, mode)
        return
    who = user.get("username") or user.get("uid") or "?"
    email = f" <{user['email']}>" if user.get("email") else ""
    if rate["limit"] is not None:
        reset = f", resets in {rate['reset']}s" if rate["reset"] is not None else ""
        headroom = f"{rate['remaining']} of {rate['limit']} requests left{reset}"
    else:
        headroom = "not reported by the API"
    rows = {
        "user": f"{who}{email}",
        "api": f"{client.base_url}  (from {report['base_url_source']})",
        "key": f"from {resolved.api_key_source}",
        "rate limit": headroom,
        **{name: f"{counts[name]:,}{'+' if name in capped else ''}" for name in COUNTED},
        "sdk": f"avala {__version__}",
    }
    emit(rows, mode)
