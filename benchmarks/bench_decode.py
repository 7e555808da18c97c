"""2. Decoding one list page of N tasks / N datasets, from bytes to model objects.

- this SDK: its own code path, `ExpectPage(Model).parse(status, headers, body)` (what the
  HTTP layer calls for every list page),
- the floor: bare msgspec, `msgspec.json.Decoder(Envelope[Model]).decode(body)` into the same
  Structs,
- the official SDK: its transport's `request_page` (response.json(), then
  `Model.model_validate` per item, then the cursors), fed the same bytes (see official.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar, Union

import msgspec

from avala._core._expect import ExpectPage
from avala.types.datasets import Dataset
from avala.types.tasks import Task

from .fixtures import Kind
from .official_env import OfficialSDK
from .results import Results, Variant, interleave

T = TypeVar("T")
MODELS: dict[Kind, type[Any]] = {"task": Task, "dataset": Dataset}
HEADERS = {"content-type": "application/json"}
SECTION = "2. decode a list page"


class Envelope(msgspec.Struct, Generic[T]):
    """The DRF page envelope, declared here so the floor owes nothing to the SDK."""

    results: list[T] = msgspec.field(default_factory=list)
    next: Union[str, None] = None
    previous: Union[str, None] = None


def sdk_parse(kind: Kind) -> Callable[[bytes], list[Any]]:
    expect = ExpectPage(MODELS[kind])
    return lambda body: expect.parse(200, HEADERS, body).items


def floor_parse(kind: Kind) -> Callable[[bytes], list[Any]]:
    target: Any = Envelope[MODELS[kind]]  # type: ignore[valid-type]
    decoder = msgspec.json.Decoder(target)
    return lambda body: decoder.decode(body).results


def repeat_for(n: int, budget_items: int) -> int:
    return max(1, budget_items // n)


def _timed(parse: Callable[[bytes], list[Any]], body: bytes, n: int, repeat: int) -> Variant:
    def run() -> float:
        start = time.perf_counter()
        for _ in range(repeat):
            parse(body)
        return (time.perf_counter() - start) / repeat / n * 1e9  # ns per item

    return run


def run(
    results: Results,
    bodies: dict[tuple[Kind, int], Path],
    official: OfficialSDK | None,
    official_why: str,
    *,
    rounds: int,
    budget_items: int,
) -> None:
    for (kind, n), path in bodies.items():
        body = path.read_bytes()
        repeat = repeat_for(n, budget_items)
        name = f"decode.{kind}.{n}"
        sdk, floor = sdk_parse(kind), floor_parse(kind)
        if sdk(body) != floor(body) or len(sdk(body)) != n:  # same objects, or nothing to time
            raise AssertionError(f"the SDK and msgspec decode {path.name} differently")
        results.sample(f"{name}.sdk", f"{kind}s x{n}: this SDK (ExpectPage.parse)", "ns/item")
        results.sample(f"{name}.floor", f"{kind}s x{n}: bare msgspec (floor)", "ns/item")
        variants: dict[str, Variant] = {
            f"{name}.sdk": _timed(sdk, body, n, repeat),
            f"{name}.floor": _timed(floor, body, n, repeat),
        }
        official_key = f"{name}.official"
        label = f"{kind}s x{n}: official SDK (request_page)"
        if official is None:
            results.unavailable(official_key, label, official_why, "ns/item")
        else:
            results.sample(official_key, label, "ns/item")
            official_repeat = max(1, repeat // 8)  # ~8x slower per item: similar wall time

            def official_run(
                sdk: OfficialSDK = official,
                path: Path = path,
                kind: Kind = kind,
                repeat: int = official_repeat,
                n: int = n,
            ) -> float:
                answer = sdk.call("decode", path=str(path), model=kind, repeat=repeat)
                if answer["items"] != n:
                    raise AssertionError(f"official SDK decoded {answer['items']} of {n}")
                return float(answer["seconds"]) / n * 1e9

            variants[official_key] = official_run
        interleave(results, variants, rounds)
        what = f"{kind}s x{n:,}"
        results.check(
            SECTION, f"{what}: official / SDK", f"{name}.sdk", official_key, "faster_by", 6.0
        )
        results.check(
            SECTION, f"{what}: SDK / bare msgspec", f"{name}.sdk", f"{name}.floor", "at_most", 1.2
        )
