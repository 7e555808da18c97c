from __future__ import annotations

import pytest

from avala._core._params import alias, body, one_of, query, strs
from avala._core._paths import path, segment


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        ("task_1", "task_1"),
        ("a/b", "a%2Fb"),
        ("a?b=1", "a%3Fb%3D1"),
        ("a#frag", "a%23frag"),
        ("%2e%2e", "%252e%252e"),
        ("..a", "..a"),
        ("with space", "with%20space"),
        ("ünïcødé", "%C3%BCn%C3%AFc%C3%B8d%C3%A9"),
        ("serve.robotics@avala.ai", "serve.robotics@avala.ai"),
        ("a&b;c", "a%26b%3Bc"),
    ],
)
def test_segment_encodes_everything_that_could_change_the_route(raw: str, encoded: str) -> None:
    assert segment(raw) == encoded


@pytest.mark.parametrize("bad", ["", "   ", ".", "..", "a\nb", "a\x00b", "a\x7fb"])
def test_segment_refuses_unusable_ids(bad: str) -> None:
    with pytest.raises(ValueError, match="id"):
        segment(bad)


@pytest.mark.parametrize("bad", [None, 1, b"abc", ["a"]])
def test_segment_refuses_non_strings(bad: object) -> None:
    with pytest.raises(TypeError):
        segment(bad)


def test_path_formats_named_segments() -> None:
    assert (
        path("/datasets/{owner}/{slug}/", owner="me@x.io", slug="a b") == "/datasets/me@x.io/a%20b/"
    )


def test_query_drops_none_and_uses_wire_types() -> None:
    assert query(a=None, b=True, c=False, d=3, e="x", f=["1", "2"]) == [
        ("b", "true"),
        ("c", "false"),
        ("d", "3"),
        ("e", "x"),
        ("f", "1"),
        ("f", "2"),
    ]


def test_body_sends_required_always_and_optional_only_when_given() -> None:
    assert body({"name": "n", "flag": None}, a=None, b=0, c=False) == {
        "name": "n",
        "flag": None,
        "b": 0,
        "c": False,
    }


def test_one_of() -> None:
    assert one_of(a=None, b="x") == ("b", "x")
    with pytest.raises(ValueError, match="exactly one of a or b"):
        one_of(a=None, b=None)
    with pytest.raises(ValueError, match="exactly one"):
        one_of(a="1", b="2")


def test_alias() -> None:
    assert alias(("project_id", "p"), ("project", None)) == "p"
    assert alias(("project_id", None), ("project", "p")) == "p"
    assert alias(("project_id", "p"), ("project", "p")) == "p"
    assert alias(("project_id", None), ("project", None)) is None
    with pytest.raises(ValueError, match="Conflicting"):
        alias(("project_id", "p"), ("project", "q"))


def test_strs() -> None:
    assert strs(("a", "b"), "x") == ["a", "b"]
    assert strs(None, "x") is None
    with pytest.raises(TypeError, match="not a single string"):
        strs("ab", "x")
    with pytest.raises(TypeError, match="only strings"):
        strs([1], "x")
