from __future__ import annotations

import pytest

from avala._core._expect import ExpectPage, PageData
from avala._core._pagination import BasePage, PageRequest, extract_token
from avala.types.tasks import Task


def test_extract_token_prefers_cursor_then_page() -> None:
    assert extract_token("https://a/api/v1/x/?cursor=abc&limit=2") == ("cursor", "abc")
    assert extract_token("https://a/api/v1/orgs/?page=3") == ("page", "3")
    assert extract_token("https://a/x/?page=2&cursor=c") == ("cursor", "c")
    assert extract_token("https://a/x/?cursor=a%2Bb%3D") == ("cursor", "a+b=")
    assert extract_token("https://a/x/") is None
    assert extract_token("https://a/x/?cursor=") is None
    assert extract_token(None) is None


def test_follow_replaces_the_token_and_keeps_filters() -> None:
    request = PageRequest("/tasks/", ExpectPage(Task), [("project", "p"), ("limit", "5")])
    second = request.follow(("cursor", "c2"))
    assert second.params == [("project", "p"), ("limit", "5"), ("cursor", "c2")]
    third = second.follow(("cursor", "c3"))
    assert third.params == [("project", "p"), ("limit", "5"), ("cursor", "c3")]
    assert request.params == [("project", "p"), ("limit", "5")]


def test_base_page_is_a_sequence_of_its_items() -> None:
    data = PageData([Task(uid="a"), Task(uid="b")], "https://x/?cursor=n", "https://x/?cursor=p")
    page = BasePage(PageRequest("/tasks/", ExpectPage(Task)), data)
    assert len(page) == 2
    assert page[0].uid == "a"
    assert [t.uid for t in page[0:2]] == ["a", "b"]
    assert [t.uid for t in page] == ["a", "b"]
    assert page.has_more
    assert page.next_cursor == "n"
    assert page.previous_cursor == "p"
    assert "items=2" in repr(page)
    assert dict(page) == {
        "items": [Task(uid="a"), Task(uid="b")],
        "next_cursor": "n",
        "previous_cursor": "p",
        "has_more": True,
    }
    with pytest.raises(KeyError):
        page["nope"]
    last = BasePage(PageRequest("/tasks/", ExpectPage(Task)), PageData([], None, None))
    assert not last.has_more
    assert last.next_cursor is None
