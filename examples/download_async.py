"""Download a published dataset revision and a project export at the same time, with the
async API: both stream to disk, are verified, and resume where they stopped.

    python examples/download_async.py [--reference OWNER/DATASET@ALIAS] [--project ID] [--out DIR]

The defaults work against the local Avala API (`python -m avala.testing`): its demo data
publishes `demo-org/training-data@main` and has the project `proj_123`.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

import avala
from avala import AsyncClient


async def download_dataset(reference: str, out: Path) -> None:
    async with await avala.async_load(reference) as dataset:  # public: no API key
        # Keep the canonical reference: an alias such as `main` can move, it cannot.
        print(f"dataset {dataset.canonical_reference}")
        async for obj in dataset.for_role("episode"):
            print(f"  episode {obj.ordinal}: {obj.logical_path}, {obj.size_bytes:,} bytes")
        episode = await dataset.episodes[0]
        async with await episode.open() as file:  # verified as it is read
            header = await file.read(8)
        print(f"  episode 0 starts with {header!r}")
        summary = await dataset.download(out / "dataset", concurrency=8)
        print(f"  {summary.downloaded} files downloaded, {summary.skipped} already up to date")


async def download_export(project: str, out: Path) -> None:
    async with AsyncClient() as client:  # AVALA_API_KEY and AVALA_BASE_URL from the environment
        export = await client.exports.create(project=project)
        export = await client.exports.wait(export.uid, interval=1, timeout=600)
        path = await client.exports.download(export.uid, out / f"export-{export.uid}.zip")
        print(f"export {export.uid}: {path.stat().st_size:,} bytes in {path.name}")


async def main(reference: str, project: str, out: Path) -> None:
    await asyncio.gather(download_dataset(reference, out), download_export(project, out))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", default="demo-org/training-data@main")
    parser.add_argument("--project", default="proj_123")
    parser.add_argument("--out", type=Path, help="default: a temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(main(args.reference, args.project, args.out or Path(tmp)))
