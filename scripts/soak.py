"""The soak behind scripts/soak: the demo runs in this process (so its SSE slots can be read), a load process
connects/reads/drops SSE clients and reloads the page; a sampler prints slots, RSS and open fds.

At the end the load stops and the figures must come back to their baseline: exit 1 when SSE slots stay taken, when
open fds other than trace files grew by more than ``--fd-slack``, or when more trace-file parts are open than the
exporter's cap (``--max-parts``: it keeps up to 50 parts open, least recently written closed first; a Temporal
client's part of a session its worker ends stays open until then, also after ``prune`` deleted it). RSS is printed
(first sample after warm-up, peak, last, and its growth per minute over each quarter of the load) for
docs/reliability.md; whether it is bounded is read from the trend of the samples, not asserted here.

The steady state in bounded time: the inspector's memory grows until its bounds are reached (the live registry's
finished sessions, 1,000 by default), then only with the session files kept on disk. ``--keep-finished N`` lowers
the registry's bound (``INSPECTOR_KEEP_FINISHED``) so it is reached within minutes, and ``--prune-after M`` runs
``mcp-agent-inspector prune --older-than Mm`` at every sample, as a user with a retention would, so the files kept
stop growing too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
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


def quarter_slopes(samples: list[dict[str, Any]]) -> str:
    """RSS growth in MB a minute over each quarter of the samples (least squares): flat at the end = steady state."""
    quarter = len(samples) // 4
    if quarter < 2:
        return "too few samples"
    slopes = []
    for i in range(4):
        part = samples[i * quarter : (i + 1) * quarter + (len(samples) % 4 if i == 3 else 0)]
        ts = [s["t"] / 60 for s in part]
        ys = [s["rss_mb"] for s in part]
        mt, my = sum(ts) / len(ts), sum(ys) / len(ys)
        var = sum((t - mt) ** 2 for t in ts)
        slope = sum((t - mt) * (y - my) for t, y in zip(ts, ys, strict=True)) / var if var else 0.0
        slopes.append(f"{ts[0]:.0f}-{ts[-1]:.0f} min {slope:+.2f}")
    return ", ".join(slopes)


def open_fds(pid: int | str = "self") -> tuple[int, int, int, int]:
    """Open descriptors: (trace-file parts the exporter holds, their sidecars (``.sidecars/``), deleted ones among
    both, every other descriptor)."""
    parts = sidecars = deleted = other = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if "/.sidecars/" in target:
            sidecars += 1
        elif ".jsonl.gz" in target:
            parts += 1
        else:
            other += 1
            continue
        deleted += target.endswith("(deleted)")
    return parts, sidecars, deleted, other


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
    hub_live: Any = None
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
        hub_live = mounted.gateway.live
        loader = subprocess.Popen(
            [sys.executable, __file__, "--load", str(mounted.port), mounted.token, str(args.pages_every)],
            stdout=subprocess.DEVNULL,
        )
    samples: list[dict[str, Any]] = []
    pruned = 0
    start = time.monotonic()
    traced: list[Any] = []

    def prune() -> None:
        nonlocal pruned
        command = [sys.executable, "-m", "inspector_cli", "prune", "--older-than", f"{args.prune_after}m", "--json"]
        done = subprocess.run(
            [*command, "--traces-dir", os.environ["MCP_TRACES_DIR"]], capture_output=True, text=True, check=False
        )
        if done.returncode == 0:
            pruned += len(json.loads(done.stdout)["deleted"])
        else:
            print(f"soak: prune failed: {done.stderr.strip()[-300:]}", file=sys.stderr, flush=True)

    def sample(phase: str) -> dict[str, Any]:
        if args.prune_after is not None and phase == "load":
            prune()
        row = {
            "t": time.monotonic() - start,
            "phase": phase,
            "slots": hub.client_count if hub is not None else 0,
            "rss_mb": rss_mb(),
            **dict(zip(("parts", "sidecars", "deleted", "fds"), open_fds(), strict=True)),
            "threads": len(os.listdir("/proc/self/task")),
            "events": hub.last_id if hub is not None else 0,
            "live": len(hub_live.snapshot()) if hub_live is not None else 0,
            "files": len(list(Path(os.environ["MCP_TRACES_DIR"]).glob("*.jsonl.gz"))),
        }
        samples.append(row)
        if args.tracemalloc:
            import tracemalloc

            traced.append(tracemalloc.take_snapshot())
            if len(traced) > 2:
                print(f"          growth since warm-up: {growth_by_package(traced[1], traced[-1])}", flush=True)
        print(
            f"{row['t']:7.0f} s  {phase:5}  slots {row['slots']:3d}  rss {row['rss_mb']:7.1f} MB  "
            f"fds {row['fds']:4d} + parts {row['parts']:3d} + sidecars {row['sidecars']:3d} "
            f"({row['deleted']} deleted)  threads {row['threads']:3d}  events {row['events']}  live {row['live']}  "
            f"files {row['files']}  pruned {pruned}",
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
        f"end rss {final['rss_mb']:.1f} MB, fds {final['fds']}, trace parts {final['parts']}, slots {final['slots']}",
        flush=True,
    )
    print(f"soak: rss growth per minute over each quarter of the load: {quarter_slopes(loaded)}", flush=True)
    problems = []
    if final["slots"] != 0:
        problems.append(f"{final['slots']} SSE slots still taken with no client")
    if final["fds"] > base["fds"] + args.fd_slack:
        problems.append(f"open fds grew from {base['fds']} to {final['fds']}")
    if final["parts"] > args.max_parts:
        problems.append(f"{final['parts']} trace-file parts open, over the exporter's cap of {args.max_parts}")
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
    parser.add_argument(
        "--fd-slack", type=int, default=10, help="open fds, trace files aside, allowed above the baseline (default 10)"
    )
    parser.add_argument(
        "--max-parts",
        type=int,
        default=50,
        help="trace-file parts the exporter may hold open (its LRU cap, inspector_otel MAX_OPEN_FILES; default 50)",
    )
    parser.add_argument("--auto-answer", action="store_true", help="answer each round's approval pause at once")
    parser.add_argument("--no-inspector", action="store_true", help="the demo alone (the host's own growth)")
    parser.add_argument("--tracemalloc", action="store_true", help="also print memory growth per package (slower)")
    parser.add_argument(
        "--keep-finished",
        type=int,
        default=None,
        help="finished sessions the live registry keeps (INSPECTOR_KEEP_FINISHED, default 1000): its bound, sooner",
    )
    parser.add_argument(
        "--prune-after",
        type=float,
        default=None,
        metavar="MIN",
        help="at every sample, prune sessions that ended more than MIN minutes ago (mcp-agent-inspector prune)",
    )
    args = parser.parse_args()
    if args.keep_finished is not None:
        os.environ["INSPECTOR_KEEP_FINISHED"] = str(args.keep_finished)
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    os.environ.setdefault("MCP_TRACES_DIR", tempfile.mkdtemp(prefix="inspector-soak-"))
    print(f"soak: traces in {os.environ['MCP_TRACES_DIR']}", flush=True)
    return asyncio.run(soak(args))


if __name__ == "__main__":
    raise SystemExit(main())
