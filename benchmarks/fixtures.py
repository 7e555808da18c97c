"""List-page bodies for the decode benchmark, shaped exactly like the local Avala API's.

One task and one dataset are taken from what `LocalAvala` itself serves (in process, no
socket), then repeated N times with distinct uids/names/slugs inside a DRF cursor envelope and
encoded the way the server encodes (msgspec). The same bytes go to this SDK, to bare msgspec
and, through a file, to the official SDK.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Literal

import msgspec

Kind = Literal["task", "dataset"]


def templates() -> dict[Kind, dict[str, Any]]:
    """One task and one dataset as the local Avala API renders them."""
    from avala.testing import LocalAvala

    api = LocalAvala(data="demo")
    with api.httpx_client(headers={"X-Avala-Api-Key": "bench"}) as http:
        task = http.get("/tasks/", params={"limit": 1}).json()["results"][0]
        dataset = http.get("/datasets/", params={"limit": 1}).json()["results"][0]
    return {"task": task, "dataset": dataset}


def page_body(kind: Kind, n: int, template: dict[str, Any]) -> bytes:
    """A page of `n` objects like `template`, with a `next` cursor URL, as JSON bytes."""
    namespace = uuid.UUID("8b7f4f3e-6f3c-4c1e-9d7a-0b1e2c3d4e5f")
    results = []
    for i in range(n):
        obj = dict(template)
        obj["uid"] = str(uuid.uuid5(namespace, f"{kind}-{i}"))
        obj["name"] = f"{template.get('name') or kind} {i}"
        if kind == "dataset":
            obj["slug"] = f"{template['slug']}-{i}"
            obj["item_count"] = i
        results.append(obj)
    envelope = {
        "next": f"http://127.0.0.1:8000/api/v1/{kind}s/?cursor=cD0{n}&limit={n}",
        "previous": None,
        "results": results,
    }
    return msgspec.json.encode(envelope)


def write_bodies(directory: Path, sizes: list[int]) -> dict[tuple[Kind, int], Path]:
    """Write every (kind, n) body once; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    found = templates()
    paths: dict[tuple[Kind, int], Path] = {}
    for kind in ("task", "dataset"):
        for n in sizes:
            path = directory / f"{kind}s-{n}.json"
            path.write_bytes(page_body(kind, n, found[kind]))
            paths[(kind, n)] = path
    return paths
