"""From a method's signature and docstring to click parameters.

Annotations are strings (`from __future__ import annotations`), some naming types imported
only under `TYPE_CHECKING`; they are evaluated in the method's module with unknown names read
as `Any` (which maps to a JSON value, the most general input).

| SDK annotation                         | command line                                    |
|----------------------------------------|-------------------------------------------------|
| `str`, `Literal[...] \\| str`           | `--name TEXT` (literal values offered by completion) |
| `int`, `float`                         | `--count INTEGER`, `--threshold FLOAT`          |
| `bool`                                 | `--is-active/--no-is-active`                    |
| `Sequence[str]`                        | repeatable `--tags a --tags b` (or a JSON array) |
| `dict`, `Mapping`, `Any`, lists of dicts | JSON: `--metadata '{"a": 1}'`, `@file.json`, `@-` |
| `datetime \\| str`                      | an ISO 8601 string                              |
| positional parameters (`id`, `owner`)  | arguments                                       |
"""

from __future__ import annotations

import builtins
import collections.abc
import datetime as _dt
import inspect
import os
import re
import sys
import textwrap
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Union

import click
import msgspec

from ._registry import first_sentence

__all__ = [
    "Doc",
    "JsonType",
    "Kind",
    "ParamKind",
    "classify",
    "evaluate",
    "first_sentence",
    "parse_doc",
]

Kind = Literal[
    "str", "int", "float", "bool", "datetime", "str_list", "object", "array", "json", "skip"
]


# -- docstrings ------------------------------------------------------------------------------

_SECTION = re.compile(r"^(Args|Arguments|Returns|Raises|Yields|Examples?|Notes?):\s*$")
# One `Args:` entry, its lines joined: `name: text`, `name (type): text`, or `a, b, c: text`
# for several parameters at once (the names may wrap onto further lines).
_ENTRY = re.compile(r"^\**(\w+(?:,\s*\**\w+)*)(?:\s*\([^)]*\))?:\s*(.*)$")


@dataclass
class Doc:
    """A Google-style docstring: first paragraph, other paragraphs, and `Args:` entries."""

    summary: str = ""
    paragraphs: list[str] = field(default_factory=list)
    args: dict[str, str] = field(default_factory=dict)


def parse_doc(doc: str | None) -> Doc:
    if not doc:
        return Doc()
    result = Doc()
    section: str | None = None
    body: list[str] = []
    entries: list[list[str]] = []
    base: int | None = None  # indentation of the first line of each `Args:` entry
    for line in inspect.cleandoc(doc).splitlines():
        if _SECTION.match(line):
            section = line.strip()[:-1]
            continue
        if section is None:
            body.append(line)
        elif section in ("Args", "Arguments") and line.strip():
            indent = len(line) - len(line.lstrip())
            if base is None or indent <= base or not entries:
                base = indent if base is None else base
                entries.append([line.strip()])
            else:
                entries[-1].append(line.strip())
    for entry in entries:
        match = _ENTRY.match(" ".join(entry))
        if match:
            for name in match.group(1).split(","):
                result.args[name.strip().lstrip("*")] = match.group(2).strip()
    paragraphs = _paragraphs(body)
    if paragraphs:
        result.summary = " ".join(paragraphs[0].split())
        result.paragraphs = paragraphs[1:]
    return result


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    chunk: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            chunk.append(line)
        elif chunk:
            paragraphs.append("\n".join(chunk))
            chunk = []
    return paragraphs


_ROUTE = re.compile(r"\s*`(GET|POST|PUT|PATCH|DELETE) [^`]*`")


def short_help(doc: Doc) -> str:
    """The summary's first sentence, without its trailing `` `GET /route/` ``."""
    return first_sentence(_ROUTE.sub("", doc.summary)).strip()


def help_text(doc: Doc, arguments: Iterable[tuple[str, str]] = ()) -> str:
    """click help: the summary, the other paragraphs (code kept verbatim), then arguments."""
    parts = [doc.summary.replace("`", "")]
    for paragraph in doc.paragraphs:
        lines = [line for line in paragraph.splitlines() if not line.strip().startswith("```")]
        if not lines:
            continue
        verbatim = any(line.startswith((" ", "\t")) for line in lines) or len(lines) != len(
            paragraph.splitlines()
        )
        text = "\n".join(lines).replace("`", "")
        parts.append("\b\n" + text if verbatim else text)
    described = [(name, text) for name, text in arguments if text]
    if described:
        width = max(len(name) for name, _ in described)
        rows = []
        for name, text in described:
            lines = textwrap.wrap(text.replace("`", ""), max(30, 74 - width))
            pad = " " * (width + 4)
            rows.append(f"  {name.ljust(width)}  " + f"\n{pad}".join(lines))
        parts.append("\b\nArguments:\n" + "\n".join(rows))
    return "\n\n".join(parts)


# -- annotations -----------------------------------------------------------------------------


class _Namespace(dict[str, Any]):
    """Module globals where an unknown name (a `TYPE_CHECKING` import) evaluates to `Any`."""

    def __missing__(self, key: str) -> Any:
        return getattr(builtins, key, Any)


_BASE_NAMESPACE: dict[str, Any] = {
    "Any": Any,
    "Callable": Callable,
    "Iterable": Iterable,
    "Iterator": Iterator,
    "Mapping": Mapping,
    "Sequence": Sequence,
    "datetime": _dt.datetime,
    "builtins": builtins,
}


def evaluate(annotation: Any, func: Callable[..., Any]) -> Any:
    """The type an annotation string names, in `func`'s module."""
    if not isinstance(annotation, str):
        return annotation
    module = sys.modules.get(getattr(func, "__module__", ""), None)
    namespace = _Namespace(_BASE_NAMESPACE)
    if module is not None:
        namespace.update(vars(module))
    try:
        return eval(annotation, {"__builtins__": builtins}, namespace)
    except Exception:
        return Any


@dataclass(frozen=True)
class ParamKind:
    kind: Kind
    choices: tuple[str, ...] = ()
    known: bool = True  # False: a type this module does not know, read as any JSON


_SEQUENCES = {
    list,
    tuple,
    set,
    frozenset,
    collections.abc.Sequence,
    collections.abc.Iterable,
    collections.abc.Collection,
    collections.abc.Set,
}
_MAPPINGS = {dict, collections.abc.Mapping, collections.abc.MutableMapping}


def _member_kind(tp: Any) -> tuple[str, tuple[str, ...]]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Literal:
        return "str", tuple(str(a) for a in args)
    if tp is str or tp is os.PathLike or origin is os.PathLike:
        return "str", ()  # a path: given as text on the command line
    if tp is bool:
        return "bool", ()
    if tp is int:
        return "int", ()
    if tp is float:
        return "float", ()
    if tp is _dt.datetime:
        return "datetime", ()
    if tp is Any or tp is object:
        return "json", ()
    if tp is collections.abc.Callable or origin is collections.abc.Callable:
        return "skip", ()
    if tp in _SEQUENCES or origin in _SEQUENCES:
        return ("str_list" if args in ((str,), (str, ...)) else "array"), ()
    if tp in _MAPPINGS or origin in _MAPPINGS or typing.is_typeddict(tp):
        return "object", ()
    return "unknown", ()


def classify(tp: Any) -> ParamKind:
    """The command-line kind of a parameter type (`None` members ignored)."""
    origin = typing.get_origin(tp)
    members: tuple[Any, ...] = typing.get_args(tp) if origin in (Union, types.UnionType) else (tp,)
    members = tuple(m for m in members if m is not type(None))
    kinds: set[str] = set()
    choices: list[str] = []
    for member in members:
        kind, values = _member_kind(member)
        kinds.add(kind)
        choices.extend(values)
    if "skip" in kinds:
        return ParamKind("skip")
    if kinds == {"str"}:
        return ParamKind("str", tuple(dict.fromkeys(choices)))
    if kinds == {"datetime", "str"} or kinds == {"datetime"}:
        return ParamKind("datetime")
    if kinds == {"int", "float"}:
        return ParamKind("float")
    if len(kinds) == 1 and "unknown" not in kinds:
        (kind,) = kinds
        return ParamKind(kind)  # type: ignore[arg-type]
    return ParamKind("json", known=False)


# -- click types -----------------------------------------------------------------------------

if TYPE_CHECKING:
    # Recent click makes ParamType generic; at runtime the plain class works with click 8.1.
    ParamTypeBase = click.ParamType[Any]
else:
    ParamTypeBase = click.ParamType


class SuggestedText(ParamTypeBase):
    """Any string; completion offers the SDK's known values (the API may add new ones)."""

    name = "text"

    def __init__(self, choices: Sequence[str]) -> None:
        self.choices = tuple(choices)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in self.choices if c.startswith(incomplete)]


class IsoDateTime(ParamTypeBase):
    """An ISO 8601 date-time, checked here and sent as written (`Z` accepted)."""

    name = "datetime"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, _dt.datetime):
            return value
        text = str(value).strip()
        try:
            _dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 date-time (e.g. 2024-05-01T12:00:00Z)")
        return text


def _read_source(value: str, type_: ParamTypeBase) -> str:
    """`@path` reads a file, `@-` standard input; anything else is the text itself."""
    if not value.startswith("@"):
        return value
    name = value[1:]
    try:
        if name == "-":
            return sys.stdin.read()
        with open(name, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        type_.fail(f"cannot read {name}: {exc.strerror or exc}")


# String options whose value is a credential. A value typed on the command line is visible to
# every user of the machine (`ps`, /proc/*/cmdline) and lands in shell history, so these also
# take `@file` or `@-` (standard input), like the JSON options.
SECRET_OPTIONS = frozenset(
    {
        "secret",
        "s3_secret_access_key",
        "s3_access_key_id",
        "gc_storage_auth_json_content",
        "password",
        "api_key",
        "token",
    }
)


class SecretText(ParamTypeBase):
    """A credential given inline, as `@file`, or `@-` for standard input (one trailing
    newline removed, as `echo` and editors add it)."""

    name = "secret"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        if not value.startswith("@"):
            return value
        text = _read_source(value, self)
        return text[:-1] if text.endswith("\n") else text


class JsonType(ParamTypeBase):
    """A JSON value given inline, as `@file.json`, or `@-` for standard input."""

    def __init__(self, expect: Literal["object", "array", "any"] = "any") -> None:
        self.expect = expect
        self.name = {"object": "json-object", "array": "json-array", "any": "json"}[expect]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        text = _read_source(value, self)
        try:
            data = msgspec.json.decode(text.encode("utf-8"))
        except msgspec.DecodeError as exc:
            self.fail(f"invalid JSON ({exc}); give a JSON value, @file.json or @- for stdin")
        if self.expect == "object" and not isinstance(data, dict):
            self.fail(f"expected a JSON object, got {type(data).__name__}")
        if self.expect == "array" and not isinstance(data, list):
            self.fail(f"expected a JSON array, got {type(data).__name__}")
        return data


class StrListItem(ParamTypeBase):
    """One value of a repeatable string option; a JSON array (`'[]'` to clear) gives a list."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, list):
            return value
        text = str(value)
        if text.startswith("["):
            try:
                data = msgspec.json.decode(text.encode("utf-8"))
            except msgspec.DecodeError:
                return [text]
            if isinstance(data, list) and all(isinstance(v, str) for v in data):
                return data
            self.fail("a JSON array given here must hold strings only")
        return [text]


def click_type(kind: ParamKind) -> ParamTypeBase:
    if kind.kind == "str":
        return SuggestedText(kind.choices) if kind.choices else click.STRING
    if kind.kind == "int":
        return click.INT
    if kind.kind == "float":
        return click.FLOAT
    if kind.kind == "datetime":
        return IsoDateTime()
    if kind.kind == "str_list":
        return StrListItem()
    if kind.kind == "object":
        return JsonType("object")
    if kind.kind == "array":
        return JsonType("array")
    if kind.kind == "json":
        return JsonType("any")
    raise ValueError(f"no click type for {kind.kind}")


def describe_default(value: Any) -> str | None:
    """`[default: ...]` text for an SDK default the CLI leaves to the SDK."""
    if value is inspect.Parameter.empty or value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
