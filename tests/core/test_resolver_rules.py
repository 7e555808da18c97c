"""Reference grammar, document, page, withdrawal and grant rules of the dataset resolver, on
the shapes of the resolver's v1 fixtures (accept and reject vectors)."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from avala._core._resolver_docs import parse_object_page, parse_revision, parse_withdrawal
from avala._core._resolver_grant import latest_date, parse_grant
from avala._core._resolver_hosts import is_provider_host_allowed, validate_grant_url
from avala._core._resolver_refs import (
    join_resolver_path,
    parse_reference,
    resolver_base_url,
    validate_resolver_path,
)
from avala._core._resolver_walk import Tracker, Walk
from avala.errors import (
    AvalaError,
    DatasetIntegrityError,
    DatasetReferenceError,
    DatasetResolverError,
)

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "dataset_resolver_v1.json").read_text())
RESOLVE = FIXTURES["resolve_response"]["body"]
PAGE = FIXTURES["object_page_response"]["body"]
GRANT = FIXTURES["access_grant_response"]["body"]
GRANT_DATE = FIXTURES["access_grant_response"]["headers"]["Date"]
WITHDRAWN = FIXTURES["withdrawn_response"]["body"]
UID = RESOLVE["dataset_uid"]
SHA = RESOLVE["revision_sha256"]
API = "https://api.avala.ai/api/v1"


def _revision(body: dict[str, Any] | None = None) -> Any:
    return parse_revision(body or RESOLVE, parse_reference("acme/navigation@main"))


def _at(date: str, seconds: float = 0.0) -> Any:
    moment = datetime.strptime(date, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=timezone.utc)
    return lambda: moment + timedelta(seconds=seconds)


# -- references --------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", FIXTURES["load_reference_vectors"], ids=lambda v: repr(v))
def test_reference_vectors(vector: dict[str, Any]) -> None:
    if vector["valid"]:
        parsed = parse_reference(vector["reference"], vector["revision"])
        assert parsed.requested_reference.endswith(vector["selector"])
        assert parsed.path.startswith("/resolve/")
        assert parsed.mutable is (vector["selector"] == "main")
    else:
        with pytest.raises(DatasetReferenceError) as caught:
            parse_reference(vector["reference"], vector["revision"])
        assert caught.value.reason == vector["error"]
        assert isinstance(caught.value, ValueError)
        assert isinstance(caught.value, AvalaError)


def test_reference_routes() -> None:
    assert parse_reference("acme/navigation").path == "/resolve/acme/navigation@main/"
    canonical = parse_reference(RESOLVE["canonical_reference"])
    assert canonical.path == f"/resolve/uid/{UID}/{SHA}/"
    assert (canonical.dataset_uid, canonical.revision_sha256) == (UID, SHA)


@pytest.mark.parametrize("vector", FIXTURES["path_join_vectors"], ids=lambda v: v["name"])
def test_path_join_vectors(vector: dict[str, Any]) -> None:
    root = resolver_base_url(vector["api_root"])
    assert join_resolver_path(root, vector["api_relative_path"]) == vector["expected_url"]


@pytest.mark.parametrize(
    "path",
    [
        "/datasets/",
        "/resolve/a?b/",
        "/resolve/a#b/",
        "/resolve/a\\b/",
        "/resolve//a/",
        "/resolve/./a/",
        "/resolve/../a/",
        "/resolve/%2e%2e/a/",
        "/resolve/a%2Fb/",
        "/resolve/a%25/",
        "/resolve/https://evil/",
        "/resolve/a b/",
    ],
)
def test_unsafe_resolver_paths(path: str) -> None:
    with pytest.raises(DatasetIntegrityError) as caught:
        validate_resolver_path(path)
    assert caught.value.reason == "invalid_resolver_path"


def test_base_url_honours_env_and_refuses_plain_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVALA_BASE_URL", "https://resolver.example.test/api/v1")
    assert resolver_base_url(None) == "https://resolver.example.test/api/v1"
    with pytest.raises(ValueError, match="plain http"):
        resolver_base_url("http://example.test/api/v1")
    with pytest.raises(ValueError, match="credentials"):
        resolver_base_url("https://user:pw@example.test/api/v1")
    assert resolver_base_url("http://127.0.0.1:8000/api/v1").startswith("http://127.0.0.1")


# -- resolve document ----------------------------------------------------------------------------


def test_resolve_fixture_parses() -> None:
    revision = _revision()
    assert revision.canonical_reference == RESOLVE["canonical_reference"]
    assert revision.object_count == 2
    assert revision.rights["status"] == "declared"


def _mutated(path: list[str], value: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    body = copy.deepcopy(base or RESOLVE)
    target = body
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (["schema_version"], 2, "invalid_resolver_response"),
        (["schema_version"], "1", "invalid_resolver_response"),
        (["state"], "draft", "invalid_resolver_response"),
        (["dataset_uid"], UID.upper(), "invalid_resolver_response"),
        (["manifest", "object_count"], True, "invalid_resolver_response"),
        (["manifest", "object_count"], 100_001, "invalid_resolver_response"),
        (["manifest", "total_size_bytes"], -1, "invalid_resolver_response"),
        (["rights", "extra"], "x", "invalid_resolver_response"),
        (["rights", "url"], "http://example.test/license", "invalid_resolver_response"),
        (["manifest"], KeyError, "invalid_resolver_response"),
        (["requested_reference"], "acme/other@main", "resolver_identity_mismatch"),
        (["display_reference"], "acme/navigation@main", "resolver_identity_mismatch"),
        (["display_reference"], f"evil/navigation@{SHA}", "resolver_identity_mismatch"),
        (
            ["canonical_reference"],
            f"avala://datasets/{UID}@{'0' * 64}",
            "resolver_identity_mismatch",
        ),
        (
            ["manifest", "objects_path"],
            f"/resolve/uid/{UID}/{'0' * 64}/objects/",
            "resolver_identity_mismatch",
        ),
        (["manifest", "origins"], [], "invalid_manifest_origins"),
    ],
)
def test_resolve_rejections(path: list[str], value: Any, reason: str) -> None:
    with pytest.raises(DatasetIntegrityError) as caught:
        _revision(_mutated(path, value))
    assert caught.value.reason == reason
    assert isinstance(caught.value, DatasetResolverError)


def test_origins_must_be_sorted_and_unique() -> None:
    origin = RESOLVE["manifest"]["origins"][0]
    for origins in ([{**origin, "name": "zeta"}, origin], [origin, origin]):
        with pytest.raises(DatasetIntegrityError) as caught:
            _revision(_mutated(["manifest", "origins"], origins))
        assert caught.value.reason == "invalid_manifest_origins"


def test_pinned_reference_must_match() -> None:
    other = "0" * 64
    with pytest.raises(DatasetIntegrityError):
        parse_revision(RESOLVE, parse_reference(f"avala://datasets/{UID}@{other}"))
    body = _mutated(["requested_reference"], f"acme/navigation@{SHA}")
    assert parse_revision(body, parse_reference(f"acme/navigation@{SHA}")).revision_sha256 == SHA


# -- object pages --------------------------------------------------------------------------------


def test_page_fixture_parses_with_extra_fields() -> None:
    body = copy.deepcopy(PAGE)
    body["results"][0]["camera"] = {"fps": 30}
    page = parse_object_page(body, _revision(), role="episode", ordinal=0)
    assert page.results[0].logical_path == "episodes/0001.mcap"
    assert page.results[0].extra_fields == {"camera": {"fps": 30}}


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("logical_path", "/abs/path", "invalid_object_page"),
        ("logical_path", "a/../b", "invalid_object_page"),
        ("logical_path", "a//b", "invalid_object_page"),
        ("logical_path", "a%2Fb", "invalid_object_page"),
        ("logical_path", "a\\b", "invalid_object_page"),
        ("logical_path", "cafe\u0301", "invalid_object_page"),
        ("logical_path", "a\x00b", "invalid_object_page"),
        ("role", "Episode", "invalid_object_page"),
        ("episode_ordinal", 3, "invalid_object_page"),
        ("size_bytes", 4.0, "invalid_object_page"),
        ("ordinal", "0", "invalid_object_page"),
        ("origin", "other", "object_identity_mismatch"),
        ("access_path", "/resolve/uid/x/access/", "object_identity_mismatch"),
        ("ordinal", 1, "object_identity_mismatch"),
    ],
)
def test_page_object_rejections(field: str, value: Any, reason: str) -> None:
    body = copy.deepcopy(PAGE)
    body["results"][0][field] = value
    with pytest.raises(DatasetIntegrityError) as caught:
        parse_object_page(body, _revision(), role="episode", ordinal=0)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("revision_sha256", "0" * 64, {"role": "episode", "ordinal": 0}),
        ("canonical_reference", "avala://datasets/x@y", {"role": "episode", "ordinal": 0}),
        ("next_cursor", "abc", {"role": "episode", "ordinal": 0}),
        ("previous_cursor", "abc", {}),
        ("next_cursor", "", {}),
        ("next_cursor", "x" * 8193, {}),
    ],
)
def test_page_identity_rejections(field: str, value: Any, query: dict[str, Any]) -> None:
    body = copy.deepcopy(PAGE)
    body[field] = value
    with pytest.raises(DatasetIntegrityError) as caught:
        parse_object_page(body, _revision(), **query)
    assert caught.value.reason == "object_page_identity_mismatch"


def test_later_page_needs_previous_cursor() -> None:
    with pytest.raises(DatasetIntegrityError):
        parse_object_page(PAGE, _revision(), cursor="c1")
    body = copy.deepcopy(PAGE)
    body["previous_cursor"] = "c0"
    assert len(parse_object_page(body, _revision(), cursor="c1").results) == 1


# -- walks ---------------------------------------------------------------------------------------


def _object(ordinal: int, role: str = "episode", episode: int | None = None) -> dict[str, Any]:
    base = copy.deepcopy(PAGE["results"][0])
    uid = (
        f"00000000-0000-4000-8000-{ordinal:012d}"
        if role == "episode"
        else f"00000000-0000-4000-9000-{ordinal:012d}"
    )
    base.update(
        object_uid=uid,
        role=role,
        ordinal=ordinal,
        episode_ordinal=episode,
        logical_path=f"{role}/{ordinal}",
        size_bytes=1,
        access_path=f"{RESOLVE['manifest']['objects_path']}{uid}/access/",
    )
    return base


def _page(objects: list[dict[str, Any]], nxt: str | None = None, prev: str | None = None) -> Any:
    body = copy.deepcopy(PAGE)
    body.update(results=objects, next_cursor=nxt, previous_cursor=prev)
    return parse_object_page(body, _revision(), cursor=prev and "c")


def test_walk_enforces_order_count_cursor_and_episodes() -> None:
    revision = _revision(_mutated(["manifest", "total_size_bytes"], 2))
    walk = Walk(Tracker(revision), role=None)
    walk.accept(_page([_object(0)]))
    with pytest.raises(DatasetIntegrityError) as caught:
        walk.accept(_page([_object(0, "frame", 0), _object(0)]))
    assert caught.value.reason in ("invalid_manifest_order", "manifest_object_count_mismatch")

    walk = Walk(Tracker(revision), role=None)
    walk.accept(_page([_object(0, "frame", 7), _object(1, "frame", 7)]))
    with pytest.raises(DatasetIntegrityError) as caught:
        walk.finish()
    assert caught.value.reason == "dangling_episode_reference"

    walk = Walk(Tracker(revision), role=None)
    page = _page([_object(0)], nxt="c1")
    assert walk.next_cursor(page) == "c1"
    with pytest.raises(DatasetIntegrityError) as caught:
        walk.next_cursor(page)
    assert caught.value.reason == "invalid_cursor_sequence"

    walk = Walk(Tracker(revision), role=None)
    walk.accept(_page([_object(0)]))
    with pytest.raises(DatasetIntegrityError) as caught:
        walk.finish()
    assert caught.value.reason == "manifest_object_count_mismatch"


def test_tracker_detects_conflicting_duplicates() -> None:
    tracker = Tracker(_revision())
    first = _page([_object(0)]).results[0]
    tracker.include(first)
    tracker.include(first)  # the same object seen twice is fine
    changed = _object(0)
    changed["content_type"] = "text/plain"
    with pytest.raises(DatasetIntegrityError) as caught:
        tracker.include(_page([changed]).results[0])
    assert caught.value.reason == "duplicate_manifest_object"


def test_episode_batches_look_ahead() -> None:
    tracker = Tracker(_revision())
    assert tracker.episode_batch([5]) == tuple(range(5, 105))
    assert len(tracker.episode_batch(list(range(300)))) == 100


# -- withdrawals ---------------------------------------------------------------------------------


def test_withdrawal_of_an_alias_is_a_withdrawal() -> None:
    gone = parse_withdrawal(WITHDRAWN, dataset_uid=None, revision_sha256=None)
    assert gone.revision_sha256 == SHA


def test_withdrawal_identity_must_match() -> None:
    with pytest.raises(DatasetIntegrityError) as caught:
        parse_withdrawal(WITHDRAWN, dataset_uid=None, revision_sha256="0" * 64)
    assert caught.value.reason == "withdrawal_identity_mismatch"
    body = {**WITHDRAWN, "canonical_reference": f"avala://datasets/{UID}@{'1' * 64}"}
    with pytest.raises(DatasetIntegrityError):
        parse_withdrawal(body, dataset_uid=None, revision_sha256=None)
    with pytest.raises(DatasetIntegrityError) as caught:
        parse_withdrawal({**WITHDRAWN, "code": "gone"}, dataset_uid=None, revision_sha256=None)
    assert caught.value.reason == "invalid_withdrawal"


# -- hosts and grants ----------------------------------------------------------------------------


@pytest.mark.parametrize("vector", FIXTURES["provider_host_vectors"], ids=lambda v: repr(v))
def test_provider_host_vectors(vector: dict[str, Any]) -> None:
    api = f"https://{vector.get('api_root_hostname', 'api.avala.ai')}/api/v1"
    allowed = is_provider_host_allowed(vector["provider"], vector["hostname"], api_base_url=api)
    assert allowed is vector["allowed"]


def _grant(
    body: dict[str, Any] | None = None,
    *,
    date: str | None = GRANT_DATE,
    api: str = API,
    age: float = 0.0,
) -> Any:
    revision = _revision()
    obj = parse_object_page(PAGE, revision, role="episode", ordinal=0).results[0]
    return parse_grant(
        body or GRANT,
        date_header=date,
        revision=revision,
        obj=obj,
        api_base_url=api,
        now=_at(GRANT_DATE, age),
        clock=lambda: 100.0,
    )


def test_grant_fixture_parses_and_hides_its_url() -> None:
    grant = _grant()
    assert grant.provider == "aws_s3"
    assert grant.range_supported is True
    assert grant.remaining == pytest.approx(300.0)
    assert "amazonaws" not in repr(grant)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("sha256", "0" * 64, "access_grant_identity_mismatch"),
        ("size_bytes", 5, "access_grant_identity_mismatch"),
        ("size_bytes", True, "access_grant_identity_mismatch"),
        ("object_uid", "48bac4d3-016d-4430-86a9-e3a719630dfc", "access_grant_identity_mismatch"),
        ("method", "PUT", "access_grant_identity_mismatch"),
        ("provider", "ftp", "access_grant_identity_mismatch"),
        ("range_supported", 1, "access_grant_identity_mismatch"),
        ("expires_at", "2026-08-23T18:06:00Z", "invalid_grant_expiry"),
        ("expires_at", "2026-08-23T17:59:00Z", "invalid_grant_expiry"),
        ("expires_at", "2026-08-23T18:05:00", "invalid_grant_expiry"),
        ("url", "http://fixture-bucket.s3.us-west-2.amazonaws.com/x", "invalid_access_grant_url"),
        (
            "url",
            "https://fixture-bucket.s3.us-west-2.amazonaws.com:443/x",
            "invalid_access_grant_url",
        ),
        (
            "url",
            "https://u:p@fixture-bucket.s3.us-west-2.amazonaws.com/x",
            "invalid_access_grant_url",
        ),
        (
            "url",
            "https://fixture-bucket.s3.us-west-2.amazonaws.com/x#f",
            "invalid_access_grant_url",
        ),
        ("url", "https://evil.example.test/x", "untrusted_download_host"),
        ("url", "http://127.0.0.1:9000/x", "invalid_access_grant_url"),
    ],
)
def test_grant_rejections(field: str, value: Any, reason: str) -> None:
    with pytest.raises(DatasetIntegrityError) as caught:
        _grant({**GRANT, field: value})
    assert caught.value.reason == reason
    assert "amazonaws" not in str(caught.value)
    assert "evil" not in str(caught.value)


def test_grant_needs_a_sane_date() -> None:
    with pytest.raises(DatasetIntegrityError) as caught:
        _grant(date=None)
    assert caught.value.reason == "missing_grant_date"
    with pytest.raises(DatasetIntegrityError) as caught:
        _grant(date="yesterday")
    assert caught.value.reason == "invalid_grant_date"
    with pytest.raises(DatasetIntegrityError) as caught:
        _grant(age=-31)  # the server's Date is 31 s ahead of the local clock
    assert caught.value.reason == "invalid_grant_expiry"
    assert _grant(age=-20).remaining == pytest.approx(300.0)  # skew never adds lifetime
    assert _grant(age=200).remaining == pytest.approx(100.0)
    assert not _grant(age=296).usable


def test_loopback_exception_only_for_a_loopback_api() -> None:
    local = "http://127.0.0.1:8000/api/v1"
    body = {
        **GRANT,
        "url": "http://127.0.0.1:8000/_local/storage/x?sig=1",
        "provider": "avala_edge",
    }
    assert _grant(body, api=local).provider == "avala_edge"
    with pytest.raises(DatasetIntegrityError):
        _grant(body)  # the hosted API never hands out loopback URLs
    with pytest.raises(DatasetIntegrityError):
        _grant({**body, "url": "http://10.0.0.1:8000/x"}, api=local)


def _edge(path: str, query: str) -> str:
    return f"https://data.avala.ai{path}?{query}"


def test_edge_urls() -> None:
    revision = _revision()
    obj = "48bac4d3-016d-4430-86a9-e3a719630dfb"
    good = f"/v1/datasets/{UID}/{SHA}/{revision.manifest_sha256}/objects/{obj}/{'a' * 64}"
    ids = {
        "dataset_uid": UID,
        "revision_sha256": SHA,
        "manifest_sha256": revision.manifest_sha256,
        "object_uid": obj,
    }
    validate_grant_url(_edge(good, "grant=tok.en:1"), "avala_edge", api_base_url=API, **ids)
    bad = [
        (_edge(good, "grant=a&x=1"), "invalid_access_grant_url"),
        (_edge(good, "token=a"), "invalid_access_grant_url"),
        (_edge(good, "grant=a%20b"), "invalid_access_grant_url"),
        (_edge(good.replace(obj, UID), "grant=a"), "access_grant_identity_mismatch"),
        (_edge(good[:-1], "grant=a"), "access_grant_identity_mismatch"),
    ]
    for url, reason in bad:
        with pytest.raises(DatasetIntegrityError) as caught:
            validate_grant_url(url, "avala_edge", api_base_url=API, **ids)
        assert caught.value.reason == reason, url
    with pytest.raises(DatasetIntegrityError) as caught:
        validate_grant_url(
            _edge(good, "grant=a"),
            "avala_edge",
            api_base_url="https://self.example.test/api/v1",
            **ids,
        )
    assert caught.value.reason == "untrusted_download_host"


def test_proxy_urls_stay_under_the_download_route() -> None:
    ids = {"dataset_uid": UID, "revision_sha256": SHA, "manifest_sha256": SHA, "object_uid": UID}
    ok = "https://api.avala.ai/api/v1/resolve/download/abc"
    validate_grant_url(ok, "avala_proxy", api_base_url=API, **ids)
    for url in (
        "https://api.avala.ai/api/v1/tasks/",
        "https://api.avala.ai/api/v1/resolve/download/../x",
        "https://api.avala.ai/api/v1/resolve/download/%2e%2e/x",
    ):
        with pytest.raises(DatasetIntegrityError) as caught:
            validate_grant_url(url, "avala_proxy", api_base_url=API, **ids)
        assert caught.value.reason == "untrusted_download_path"


def test_latest_of_several_dates_is_used() -> None:
    older, newer = "Sun, 23 Aug 2026 17:59:59 GMT", GRANT_DATE
    assert latest_date([older, newer]) == newer
    assert latest_date([newer, older]) == newer
    assert latest_date(["garbage", newer]) == "garbage"
    assert latest_date([]) is None
