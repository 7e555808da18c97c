"""The benchmark harness (`benchmarks/`, run by `nox -s bench`) works: its pieces, and a quick
run without the official SDK. Nothing here asserts a timing: timings belong to the report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from avala import Client

# The suite lives next to `tests/` in the repository; the sdist does not ship it.
pytest.importorskip("benchmarks.run", reason="benchmarks/ is not part of this tree")

from benchmarks import bench_decode
from benchmarks.fixtures import Kind, page_body, templates
from benchmarks.results import Results
from benchmarks.server import API_KEY, LaunchedServer

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", ["task", "dataset"])
def test_decode_benchmark_decodes_what_msgspec_decodes(kind: Kind) -> None:
    body = page_body(kind, 25, templates()[kind])
    ours = bench_decode.sdk_parse(kind)(body)
    floor = bench_decode.floor_parse(kind)(body)
    assert len(ours) == 25
    assert ours == floor
    assert len({item.uid for item in ours}) == 25


def test_launcher_serves_seeded_projects_and_stops() -> None:
    server = LaunchedServer(small=3, large=12, ids=5)
    fixture = server.start()
    try:
        assert fixture.base_url.startswith("http://127.0.0.1:")
        assert len(fixture.task_ids) == 5
        with httpx.Client(base_url=fixture.base_url, headers={"X-Avala-Api-Key": API_KEY}) as http:
            assert http.get(f"/tasks/{fixture.task_ids[0]}/").status_code == 200
        with Client(api_key=API_KEY, base_url=fixture.base_url) as client:
            listing = client.tasks.list(project_id=fixture.large_project, limit=5)
            walked = list(listing.auto_paging_iter())
            assert len(walked) == 12
            small = client.tasks.list(project_id=fixture.small_project)
            assert len(list(small.auto_paging_iter())) == 3
        process = server.process
    finally:
        server.stop()
    assert process is not None
    assert process.returncode is not None


def test_sniffio_blocker_makes_sniffio_unimportable() -> None:
    code = (
        "import sys\n"
        "from benchmarks.bench_sniffio import _NotInstalled\n"
        "sys.meta_path.insert(0, _NotInstalled())\n"
        "try:\n"
        "    import sniffio\n"
        "except ModuleNotFoundError:\n"
        "    print('blocked')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "blocked", done.stderr


def test_checks_verdicts() -> None:
    results = Results()
    results.sample("a", "a").values = [1.0, 1.1, 0.9]
    results.sample("b", "b").values = [2.0]
    results.unavailable("c", "c", "no official SDK")
    within = results.check("s", "a/b", "a", "b", "at_most", 0.6)
    too_slow = results.check("s", "a/b", "a", "b", "at_most", 0.4)
    faster = results.check("s", "b/a", "a", "b", "faster_by", 2.0)
    info = results.check("s", "b/a", "a", "b", "faster_by")
    missing = results.check("s", "c/a", "a", "c", "faster_by", 6.0)
    errors = results.check("s", "errors", "a", None, "no_errors")
    assert results.ratio(within) == pytest.approx(0.5)
    assert [results.verdict(c) for c in (within, too_slow, faster, info, missing, errors)] == [
        "PASS",
        "FALL SHORT",
        "PASS",
        "info",
        "unavailable",
        "PASS",
    ]


def test_quick_run_without_official_sdk_writes_a_report(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--quick",
            "--no-official",
            "--only",
            "decode,roundtrip,walk",
            "--output",
            str(report),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    text = report.read_text()
    assert "## Targets" in text
    assert "| CPU |" in text
    assert "official SDK" in text
    assert "unavailable" in text
    for section in (
        "2. decode a list page",
        "3. round trips",
        "4. walk a listing",
        "8. one plain gather",
    ):
        assert section in text


def test_loader_server_serves_items_with_signed_image_urls() -> None:
    pytest.importorskip("PIL")
    from benchmarks import bench_torch

    with bench_torch.LoaderServer(5, 3) as server:
        before = server.api_requests()
        with Client(api_key=API_KEY, base_url=server.base_url) as client:
            images = client.datasets.list_items(bench_torch.OWNER, bench_torch.IMAGES, limit=10)
            listed = client.datasets.list_items(bench_torch.OWNER, bench_torch.RAY_SLUG, limit=10)
        assert len(images.items) == 5
        assert len(listed.items) == 3
        assert server.api_requests() - before == 2
        urls = [item.url for item in images.items]
        assert all(url and url.startswith("http://127.0.0.1:") for url in urls)
        with httpx.Client() as http:
            bodies = [http.get(url).content for url in urls if url]
        assert all(body.startswith(b"\x89PNG\r\n\x1a\n") for body in bodies)
        process = server.process
    assert process is not None
    assert process.returncode is not None


def test_torch_section_without_torch_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import bench_torch

    monkeypatch.setattr(bench_torch, "torch_requirement", lambda: None)
    results = Results()
    bench_torch.run(results, None, "skipped", items=10, ray_items=0, rounds=1)
    assert results.samples
    assert all(s.unavailable and not s.values for s in results.samples.values())
    assert all("torch is not installed" in s.unavailable for s in results.samples.values())


def test_torch_section_reads_every_sample_in_each_mode() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("PIL")
    from benchmarks import bench_torch

    results = Results()
    bench_torch.run(results, None, "skipped (--no-official)", items=40, ray_items=0, rounds=1)
    for key, *_ in bench_torch.MODES:
        ours = results.samples[f"torch.{key}.sdk"]
        assert ours.unavailable == ""
        assert len(ours.values) == 1
        assert results.samples[f"torch.{key}.official"].unavailable == "skipped (--no-official)"
    assert [c.subject for c in results.checks] == [f"torch.{k}.sdk" for k, *_ in bench_torch.MODES]
    assert any("samples/s" in note for note in results.notes)
