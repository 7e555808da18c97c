"""Secrets stay secret: the API key, and credentials a server echoes into its answers, never
appear in any exception (message, `str`/`repr`, `.body`, `.headers`, any attribute, the chained
cause), in `repr()` of a client, or in log output; models that carry secrets on purpose mask
them in `repr()`; plain http to a non-loopback host is refused; redirects are never followed.

On logging: the SDK's own `avala` logger never logs headers or bodies. httpx and httpcore log
no request headers either (checked below with every logger at DEBUG). httpcore's DEBUG trace
does print *response* headers verbatim, so if a server echoes a credential in a response
header, that trace shows it; the SDK does not filter third-party loggers (enabling httpcore
DEBUG output is the application's choice and responsibility), and the README says so.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest

from avala import (
    APIConnectionError,
    AsyncClient,
    AvalaError,
    Client,
    ResponseValidationError,
)
from avala.testing import FaultConfig, LocalAvala
from avala.types.agents import Agent
from avala.types.fleet import Device
from avala.types.inference_providers import InferenceProvider
from avala.types.webhooks import Webhook
from tests.reliability._serve import add_response_headers, serve
from tests.reliability._surface import API_KEY, BASE_URL, NO_WAIT, RUNNERS, no_sleep, run_many

FLAVORS = ["async", "sync"]
OTHER_AVK = "avk_live_9f8e7d6c5b4a3f2e1d0c"
AWS_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.sflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
PASSWORD = "correct-horse-battery-staple"
SESSION = "sess-8c1f0e2d9b7a"
SECRETS = [API_KEY, OTHER_AVK, AWS_ID, AWS_SECRET, JWT, PASSWORD, SESSION]

ECHOED_BODY = {
    "detail": f"Invalid API key {API_KEY}; also tried {OTHER_AVK} with token {JWT}",
    "password": PASSWORD,
    "config": {"aws_access_key_id": AWS_ID, "aws_secret_access_key": AWS_SECRET},
    "credentials": f"aws_secret_access_key={AWS_SECRET}",
    "name": [f"{AWS_ID} is not allowed here"],
}
ECHOED_HEADERS = [
    ("x-avala-api-key", API_KEY),
    ("x-echo", f"key={API_KEY} auth=Bearer {JWT}"),
    ("set-cookie", f"session={SESSION}; HttpOnly"),
    ("x-request-id", "req_123"),
]


def exposed(exc: BaseException) -> str:
    """Every text an exception shows: str, repr, args, every attribute, the formatted
    traceback with its chained causes, and the cause's and context's own str/repr."""
    parts = [str(exc), repr(exc), repr(exc.args), repr(vars(exc))]
    parts += traceback.format_exception(type(exc), exc, exc.__traceback__)
    for linked in (exc.__cause__, exc.__context__):
        if linked is not None:
            parts += [str(linked), repr(linked), repr(linked.args)]
    return "\n".join(parts)


def leaks(text: str, secrets: list[str] = SECRETS) -> list[str]:
    return [secret for secret in secrets if secret in text]


def answering(status: int, body: bytes, headers: list[tuple[str, str]]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "api.avala.test"
        return httpx.Response(status, headers=headers, content=body)

    return handler


@pytest.fixture(autouse=True)
def instant_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    no_sleep(monkeypatch)


# -- clients ------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [AsyncClient, Client])
def test_clients_never_show_the_key(cls: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    headers = {"Proxy-Authorization": f"Basic {SESSION}"}
    explicit = cls(api_key=API_KEY, base_url=BASE_URL, default_headers=headers)
    monkeypatch.setenv("AVALA_API_KEY", OTHER_AVK)
    from_env = cls(base_url=BASE_URL)
    for client in (explicit, from_env):
        shown = [repr(client), str(client), repr(client._http.config), repr(vars(client))]
        assert leaks("\n".join(shown)) == []
        if isinstance(client, Client):
            client.close()


# -- errors -------------------------------------------------------------------------------------

STATUSES = [400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 302, 418]


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("status", STATUSES)
def test_errors_never_show_echoed_secrets(flavor: str, status: int) -> None:
    headers = [*ECHOED_HEADERS, ("location", f"https://evil.example/?key={API_KEY}&t={JWT}")]
    handler = answering(status, msgspec.json.encode(ECHOED_BODY), headers)
    for name in ("tasks.get", "webhooks.create", "tasks.delete", "tasks.list"):
        with pytest.raises(AvalaError) as info:
            RUNNERS[flavor](name, handler, max_retries=0)
        assert info.value.status_code == status
        assert leaks(exposed(info.value)) == [], (name, status)
        assert info.value.headers["x-avala-api-key"] == "[redacted]"
        assert info.value.headers["x-request-id"] == "req_123"  # the rest stays readable


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize(
    "body",
    [
        f"<html><body>Your key {API_KEY} was rejected by the proxy</body></html>".encode(),
        msgspec.json.encode({"uid": 5, "detail": f"key {API_KEY}", "token": JWT}),
        msgspec.json.encode([{"password": PASSWORD, "session": SESSION}]),
    ],
)
def test_malformed_2xx_bodies_never_show_secrets(flavor: str, body: bytes) -> None:
    handler = answering(200, body, ECHOED_HEADERS)
    with pytest.raises(ResponseValidationError) as info:
        RUNNERS[flavor]("tasks.get", handler, max_retries=0)
    assert leaks(exposed(info.value)) == []
    assert info.value.headers["set-cookie"] == "[redacted]"


def failing_transport(message: str) -> Callable[[httpx.Request], httpx.Response]:
    """A transport (say, a corporate proxy) whose error message quotes the request."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(message.format(key=request.headers["x-avala-api-key"]))

    return handler


@pytest.mark.parametrize("flavor", FLAVORS)
def test_connection_error_messages_never_show_the_key(flavor: str) -> None:
    handler = failing_transport("proxy refused CONNECT with X-Avala-Api-Key: {key} ({key})")
    with pytest.raises(APIConnectionError) as info:
        RUNNERS[flavor]("tasks.get", handler, max_retries=1, retry_policy=NO_WAIT)
    assert leaks(str(info.value) + repr(info.value) + repr(vars(info.value))) == []


@pytest.mark.parametrize("flavor", FLAVORS)
def test_connection_errors_never_chain_a_cause_showing_the_key(flavor: str) -> None:
    handler = failing_transport("upstream said: bad credentials {key}")
    with pytest.raises(APIConnectionError) as info:
        RUNNERS[flavor]("tasks.get", handler, max_retries=0)
    assert leaks(exposed(info.value)) == []


@pytest.mark.parametrize("flavor", FLAVORS)
def test_a_key_of_any_shape_never_shows_in_a_malformed_2xx_error(flavor: str) -> None:
    key = "Zq8-legacy-key-0001-custom"
    body = f"<html>proxy: key {key} rejected</html>".encode()
    exc = _call_with_key(flavor, key, answering(200, body, []))
    assert isinstance(exc, ResponseValidationError)
    assert key not in exposed(exc)


def _call_with_key(flavor: str, key: str, handler: Any) -> BaseException | None:
    import asyncio

    async def main() -> BaseException | None:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http,
            AsyncClient(api_key=key, base_url=BASE_URL, http_client=http, max_retries=0) as c,
        ):
            try:
                await c.tasks.get("t")
            except Exception as exc:
                return exc
        return None

    if flavor == "async":
        return asyncio.run(main())
    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as http,
        Client(api_key=key, base_url=BASE_URL, http_client=http, max_retries=0) as c,
    ):
        try:
            c.tasks.get("t")
        except Exception as exc:
            return exc
    return None


@pytest.mark.parametrize("flavor", FLAVORS)
def test_a_key_of_any_shape_never_shows_in_status_errors(flavor: str) -> None:
    key = "Zq8-legacy-key-0001-custom"
    body = msgspec.json.encode({"detail": f"key {key} revoked", "hint": [f"rotate {key}"]})
    handler = answering(401, body, [("x-echo", f"key={key}")])
    exc = _call_with_key(flavor, key, handler)
    assert isinstance(exc, AvalaError)
    assert exc.status_code == 401
    assert key not in exposed(exc)


# -- models -------------------------------------------------------------------------------------

MODELS: list[tuple[str, type[Any], dict[str, Any], str, Any]] = [
    ("webhooks.get", Webhook, {"uid": "w", "target_url": "https://x", "secret": "whsec_abc123"},
     "secret", "whsec_abc123"),
    ("agents.get", Agent, {"uid": "a", "name": "n", "secret": "agsec_def456"},
     "secret", "agsec_def456"),
    ("fleet.devices.get", Device, {"uid": "d", "name": "n", "device_token": "devtok_ghi789"},
     "device_token", "devtok_ghi789"),
    ("inference_providers.get", InferenceProvider,
     {"uid": "p", "name": "n", "provider_type": "openai", "config": {"api_key": "sk-jkl012abcdefghijklmnopqr"}},
     "config", {"api_key": "sk-jkl012abcdefghijklmnopqr"}),
]  # fmt: skip


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize(("name", "model", "data", "field", "value"), MODELS)
def test_models_mask_the_secrets_they_carry(
    flavor: str, name: str, model: type[Any], data: dict[str, Any], field: str, value: Any
) -> None:
    secret = value if isinstance(value, str) else value["api_key"]
    handler = answering(200, msgspec.json.encode(data), [])
    got = RUNNERS[flavor](name, handler, max_retries=0)
    assert isinstance(got, model)
    assert getattr(got, field) == value  # kept: the caller asked for it
    assert got.to_dict()[field] == value
    shown = [repr(got), str(got), f"{got!r}", repr([got]), repr({"x": got})]
    shown.append(repr(list(got.__rich_repr__())))
    assert leaks("\n".join(shown), [secret]) == []
    assert "***" in repr(got)


# -- logs ---------------------------------------------------------------------------------------


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in ("avala", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def all_logged(records: list[logging.LogRecord]) -> str:
    return "\n".join(f"{r.name} {r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in records)


async def exercise(base_url: str) -> None:
    """Successes, retries through faults, typed errors and a listing, over real sockets."""
    async with AsyncClient(
        api_key=API_KEY, base_url=base_url, max_retries=3, retry_policy=NO_WAIT
    ) as client:
        await client.tasks.get("task_1")
        await client.tasks.update("task_1", name="renamed")
        [t async for t in client.tasks.list(limit=2)]
        with pytest.raises(AvalaError):
            await client.tasks.get("missing-task")
        await client.webhooks.create(target_url="https://example.com/h", events=["a.b"])


async def test_debug_logs_of_every_logger_never_show_the_key(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    api = LocalAvala(data="demo", api_key=API_KEY)
    api.faults = FaultConfig(fail_rate=0.3, seed=3)
    with serve(api) as base_url:
        await exercise(base_url)
    records = debug_logs.records
    assert {r.name.split(".")[0] for r in records} >= {"avala", "httpx", "httpcore"}
    assert any("Retrying" in r.getMessage() for r in records)  # retries were logged
    assert leaks(all_logged(records)) == []


async def test_the_sdk_never_logs_a_key_the_server_echoes(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    api = LocalAvala(data="demo", api_key=API_KEY)
    echo = add_response_headers(lambda request: [("x-echo-key", request["x-avala-api-key"])])
    with serve(api, echo) as base_url:
        await exercise(base_url)
    ours = [r for r in debug_logs.records if r.name.startswith("avala")]
    assert ours
    assert leaks(all_logged(ours)) == []
    # httpcore's own DEBUG trace prints response headers verbatim (see the module docstring).
    theirs = [r for r in debug_logs.records if r.name.startswith("httpcore")]
    assert leaks(all_logged(theirs)) == [API_KEY]


# -- transport security -------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [AsyncClient, Client])
@pytest.mark.parametrize(
    "url",
    [
        "http://api.avala.ai/api/v1",
        "http://10.0.0.7:8000/api/v1",
        "http://0.0.0.0:8000",
        "http://localhost.evil.example",
        "http://127.0.0.1.nip.io",
        "http://[2001:db8::1]/api/v1",
        "HTTP://API.AVALA.AI",
        "ftp://localhost/api/v1",
        "https://user:pass@api.avala.ai/api/v1",
        "//api.avala.ai/api/v1",
    ],
)
def test_unsafe_base_urls_are_refused(cls: Any, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match=r"http|base_url|credentials"):
        cls(api_key=API_KEY, base_url=url)
    monkeypatch.setenv("AVALA_BASE_URL", url)
    with pytest.raises(ValueError, match=r"http|base_url|credentials"):
        cls(api_key=API_KEY)


@pytest.mark.parametrize("cls", [AsyncClient, Client])
@pytest.mark.parametrize(
    "url", ["http://localhost:8000/api/v1", "http://127.0.0.1/api/v1", "http://[::1]:9/api/v1"]
)
def test_plain_http_to_loopback_is_allowed(cls: Any, url: str) -> None:
    client = cls(api_key=API_KEY, base_url=url)
    assert client.base_url == url
    if cls is Client:
        client.close()


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("name", ["tasks.get", "tasks.create", "tasks.update", "tasks.delete"])
def test_redirects_are_never_followed_even_when_the_http_client_would(
    flavor: str, status: int, name: str
) -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        if request.url.host != "api.avala.test":
            return httpx.Response(200, json={"uid": "stolen", "name": "x", "project": "p"})
        return httpx.Response(status, headers={"location": "https://evil.example/api/v1/x/"})

    exc = _follow_redirects_call(flavor, name, handler)
    assert isinstance(exc, AvalaError), exc
    assert "redirect" in str(exc)
    assert hosts == ["api.avala.test"]


def _follow_redirects_call(flavor: str, name: str, handler: Any) -> BaseException | None:
    import asyncio

    resource, method = name.split(".")
    args: dict[str, dict[str, Any]] = {
        "get": {"id": "t1"},
        "create": {"name": "n", "project_id": "p"},
        "update": {"id": "t1", "name": "n"},
        "delete": {"id": "t1"},
    }

    async def main() -> BaseException | None:
        async with (
            httpx.AsyncClient(
                transport=httpx.MockTransport(handler), follow_redirects=True
            ) as http,
            AsyncClient(api_key=API_KEY, base_url=BASE_URL, http_client=http) as client,
        ):
            try:
                await getattr(getattr(client, resource), method)(**args[method])
            except Exception as exc:
                return exc
        return None

    if flavor == "async":
        return asyncio.run(main())
    with (
        httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True) as http,
        Client(api_key=API_KEY, base_url=BASE_URL, http_client=http) as client,
    ):
        try:
            getattr(getattr(client, resource), method)(**args[method])
        except Exception as exc:
            return exc
    return None


@pytest.mark.parametrize("flavor", FLAVORS)
def test_a_next_page_url_on_another_host_is_never_requested(flavor: str) -> None:
    """A page's `next` URL only lends its cursor; the request goes to `base_url`."""
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.url.params.get("cursor")))
        if request.url.params.get("cursor") == "c2":
            return httpx.Response(200, json={"results": [{"uid": "t2"}], "next": None})
        page = {"results": [{"uid": "t1"}], "next": "https://evil.example/api/v1/tasks/?cursor=c2"}
        return httpx.Response(200, json=page)

    outcomes = run_many(flavor, "tasks.list", handler, [lambda m: m()], max_retries=0)
    items, exc = outcomes[0]
    assert exc is None
    assert [t.uid for t in items] == ["t1", "t2"]
    assert seen == [("api.avala.test", None), ("api.avala.test", "c2")]
