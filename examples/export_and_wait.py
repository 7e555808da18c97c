"""Export a project and wait for the download link, showing progress on each poll."""

import sys

from avala import Client, WaitTimeoutError


def main(project_id: str) -> None:
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
        print(f"{done.status}: {done.download_url}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "proj_123")
