"""The CLI cannot drift from the SDK: the resource groups derived from the client's source are
the client's resource attributes, and every public method of every resource class is a
command with every parameter mapped."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from typing import Any

import click
import pytest

from avala._sync._client import Client
from avala._sync.resources._base import APIResource
from avala.cli import _registry
from avala.cli._app import cli as root
from avala.cli._commands import command_plan, public_methods
from avala.cli._groups import EXTENSIONS, ResourceGroup
from avala.cli._params import classify, evaluate, first_sentence, parse_doc
from avala.cli._registry import ResourceSpec, children, cli_name, resources


def client_tree(obj: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], type]]:
    for name, value in vars(obj).items():
        if isinstance(value, APIResource):
            yield (*prefix, name), type(value)
            yield from client_tree(value, (*prefix, name))


def table_tree(
    specs: tuple[ResourceSpec, ...], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], ResourceSpec]]:
    for spec in specs:
        yield (*prefix, spec.attr), spec
        yield from table_tree(children(spec), (*prefix, spec.attr))


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with Client("k", base_url="http://127.0.0.1:9/api/v1") as c:
        yield c


def test_the_derived_groups_are_the_clients_resources(client: Client) -> None:
    actual = dict(client_tree(client))
    table = dict(table_tree(resources()))
    assert sorted(table) == sorted(actual)  # same groups, nested ones (fleet devices) included
    for path, spec in table.items():
        cls = getattr(importlib.import_module(spec.module), spec.cls)
        assert cls is actual[path], path
        assert spec.help == first_sentence(parse_doc(cls.__doc__).summary), path


FAKE_CLIENT = """
from ._http import HTTPClient
from .resources.tasks import Tasks
from .resources.widgets import Gizmos
from .resources.widgets import Widgets as W


class Client:
    def __init__(self) -> None:
        self._http = HTTPClient()
        self.tasks = Tasks(self._http)
        self.widgets = W(self._http)
        self.helper = dict()

    @functools.cached_property
    def gizmos(self) -> Gizmos:
        return Gizmos(self._http)
"""

FAKE_WIDGETS = '''
class Other:
    """Not this one."""


class W(APIResource):
    """Widgets of a project: what they are. More text.

    Details.
    """

    def __init__(self, client):
        self.parts = WidgetParts(client)
        self.helper = WidgetHelper(client)


class WidgetParts(APIResource):
    """Parts of a widget."""


class WidgetHelper:
    """Not a group: no resource base class."""


class Gizmos(APIResource):
    """Gizmos, made lazily."""
'''


def test_a_new_resource_needs_no_registration(monkeypatch: pytest.MonkeyPatch) -> None:
    """A resource attribute of the client (assigned in `__init__`, or a property returning a
    resource class) is a group, with the first sentence of its class docstring as help."""
    sources = {
        "avala._sync._client": (FAKE_CLIENT, "avala._sync"),
        "avala._sync.resources.widgets": (FAKE_WIDGETS, "avala._sync.resources"),
        "avala._sync.resources.tasks": _registry._source("avala._sync.resources.tasks"),
    }
    monkeypatch.setattr(_registry, "_source", sources.__getitem__)
    found = _registry._specs(*_registry.CLIENT)
    assert [(s.attr, s.module, s.cls, s.help) for s in found] == [
        ("gizmos", "avala._sync.resources.widgets", "Gizmos", "Gizmos, made lazily."),
        ("tasks", "avala._sync.resources.tasks", "Tasks", "Annotation tasks."),
        ("widgets", "avala._sync.resources.widgets", "W", "Widgets of a project: what they are."),
    ]
    assert [s.attr for s in _registry._specs("avala._sync.resources.widgets", "W")] == ["parts"]


def all_methods() -> Iterator[tuple[str, type, str, Any]]:
    for path, spec in table_tree(resources()):
        cls = getattr(importlib.import_module(spec.module), spec.cls)
        for name, func in public_methods(cls):
            yield " ".join(path), cls, name, func


METHODS = list(all_methods())


def test_every_sdk_method_is_a_command() -> None:
    ctx = click.Context(root)
    count = 0
    for path, spec in table_tree(resources()):
        group: click.Command | None = root.get_command(ctx, cli_name(path[0]))
        for attr in path[1:]:
            assert isinstance(group, ResourceGroup)
            group = group.get_command(ctx, cli_name(attr))
        assert isinstance(group, ResourceGroup)
        cls = getattr(importlib.import_module(spec.module), spec.cls)
        expected = {cli_name(name) for name, _ in public_methods(cls)}
        expected |= {cli_name(child.attr) for child in children(spec)}
        listed = set(group.list_commands(ctx))
        assert expected <= listed, path
        # Anything more is a hand-written command of a registered extension.
        assert listed == expected or path in EXTENSIONS, (path, listed - expected)
        count += len(public_methods(cls))
    assert count >= 140  # the whole SDK (146 methods today), not a sample


@pytest.mark.parametrize(
    ("path", "cls", "name", "func"), METHODS, ids=[f"{m[0]}.{m[2]}" for m in METHODS]
)
def test_every_parameter_has_a_known_mapping(path: str, cls: type, name: str, func: Any) -> None:
    signature = inspect.signature(func)
    doc = parse_doc(func.__doc__)
    assert doc.summary, f"{path}.{name} has no docstring"
    for param in signature.parameters.values():
        if param.name == "self" or param.kind is param.VAR_KEYWORD:
            continue
        kind = classify(evaluate(param.annotation, func))
        assert kind.known, f"{path}.{name}({param.name}: {param.annotation}) has no CLI mapping"
    plan = command_plan(func, cls)  # builds
    # Options documented in the SDK keep their text, "as in `create`" ones borrow create's.
    for option in plan.params:
        if isinstance(option, click.Option) and option.name in doc.args:
            assert option.help, (path, name, option.name)
            assert not option.help.startswith("as in"), (path, name, option.name)


def get_command(*names: str) -> click.Command:
    ctx = click.Context(root)
    command: Any = root
    for name in names:
        command = command.get_command(ctx, name)
    assert isinstance(command, click.Command)
    return command


def params_of(*names: str) -> dict[str, click.Parameter]:
    return {p.name: p for p in get_command(*names).params if p.name}


def test_type_mapping() -> None:
    create = params_of("agents", "create")
    assert create["is_active"].opts == ["--is-active"]
    assert create["is_active"].secondary_opts == ["--no-is-active"]
    assert create["events"].multiple
    assert create["name"].required
    datasets = params_of("datasets", "create")
    assert datasets["metadata"].type.name == "json-object"
    assert datasets["organization_id"].type is click.INT
    assert datasets["data_type"].type.choices == ("image", "video", "lidar", "mcap", "splat")  # type: ignore[attr-defined]
    assert params_of("fleet", "events", "create")["timestamp"].type.name == "datetime"
    assert params_of("fleet", "rules", "create")["actions"].type.name == "json-array"
    assert params_of("quality-targets", "create")["threshold"].type is click.FLOAT
    frame = params_of("datasets", "get-frame")
    arguments = get_command("datasets", "get-frame").params
    assert [p.name for p in arguments if isinstance(p, click.Argument)] == [
        "owner",
        "slug",
        "sequence_uid",
        "frame_idx",
    ]
    assert isinstance(frame["frame_idx"], click.Argument)
    assert frame["frame_idx"].type is click.INT
    listing = params_of("tasks", "list")
    assert listing["limit"].opts == ["--page-size"]
    assert listing["cli_limit"].opts == ["--limit"]
    assert "on_poll" not in params_of("exports", "wait")
    assert {"cli_wait", "cli_wait_timeout"} <= set(params_of("exports", "create"))
    assert "cli_wait" not in params_of("projects", "create")


def test_help_comes_from_the_docstrings() -> None:
    command = get_command("exports", "wait")
    assert command.short_help == "Poll an export until it has finished."
    options = {p.name: p for p in command.params if isinstance(p, click.Option)}
    assert options["interval"].help is not None
    assert options["interval"].help.startswith("seconds between polls")
    assert "[SDK default: 2.0]" in options["interval"].help


def test_docstring_parser() -> None:
    doc = parse_doc(
        """Do a thing. `GET /x/`

        More words.

        Args:
            first: the first
                thing, continued.
            second: the second.
        """
    )
    assert doc.summary == "Do a thing. `GET /x/`"
    assert doc.paragraphs == ["More words."]
    assert doc.args == {"first": "the first thing, continued.", "second": "the second."}
    shared = parse_doc("Change it.\n\nArgs:\n    a, b: as in `create`.\n    c,\n        d: same.\n")
    assert shared.args == {
        "a": "as in `create`.",
        "b": "as in `create`.",
        "c": "same.",
        "d": "same.",
    }


def test_update_options_borrow_the_create_help() -> None:
    options = params_of("agents", "update")
    assert options["callback_url"].help == params_of("agents", "create")["callback_url"].help
