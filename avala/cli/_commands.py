"""Every public method of a resource class becomes a command, from its signature and docstring.

Nothing here is written per resource: names are the method's with dashes (`list_items` ->
`list-items`), positional parameters become arguments, keyword-only ones options (see
`_params.py` for the type mapping), the docstring's first line is the short help and its
`Args:` section the option help. On top of what the SDK method takes:

- a method returning a `Paginator` walks every page; `--limit N` stops after N items (and asks
  for pages of min(N, 1000)), the SDK's own `limit` (a page size) is `--page-size`;
- a method taking `on_poll` (the `wait` helpers) shows progress on stderr;
- `create` on a resource that has `wait` gets `--wait` (with `--wait-timeout`,
  `--wait-interval`) to return the finished object.

A wait that ends with status `failed` prints the object and exits 1.
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import click

from ..errors import AvalaError
from ._context import OUTPUT_MODES, Settings
from ._errors import EXIT_ERROR, CliError
from ._output import emit, emit_stream, emit_void
from ._params import (
    SECRET_OPTIONS,
    Doc,
    ParamKind,
    SecretText,
    StrListItem,
    classify,
    click_type,
    describe_default,
    evaluate,
    help_text,
    parse_doc,
    short_help,
)
from ._progress import Activity
from ._registry import cli_name

__all__ = ["Binding", "build_command", "build_commands", "command_plan", "public_methods"]

MAX_PAGE_SIZE = 1000
FAILED_STATUSES = frozenset({"failed"})
_PAGINATED = ("Paginator", "Page", "AsyncPaginator")


@dataclass(frozen=True)
class Binding:
    """One SDK parameter and the click parameter that feeds it."""

    name: str  # the SDK's keyword
    dest: str  # click's parameter name
    kind: ParamKind
    positional: bool


@dataclass(frozen=True)
class Plan:
    bindings: tuple[Binding, ...]
    params: tuple[click.Parameter, ...]
    returns: Any
    item_type: Any
    paginated: bool
    polls: bool


def public_methods(cls: type[Any]) -> list[tuple[str, Callable[..., Any]]]:
    return [
        (name, func)
        for name, func in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    ]


def _is_paginated(returns: Any) -> bool:
    origin = typing.get_origin(returns) or returns
    return getattr(origin, "__name__", "") in _PAGINATED


def _item_type(returns: Any) -> Any:
    args = typing.get_args(returns)
    return args[0] if len(args) == 1 else None


def _option_help(doc_text: str, kind: ParamKind) -> str:
    text = doc_text.replace("`", "")
    if kind.choices:
        text += f" Known values: {', '.join(kind.choices)}."
    if kind.kind == "str_list":
        text += " Repeat for several values (or give a JSON array; '[]' for none)."
    elif kind.kind in ("object", "array", "json"):
        text += " JSON, @file.json, or @- for stdin."
    return text.strip()


_AS_IN = re.compile(r"^as in `(\w+)`")


def _param_doc(doc: Doc, name: str, cls: type[Any] | None) -> str:
    """The `Args:` text of a parameter; "as in `create`" borrows create's text."""
    text = doc.args.get(name, "")
    match = _AS_IN.match(text)
    if match and cls is not None:
        other = getattr(cls, match.group(1), None)
        borrowed = parse_doc(getattr(other, "__doc__", None)).args.get(name)
        if borrowed and not _AS_IN.match(borrowed):
            return borrowed
    return text


def command_plan(func: Callable[..., Any], cls: type[Any] | None = None) -> Plan:
    """The click parameters of an SDK method, and how their values map back to it."""
    signature = inspect.signature(func)
    doc = parse_doc(func.__doc__)
    returns = evaluate(signature.return_annotation, func)
    paginated = _is_paginated(returns)
    bindings: list[Binding] = []
    params: list[click.Parameter] = []
    polls = False
    for param in signature.parameters.values():
        if param.name == "self" or param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        kind = classify(evaluate(param.annotation, func))
        required = param.default is inspect.Parameter.empty
        if kind.kind == "skip":
            if required:
                raise TypeError(f"{func.__qualname__}: cannot pass {param.name} from a shell")
            polls = polls or param.name == "on_poll"
            continue
        positional = (
            param.kind == param.POSITIONAL_OR_KEYWORD or param.kind == param.POSITIONAL_ONLY
        )
        dest = param.name
        option = f"--{cli_name(param.name)}"
        doc_text = _param_doc(doc, param.name, cls)
        if paginated and param.name == "limit":
            option, doc_text = "--page-size", "items per request (the API caps it)."
        bindings.append(Binding(param.name, dest, kind, positional))
        if positional:
            if kind.kind == "bool":
                raise TypeError(f"{func.__qualname__}: positional bool {param.name}")
            nargs = -1 if kind.kind == "str_list" else 1
            arg_type = click.STRING if kind.kind == "str_list" else click_type(kind)
            params.append(click.Argument([dest], type=arg_type, required=required, nargs=nargs))
            continue
        text = _option_help(doc_text, kind)
        default = describe_default(param.default)
        if default is not None:
            text += f"  [SDK default: {default}]"
        if kind.kind == "bool":
            params.append(
                click.Option(
                    [f"{option}/--no-{option[2:]}", dest],
                    default=None,
                    required=required,
                    help=text,
                )
            )
        elif kind.kind == "str_list":
            params.append(
                click.Option(
                    [option, dest],
                    type=StrListItem(),
                    multiple=True,
                    required=required,
                    help=text,
                )
            )
        elif kind.kind == "str" and param.name in SECRET_OPTIONS:
            params.append(
                click.Option(
                    [option, dest],
                    type=SecretText(),
                    default=None,
                    required=required,
                    help=text + "  Give @file or @- (stdin) to keep it off the command line.",
                )
            )
        else:
            params.append(
                click.Option(
                    [option, dest],
                    type=click_type(kind),
                    default=None,
                    required=required,
                    help=text,
                )
            )
    if paginated:
        params.append(
            click.Option(
                ["--limit", "cli_limit"],
                type=click.IntRange(min=1),
                default=None,
                help=f"Stop after this many items in total (default: all pages). Also sets "
                f"the page size to min(limit, {MAX_PAGE_SIZE}) unless --page-size is given.",
            )
        )
    return Plan(tuple(bindings), tuple(params), returns, _item_type(returns), paginated, polls)


def _wait_options() -> list[click.Parameter]:
    return [
        click.Option(
            ["--wait", "cli_wait"],
            is_flag=True,
            default=False,
            help="Wait until the new object has finished processing, then print it.",
        ),
        click.Option(
            ["--wait-timeout", "cli_wait_timeout"],
            type=click.FloatRange(min=0),
            default=None,
            help="With --wait: seconds to wait in total (default: the SDK's).",
        ),
        click.Option(
            ["--wait-interval", "cli_wait_interval"],
            type=click.FloatRange(min=0),
            default=None,
            help="With --wait: seconds between polls (default: the SDK's).",
        ),
    ]


def _output_option() -> click.Option:
    # The global -o also works after the command: `avala projects list -o json`.
    return click.Option(
        ["-o", "--output", "cli_output"],
        type=click.Choice(OUTPUT_MODES),
        default=None,
        help="Output format (overrides the global -o).",
    )


def _listing_label(group: str, method: str) -> str:
    if method.startswith("list_"):
        return method[len("list_") :].replace("_", " ")
    return group.replace("-", " ")


class _Poller:
    """The `on_poll` callback of a wait: status (and progress when the object has it)."""

    def __init__(self, activity: Activity, what: str) -> None:
        self.activity = activity
        self.what = what
        self.polls = 0

    def __call__(self, current: Any) -> None:
        self.polls += 1
        status = getattr(current, "status", None)
        pct = getattr(current, "progress_pct", None)
        text = f"Waiting for {self.what}: {status or '...'} (poll {self.polls})"
        if isinstance(pct, (int, float)) and not isinstance(pct, bool):
            self.activity.update(text, completed=float(pct), total=100.0)
        else:
            self.activity.update(text)


def _check_finished(result: Any, what: str) -> None:
    status = getattr(result, "status", None)
    if isinstance(status, str) and status.lower() in FAILED_STATUSES:
        raise CliError(f"{what} finished with status {status!r}", EXIT_ERROR)


def build_command(
    cls: type[Any], method: str, func: Callable[..., Any], attr_path: tuple[str, ...]
) -> click.Command:
    plan = command_plan(func, cls)
    doc = parse_doc(func.__doc__)
    can_wait = method == "create" and callable(getattr(cls, "wait", None))
    params = [*plan.params, *(_wait_options() if can_wait else [])]
    if not any(b.name == "output" for b in plan.bindings):
        params.append(_output_option())
    group = " ".join(cli_name(a) for a in attr_path)
    name = cli_name(method)
    arguments = [(b.dest.upper(), doc.args.get(b.name, "")) for b in plan.bindings if b.positional]

    def callback(**values: Any) -> None:
        settings = click.get_current_context().find_object(Settings)
        assert settings is not None
        mode = values.get("cli_output") or settings.output_mode
        kwargs: dict[str, Any] = {}
        shown: list[str] = []
        for binding in plan.bindings:
            value = values[binding.dest]
            if binding.kind.kind == "str_list":
                if not value:
                    continue
                if not binding.positional:
                    value = [item for chunk in value for item in chunk]
                else:
                    value = list(value)
            elif value is None:
                continue
            if binding.positional:
                shown.append(str(value))
            kwargs[binding.name] = value
        limit: int | None = values.get("cli_limit")
        if plan.paginated and limit is not None and "limit" not in kwargs:
            kwargs["limit"] = min(limit, MAX_PAGE_SIZE)
        label = " ".join([group, name, *shown])
        target = functools.reduce(getattr, attr_path, settings.client())
        call = getattr(target, method)
        try:
            if plan.polls:
                with Activity(f"Waiting for {label}") as activity:
                    poller = _Poller(activity, " ".join([group, *shown]))
                    result = call(**kwargs, on_poll=poller)
            else:
                result = call(**kwargs)
            if can_wait and values.get("cli_wait"):
                what = f"{group} {getattr(result, 'uid', '')}"
                result = _wait_for(target, result, values, what)
            _render(result, plan, mode, label, limit, _listing_label(group, method))
        except AvalaError as exc:
            exc.cli_command = label  # type: ignore[attr-defined]  # named in the error line
            raise
        if plan.polls or (can_wait and values.get("cli_wait")):
            uid = getattr(result, "uid", None)
            _check_finished(result, f"{group} {uid}" if uid else label)

    return click.Command(
        name,
        params=params,
        callback=callback,
        help=help_text(doc, arguments),
        short_help=short_help(doc),
    )


def _wait_for(target: Any, created: Any, values: dict[str, Any], what: str) -> Any:
    options: dict[str, Any] = {}
    if values.get("cli_wait_timeout") is not None:
        options["timeout"] = values["cli_wait_timeout"]
    if values.get("cli_wait_interval") is not None:
        options["interval"] = values["cli_wait_interval"]
    with Activity(f"Waiting for {what}") as activity:
        return target.wait(created.uid, on_poll=_Poller(activity, what), **options)


def _render(
    result: Any, plan: Plan, mode: Any, label: str, limit: int | None, listing: str
) -> None:
    if plan.returns is None or plan.returns is type(None):
        emit_void(mode, label)
    elif plan.paginated:
        emit_stream(
            result.auto_paging_iter(), mode, item_type=plan.item_type, limit=limit, label=listing
        )
    elif isinstance(result, (list, Iterator)):
        emit_stream(result, mode, item_type=plan.item_type, limit=limit, label=listing)
    else:
        emit(result, mode)


def build_commands(cls: type[Any], attr_path: tuple[str, ...]) -> list[click.Command]:
    return [build_command(cls, name, func, attr_path) for name, func in public_methods(cls)]
