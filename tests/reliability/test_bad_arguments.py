"""Bad identifiers: for every method with path parameters, on both clients, an id holding `/`,
`?`, `#`, `..`, `%2e%2e`, spaces, unicode, nothing, `.`... either reaches exactly the intended
route with the id as ONE percent-encoded path segment (checked on the raw request path the
transport receives, and the query string carries nothing injected), or is refused with a
`ValueError`/`TypeError` naming the argument before any request is sent. Never another route.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avala import NotFoundError
from tests.reliability._surface import (
    METHOD_NAMES,
    SYNC_SURFACE,
    arguments,
    no_sleep,
    path_parameters,
    run_many,
)

FLAVORS = ["async", "sync"]
BAD_IDS = [
    "a/b",
    "../../admin",
    "a/../b",
    "a/./b",
    "a?x=1",
    "?limit=1000",
    "a&cursor=x",
    "a#frag",
    "#",
    "?",
    "/",
    "//",
    ".",
    "..",
    "...",
    ". ",
    " ..",
    "..%2f",
    "%2e%2e",
    "%2E%2E%2F",
    "%2F",
    "%",
    "%zz",
    "%00",
    "a%20b",
    "a b",
    " leading",
    "trailing ",
    "a+b",
    "a;b=1",
    "a\\..\\b",
    "@",
    "~",
    "ünïcødé",
    "漢字",
    "🙂",
    "\u202etxt.exe",
    "\ufeffbom",
    "\ud800",
    "a\udfffb",
    "\x85",
    "x" * 5000,
    "",
    " ",
    "\t",
    "a\nb",
    "a\rb",
    "\x00",
    "a\x7fb",
]
# Must never become a request: no single segment can carry them faithfully (an empty segment
# or a dot segment is normalised away by servers and proxies; control characters are unsafe).
MUST_REFUSE = {"", " ", "\t", ".", "..", "a\nb", "a\rb", "\x00", "a\x7fb", "\ud800", "a\udfffb"}
NOT_STRINGS: list[Any] = [None, 123, 1.5, b"task_1", ["task_1"], {"id": "x"}, object()]


@dataclass(frozen=True)
class Route:
    """Where a method's request goes with well-formed ids."""

    method: str
    segments: tuple[str, ...]  # the raw path split on "/"
    query: str  # the raw query string
    index: dict[str, int]  # path parameter -> its segment


@dataclass
class Sent:
    method: str
    host: str
    raw: str  # raw path and query, exactly as on the wire


def marker(parameter: str) -> str:
    return f"mark-{parameter.replace('_', '-')}"


def call_with(overrides: dict[str, Any]) -> Callable[[Any], Any]:
    """A call of a method with valid synthesised arguments, some replaced, all by keyword."""

    def call(method: Any) -> Any:
        args, kwargs = arguments(method)
        names = [
            p.name
            for p in inspect.signature(method).parameters.values()
            if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
            and p.default is inspect.Parameter.empty
        ]
        return method(**{**dict(zip(names, args, strict=True)), **kwargs, **overrides})

    return call


def recorder() -> tuple[list[Sent], Callable[[httpx.Request], httpx.Response]]:
    sent: list[Sent] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(Sent(request.method, request.url.host, request.url.raw_path.decode("ascii")))
        return httpx.Response(404, json={"detail": "Not found."})

    return sent, handler


@functools.cache
def route_of(name: str) -> Route | None:
    """The route `name` requests with a marker in each path parameter (None: it has none)."""
    parameters = path_parameters(SYNC_SURFACE[name])
    if not parameters:
        return None
    sent, handler = recorder()
    markers = {p: marker(p) for p in parameters}
    [(_, exc)] = run_many("sync", name, handler, [call_with(markers)], max_retries=0)
    assert isinstance(exc, NotFoundError), (name, exc)
    path, _, query = sent[0].raw.partition("?")
    segments = tuple(path.split("/"))
    index = {p: segments.index(m) for p, m in markers.items() if m in segments}
    if not index:
        return None
    return Route(sent[0].method, segments, query, index)


PATH_METHODS = [name for name in METHOD_NAMES if route_of(name) is not None]


def judge(
    name: str, parameter: str, value: Any, exc: BaseException | None, sent: list[Sent]
) -> None:
    """The contract for one call of `name` with `parameter=value`."""
    route = route_of(name)
    assert route is not None
    if isinstance(exc, (ValueError, TypeError)):
        assert sent == [], f"{name}({parameter}={value!r}) refused, but after sending {sent}"
        assert parameter in str(exc), f"unclear refusal of {parameter}={value!r}: {exc}"
        if not isinstance(value, str):
            assert isinstance(exc, TypeError), (name, value, exc)
        return
    assert value not in MUST_REFUSE, f"{name}({parameter}={value!r}) was sent: {sent}"
    assert isinstance(value, str), f"{name}({parameter}={value!r}) was accepted"
    # Reached the transport: the 404 it answered is the outcome, from the intended route only.
    assert isinstance(exc, NotFoundError), (name, parameter, value, exc)
    assert len(sent) == 1, sent
    request = sent[0]
    assert (request.method, request.host) == (route.method, "api.avala.test")
    path, _, query = request.raw.partition("?")
    assert query == route.query, f"{name}({parameter}={value!r}) injected a query: {request.raw}"
    segments = path.split("/")
    assert len(segments) == len(route.segments), f"{name}({value!r}) changed the route: {path}"
    position = route.index[parameter]
    for i, (got, expected) in enumerate(zip(segments, route.segments, strict=True)):
        if i != position:
            assert got == expected, f"{name}({value!r}) changed the route: {path}"
    segment = segments[position]
    assert unquote(segment, errors="strict") == value, (name, value, segment)
    assert not set(segment) & set("/?# \\"), segment
    assert segment not in ("", ".", ".."), segment


@pytest.fixture(autouse=True)
def instant_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    no_sleep(monkeypatch)


def test_the_surface_has_path_parameters() -> None:
    assert len(PATH_METHODS) > 100
    assert "tasks.get" in PATH_METHODS
    assert route_of("tasks.get") == Route(
        "GET", ("", "api", "v1", "tasks", "mark-id", ""), "", {"id": 4}
    )


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("name", PATH_METHODS)
def test_bad_ids_reach_only_their_own_route(flavor: str, name: str) -> None:
    route = route_of(name)
    assert route is not None
    cases = [(p, v) for p in route.index for v in [*BAD_IDS, *NOT_STRINGS]]
    sent, handler = recorder()
    marks = {p: marker(p) for p in route.index}
    boundaries: list[int] = []

    def calls() -> list[Callable[[Any], Any]]:
        out = []
        for parameter, value in cases:
            call = call_with({**marks, parameter: value})

            def counted(method: Any, call: Callable[[Any], Any] = call) -> Any:
                boundaries.append(len(sent))
                return call(method)

            out.append(counted)
        return out

    outcomes = run_many(flavor, name, handler, calls(), max_retries=0)
    boundaries.append(len(sent))
    for i, ((parameter, value), (_, exc)) in enumerate(zip(cases, outcomes, strict=True)):
        judge(name, parameter, value, exc, sent[boundaries[i] : boundaries[i + 1]])


identifiers = st.one_of(
    st.text(max_size=40),
    st.text(st.sampled_from("./?#%&=;+ \\@~2eEfF"), max_size=12),
    st.sampled_from(BAD_IDS),
)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.sampled_from(PATH_METHODS),
    flavor=st.sampled_from(FLAVORS),
    value=identifiers,
    data=st.data(),
)
def test_generated_ids_reach_only_their_own_route(
    name: str, flavor: str, value: str, data: st.DataObject
) -> None:
    route = route_of(name)
    assert route is not None
    parameter = data.draw(st.sampled_from(sorted(route.index)))
    sent, handler = recorder()
    overrides = {**{p: marker(p) for p in route.index}, parameter: value}
    [(_, exc)] = run_many(flavor, name, handler, [call_with(overrides)], max_retries=0)
    judge(name, parameter, value, exc, sent)
