from __future__ import annotations

import pytest

from avala._core._expect import (
    ExpectField,
    ExpectList,
    ExpectModel,
    ExpectNothing,
    ExpectPage,
    ExpectRaw,
)
from avala.errors import ResponseValidationError
from avala.types.tasks import Task

H = {"x-request-id": "req_1"}


def test_model_decodes_ignoring_unknown_fields() -> None:
    task = ExpectModel(Task).parse(
        200, H, b'{"uid": "t1", "status": "weird-new-status", "brand_new_field": [1, 2]}'
    )
    assert task == Task(uid="t1", status="weird-new-status")
    assert task.id == "t1"
    assert dict(task)["status"] == "weird-new-status"
    assert task["uid"] == "t1"
    assert task["id"] == "t1"  # the alias answers as the attribute does
    with pytest.raises(KeyError):
        task["brand_new_field"]


@pytest.mark.parametrize(
    ("content", "fragment", "path"),
    [
        (b'{"status": "pending"}', "missing required field `uid`", "$"),
        (b'{"uid": 5}', "Expected `str`, got `int`", "$.uid"),
        (b'{"uid": "t", "created_at": "yesterday"}', "datetime", "$.created_at"),
        (b"[]", "Expected `object`, got `array`", "$"),
        (b'{"uid": "t"', "not valid JSON", None),
        (b"<html>oops</html>", "not valid JSON", None),
        (b"", "empty body", None),
    ],
)
def test_malformed_bodies_raise_a_typed_error_naming_model_and_field(
    content: bytes, fragment: str, path: str | None
) -> None:
    with pytest.raises(ResponseValidationError) as info:
        ExpectModel(Task).parse(200, H, content)
    error = info.value
    assert fragment in error.message
    assert "Task" in error.message
    assert error.model == "Task"
    assert error.path == path
    assert error.status_code == 200
    assert error.request_id == "req_1"


def test_page_envelope_and_tolerances() -> None:
    data = ExpectPage(Task).parse(
        200, H, b'{"results": [{"uid": "a"}], "next": "https://x/?cursor=c", "count": 9}'
    )
    assert [t.uid for t in data.items] == ["a"]
    assert data.next_url == "https://x/?cursor=c"
    assert ExpectPage(Task).parse(200, H, b'{"results": []}').items == []
    bare = ExpectPage(Task).parse(200, H, b'[{"uid": "b"}]')
    assert [t.uid for t in bare.items] == ["b"]
    assert bare.next_url is None


@pytest.mark.parametrize("content", [b"{}", b'{"next": null}', b'{"data": [{"uid": "a"}]}'])
def test_a_page_body_without_results_is_malformed_not_empty(content: bytes) -> None:
    with pytest.raises(ResponseValidationError, match="results") as info:
        ExpectPage(Task).parse(200, H, content)
    assert info.value.model == "page of Task"


def test_page_with_a_bad_item_names_its_index() -> None:
    with pytest.raises(ResponseValidationError) as info:
        ExpectPage(Task).parse(200, H, b'{"results": [{"uid": "a"}, {"uid": 2}]}')
    assert info.value.path == "$.results[1].uid"
    assert "page of Task" in info.value.message


def test_list_raw_nothing_and_field() -> None:
    assert [t.uid for t in ExpectList(Task).parse(200, H, b'[{"uid": "a"}]')] == ["a"]
    with pytest.raises(ResponseValidationError, match=r"list\[Task\]"):
        ExpectList(Task).parse(200, H, b'{"uid": "a"}')
    assert ExpectRaw().parse(200, H, b'{"ok": true}') == {"ok": True}
    assert ExpectRaw().parse(200, H, b"") == {}
    with pytest.raises(ResponseValidationError, match="JSON object"):
        ExpectRaw().parse(200, H, b"[1]")
    assert ExpectNothing().parse(204, H, b"") is None
    assert ExpectNothing().parse(200, H, b"<html>whatever</html>") is None
    assert ExpectField("created", int).parse(201, H, b'{"created": 2}') == 2
    for bad in (b'{"created": "2"}', b'{"created": true}', b"{}"):
        with pytest.raises(ResponseValidationError, match="created"):
            ExpectField("created", int).parse(201, H, bad)


def test_error_messages_do_not_echo_secrets() -> None:
    with pytest.raises(ResponseValidationError) as info:
        ExpectModel(Task).parse(200, H, b'{"uid": "avk_0123456789abcdefXYZ" oops')
    assert "avk_0123456789" not in str(info.value)
