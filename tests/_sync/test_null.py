# Generated from tests/_async/test_null.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""`avala.NULL` clears a field: it is sent as JSON `null`, while `None` (or leaving the
argument out) sends nothing."""

from __future__ import annotations

import json
import pickle

import pytest
import respx

import avala
from avala import NULL, Client
from tests.helpers import url

AGENT = {"uid": "ag_1", "name": "Reviewer"}
CONFIG = {"uid": "sc_1", "name": "Bucket", "provider": "aws_s3"}
ORG = {"uid": "o1", "name": "Acme", "slug": "acme"}


def test_agents_update_sends_null_for_null_and_nothing_for_none(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/agents/ag_1/")).respond(200, json=AGENT)
    client.agents.update("ag_1", description=NULL, project=NULL, name=None, events=NULL)
    assert json.loads(route.calls.last.request.content) == {
        "description": None,
        "project": None,
        "events": None,
    }


def test_storage_configs_update_clears_the_prefix(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/storage-configs/sc_1/")).respond(200, json=CONFIG)
    client.storage_configs.update("sc_1", s3_bucket_prefix=avala.NULL, name="Bucket")
    assert json.loads(route.calls.last.request.content) == {
        "s3_bucket_prefix": None,
        "name": "Bucket",
    }


def test_organizations_update_clears_the_description(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/organizations/acme/")).respond(200, json=ORG)
    client.organizations.update("acme", description=NULL)
    assert json.loads(route.calls.last.request.content) == {"description": None}


def test_null_is_refused_as_a_filter(client: Client, respx_mock: respx.MockRouter) -> None:
    with pytest.raises(TypeError, match="NULL"):
        client.tasks.list(status=NULL)
    assert not respx_mock.calls


def test_null_is_one_object_that_pickles_as_itself() -> None:
    assert pickle.loads(pickle.dumps(NULL)) is NULL
    assert repr(NULL) == "avala.NULL"
    assert NULL is not None
