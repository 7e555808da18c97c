"""README.md cannot drift from the code: every Python block and every `avala` command line of
it runs against the local Avala API's demo data, the configuration table states the code's
defaults, and the resources table lists every method of the client."""

from __future__ import annotations

import ast
import asyncio
import getpass
import inspect
import io
import logging
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from avala import AsyncClient, Client
from avala._async._http import DEFAULT_MAX_CONCURRENCY
from avala._core._config import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from avala._core._retry import RetryPolicy
from avala._sync.resources._base import APIResource
from avala.testing import LocalAvala, RunningServer, serve_in_thread
from avala.viewer import MCAP_MAGIC

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")
KEY = "readme-key"


def blocks(language: str) -> list[str]:
    return [
        m.group(2)
        for m in re.finditer(r"^```(\w*)\n(.*?)^```", TEXT, re.MULTILINE | re.DOTALL)
        if m.group(1) == language
    ]


def section(title: str) -> str:
    start = TEXT.index(f"\n## {title}\n")
    end = TEXT.find("\n## ", start + 1)
    return TEXT[start : end if end != -1 else len(TEXT)]


def table(title: str) -> dict[str, list[str]]:
    """The first Markdown table of a section: first cell (backticks dropped) -> other cells."""
    lines = [line for line in section(title).splitlines() if line.startswith("|")]
    rows: dict[str, list[str]] = {}
    for line in lines[2:]:  # after the header and its rule
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[1:]
    return rows


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    pytest.importorskip("uvicorn")
    with serve_in_thread(LocalAvala(data="demo")) as running:
        yield running


@pytest.fixture
def environment(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> RunningServer:
    monkeypatch.setenv("AVALA_BASE_URL", server.base_url)
    monkeypatch.setenv("AVALA_API_KEY", KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("AVALA_NO_PROGRESS", "1")
    for name in ("AVALA_PROFILE", "AVALA_OUTPUT", "AVALA_CONFIG_FILE", "AVALA_LOG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    # The files the data examples upload, view and import.
    (tmp_path / "frames").mkdir()
    for i in range(3):
        (tmp_path / "frames" / f"{i:03}.jpg").write_bytes(bytes([i]) * (1000 + i))
    (tmp_path / "drive.mcap").write_bytes(MCAP_MAGIC + b"\0" * 64 + MCAP_MAGIC)
    # The signup example asks for a password on the terminal.
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "correct horse battery staple")
    # The logging example configures logging globally: undo it after each example.
    root, sdk = logging.getLogger(), logging.getLogger("avala")
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(sdk, "level", sdk.level)
    return server


# -- defaults ---------------------------------------------------------------------------------


def number(cell: str) -> float:
    match = re.match(r"`([0-9.]+)`", cell)
    assert match, cell
    return float(match.group(1))


def test_configuration_table_states_the_codes_defaults() -> None:
    rows = table("Configuration")
    assert number(rows["timeout"][0]) == DEFAULT_TIMEOUT
    assert number(rows["max_retries"][0]) == DEFAULT_MAX_RETRIES
    assert number(rows["max_concurrency"][0]) == DEFAULT_MAX_CONCURRENCY
    assert DEFAULT_BASE_URL in rows["base_url"][0]
    policy = RetryPolicy()
    stated = dict(re.findall(r"`(\w+)=([0-9.]+)`", rows["retry_policy"][1]))
    assert stated, rows["retry_policy"]
    assert {k: float(v) for k, v in stated.items()} == {k: getattr(policy, k) for k in stated}
    assert set(stated) >= {"initial_delay", "max_delay", "max_retry_after", "jitter"}
    aiohttp_default = inspect.signature(_aiohttp_factory()).parameters["max_connections"].default
    assert f"`{aiohttp_default}` with `DefaultAioHttpClient()`" in rows["max_concurrency"][0]


def _aiohttp_factory() -> Any:
    from avala._aiohttp import DefaultAioHttpClient

    return DefaultAioHttpClient


def test_the_clients_defaults_are_the_configuration_constants() -> None:
    for cls in (Client, AsyncClient):
        parameters = inspect.signature(cls).parameters
        assert parameters["timeout"].default == DEFAULT_TIMEOUT
        assert parameters["max_retries"].default == DEFAULT_MAX_RETRIES


def test_defaults_in_the_prose_agree() -> None:
    for match in re.finditer(r"max_concurrency`?[^.]{0,40}?default (\d+)", TEXT):
        assert int(match.group(1)) == DEFAULT_MAX_CONCURRENCY, match.group(0)
    for match in re.finditer(r"`max_retries` times \(default (\d+)\)", TEXT):
        assert int(match.group(1)) == DEFAULT_MAX_RETRIES, match.group(0)
    assert re.search(r"max_concurrency`?[^.]{0,40}?default \d+", TEXT)


def test_the_cli_help_states_the_codes_defaults() -> None:
    pytest.importorskip("click")
    from avala.cli._app import cli

    options = {p.name: p for p in cli.params}
    assert f"[default: {DEFAULT_TIMEOUT:g}]" in (options["timeout"].help or "")
    assert f"[default: {DEFAULT_MAX_RETRIES}]" in (options["max_retries"].help or "")
    assert DEFAULT_BASE_URL in (options["base_url"].help or "")


# -- resources --------------------------------------------------------------------------------


def client_resources(obj: Any, prefix: str = "") -> Iterator[tuple[str, type]]:
    for name, value in vars(obj).items():
        if isinstance(value, APIResource):
            methods = [m for m, _ in inspect.getmembers(type(value), inspect.isfunction)]
            if any(not m.startswith("_") for m in methods):
                yield f"{prefix}{name}", type(value)
            yield from client_resources(value, f"{prefix}{name}.")


def documented_methods(cell: str) -> set[str]:
    cell = re.sub(r"\([^)]*\)", "", cell)  # "(chunked, ...)" remarks
    names = set()
    for part in re.split(r"[,;]", cell):
        word = part.split(":")[-1].strip()  # "members: list_members"
        if word:
            names.add(word)
    return names


def test_the_resources_table_lists_every_method() -> None:
    rows = table("Resources")
    total = 0
    with Client("k", base_url="http://127.0.0.1:9/api/v1") as client:
        actual = dict(client_resources(client))
        assert set(rows) == set(actual)
        for attr, cls in actual.items():
            public = {m for m, _ in inspect.getmembers(cls, inspect.isfunction) if m[0] != "_"}
            assert documented_methods(rows[attr][0]) == public, attr
            total += len(public)
    stated = re.search(r"Every resource of the Avala API, (\d+) methods", TEXT)
    assert stated is not None
    assert int(stated.group(1)) == total


# -- Python examples --------------------------------------------------------------------------

PYTHON_BLOCKS = blocks("python")


def run_python(source: str) -> dict[str, Any]:
    """Run one block as written. A fragment (top-level `await`, or a `client` it does not
    create) runs the way the README presents it: inside a coroutine, with the `client` and
    `task_ids` of the surrounding text."""
    code = compile(source, "README.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    task_ids = ["task_1", "task_2", "task_3", "task_456"]
    namespace: dict[str, Any] = {"__name__": "__main__", "asyncio": asyncio, "task_ids": task_ids}
    if code.co_flags & inspect.CO_COROUTINE:

        async def main() -> None:
            async with AsyncClient() as client:
                namespace["client"] = client
                await eval(code, namespace)

        asyncio.run(main())
    else:
        with Client() as client:
            namespace["client"] = client
            eval(code, namespace)
    return namespace


def test_there_are_python_examples() -> None:
    assert len(PYTHON_BLOCKS) >= 7


# Optional extras an example needs: it runs where they are installed.
EXTRAS = {
    "DefaultAioHttpClient": ("httpx_aiohttp",),
    "avala.torch": ("torch",),
    "avala.ray": ("ray",),
    "avala.lerobot": ("lerobot",),
    "import_ros_bag": ("rosbags", "mcap_protobuf", "foxglove_schemas_protobuf", "numpy", "PIL"),
}


@pytest.mark.parametrize(
    "source", PYTHON_BLOCKS, ids=[b.strip().splitlines()[0][:40] for b in PYTHON_BLOCKS]
)
# Loading an alias (`@main`) warns that it may move, as documented.
@pytest.mark.filterwarnings("ignore::avala.errors.MutableDatasetAliasWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")  # Ray's own settings
def test_python_example(environment: RunningServer, source: str) -> None:
    for marker, modules in EXTRAS.items():
        if marker in source:
            for module in modules:
                pytest.importorskip(module)
    if "import_ros_bag" in source:
        write_ros1_bag(Path("drive.bag"))
    run_python(source)


def write_ros1_bag(path: Path) -> None:
    """A ROS 1 bag with one camera topic of two small rgb8 images."""
    import numpy as np
    from rosbags.rosbag1 import Writer
    from rosbags.typesys import Stores, get_typestore

    store = get_typestore(Stores.ROS1_NOETIC)
    t = store.types
    with Writer(path) as writer:
        connection = writer.add_connection("/cam/rgb", "sensor_msgs/msg/Image", typestore=store)
        for i in range(2):
            image = t["sensor_msgs/msg/Image"](
                header=t["std_msgs/msg/Header"](
                    seq=i, stamp=t["builtin_interfaces/msg/Time"](sec=i, nanosec=0), frame_id="cam"
                ),
                height=2,
                width=2,
                encoding="rgb8",
                is_bigendian=0,
                step=6,
                data=np.full(12, i, dtype=np.uint8),
            )
            writer.write(connection, i + 1, store.serialize_ros1(image, "sensor_msgs/msg/Image"))


# -- command lines ----------------------------------------------------------------------------

# Lines that cannot run as they stand in a test: they serve (until Ctrl+C) or change the shell.
NOT_RUN = ("avala local", "avala view", "eval ")


def command_lines() -> list[str]:
    lines = []
    for block in blocks("bash"):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] in ("avala", "echo") and not line.startswith(NOT_RUN):
                lines.append(line)
    return lines


COMMANDS = command_lines()


def run_line(line: str, stdin: str) -> tuple[int, str]:
    """`avala ...` in process (a `| filter` is left out, `> file` writes the file), or
    `echo TEXT > file`."""
    from avala.cli import main

    words = shlex.split(line, comments=True)
    target = None
    if ">" in words:
        words, target = words[: words.index(">")], words[words.index(">") + 1]
    if "|" in words:
        words = words[: words.index("|")]
    if words[0] == "echo":
        assert target is not None, line
        Path(target).write_text(" ".join(words[1:]) + "\n")
        return 0, ""
    out, old_out, old_in = io.StringIO(), sys.stdout, sys.stdin
    sys.stdout, sys.stdin = out, io.StringIO(stdin)
    try:
        code = main(words[1:])
    finally:
        sys.stdout, sys.stdin = old_out, old_in
    if target is not None:
        Path(target).write_text(out.getvalue())
    return code, out.getvalue()


def test_there_are_command_line_examples() -> None:
    assert sum(line.startswith("avala ") for line in COMMANDS) >= 10
    assert any("configure" in line for line in COMMANDS)


def test_every_command_line_runs_in_order(environment: RunningServer) -> None:
    """The lines of each block in order, as a reader would type them (the `echo ... > file`
    lines write the files the next commands read)."""
    pytest.importorskip("click")
    pytest.importorskip("rich")
    for line in COMMANDS:
        code, out = run_line(line, stdin=KEY + "\n")
        assert code == 0, (line, out)
