"""The local API's routes come from every `_h_*` module of `avala.testing`, found on import:
a new resource's handler module needs no registration anywhere else."""

from __future__ import annotations

from pathlib import Path

import pytest

import avala.testing
from avala.testing._app import _HANDLER_MODULES, _ROUTER, discover_handler_modules
from avala.testing._routes import Router

PACKAGE_DIR = Path(avala.testing.__file__).parent


def test_every_handler_module_of_the_package_is_registered() -> None:
    on_disk = sorted(p.stem for p in PACKAGE_DIR.glob("_h_*.py"))
    assert len(on_disk) >= 10
    assert [m.__name__.rsplit(".", 1)[1] for m in _HANDLER_MODULES] == on_disk
    patterns = {route.pattern for route in _ROUTER.routes()}
    assert {"/tasks/", "/fleet/devices/", "/organizations/{slug}/teams/"} <= patterns


def test_discovery_finds_new_modules_in_name_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "fakeapi"
    package.mkdir()
    (package / "__init__.py").write_text("")
    register = "def register(router):\n    router.add('GET', '/{name}/', lambda ctx: None)\n"
    for name in ("_h_zebra", "_h_apple", "_helpers", "h_not_a_handler"):
        (package / f"{name}.py").write_text(register.format(name=name))
    monkeypatch.syspath_prepend(str(tmp_path))
    modules = discover_handler_modules("fakeapi", [str(package)])
    assert [m.__name__ for m in modules] == ["fakeapi._h_apple", "fakeapi._h_zebra"]
    router = Router()
    for module in modules:
        module.register(router)
    assert [r.pattern for r in router.routes()] == ["/_h_apple/", "/_h_zebra/"]
