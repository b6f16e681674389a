"""The soak behind scripts/soak: the demo runs in this process (so its SSE slots can be read), a load process
connects/reads/drops SSE clients and reloads the page; a sampler prints slots, RSS and open fds.

At the end the load stops and the figures must come back to their baseline: exit 1 when SSE slots stay taken or
open fds grew by more than ``--fd-slack``. RSS is printed (first sample after warm-up, peak, last) for
docs/reliability.md; whether it is bounded is read from the trend of the samples, not asserted here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _package(filename: str) -> str:
    """Who allocated: the distribution a file belongs to (ours are inspector_*, the demo is inspector_demo)."""
    for marker in ("site-packages/", "/src/", "/examples/"):
        if marker in filename:
            return filename.split(marker, 1)[1].split("/", 1)[0].removesuffix(".py")
    return "python (stdlib, other)"


def growth_by_package(old: Any, new: Any, top: int = 6) -> str:
    """The tracemalloc growth between two snapshots, summed per package, largest first."""
    sums: dict[str, int] = {}
    for stat in new.compare_to(old, "filename"):
        name = _package(stat.traceback[0].filename)
        sums[name] = sums.get(name, 0) + stat.size_diff
    ranked = sorted(sums.items(), key=lambda kv: -abs(kv[1]))[:top]
    return ", ".join(f"{name} {size / 1e6:+.2f} MB" for name, size in ranked)


def open_fds(pid: int | str = "self") -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


async def load(port: int, token: str, pages_every: int) -> None:
    """SSE clients that connect, read ~300 bytes and close, forever; every ``pages_every`` of them, a page reload
    (the UI, /sessions, the newest trace, a long-lived stream read for a moment)."""
    import httpx

    base = f"http://127.0.0.1:{port}/_inspector"
    async with httpx.AsyncClient(base_url=base, headers={"X-Inspector-Token": token}, timeout=10) as client:
        n = 0
        while True:
            n += 1
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                request = (
                    f"GET /_inspector/events?token={token} HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: 0\r\n\r\n"
                )
                writer.write(request.encode())
                await writer.drain()
                await reader.read(300)
                writer.close()
                if n % pages_every == 0:
                    await client.get("/ui/", params={"token": token})
                    rows = (await client.get("/sessions")).json()["sessions"]
                    if rows:
                        await client.get(f"/trace/{rows[0]['id']}")
            except (OSError, ValueError, KeyError, httpx.HTTPError):
                await asyncio.sleep(0.2)
            await asyncio.sleep(0.01)


async def soak(args: argparse.Namespace) -> int:
    from inspector_demo.main import parse_args, run

    from inspector_gateway import mount

    extra = (["--auto-answer"] if args.auto_answer else []) + (["--no-inspector"] if args.no_inspector else [])
    demo = asyncio.ensure_future(run(parse_args(["--port", "0", "--pause", str(args.pause), *extra])))
    hub: Any = None
    loader: subprocess.Popen[bytes] | None = None
    if not args.no_inspector:
        mounted = None
        for _ in range(200):
            await asyncio.sleep(0.1)
            mounted = mount()  # the demo's own mount (a second call returns the first)
            if mounted.port:
                break
        if mounted is None or mounted.gateway is None or not mounted.port:
            print("soak: the demo's inspector did not start", file=sys.stderr)
            demo.cancel()
            return 2
        hub = mounted.gateway.hub
        loader = subprocess.Popen(
            [sys.executable, __file__, "--load", str(mounted.port), mounted.token, str(args.pages_every)],
            stdout=subprocess.DEVNULL,
        )
    samples: list[dict[str, Any]] = []
    start = time.monotonic()
    traced: list[Any] = []

    def sample(phase: str) -> dict[str, Any]:
        row = {
            "t": time.monotonic() - start,
            "phase": phase,
            "slots": hub.client_count if hub is not None else 0,
            "rss_mb": rss_mb(),
            "fds": open_fds(),
            "threads": len(os.listdir("/proc/self/task")),
            "events": hub.last_id if hub is not None else 0,
        }
        samples.append(row)
        if args.tracemalloc:
            import tracemalloc

            traced.append(tracemalloc.take_snapshot())
            if len(traced) > 2:
                print(f"          growth since warm-up: {growth_by_package(traced[1], traced[-1])}", flush=True)
        print(
            f"{row['t']:7.0f} s  {phase:5}  slots {row['slots']:3d}  rss {row['rss_mb']:7.1f} MB  "
            f"fds {row['fds']:4d}  threads {row['threads']:3d}  events {row['events']}",
            flush=True,
        )
        return row

    print(f"soak: {args.minutes} min of demo rounds + SSE connect/read/drop loops + page reloads", flush=True)
    try:
        while time.monotonic() - start < args.minutes * 60:
            await asyncio.sleep(args.every)
            sample("load")
    finally:
        if loader is not None:
            loader.terminate()
            loader.wait()
    await asyncio.sleep(3)  # the last dropped streams end
    final = sample("idle")
    demo.cancel()
    await asyncio.gather(demo, return_exceptions=True)
    loaded = [s for s in samples if s["phase"] == "load"]
    base = loaded[min(1, len(loaded) - 1)]  # after one interval of warm-up
    peak = max(s["rss_mb"] for s in samples)
    print(
        f"soak: baseline (after warm-up) rss {base['rss_mb']:.1f} MB, fds {base['fds']}; peak rss {peak:.1f} MB; "
        f"end rss {final['rss_mb']:.1f} MB, fds {final['fds']}, slots {final['slots']}",
        flush=True,
    )
    problems = []
    if final["slots"] != 0:
        problems.append(f"{final['slots']} SSE slots still taken with no client")
    if final["fds"] > base["fds"] + args.fd_slack:
        problems.append(f"open fds grew from {base['fds']} to {final['fds']}")
    for problem in problems:
        print(f"soak: FAIL: {problem}", flush=True)
    return 1 if problems else 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        port, token, pages_every = int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(load(port, token, pages_every))
        return 0
    parser = argparse.ArgumentParser(prog="scripts/soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=5.0, help="how long to load it (default 5)")
    parser.add_argument("--every", type=float, default=15.0, help="seconds between samples (default 15)")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between demo rounds (default 0.5)")
    parser.add_argument("--pages-every", type=int, default=20, help="a page reload every N SSE clients (default 20)")
    parser.add_argument("--fd-slack", type=int, default=10, help="open fds allowed above the baseline (default 10)")
    parser.add_argument("--auto-answer", action="store_true", help="answer each round's approval pause at once")
    parser.add_argument("--no-inspector", action="store_true", help="the demo alone (the host's own growth)")
    parser.add_argument("--tracemalloc", action="store_true", help="also print memory growth per package (slower)")
    args = parser.parse_args()
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    os.environ.setdefault("MCP_TRACES_DIR", tempfile.mkdtemp(prefix="inspector-soak-"))
    print(f"soak: traces in {os.environ['MCP_TRACES_DIR']}", flush=True)
    return asyncio.run(soak(args))


if __name__ == "__main__":
    raise SystemExit(main())
