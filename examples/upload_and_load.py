"""Upload a folder as a dataset, check that every byte arrived, then open a published dataset
revision with `avala.load` and download a verified copy.

    python examples/upload_and_load.py [FOLDER] [--reference OWNER/DATASET@ALIAS] [--out DIR]

Without FOLDER it uploads a small sample folder it writes to a temporary directory. The
reference defaults to `demo-org/training-data@main`, which the local Avala API publishes:

    python -m avala.testing --port 8765 &
    AVALA_BASE_URL=http://127.0.0.1:8765/api/v1 AVALA_API_KEY=any \\
        python examples/upload_and_load.py

Run it again after an interruption (Ctrl-C, a lost connection): the upload resumes, and files
already stored are not sent again. Its journal lives in `$AVALA_STATE_DIR` (else `~/.avala`).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import uuid
import warnings
from pathlib import Path

import httpx

import avala
from avala import Client, MutableDatasetAliasWarning


def write_sample_folder(folder: Path) -> None:
    for n in range(4):
        path = folder / ("left" if n % 2 else "right") / f"frame-{n:04d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xd8\xff" + hashlib.sha256(b"%d" % n).digest() * 1024 * (n + 1))


class ByteProgress:
    """A one-line progress report on stderr, fed by `on_bytes` (called on this thread)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.sent = 0

    def __call__(self, path: str, n: int) -> None:
        self.sent += n  # n < 0 when a failed attempt's bytes are taken back before a retry
        print(f"\r  {self.sent:,} / {self.total:,} bytes", end="", file=sys.stderr, flush=True)


def upload(client: Client, folder: Path, name: str) -> None:
    files = avala.gather_local_files(folder)  # [(local path, path in the dataset), ...]
    progress = ByteProgress(sum(Path(local).stat().st_size for local, _ in files))
    slug = f"{name.lower().replace(' ', '-')}-{uuid.uuid4().hex[:6]}"
    dataset = client.datasets.create_from_local(
        source=folder,
        name=name,
        slug=slug,
        data_type="image",
        on_bytes=progress,
        on_skipped=lambda path: print(f"  already stored: {path}"),
    )
    print(file=sys.stderr)
    dataset = client.datasets.wait(dataset.uid, interval=1, timeout=600)
    print(f"dataset {dataset.owner_name}/{dataset.slug}: {dataset.status}")

    expected = {
        remote: hashlib.sha256(Path(local).read_bytes()).hexdigest() for local, remote in files
    }
    for item in client.datasets.list_items(dataset.owner_name, dataset.slug):
        assert item.key is not None
        assert item.url is not None
        digest = hashlib.sha256(httpx.get(item.url).content).hexdigest()  # a signed URL
        verdict = "verified" if digest == expected.pop(item.key, None) else "DIFFERS"
        print(f"  {item.key}: {verdict}")
        if verdict != "verified":
            sys.exit(f"{item.key} differs from the local file")
    if expected:
        sys.exit(f"missing from the dataset: {sorted(expected)}")


def load(reference: str, out: Path) -> None:
    with warnings.catch_warnings():
        # An alias such as `main` can move; the canonical reference below never does.
        warnings.simplefilter("ignore", MutableDatasetAliasWarning)
        dataset = avala.load(reference)  # public: no API key
    with dataset:
        print(f"{reference} -> {dataset.canonical_reference}")
        print(f"  {dataset.object_count} objects, {dataset.total_size_bytes:,} bytes")
        for obj in dataset.objects:  # page by page, in manifest order
            print(f"  {obj.role:<12} {obj.ordinal:>3}  {obj.logical_path}")
        first = next(iter(dataset.objects))
        data = first.read()  # checked against the manifest's size and SHA-256
        print(f"  read {first.logical_path}: {len(data):,} bytes")
        summary = dataset.download(out, concurrency=8)
        print(f"  downloaded to {out}: {summary.downloaded} files, {summary.skipped} up to date")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="default: a sample folder")
    parser.add_argument("--name", default="Example photos")
    parser.add_argument("--reference", default="demo-org/training-data@main")
    parser.add_argument("--out", type=Path, help="default: a temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder
        if folder is None:
            folder = Path(tmp) / "sample"
            write_sample_folder(folder)
        with Client() as client:  # AVALA_API_KEY and AVALA_BASE_URL from the environment
            upload(client, folder, args.name)
        load(args.reference, args.out or Path(tmp) / "download")


if __name__ == "__main__":
    main()
