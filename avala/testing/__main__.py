"""`python -m avala.testing`: serve the local Avala API on loopback.

The first stdout line, flushed at once, is `AVALA_BASE_URL=http://HOST:PORT/api/v1` (the real
port when `--port 0`), so scripts can read it and export it. With a wildcard `--host`
(`0.0.0.0`, `::`) that line names the loopback address, the one URL the SDK accepts over plain
http on this machine. Runs until SIGINT / SIGTERM and exits 0; exits 2 on a bad option or with
an install hint when uvicorn is missing, 1 when the address cannot be bound.
"""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from ._app import LocalAvala
from ._faults import FaultConfig
from ._server import UvicornMissing, bind_socket, client_url, make_server
from ._storage_faults import StorageFaultConfig


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 0..65535 (0 picks a free one)")
    return port


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m avala.testing", description=__doc__.splitlines()[0])
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (0.0.0.0 or :: for every interface; default: 127.0.0.1)",
    )
    p.add_argument("--port", type=_port, default=8765, help="0 picks a free port")
    p.add_argument("--data", choices=("demo", "empty"), default="demo")
    p.add_argument("--api-key", default=None, help="accept only this key (default: any key)")
    p.add_argument("--fail-rate", type=float, default=0.0, help="fraction answered 500/502/503")
    p.add_argument("--drop-rate", type=float, default=0.0, help="fraction of dropped connections")
    p.add_argument("--storm-rate", type=float, default=0.0, help="fraction starting a 429 storm")
    p.add_argument("--latency-ms", type=float, default=0.0, help="added to every response")
    p.add_argument("--rate-limit", type=int, default=None, help="requests per second per key")
    p.add_argument("--job-steps", type=int, default=1, help="polls per job state change")
    p.add_argument("--seed", type=int, default=0, help="seed of ids and of the fault sequence")
    storage = p.add_argument_group("object store (presigned uploads and downloads)")
    storage.add_argument(
        "--storage-fail-rate", type=float, default=0.0, help="fraction answered 500/503"
    )
    storage.add_argument(
        "--storage-drop-rate", type=float, default=0.0, help="fraction dropped mid-body"
    )
    storage.add_argument(
        "--upload-quota", type=int, default=10 * 1024**3, help="upload quota in bytes"
    )
    storage.add_argument(
        "--multipart-threshold",
        type=int,
        default=8 * 1024**2,
        help="v2 uploads above this many bytes are multipart",
    )
    storage.add_argument(
        "--part-size", type=int, default=5 * 1024**2, help="smallest multipart part size, bytes"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        faults = FaultConfig(
            fail_rate=args.fail_rate,
            drop_rate=args.drop_rate,
            storm_429_rate=args.storm_rate,
            latency_ms=args.latency_ms,
            seed=args.seed,
        )
        api = LocalAvala(
            args.data,
            api_key=args.api_key,
            faults=faults,
            rate_limit=args.rate_limit,
            job_steps=args.job_steps,
            seed=args.seed,
            upload_quota_bytes=args.upload_quota,
        )
        api.storage_faults = StorageFaultConfig(
            fail_rate=args.storage_fail_rate, drop_rate=args.storage_drop_rate, seed=args.seed
        )
        api.settings.multipart_threshold = args.multipart_threshold
        api.settings.multipart_part_size = args.part_size
        server = make_server(api)
    except UvicornMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        sock = bind_socket(args.host.strip("[]"), args.port)
    except (OSError, OverflowError) as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1

    def stop(signum: int, frame: FrameType | None) -> None:
        # Installed before uvicorn's own handlers: a signal that arrives before the server is
        # up still stops it, and the signal uvicorn re-raises after shutdown is absorbed here.
        server.should_exit = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    api.base_url, note = client_url(args.host, sock.getsockname()[1])
    api.objects.origin = api.base_url.removesuffix("/api/v1")
    print(f"AVALA_BASE_URL={api.base_url}", flush=True)
    if note:
        print(note, file=sys.stderr, flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
