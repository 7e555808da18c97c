"""Bad responses: whatever a server (or a proxy in front of it) answers, every public method of
both clients ends in a typed `AvalaError`, or in its documented result (`None` for void
methods, a dict for raw-dict methods), never in another exception.

Truncated JSON, wrong types, missing fields, HTML error pages, huge bodies, deeply nested
JSON, bad `Retry-After` values, redirects, empty 2xx bodies, lying `Content-Encoding`,
random bytes and random status codes are served through an `httpx.MockTransport` passed as
`http_client`. Every method meets a fixed sweep of them, then hypothesis generates more.
"""

from __future__ import annotations

import functools
import gzip
import inspect
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avala import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    AvalaError,
    BulkEditError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
    ValidationError,
)
from tests.reliability._surface import (
    METHOD_NAMES,
    RUNNERS,
    SYNC_SURFACE,
    no_sleep,
    return_kind,
)

MB = 1024 * 1024
EVIL = "https://evil.example/steal"
BY_STATUS: dict[int, type[APIStatusError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    413: QuotaExceededError,
    422: ValidationError,
    429: RateLimitError,
}
HTML = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    b"</h1></center><hr><center>nginx</center></body></html>"
)


@dataclass(frozen=True)
class Bad:
    """One bad answer, served to every request of a call."""

    label: str
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    lying_encoding: bool = field(default=False)

    def response(self) -> httpx.Response:
        return httpx.Response(self.status, headers=list(self.headers), content=self.body)


def nested(depth: int) -> bytes:
    return b'{"uid": "x", "detail": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}"


SWEEP = [
    Bad("truncated json", 200, b'{"uid": "task_1", "name": "a", "results": [{"uid": "b"'),
    Bad("truncated array", 200, b'[{"uid": "a"}, {"uid": '),
    Bad("wrong types", 200, b'{"uid": 7, "name": [], "results": 3, "next": 4, "created": "5"}'),
    Bad("missing fields", 200, b'{"unexpected": true}'),
    Bad("json null", 200, b"null"),
    Bad("json string", 201, b'"ok"'),
    Bad("html 200", 200, HTML, (("content-type", "text/html"),)),
    Bad("html 502", 502, HTML, (("content-type", "text/html"),)),
    Bad("html 404", 404, b"<html><body>Not Found</body></html>"),
    Bad("html 401", 401, b"<html>login required</html>"),
    Bad("empty 200", 200),
    Bad("empty 201", 201),
    Bad("empty 202", 202),
    Bad("empty 204", 204),
    Bad("whitespace 200", 200, b" \r\n\t "),
    Bad("huge 2xx string", 200, b'"' + b"x" * (3 * MB) + b'"'),
    Bad("huge 2xx array", 200, b"[" + b"1," * (MB // 2) + b"1]"),
    Bad("binary 200", 200, bytes(range(256)) * 4),
    Bad("lying gzip", 200, b'{"uid": "x"}', (("content-encoding", "gzip"),), True),
    Bad("redirect 301", 301, b"", (("location", EVIL),)),
    Bad("redirect 302 relative", 302, b"", (("location", "/api/v1/other/"),)),
    Bad("redirect 307 no location", 307),
    Bad("redirect 308", 308, b"<html>moved</html>", (("location", EVIL),)),
    Bad("status 100", 100, b"{}"),
    Bad("status 418", 418, b'{"detail": "teapot"}'),
    Bad("status 413", 413, b'{"detail": "quota", "limit": 10, "used": 11}'),
    Bad("status 422 list", 422, b'["a", {"b": 1}, 3]'),
    Bad("status 599", 599, b"{}"),
    Bad("status 429 nan", 429, b"{}", (("retry-after", "nan"),)),
    Bad("status 429 negative", 429, b"{}", (("retry-after", "-5"),)),
    Bad("status 429 overflow", 429, b"{}", (("retry-after", "1e999"),)),
    Bad("status 429 bad date", 429, b"{}", (("retry-after", "Wed, 99 Foo 2015 07:28:00 GMT"),)),
    Bad("status 503 bad ms", 503, b"{}", (("retry-after-ms", "soon"), ("retry-after", "x"))),
    Bad("nested 500", 500, nested(5000)),
]

# Huge and hostile error bodies. The error path is shared by every method and redacting a few MB
# costs ~0.1-0.5 s of CPU, so these run for two methods (both clients) rather than all of them;
# every method meets huge 2xx bodies in the sweep and in the generated responses.
HUGE_ERRORS = [
    Bad("huge detail", 500, b'{"detail": "' + b"x" * (3 * MB) + b'"}'),
    Bad("huge field errors", 400, msgspec.json.encode({f"f{i}": ["bad"] for i in range(MB // 20)})),
    Bad(
        "pem storm", 502, b'{"detail": "' + b"-----BEGIN RSA PRIVATE KEY-----" * (MB // 10) + b'"}'
    ),
    Bad("huge html", 503, b"<html>" + b"<p>down</p>" * (2 * MB // 11) + b"</html>"),
    Bad("deep nesting", 400, nested(50_000)),
]
HUGE_METHODS = ["tasks.get", "exports.wait"]

FLAVORS = ["async", "sync"]
BAD_LOCATION = Bad("redirect to an unresolvable location", 301, b"", (("location", "A:0"),))


def nested_2xx(name: str) -> Bad:
    """A 2xx body nested 5,000 levels deep, in the outer shape `name` expects (an array for
    the methods returning a bare list, so the decoder gets past the top level)."""
    body = nested(5000)
    if str(inspect.signature(SYNC_SURFACE[name]).return_annotation).startswith("builtins.list"):
        body = b"[" + body + b"]"
    return Bad("nested 2xx", 200, body)


def location_outcome(location: str) -> str:
    """How httpx's redirect bookkeeping (done even when not following) takes a Location:
    "ok"; "protocol" (httpx raises RemoteProtocolError, so an APIConnectionError); or
    "invalid" (httpx raises InvalidURL, which escapes the SDK: see BAD_LOCATION)."""
    try:
        url = httpx.URL(location)
    except httpx.InvalidURL:
        return "protocol"
    try:
        if url.scheme and not url.host:
            url = url.copy_with(host="api.avala.test")
        if url.is_relative_url:
            httpx.URL("https://api.avala.test/api/v1/x/").join(url)
    except httpx.InvalidURL:
        return "invalid"
    return "ok"


@functools.lru_cache(maxsize=64)  # bytes cache their hash: cheap even for the huge bodies
def decodes_as_json(body: bytes) -> bool:
    try:
        msgspec.json.decode(body)
    except (msgspec.DecodeError, RecursionError):
        return False
    return True


def expected_error(status: int, body: bytes = b"") -> type[AvalaError]:
    if 300 <= status < 400:
        return AvalaError
    if status == 413 and b'"limit": 10' not in body:  # a 413 without quota numbers
        return APIStatusError
    if status in BY_STATUS:
        return BY_STATUS[status]
    return ServerError if status >= 500 else APIStatusError


def call(flavor: str, name: str, bad: Bad, **options: Any) -> tuple[Any, BaseException | None, int]:
    """(result, exception, requests sent) of `name` answered with `bad` on every request."""
    sent = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal sent
        sent += 1
        assert request.url.host == "api.avala.test", request.url  # never another host
        return bad.response()

    options.setdefault("max_retries", 0)
    try:
        result = RUNNERS[flavor](name, handler, **options)
    except Exception as exc:  # checked by the caller: it must be an AvalaError
        return None, exc, sent
    return result, None, sent


def check(name: str, bad: Bad, result: Any, exc: BaseException | None, sent: int) -> None:
    """The contract of one call answered with `bad`."""
    if exc is not None and not isinstance(exc, AvalaError):
        raise AssertionError(f"{name} with {bad.label}: {type(exc).__name__}: {exc}") from exc
    if isinstance(exc, BulkEditError):  # a failed chunk wraps the chunk's own error
        exc = exc.error
    assert sent >= 1, f"{name} sent nothing"
    kind = return_kind(SYNC_SURFACE[name])
    status = bad.status
    if not 200 <= status < 300:
        assert exc is not None, f"{name} with {bad.label} returned {result!r}"
        assert len(exc.message) <= 600, (name, bad.label)
        if 300 <= status < 400:
            assert sent == 1  # never followed
            outcome = location_outcome(dict(bad.headers).get("location", ""))
            if outcome == "protocol":
                assert isinstance(exc, APIConnectionError), (name, bad.label, exc)
                return
            assert type(exc) is AvalaError, (name, bad.label, exc)
            assert "redirect" in exc.message
            if outcome == "invalid":  # httpx raised before the SDK saw the response
                return
        assert type(exc) is expected_error(status, bad.body), (name, bad.label, exc)
        assert exc.status_code == status
        if isinstance(exc, RateLimitError) and exc.retry_after is not None:
            assert 0.0 <= exc.retry_after < math.inf
        return
    body = bad.body
    if bad.lying_encoding:
        try:
            body = bad.response().content  # what httpx makes of it, if anything
        except httpx.DecodingError:
            assert isinstance(exc, APIConnectionError), (name, exc)
            return
    if kind == "void":
        assert exc is None, (name, bad.label, exc)
        assert result is None, (name, bad.label, result)
    elif kind == "raw":
        if not body.strip():
            assert exc is None, (name, bad.label, exc)
            assert result == {}, (name, bad.label, result)
        elif decodes_as_json(body) and isinstance(msgspec.json.decode(body), dict):
            assert exc is None, (name, bad.label, exc)
            assert result == msgspec.json.decode(body), (name, bad.label)
        else:
            assert isinstance(exc, ResponseValidationError), (name, bad.label, exc, result)
    elif not body.strip():
        # Nothing to decode: only the iterator (bulk_edit's raw chunks) may succeed.
        if kind != "iterator":
            assert isinstance(exc, ResponseValidationError), (name, bad.label, exc, result)
    elif not decodes_as_json(body):
        # Not JSON at all: whatever the method expects, this is a ResponseValidationError.
        assert isinstance(exc, ResponseValidationError), (name, bad.label, exc, result)
    # Otherwise valid JSON of the wrong shape: a typed error, or (by chance) a valid result.
    if isinstance(exc, ResponseValidationError):
        assert exc.status_code == status
        assert exc.model


def sweep_id(bad: Bad) -> str:
    return bad.label.replace(" ", "-")


@pytest.fixture(autouse=True)
def instant_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return no_sleep(monkeypatch)


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("name", METHOD_NAMES)
def test_every_method_survives_the_sweep(flavor: str, name: str) -> None:
    for bad in SWEEP:
        check(name, bad, *call(flavor, name, bad))


def escaping(cases: list[tuple[str, Bad]]) -> list[str]:
    """`name (flavor): exception` for each case whose call raised something not an AvalaError."""
    found = []
    for name, bad in cases:
        for flavor in FLAVORS:
            result, exc, sent = call(flavor, name, bad)
            if exc is not None and not isinstance(exc, AvalaError):
                found.append(f"{name} ({flavor}): {type(exc).__name__}: {exc}")
                continue
            try:
                check(name, bad, result, exc, sent)
            except AssertionError as error:
                pytest.fail(f"{name} ({flavor}): {error}")
    return found


def test_deeply_nested_2xx_bodies() -> None:
    assert escaping([(name, nested_2xx(name)) for name in METHOD_NAMES]) == []


def test_redirect_to_an_unresolvable_location() -> None:
    assert location_outcome("A:0") == "invalid"
    assert escaping([(name, BAD_LOCATION) for name in METHOD_NAMES]) == []


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("name", HUGE_METHODS)
@pytest.mark.parametrize("bad", HUGE_ERRORS, ids=sweep_id)
def test_huge_and_hostile_error_bodies(flavor: str, name: str, bad: Bad) -> None:
    started = time.perf_counter()
    result, exc, sent = call(flavor, name, bad)
    elapsed = time.perf_counter() - started
    check(name, bad, result, exc, sent)
    assert isinstance(exc, APIStatusError)
    assert len(repr(exc.body)) < 8 * MB
    assert elapsed < 10, f"{bad.label}: {elapsed:.1f}s"  # was minutes for the PEM storm


# -- hypothesis -------------------------------------------------------------------------------

FIELDS = ["uid", "name", "status", "results", "next", "created", "slug", "items", "detail"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=12,
)
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
statuses = st.integers(100, 599)
success = st.sampled_from([200, 201, 202, 203, 204, 206, 299])


@st.composite
def truncated(draw: Callable[..., Any]) -> Bad:
    value = draw(st.dictionaries(st.sampled_from(FIELDS), json_values, min_size=1, max_size=6))
    text = msgspec.json.encode(value)
    cut = draw(st.integers(1, len(text) - 1))
    return Bad("truncated", draw(success), text[:cut])


@st.composite
def wrong_json(draw: Callable[..., Any]) -> Bad:
    return Bad("json", draw(success | statuses), msgspec.json.encode(draw(json_values)))


@st.composite
def retry_after(draw: Callable[..., Any]) -> Bad:
    name = draw(st.sampled_from(["retry-after", "retry-after-ms", "Retry-After"]))
    value = draw(
        st.sampled_from(["nan", "inf", "-inf", "-1", "1e309", "0x10", "", " ", "3600", "0"])
        | header_text
        | st.floats(allow_nan=True).map(repr)
        | st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT"))
    )
    status = draw(st.sampled_from([408, 429, 500, 502, 503, 504]))
    return Bad("retry-after", status, b"{}", ((name, value),))


@st.composite
def redirect(draw: Callable[..., Any]) -> Bad:
    status = draw(st.sampled_from([300, 301, 302, 303, 304, 305, 307, 308]))
    location = draw(
        st.sampled_from([EVIL, "/elsewhere/", "//evil.example/x"])
        | header_text.filter(lambda text: location_outcome(text) != "invalid")
    )
    return Bad("redirect", status, b"", (("location", location),))


@st.composite
def raw_bytes(draw: Callable[..., Any]) -> Bad:
    return Bad("bytes", draw(success | statuses), draw(st.binary(max_size=200)))


@st.composite
def html(draw: Callable[..., Any]) -> Bad:
    text = draw(st.text(max_size=60)).encode("utf-8", "replace")
    return Bad("html", draw(success | statuses), b"<html><body>" + text + b"</body></html>")


@st.composite
def empty(draw: Callable[..., Any]) -> Bad:
    return Bad("empty", draw(success), draw(st.sampled_from([b"", b" ", b"\n", b"\r\n\t"])))


@st.composite
def huge(draw: Callable[..., Any]) -> Bad:
    size = draw(st.integers(1, 3)) * MB
    shape = draw(st.sampled_from(["string", "array", "garbage"]))
    body = {
        "string": b'"' + b"y" * size + b'"',
        "array": b"[" + b"0," * (size // 2) + b"0]",
        "garbage": b"{" * size,
    }[shape]
    return Bad(f"huge {shape}", draw(success), body)


@st.composite
def lying_encoding(draw: Callable[..., Any]) -> Bad:
    """Content-Encoding: gzip over bytes that are not gzip (no gzip magic number)."""
    encoding = draw(st.sampled_from(["gzip", "GZIP", "gzip, gzip", "deflate, gzip"]))
    body = draw(st.binary(min_size=1, max_size=50))
    if body.startswith(gzip.compress(b"")[:1]):
        body = b"x" + body
    return Bad("encoding", 200, body, (("content-encoding", encoding),), True)


bad_responses = st.one_of(
    truncated(),
    wrong_json(),
    retry_after(),
    redirect(),
    raw_bytes(),
    html(),
    empty(),
    huge(),
    lying_encoding(),
)


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("name", METHOD_NAMES)
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bad=bad_responses)
def test_every_method_survives_generated_responses(flavor: str, name: str, bad: Bad) -> None:
    result, exc, sent = call(flavor, name, bad)
    check(name, bad, result, exc, sent)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(bad=retry_after(), flavor=st.sampled_from(["async", "sync"]))
def test_retry_waits_stay_sane_whatever_retry_after_says(
    bad: Bad, flavor: str, instant_waits: list[float]
) -> None:
    """With retries on, the SDK never sleeps a negative, infinite, NaN or over-long time."""
    instant_waits.clear()
    policy = RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0)
    _, exc, sent = call(flavor, "tasks.get", bad, max_retries=2, retry_policy=policy)
    assert isinstance(exc, APIStatusError), exc
    assert sent in (1, 3)
    assert len(instant_waits) == sent - 1
    assert all(0.0 <= wait <= policy.max_retry_after for wait in instant_waits), instant_waits
