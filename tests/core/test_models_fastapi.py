"""A model is a FastAPI response annotation (and request body), serialized as `to_dict()`."""

from __future__ import annotations

import datetime
import json
from typing import Annotated, Any

import pytest

from avala.types import Task

fastapi = pytest.importorskip("fastapi")
TestClient = pytest.importorskip("fastapi.testclient").TestClient

CREATED = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def task() -> Task:
    return Task(uid="task_1", name="Label", status="pending", created_at=CREATED)


def test_a_fastapi_route_annotated_with_a_model() -> None:
    app = fastapi.FastAPI()

    @app.get("/task")
    def get_task() -> Task:
        return task()

    @app.get("/tasks")
    def get_tasks() -> list[Task]:
        return [task()]

    @app.post("/echo")
    def echo(body: Annotated[Task, fastapi.Body()]) -> Task:
        return body

    with TestClient(app) as http:
        assert http.get("/task").json() == task().to_dict()
        assert http.get("/tasks").json() == [task().to_dict()]
        sent: dict[str, Any] = {"uid": "t9", "status": "done"}
        assert http.post("/echo", json=sent).json()["uid"] == "t9"
        assert http.post("/echo", json={"name": "x"}).status_code == 422
        assert "Task" in json.dumps(http.get("/openapi.json").json())
