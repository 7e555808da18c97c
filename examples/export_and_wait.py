"""Export a project, wait for it (showing progress on each poll), then download the file."""

import sys
from pathlib import Path
from urllib.parse import urlsplit

from avala import Client, WaitTimeoutError


def main(project_id: str, dest: str = "export.zip") -> None:
    with Client() as client:
        export = client.exports.create(project=project_id)
        try:
            done = client.exports.wait(
                export.id,
                interval=1.0,
                timeout=600,
                on_poll=lambda e: print(f"  {e.id[:8]}: {e.status}"),
            )
        except WaitTimeoutError as error:
            print(f"still running after 10 minutes: {error.last}")
            return
        # The download URL is signed: anyone holding it can fetch the export, so it is
        # never printed or logged whole. Its host is enough to see where the file lives.
        host = urlsplit(done.download_url or "").hostname or "unknown host"
        print(f"{done.status}: ready on {host}")
        path = client.exports.download(done.id, dest)
        print(f"saved {path} ({Path(path).stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(*(sys.argv[1:3] or ["proj_123"]))
