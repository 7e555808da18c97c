"""12. Training loaders: `avala.torch.AvalaIterableDataset` against the official SDK's (avala
0.10.0), and a Ray Data read (`avala.ray.read_dataset`, no official counterpart).

Both loaders read the same dataset of a local Avala API served by a process of its own: 2,000
items (`--quick`: 400) whose `url` is a signed GET of a small PNG in the
local object store, signed afresh by the API on every listing, as uploaded items are. Each SDK
runs in its own interpreter (ours: this venv; the official: `.bench/official-venv`, to which
this benchmark adds torch, the very build installed here, and Pillow), a worker that takes one
epoch request per stdin line, so their epochs interleave. An epoch is one pass of
`DataLoader(dataset, batch_size=32, num_workers=W, collate_fn=list)` (fork), timed from the
first `next()` to the last sample (the workers' start included; the dataset's creation, once
per training run, is timed and counted apart: avala.torch walks the listing once there to plan
its pages), for:

- `num_workers=4`, item records only (`decode_images=False`): target >= 2x the official's
  samples/s. The official SDK has every worker walk every page of the listing;
- `num_workers=4`, `decode_images=True` (each sample's PNG fetched and decoded): >= 2x too;
- `num_workers=0` (the main process alone), item records only: for reference.

The Ray figure: items/s of `read_dataset(...).materialize()` over 10,000 items
(`--quick`: 2,000) on `ray.init(num_cpus=2)`, after a warm-up read (Ray's start-up and its
workers' imports excluded).

`python -m benchmarks.bench_torch --serve ITEMS RAY_ITEMS` is the server process: it prints
`AVALA_BASE_URL=...` and serves until its stdin closes.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from . import processes
from .results import Results, interleave
from .server import API_KEY

SECTION = "12. training loaders"
OWNER = "bench-org"
IMAGES = "images"
RAY_SLUG = "ray-items"
DISTINCT_IMAGES = 64
BATCH_SIZE = 32
INSTALL_TIMEOUT = 600.0
EPOCH_TIMEOUT = 300.0
RAY_TIMEOUT = 300.0

# One epoch per request line: {"base_url", "workers", "decode", "page_size"} -> {"samples",
# "images", "seconds", "setup_seconds", "setup_requests", "epoch_requests"} or {"error"}.
# Runs under both SDKs, so it uses only the surface they share.
LOADER = r"""
import json, os, sys, time, warnings
import httpx
warnings.simplefilter("ignore")  # DataLoader's "more workers than cores" advice, numpy absent
os.environ["AVALA_ALLOW_INSECURE_BASE_URL"] = "true"  # the official SDK's loopback opt-in
import avala
import PIL.Image  # imported before the workers fork, as a training script would
from torch.utils.data import DataLoader
from avala.torch import AvalaIterableDataset

OWNER, SLUG, API_KEY = sys.argv[1:4]

def api_requests(base_url):
    return int(httpx.get(base_url + "/_local/stats/", timeout=30).json()["api"]["requests"])

def epoch(req):
    client = avala.Client(api_key=API_KEY, base_url=req["base_url"])
    try:
        requests_before = api_requests(req["base_url"])
        setup_started = time.perf_counter()
        dataset = AvalaIterableDataset(client, OWNER, SLUG, decode_images=req["decode"],
                                       page_size=req["page_size"])
        setup_seconds = time.perf_counter() - setup_started
        requests_setup = api_requests(req["base_url"])
        workers = req["workers"]
        options = {"multiprocessing_context": "fork"} if workers else {}
        loader = DataLoader(dataset, batch_size=BATCH, num_workers=workers, collate_fn=list,
                            **options)
        samples = 0
        images = 0
        started = time.perf_counter()
        for batch in loader:
            samples += len(batch)
            images += sum(1 for s in batch if s.get("image") is not None)
        seconds = time.perf_counter() - started
        requests_after = api_requests(req["base_url"])
        return {"samples": samples, "images": images, "seconds": seconds,
                "setup_seconds": setup_seconds,
                "setup_requests": requests_setup - requests_before,
                "epoch_requests": requests_after - requests_setup}
    finally:
        client.close()

for line in sys.stdin:
    if not line.strip():
        continue
    try:
        answer = epoch(json.loads(line))
    except Exception as exc:
        answer = {"error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
""".replace("BATCH", str(BATCH_SIZE))

RAY = r"""
import json, sys, time
import ray
import avala
from avala.ray import read_dataset

base_url, owner, slug, api_key = sys.argv[1:5]
ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
         logging_level="ERROR", configure_logging=False)
try:
    with avala.Client(api_key=api_key, base_url=base_url) as client:
        # Ray starts its worker processes on the first read: warm them up first.
        read_dataset(client, owner, slug, page_size=100).limit(100).materialize()
        started = time.perf_counter()
        rows = read_dataset(client, owner, slug).materialize().count()
        seconds = time.perf_counter() - started
finally:
    ray.shutdown()
print(json.dumps({"rows": rows, "seconds": seconds}))
"""


def _png(index: int) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (index * 4 % 256, index * 7 % 256, index * 13 % 256))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _serve(items: int, ray_items: int) -> int:
    from avala.testing import LocalAvala
    from avala.testing._crud import make
    from avala.testing._h_datasets import DATASET, ITEM

    api = LocalAvala(data="empty", log_size=1)
    store = api.store
    pngs = [_png(i) for i in range(DISTINCT_IMAGES)]
    for slug, count in ((IMAGES, items), (RAY_SLUG, ray_items)):
        values = {"name": slug, "slug": slug, "owner_name": OWNER, "data_type": "image"}
        dataset = store.col("datasets").add(make(store, DATASET, values | {"item_count": count}))
        for i in range(count):
            key = f"media/{slug}/{i:06d}.png"
            if slug == IMAGES:
                api.objects.put_bytes(key, pngs[i % DISTINCT_IMAGES], content_type="image/png")
            else:  # listed, never fetched: the images' objects serve for the URLs
                key = f"media/{IMAGES}/{i % max(items, 1):06d}.png"
            # An uploaded file's item: the API signs a fresh URL to its object on every read.
            item = make(
                store,
                ITEM,
                {
                    "key": f"frame-{i:06d}",
                    "dataset": dataset["uid"],
                    "metadata": {"index": i, "camera": "front"},
                    "annotations": {"boxes": [[i % 64, 4, 20, 30]], "labels": ["car"]},
                },
            )
            item["_object_key"] = key
            store.col("dataset_items").add(item)
    with api.serve() as server:
        print(f"AVALA_BASE_URL={server.base_url}", flush=True)
        sys.stdin.read()
    return 0


class LoaderServer:
    """`python -m benchmarks.bench_torch --serve ...` as a context manager."""

    def __init__(self, items: int, ray_items: int) -> None:
        self.args = (items, ray_items)
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> LoaderServer:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_torch", "--serve", *map(str, self.args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("AVALA_BASE_URL="):
            self.__exit__(None, None, None)
            raise RuntimeError(f"the loader benchmark's server did not start: {line!r}")
        self.base_url = line.removeprefix("AVALA_BASE_URL=")
        return self

    def api_requests(self) -> int:
        """API requests (storage excluded) the server has answered so far."""
        stats = httpx.get(f"{self.base_url}/_local/stats/", timeout=30).json()
        return int(stats["api"]["requests"])

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            processes.stop(self.process)


class LoaderWorker:
    """One SDK's loader process (`LOADER`), fed one epoch request at a time."""

    def __init__(self, python: str, *, isolated: bool) -> None:
        flags = ["-I"] if isolated else []  # -I: never this repository's `avala`
        self.process = subprocess.Popen(
            [python, *flags, "-c", LOADER, OWNER, IMAGES, API_KEY],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            cwd=tempfile.gettempdir(),
        )
        self.last: dict[str, Any] = {}  # the last epoch's answer

    def epoch(self, base_url: str, *, workers: int, decode: bool, expected: int) -> float:
        process = self.process
        assert process.stdin is not None
        assert process.stdout is not None
        request = {"base_url": base_url, "workers": workers, "decode": decode, "page_size": 100}
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the loader process exited")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        if answer["samples"] != expected or answer["images"] != (expected if decode else 0):
            raise RuntimeError(f"read {answer} of {expected} items")
        self.last = answer
        return float(answer["seconds"])

    def close(self) -> None:
        processes.stop(self.process, ask="close-stdin")


def torch_requirement() -> str | None:
    """The torch build installed here, for the official venv (same build on both sides)."""
    try:
        return f"torch=={version('torch')}"
    except PackageNotFoundError:
        return None


def ensure_official_torch(python: str, log: Any = None) -> str:
    """ "" once `python` imports torch and PIL, else why it cannot."""
    probe = [python, "-I", "-c", "import torch, PIL"]
    if subprocess.run(probe, capture_output=True, timeout=120, check=False).returncode == 0:
        return ""
    requirement = torch_requirement()
    if requirement is None:
        return "torch is not installed in this venv"
    if log:
        log(f"installing {requirement} and Pillow into the official SDK's venv ...")
    done = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--timeout=30", requirement, "pillow>=9"],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["pip failed"]
        return f"pip install {requirement} pillow failed: {last[0]}"
    return ""


def _ray_read(base_url: str, expected: int) -> float:
    done = subprocess.run(
        [sys.executable, "-c", RAY, base_url, OWNER, RAY_SLUG, API_KEY],
        capture_output=True,
        text=True,
        timeout=RAY_TIMEOUT,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"the Ray read failed: {tail[0]}")
    answer = json.loads(lines[-1])
    if answer["rows"] != expected:
        raise RuntimeError(f"Ray read {answer['rows']} of {expected} items")
    return float(answer["seconds"])


MODES = (
    ("w4", 4, False, "num_workers=4, records"),
    ("w4img", 4, True, "num_workers=4, decode_images"),
    ("w0", 0, False, "num_workers=0, records"),
)
TARGETS = {"w4": 2.0, "w4img": 2.0}


def run(
    results: Results,
    official_python: str | None,
    official_why: str,
    *,
    items: int,
    ray_items: int,
    rounds: int,
    log: Any = None,
) -> None:
    if torch_requirement() is None:
        why = "torch is not installed in this venv (`nox -s bench` installs it)"
        for key, _, _, label in MODES:
            for side in ("sdk", "official"):
                results.unavailable(f"torch.{key}.{side}", f"{items:,} items, {label}", why)
        return
    if official_python is not None:
        official_why = ensure_official_torch(official_python, log) or official_why
        if official_why:
            official_python = None
    loaders: dict[str, LoaderWorker] = {}
    try:
        with LoaderServer(items, ray_items) as server:
            base = server.base_url
            loaders["sdk"] = LoaderWorker(sys.executable, isolated=False)
            if official_python is not None:
                loaders["official"] = LoaderWorker(official_python, isolated=True)
            variants = {}
            for key, _, _, label in MODES:
                results.sample(f"torch.{key}.sdk", f"{items:,} items, {label}: avala.torch")
                official_label = f"{items:,} items, {label}: official avala.torch"
                if "official" not in loaders:
                    results.unavailable(f"torch.{key}.official", official_label, official_why)
                else:
                    results.sample(f"torch.{key}.official", official_label)
            # The last epoch of each `key.side`: the dataset's creation (seconds, API
            # requests) and the epoch's API requests (pages listed, items re-read).
            requests: dict[str, dict[str, Any]] = {}

            def epoch(side: str, key: str, workers: int, decode: bool) -> float:
                seconds = loaders[side].epoch(base, workers=workers, decode=decode, expected=items)
                requests[f"{key}.{side}"] = loaders[side].last
                return seconds

            for key, count, decode, _ in MODES:
                for side in loaders:
                    variants[f"torch.{key}.{side}"] = lambda s=side, k=key, n=count, d=decode: (
                        epoch(s, k, n, d)
                    )
            # One warm-up epoch each (connections, first-use code paths), not recorded.
            for loader in loaders.values():
                loader.epoch(base, workers=0, decode=False, expected=items)
            interleave(results, variants, rounds)
            for key, _, _, label in MODES:
                results.check(
                    SECTION,
                    f"{items:,} items, {label}: official / SDK (samples/s ratio)",
                    f"torch.{key}.sdk",
                    f"torch.{key}.official",
                    "faster_by",
                    TARGETS.get(key),
                )
            _notes(results, items, requests)
            if ray_items:
                results.sample("ray.read", f"{ray_items:,} items: avala.ray.read_dataset")
                interleave(results, {"ray.read": lambda: _ray_read(base, ray_items)}, 1)
                ray = results.samples["ray.read"]
                if ray.median:
                    results.notes.append(
                        f"Ray Data: `avala.ray.read_dataset(...).materialize()` read "
                        f"{ray_items:,} items at {ray_items / ray.median:,.0f} items/s on "
                        f"`ray.init(num_cpus=2)` (Ray's start-up excluded; the official SDK "
                        f"has no Ray reader)."
                    )
    finally:
        for loader in loaders.values():
            loader.close()


def _notes(results: Results, items: int, requests: dict[str, dict[str, Any]]) -> None:
    rates = []
    for key, _, _, label in MODES:
        sdk = results.samples[f"torch.{key}.sdk"]
        official = results.samples.get(f"torch.{key}.official")
        if not sdk.median:
            continue
        text = f"{label}: avala.torch {items / sdk.median:,.0f} samples/s"
        if official is not None and official.median:
            text += f", official {items / official.median:,.0f} samples/s"
        rates.append(text)
    if rates:
        results.notes.append(
            f"Training loaders ({items:,} items of 64x48 PNGs, batch_size={BATCH_SIZE}): "
            + "; ".join(rates)
            + "."
        )

    def cost(answer: dict[str, Any]) -> str:
        return (
            f"{answer['epoch_requests']:,} (creating the dataset: {answer['setup_requests']:,} "
            f"requests, {answer['setup_seconds'] * 1000:,.0f} ms)"
        )

    counts = [
        f"{label}: avala.torch {cost(requests[f'{key}.sdk'])}"
        + (
            f", official {cost(requests[f'{key}.official'])}"
            if f"{key}.official" in requests
            else ""
        )
        for key, _, _, label in MODES
        if f"{key}.sdk" in requests
    ]
    if counts:
        results.notes.append(
            f"Training loaders, API requests per epoch (pages of 100 items; every worker that "
            f"walks the whole listing adds {items // 100:,}; the epoch's time excludes the "
            f"dataset's creation, done once per training run): " + "; ".join(counts) + "."
        )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        sys.exit(_serve(int(sys.argv[2]), int(sys.argv[3])))
    from .official_env import DEFAULT_VENV, ensure_venv
    from .report import checks_table, samples_table

    quick = "--quick" in sys.argv
    python, why = (None, "skipped (--no-official)")
    if "--no-official" not in sys.argv:
        python, why = ensure_venv(DEFAULT_VENV, print)
    found = Results()
    run(
        found,
        str(python) if python else None,
        why,
        items=400 if quick else 2_000,
        ray_items=0 if "--no-ray" in sys.argv else (2_000 if quick else 10_000),
        rounds=1 if quick else 3,
        log=print,
    )
    print("\n".join(samples_table(found)))
    print("\n".join(checks_table(found)))
    for note in found.notes:
        print("-", note)
