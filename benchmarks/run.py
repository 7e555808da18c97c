"""Run the benchmark suite: `nox -s bench` (or `python -m benchmarks.run`).

    python -m benchmarks.run                 # everything; writes BENCHMARKS.md (~5 minutes)
    python -m benchmarks.run --quick         # small sizes, a smoke run; .bench/BENCHMARKS-quick.md
    python -m benchmarks.run --no-official   # skip the official SDK (its columns: unavailable)
    python -m benchmarks.run --only decode,walk

Sections: import, decode, roundtrip (sequential, concurrent and issue 8's gathers), walk,
sniffio, fleet (recording uploads against raw httpx PUTs), upload (dataset uploads), download
(dataset downloads against raw httpx GETs), torch (training loaders: avala.torch against the
official's, and a Ray Data read). Prints the targets table and writes the report (machine, command, tables).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import (
    bench_decode,
    bench_download,
    bench_fleet,
    bench_import,
    bench_roundtrip,
    bench_sniffio,
    bench_torch,
    bench_upload,
    bench_walk,
)
from .fixtures import write_bodies
from .official_env import DEFAULT_VENV, OfficialSDK
from .report import checks_table, markdown, samples_table, summary
from .results import Results
from .server import API_KEY, LaunchedServer

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    "import",
    "decode",
    "roundtrip",
    "walk",
    "sniffio",
    "fleet",
    "upload",
    "download",
    "torch",
)


@dataclass(frozen=True)
class Plan:
    """Sizes and repetitions; `FULL` is what the README quotes, `QUICK` a smoke run."""

    import_rounds: int
    decode_sizes: tuple[int, ...]
    decode_rounds: int
    decode_budget_items: int
    seq_calls: int
    seq_rounds: int
    rounds: int
    gather_small: int
    gather_large: int
    rounds_large: int
    rounds_slow: int
    walk_small: int
    walk_large: int
    walk_limit: int
    walk_rounds: int
    memory_rounds: int
    sniffio_calls: int
    sniffio_rounds: int


FULL = Plan(
    import_rounds=21,
    decode_sizes=(100, 1_000, 10_000),
    decode_rounds=7,
    decode_budget_items=100_000,
    seq_calls=100,
    seq_rounds=41,
    rounds=9,
    gather_small=1_000,
    gather_large=10_000,
    rounds_large=3,
    rounds_slow=2,
    walk_small=10_000,
    walk_large=100_000,
    walk_limit=1_000,
    walk_rounds=5,
    memory_rounds=2,
    sniffio_calls=1_000,
    sniffio_rounds=3,
)
QUICK = Plan(
    import_rounds=3,
    decode_sizes=(10, 100),
    decode_rounds=2,
    decode_budget_items=2_000,
    seq_calls=20,
    seq_rounds=3,
    rounds=2,
    gather_small=50,
    gather_large=200,
    rounds_large=1,
    rounds_slow=1,
    walk_small=3_000,
    walk_large=6_000,
    walk_limit=1_000,
    walk_rounds=2,
    memory_rounds=1,
    sniffio_calls=50,
    sniffio_rounds=1,
)


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and few rounds (smoke run)"
    )
    parser.add_argument(
        "--no-official", action="store_true", help="do not install or run the official SDK"
    )
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="report path (default BENCHMARKS.md; quick: .bench/BENCHMARKS-quick.md)",
    )
    parser.add_argument("--official-venv", type=Path, default=DEFAULT_VENV)
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    return args


def add_notes(results: Results) -> None:
    """Numbers that explain the checks which depend on more than the SDK."""
    samples = results.samples
    for key in samples:
        if key.startswith("walk.") and key.endswith(".raw") and not key.startswith("walk.mem"):
            prefix = key[: -len(".raw")]
            floor, sdk, official = (
                samples.get(f"{prefix}{s}") for s in (".raw", ".sdk", ".official")
            )
            if floor and floor.median and official and official.median and sdk and sdk.median:
                server = samples.get(f"{prefix}.server")
                busy = (
                    f" The server process alone was busy {server.median:.3f} s of the SDK's "
                    f"{sdk.median:.3f} s walk."
                    if server and server.median
                    else ""
                )
                results.notes.append(
                    f"Walk: every page's request needs the previous page's cursor, so a walk is "
                    f"sequential and bounded below by raw httpx + msgspec doing the same by hand "
                    f"({floor.median:.3f} s). The SDK takes {sdk.median / floor.median:.2f}x that "
                    f"floor; the best any sequential client could show against the official SDK "
                    f"here is official / floor = {official.median / floor.median:.2f}x.{busy}"
                )
    ceilings = []
    for key in samples:
        if key.startswith("decode.") and key.endswith(".floor"):
            prefix = key[: -len(".floor")]
            floor, sdk, official = (
                samples.get(f"{prefix}{s}") for s in (".floor", ".sdk", ".official")
            )
            if floor and floor.median and official and official.median and sdk and sdk.median:
                _, kind, n = prefix.split(".")
                ceilings.append(
                    f"{kind}s x{int(n):,}: official / msgspec {official.median / floor.median:.2f}x, "
                    f"SDK / msgspec {sdk.median / floor.median:.3f}x"
                )
    if ceilings:
        results.notes.append(
            "Decode: no SDK that decodes into these msgspec Structs can be more than "
            "official / bare msgspec faster than the official SDK; that ceiling, and how close "
            "the SDK gets to bare msgspec: " + "; ".join(ceilings) + "."
        )
    for key, sample in samples.items():
        if sample.errors and ".raw.unbounded" not in key:
            results.notes.append(
                f"{sample.label}: {sample.errors} errors in {sample.runs_with_errors} run(s)."
            )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = QUICK if args.quick else FULL
    only = set(args.only.split(","))
    output = args.output or (
        ROOT / ".bench" / "BENCHMARKS-quick.md" if args.quick else ROOT / "BENCHMARKS.md"
    )
    command = "nox -s bench" + (
        " -- " + shlex.join(argv or sys.argv[1:]) if (argv or sys.argv[1:]) else ""
    )
    started = time.perf_counter()
    load_before = os.getloadavg()
    results = Results()

    official: OfficialSDK | None = None
    official_why = "skipped (--no-official)"
    if not args.no_official:
        log("preparing the official SDK's venv ...")
        official, official_why = OfficialSDK.start(args.official_venv, log)
        if official is None:
            log(f"official SDK unavailable: {official_why}")
            results.notes.append(f"Official SDK unavailable: {official_why}")
    try:
        if "import" in only:
            log("1. cold import ...")
            bench_import.run(
                results,
                official.python if official else None,
                official_why,
                rounds=plan.import_rounds,
            )
        if "decode" in only:
            log("2. decoding list pages ...")
            bodies = write_bodies(ROOT / ".bench" / "pages", list(plan.decode_sizes))
            bench_decode.run(
                results,
                bodies,
                official,
                official_why,
                rounds=plan.decode_rounds,
                budget_items=plan.decode_budget_items,
            )
        if only & {"roundtrip", "walk", "sniffio"}:
            log("starting the local Avala API (separate process) ...")
            with LaunchedServer(
                small=plan.walk_small,
                large=plan.walk_large,
                ids=max(plan.gather_large, plan.seq_calls, plan.sniffio_calls),
            ) as server:
                fixture = server.fixture
                log(f"serving {fixture.base_url}")
                if "roundtrip" in only:
                    log("3. round trips and gathers ...")
                    bench_roundtrip.run(
                        results,
                        fixture,
                        official,
                        official_why,
                        rounds=plan.rounds,
                        seq_calls=plan.seq_calls,
                        seq_rounds=plan.seq_rounds,
                        gather_small=plan.gather_small,
                        gather_large=plan.gather_large,
                        rounds_large=plan.rounds_large,
                        rounds_slow=plan.rounds_slow,
                    )
                if "walk" in only:
                    log("4. walking listings ...")
                    bench_walk.run(
                        results,
                        fixture,
                        official,
                        official_why,
                        rounds=plan.walk_rounds,
                        memory_rounds=plan.memory_rounds,
                        limit=plan.walk_limit,
                        server_cpu=server.cpu_seconds,
                    )
                if "sniffio" in only:
                    log("8. sniffio importable or not ...")
                    bench_sniffio.run(
                        results,
                        fixture.base_url,
                        API_KEY,
                        fixture.task_ids[: plan.sniffio_calls],
                        rounds=plan.sniffio_rounds,
                    )
        if "fleet" in only:
            log("10. fleet recording uploads ...")
            bench_fleet.run(
                results,
                ROOT / ".bench" / "fleet",
                large_files=8 if args.quick else 16,
                large_size=(8 if args.quick else 64) * 1024 * 1024,
                small_files=200 if args.quick else 2_000,
                small_size=4096,
                managed_size=(70 if args.quick else 200) * 1024 * 1024,
                rounds=1 if args.quick else 3,
            )
        if "upload" in only:
            log("9. dataset uploads ...")
            bench_upload.run(
                results,
                ROOT / ".bench" / "upload",
                large_bytes=(64 if args.quick else 1024) * 1024 * 1024,
                small_files=500 if args.quick else 10_000,
                small_size=4096,
                rss_small_files=100 if args.quick else 1_000,
                rounds=1 if args.quick else 2,
            )
        if "download" in only:
            log("11. dataset downloads ...")
            bench_download.run(
                results,
                objects=64 if args.quick else 1_000,
                object_size=1024 * 1024,
                big=(64 if args.quick else 1024) * 1024 * 1024,
                rounds=1 if args.quick else 3,
            )
        if "torch" in only:
            log("12. training loaders ...")
            bench_torch.run(
                results,
                str(official.python) if official else None,
                official_why,
                items=400 if args.quick else 2_000,
                ray_items=2_000 if args.quick else 10_000,
                rounds=1 if args.quick else 3,
                log=log,
            )
    finally:
        official_versions = official.versions if official else None
        if official is not None:
            official.close()

    add_notes(results)
    seconds = time.perf_counter() - started
    report = markdown(
        results,
        command=command,
        official_versions=official_versions,
        load=(load_before, os.getloadavg()),
        seconds=seconds,
        quick=args.quick,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report)
    print("\n".join(checks_table(results)))
    print()
    print("\n".join(samples_table(results)))
    print(f"\n{summary(results)}; report written to {output} ({seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
