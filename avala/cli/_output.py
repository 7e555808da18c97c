"""Printing results: tables for people, JSON and JSON lines for scripts.

- `json`: one JSON document. A listing is one array, streamed item by item as pages arrive
  (never held in memory). Models are msgspec-encoded with every field, in model definition
  order (`null` when unset), so every object of a type has the same shape.
- `jsonl`: one compact JSON value per line, streamed.
- `table`: a listing prints aligned columns as it streams (uid, name, status, ... first; see
  `_columns.py`); one object prints as a rich field/value table of the fields that are set.
  Secret fields (`__secret_fields__`) are masked; control characters never reach the terminal.

Nothing but the result goes to stdout; confirmations and progress go to stderr.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import textwrap
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

import click
import msgspec

from ._context import OutputMode
from ._errors import one_line
from ._progress import Activity, progress_enabled

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["columns_for", "emit", "emit_stream", "emit_void", "encode"]

_encoder = msgspec.json.Encoder()

# Listing columns, by preference; a model shows the first few it has.
PREFERRED_COLUMNS = (
    "uid",
    "user_uid",
    "name",
    "title",
    "username",
    "full_name",
    "slug",
    "key",
    "label",
    "status",
    "type",
    "provider_type",
    "provider",
    "data_type",
    "event_type",
    "score_type",
    "metric",
    "severity",
    "priority",
    "role",
    "email",
    "invited_email",
    "target_url",
    "project",
    "device",
    "owner_name",
    "item_count",
    "score",
    "is_active",
    "enabled",
)
MAX_COLUMNS = 7
WIDE = 160
_SCALARS = frozenset({"str", "int", "float", "bool", "datetime"})


def encode(value: Any) -> bytes:
    return _encoder.encode(_complete(_plain(value)))


def _plain(value: Any) -> Any:
    # bulk_edit yields (chunk index, response) pairs: name the two halves.
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], int):
        return {"chunk": value[0], "result": value[1]}
    return value


def _complete(value: Any) -> Any:
    """Models with every field, in definition order, `null` when unset.

    Models are `omit_defaults` Structs, so msgspec alone would drop a field equal to its
    default (`is_active: true` would vanish); scripts need one stable shape.
    """
    if isinstance(value, msgspec.Struct):
        data = msgspec.structs.asdict(value)
        for name, field_value in data.items():
            if isinstance(field_value, (msgspec.Struct, list, dict)):
                data[name] = _complete(field_value)
        return data
    if isinstance(value, list):
        return [_complete(v) for v in value] if value and _nested(value[0]) else value
    if isinstance(value, dict):
        return {k: _complete(v) if _nested(v) else v for k, v in value.items()}
    return value


def _nested(value: Any) -> bool:
    return isinstance(value, (msgspec.Struct, list, dict))


def _out() -> IO[str]:
    return sys.stdout


# -- cells -----------------------------------------------------------------------------------


def _cell(value: Any, *, secret: bool = False, limit: int | None = 60) -> str:
    if value is None:
        return ""
    if secret:
        return "***"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, (str, int, float)):
        text = str(value)
    elif isinstance(value, (list, tuple)) and all(
        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
    ):
        text = ", ".join(str(v) for v in value)
    else:
        text = encode(value).decode()
    if not text.isprintable():
        text = one_line(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _secret_fields(item_type: Any) -> frozenset[str]:
    fields = getattr(item_type, "__secret_fields__", None)
    return fields if isinstance(fields, frozenset) else frozenset()


def columns_for(item_type: Any) -> list[str]:
    """The listing columns of a model class: preferred names first, then other scalar
    fields in definition order, at most `MAX_COLUMNS`, `created_at` last when room is left."""
    from ._params import classify

    try:
        info = msgspec.structs.fields(item_type)
    except TypeError:
        return []
    secrets = _secret_fields(item_type)
    scalar = [f.name for f in info if classify(f.type).kind in _SCALARS and f.name not in secrets]
    chosen = [name for name in PREFERRED_COLUMNS if name in scalar][:MAX_COLUMNS]
    stamp = "created_at" if "created_at" in scalar else None
    for name in scalar:
        if len(chosen) >= MAX_COLUMNS - (1 if stamp else 0):
            break
        if name not in chosen and name != stamp and not name.endswith("_at"):
            chosen.append(name)
    if stamp and len(chosen) < MAX_COLUMNS:
        chosen.append(stamp)
    return chosen


def _is_model(value: Any) -> bool:
    return isinstance(value, msgspec.Struct)


def _field_table() -> Table:
    """A two-column field/value table; values wrap rather than lose their end (a URL must
    stay copyable)."""
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 3, 0, 0))
    table.add_column("field", no_wrap=True)
    table.add_column("value", overflow="fold")
    return table


def _print_table(table: Table) -> None:
    from rich.console import Console

    out = _out()
    # A terminal's own width; a file or pipe gets wide lines rather than folded cells.
    width = None if out.isatty() or os.environ.get("COLUMNS") else WIDE
    Console(file=out, soft_wrap=False, width=width).print(table)


def _object_table(value: Any) -> Table:
    from rich.text import Text

    table = _field_table()
    if _is_model(value):
        secrets = _secret_fields(type(value))
        pairs = [(name, getattr(value, name)) for name in value.__struct_fields__]
    else:
        secrets = frozenset()
        pairs = list(value.items())
    for name, field_value in pairs:
        if field_value is None:
            continue
        text = _cell(field_value, secret=name in secrets, limit=None)
        table.add_row(Text(str(name), style="bold"), Text(text))
    return table


# -- results ---------------------------------------------------------------------------------


def emit_void(mode: OutputMode, label: str) -> None:
    """A call without a result (a delete): nothing on stdout; in table mode a line on stderr."""
    if mode == "table":
        click.echo(f"Done: {label}", err=True)


def emit(value: Any, mode: OutputMode) -> None:
    """One result: a model, a dict, a scalar, or `None` for an optional result."""
    out = _out()
    if mode == "json":
        out.write(msgspec.json.format(encode(value), indent=2).decode() + "\n")
    elif mode == "jsonl":
        out.write(encode(value).decode() + "\n")
    elif _is_model(value) or isinstance(value, dict):
        _print_table(_object_table(value))
    elif value is not None:
        click.echo(_cell(value, limit=None))
    out.flush()


def emit_stream(
    items: Iterable[Any],
    mode: OutputMode,
    *,
    item_type: Any = None,
    limit: int | None = None,
    label: str = "items",
) -> int:
    """A listing, walked lazily (pages are fetched as the loop advances) and printed batch by
    batch as it arrives, so an interrupted listing has printed everything it fetched.
    Returns the count."""
    batches = _limited(_batches(items), limit)
    # Progress on a terminal that also shows the output would tangle the two.
    show = progress_enabled() and not _out().isatty()
    with Activity(f"Fetching {label}", enabled=show) as activity:
        if mode != "table":
            return _json_stream(batches, mode, activity, label)
        count = _table_stream(batches, item_type, activity, label)
    click.echo(f"{count:,} {'item' if count == 1 else 'items'}", err=True)
    return count


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    """The items in the batches they arrive in: a page at a time for a listing (walked with
    `iter_pages()`), a list whole, one item at a time from any other iterator."""
    iter_pages = getattr(items, "iter_pages", None)
    if callable(iter_pages):
        for page in iter_pages():
            yield list(page.items)
    elif isinstance(items, (list, tuple)):
        yield list(items)
    else:
        for item in items:
            yield [item]


def _limited(batches: Iterator[list[Any]], limit: int | None) -> Iterator[list[Any]]:
    """At most `limit` items; stops before asking for a batch (a page) it does not need."""
    if limit is None:
        yield from batches
        return
    left = limit
    for batch in batches:
        chunk = batch[:left]
        left -= len(chunk)
        yield chunk
        if left <= 0:
            return


def _json_stream(
    batches: Iterator[list[Any]], mode: OutputMode, activity: Activity, label: str
) -> int:
    out = _out()
    count = 0
    for batch in batches:
        if mode == "jsonl":
            out.write("".join(encode(item).decode() + "\n" for item in batch))
        else:
            for i, item in enumerate(batch):
                text = textwrap.indent(msgspec.json.format(encode(item), indent=2).decode(), "  ")
                out.write(("[\n" if count + i == 0 else ",\n") + text)
        count += len(batch)
        out.flush()
        activity.update(f"Fetching {label}: {count:,}")
    if mode == "json":
        out.write("[]\n" if count == 0 else "\n]\n")
        out.flush()
    return count


def _table_stream(
    batches: Iterator[list[Any]], item_type: Any, activity: Activity, label: str
) -> int:
    from ._columns import ColumnWriter

    columns = columns_for(item_type) if item_type is not None else []
    secrets = _secret_fields(item_type)
    writer: ColumnWriter | None = None
    for batch in batches:
        rows: list[list[str]] = []
        for raw in batch:
            item = _plain(raw)
            if not columns:
                if _is_model(item):
                    columns = columns_for(type(item))
                    secrets = _secret_fields(type(item))
                elif isinstance(item, dict):
                    columns = [str(k) for k in item][:MAX_COLUMNS]
                else:
                    columns = ["value"]
            if _is_model(item):
                values = [getattr(item, name, None) for name in columns]
            elif isinstance(item, dict):
                values = [item.get(name) for name in columns]
            else:
                values = [item]
            rows.append(
                [_cell(v, secret=c in secrets) for c, v in zip(columns, values, strict=True)]
            )
        if not rows:
            continue
        if writer is None:
            writer = ColumnWriter(columns, _out())
        writer.add_batch(rows)
        activity.update(f"Fetching {label}: {writer.rows:,}")
    return 0 if writer is None else writer.rows
