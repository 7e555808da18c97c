"""Upload a directory of recording files (MCAP, bags, logs, videos...) to a fleet recording
with the AsyncClient, showing byte progress, then wait until the recording is processed.

    python examples/fleet_upload.py RECORDING_UID DIRECTORY [--workers 4]

Stopped half-way (Ctrl-C, a lost connection, a killed process)? Run the same command again:
files already stored are not sent again. The receipt that makes this possible lives in
`$AVALA_STATE_DIR` (else `~/.avala`). With the local Avala API (`python -m avala.testing`),
`avala fleet recordings list` shows the demo recordings.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from avala import AsyncClient, AvalaError
from avala.types.fleet_upload import UploadProgress


def show(progress: UploadProgress) -> None:
    # Called on the event loop's task as bytes go out and files are confirmed: keep it quick.
    print(
        f"\r  {progress.uploaded_files}/{progress.total_files} files, "
        f"{progress.uploaded_bytes:,}/{progress.total_bytes:,} bytes",
        end="",
        file=sys.stderr,
        flush=True,
    )


async def upload(recording_uid: str, directory: Path, workers: int) -> None:
    async with AsyncClient() as client:  # AVALA_API_KEY and AVALA_BASE_URL from the environment
        try:
            session = await client.fleet.uploads.upload_recording(
                recording_uid, directory, max_workers=workers, on_progress=show
            )
        except AvalaError as error:
            print(file=sys.stderr)
            sys.exit(f"{type(error).__name__}: {error}\nRun the same command again to resume.")
        print(file=sys.stderr)
        print(
            f"session {session.uid}: {session.status}, "
            f"{session.confirmed_files} files / {session.confirmed_bytes:,} bytes stored"
        )

        # "completing" means queued for processing; poll (without changing anything) until done.
        for _ in range(60):
            status = await client.fleet.uploads.observe_upload(recording_uid, session.uid)
            if status.status != "completing":
                break
            await asyncio.sleep(1)
        recording = await client.fleet.recordings.get(recording_uid)
        print(f"recording {recording.uid}: {recording.status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording_uid")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--workers", type=int, default=4, help="files in flight")
    args = parser.parse_args()
    asyncio.run(upload(args.recording_uid, args.directory, args.workers))


if __name__ == "__main__":
    main()
