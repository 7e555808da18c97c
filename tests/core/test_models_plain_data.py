"""Models are plain data: every field in every view, a JSON-ready mapping view, pydantic's
`model_dump`/`model_validate`."""

from __future__ import annotations

import datetime
import json

import msgspec
import pytest

from avala import ResponseValidationError
from avala.types import (
    CameraCalibration,
    Dataset,
    DatasetCalibration,
    DatasetItem,
    Organization,
    OrganizationMember,
    Task,
)

CREATED = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def task() -> Task:
    return Task(uid="task_1", name="Label", status="pending", created_at=CREATED)


def test_to_dict_keeps_fields_equal_to_their_default() -> None:
    org = Organization(uid="o1", name="Acme", slug="acme").to_dict()
    assert org["readme"] is None
    assert org["is_active"] is True
    assert org["is_verified"] is False
    assert Dataset(uid="d", name="n", slug="s").to_dict()["item_count"] == 0


def test_a_decoded_false_default_survives_to_dict() -> None:
    item = msgspec.json.decode(b'{"uid": "i1", "is_hidden": false}', type=DatasetItem)
    assert item.to_dict()["is_hidden"] is False


def test_dict_equals_to_dict_and_is_json_ready() -> None:
    model = task()
    assert dict(model) == model.to_dict()
    encoded = json.loads(json.dumps(dict(model)))
    assert encoded["created_at"] == "2026-01-02T03:04:05Z"
    assert encoded["updated_at"] is None
    nested = DatasetCalibration(sequence_uid="s", cameras=[CameraCalibration(camera_id="c0")])
    assert dict(nested)["cameras"][0]["camera_id"] == "c0"
    json.dumps(dict(nested))


def test_the_mapping_protocol() -> None:
    model = task()
    assert list(model) == list(Task.__struct_fields__)
    assert "uid" in model
    assert "id" in model  # as `model.id`
    assert "nope" not in model
    assert model["id"] == model["uid"] == "task_1"
    assert model["created_at"] == "2026-01-02T03:04:05Z"
    assert model.get("nope", 7) == 7
    assert len(model) == len(Task.__struct_fields__)
    assert dict(model.items()) == model.to_dict()
    with pytest.raises(KeyError):
        model["nope"]
    member = OrganizationMember(user_uid="u1")
    assert member["id"] == member.id == "u1"


def test_model_dump_like_pydantic() -> None:
    model = task()
    dumped = model.model_dump()
    assert dumped["created_at"] == CREATED  # python mode keeps datetimes
    assert dumped["type"] is None  # every field, defaults included
    assert set(dumped) == set(Task.__struct_fields__)
    assert model.model_dump(mode="json") == model.to_dict()
    assert "type" not in model.model_dump(exclude_none=True)
    assert json.loads(model.model_dump_json())["created_at"] == "2026-01-02T03:04:05Z"


def test_model_validate() -> None:
    model = Task.model_validate({"uid": "t", "created_at": "2026-01-02T03:04:05Z"})
    assert model.created_at == CREATED
    assert Task.model_validate(model) is model
    assert Task.model_validate(task().to_dict()) == task()
    with pytest.raises(ResponseValidationError, match="uid"):
        Task.model_validate({"name": "no uid"})
