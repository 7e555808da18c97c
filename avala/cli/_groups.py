"""Resource groups that build their commands on first use.

`avala --help` creates one `ResourceGroup` per resource of the client (`_registry.py`), which
costs nothing: the resource class (and with it httpx and the SDK) is imported only when the
group's commands are listed or one of them runs.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from ._registry import ResourceSpec, children

__all__ = ["ResourceGroup"]


# Hand-written commands added to a resource group once it loads: attribute path ->
# "module:function" taking the group (adds or replaces commands).
EXTENSIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("datasets",): ("avala.cli._download:extend_datasets", "avala.cli._upload:extend_datasets"),
    ("exports",): ("avala.cli._download:extend_exports",),
    ("fleet", "recordings"): ("avala.cli._fleet_upload:extend_recordings",),
}


class ResourceGroup(click.Group):
    def __init__(self, spec: ResourceSpec, parents: tuple[str, ...] = ()) -> None:
        super().__init__(name=spec.name, help=spec.help, short_help=spec.help)
        self.spec = spec
        self.attr_path = (*parents, spec.attr)
        self._loaded = False

    def resource_class(self) -> type[Any]:
        cls: type[Any] = getattr(importlib.import_module(self.spec.module), self.spec.cls)
        return cls

    def load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        from ._commands import build_commands
        from ._params import help_text, parse_doc

        cls = self.resource_class()
        self.help = help_text(parse_doc(cls.__doc__)) or self.spec.help
        for command in build_commands(cls, self.attr_path):
            self.add_command(command)
        for child in children(self.spec):
            self.add_command(ResourceGroup(child, self.attr_path))
        for target in EXTENSIONS.get(self.attr_path, ()):
            module, _, function = target.partition(":")
            getattr(importlib.import_module(module), function)(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self.load()
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.load()
        super().format_help(ctx, formatter)
