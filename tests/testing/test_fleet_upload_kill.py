"""Fleet uploads killed with SIGKILL at several points, then resumed: a child process uploads
to the local API on a loopback port and kills itself; a second run finishes the upload without
storing any file twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from avala import Client
from avala.testing import LocalAvala

pytest.importorskip("uvicorn")
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from avala import Client
    from avala._sync.resources.fleet_uploads import FleetUploads

    base_url, recording, source, point = sys.argv[1:5]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def on_progress(p):
        if point == "during-puts" and p.uploaded_bytes >= p.total_bytes // 3:
            die()
        if point == "before-finalize" and p.uploaded_files == p.total_files:
            die()

    if point == "after-init":
        real = FleetUploads.init_upload

        def init_then_die(self, *args, **kwargs):
            real(self, *args, **kwargs)  # the server created the session
            die()  # the answer is never recorded

        FleetUploads.init_upload = init_then_die

    with Client("key", base_url=base_url) as client:
        client.fleet.uploads.upload_recording(recording, source, max_workers=2, on_progress=on_progress)
    sys.exit(3)  # not killed: the test's kill point was never reached
    """
)


def make_source(root: Path, count: int) -> Path:
    root.mkdir()
    for i in range(count):
        (root / f"f{i:04d}.bin").write_bytes(os.urandom(20_000 + i))
    return root


@pytest.mark.parametrize("point", ["during-puts", "before-finalize", "after-init"])
def test_resume_after_sigkill(point: str, tmp_path: Path) -> None:
    api = LocalAvala(data="empty")
    recording = api.add_recording()
    source = make_source(tmp_path / "src", 240)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    with api.serve() as server:
        child = subprocess.run(
            [sys.executable, str(script), server.base_url, recording, str(source), point],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
        assert child.returncode == -signal.SIGKILL, child.stderr
        stored_before = api.objects.stats.objects_stored
        if point == "after-init":
            assert stored_before == 0
        if point == "before-finalize":
            assert stored_before == 240
        with Client("key", base_url=server.base_url) as client:
            session = client.fleet.uploads.upload_recording(recording, source)
        assert session.status == "completed"
        assert session.confirmed_files == 240
        # Nothing stored twice: resume re-sends at most the files in flight at the kill.
        assert 240 <= api.objects.stats.objects_stored <= 240 + 2
        if point != "during-puts":
            assert api.objects.stats.objects_stored == 240
