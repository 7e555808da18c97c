"""The resource groups of the CLI, derived from the sync client, so a new resource needs no
entry here: whatever `Client` exposes is a group, and every public method of its class a
command (`_commands.py`).

`avala --help` lists the groups without importing the SDK (httpx alone costs more than the
whole help): the groups are read from the client's source, every `self.<attr> = <Class>(...)`
of `Client`'s set-up whose class derives from the resource base class, and each group's
one-line help from its class's docstring, read from that module's source. Groups inside a group
(`fleet devices`) are read the same way from the group's own class when it is used.
`tests/cli/test_registry.py` checks the result against a real client.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from importlib.util import resolve_name
from pathlib import Path

__all__ = ["CLIENT", "ResourceSpec", "children", "cli_name", "first_sentence", "resources"]

_AVALA = Path(__file__).resolve().parent.parent  # the installed `avala` package
CLIENT = ("avala._sync._client", "Client")
_RESOURCES_PACKAGE = "avala._sync.resources"


@dataclass(frozen=True)
class ResourceSpec:
    """One resource group: `attr` on its parent (the client, or a group like `client.fleet`),
    an instance of class `cls` from `module`."""

    attr: str
    module: str
    cls: str
    help: str

    @property
    def name(self) -> str:
        return cli_name(self.attr)


def cli_name(python_name: str) -> str:
    """`list_executions` -> `list-executions`: SDK names with dashes."""
    return python_name.replace("_", "-")


def first_sentence(text: str) -> str:
    """`"Alerts raised by rules. The API creates them."` -> `"Alerts raised by rules."`"""
    text = " ".join(text.split())
    match = re.search(r"(?<=[.!?])\s", text)
    return text[: match.start()] if match else text


@functools.cache
def _source(module: str) -> tuple[str, str]:
    """The source of `module` (a module of this package) and the package its relative
    imports resolve against."""
    relative = Path(*module.split(".")[1:])
    plain = _AVALA / relative.with_suffix(".py")
    if plain.is_file():
        return plain.read_text(encoding="utf-8"), module.rpartition(".")[0]
    return (_AVALA / relative / "__init__.py").read_text(encoding="utf-8"), module


# A class statement and the string literal that opens its body (its docstring).
_CLASS_DOC = re.compile(
    r"^class (\w+)\b[^\n]*:[ \t]*\n[ \t]+([rRuU]?(\"\"\"|''')[\s\S]*?\3)", re.MULTILINE
)


def _docstring_summary(source: str, cls: str) -> str:
    """First sentence of class `cls`'s docstring, found without parsing the whole module."""
    for match in _CLASS_DOC.finditer(source):
        if match.group(1) == cls:
            doc = ast.literal_eval(match.group(2))
            return first_sentence(doc.strip().split("\n\n", 1)[0]) if isinstance(doc, str) else ""
    return ""


def _imported_names(tree: ast.Module, package: str) -> dict[str, str]:
    """`{name: module}` for every `from MODULE import name` at the top of a module."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            module = resolve_name("." * node.level + (node.module or ""), package)
            for alias in node.names:
                found[alias.asname or alias.name] = module
    return found


def _specs(module: str, cls: str) -> tuple[ResourceSpec, ...]:
    """The resources an instance of `cls` exposes, by name: each `self.<attr> = <Class>(...)`
    of its methods (`__init__` and what it delegates to), and each property or cached
    property annotated `-> <Class>`, where `<Class>` is a resource class (defined in, or
    imported from, a resources module)."""
    source, package = _source(module)
    tree = ast.parse(source)
    homes = _imported_names(tree, package)
    owner: ast.ClassDef | None = None
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            homes[node.name] = module
            if node.name == cls:
                owner = node
    found: dict[str, str] = {}  # attr -> class name
    for node in owner.body if owner else []:
        if not isinstance(node, ast.FunctionDef):
            continue
        if not _is_property(node):  # `__init__`, or the setup method it delegates to
            for stmt in ast.walk(node):
                if (
                    isinstance(stmt, ast.Assign)
                    and len(stmt.targets) == 1
                    and isinstance(target := stmt.targets[0], ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                    and isinstance(stmt.value, ast.Call)
                    and isinstance(stmt.value.func, ast.Name)
                ):
                    found[target.attr] = stmt.value.func.id
        elif isinstance(node.returns, (ast.Name, ast.Constant)):
            returns = node.returns
            name = returns.id if isinstance(returns, ast.Name) else str(returns.value)
            found[node.name] = name
    specs = []
    for attr, class_name in found.items():
        home = homes.get(class_name, "")
        if attr.startswith("_") or not (
            home == _RESOURCES_PACKAGE or home.startswith(_RESOURCES_PACKAGE + ".")
        ):
            continue
        home_source = _source(home)[0]
        if not _is_resource_class(home_source, class_name):
            continue  # a helper object (`fleet.uploads`), not a group of API calls
        summary = _docstring_summary(home_source, class_name)
        specs.append(ResourceSpec(attr, home, class_name, summary))
    return tuple(sorted(specs, key=lambda spec: spec.attr))


def _is_resource_class(source: str, cls: str) -> bool:
    """Whether class `cls` of `source` derives from the resource base class: only those
    become command groups."""
    match = re.search(rf"^class {cls}\(([^)]*)\):", source, re.MULTILINE)
    return match is not None and "APIResource" in match.group(1)


def _is_property(node: ast.FunctionDef) -> bool:
    names = {
        d.attr if isinstance(d, ast.Attribute) else d.id
        for d in node.decorator_list
        if isinstance(d, (ast.Attribute, ast.Name))
    }
    return bool(names & {"property", "cached_property"})


@functools.cache
def resources() -> tuple[ResourceSpec, ...]:
    """The client's resource groups (`client.tasks`, `client.fleet`, ...), by name."""
    return _specs(*CLIENT)


@functools.cache
def children(spec: ResourceSpec) -> tuple[ResourceSpec, ...]:
    """The groups inside a group (`client.fleet.devices`, ...), by name."""
    return _specs(spec.module, spec.cls)
