"""UI timing in real Chromium on a generated 100,000-span trace (a timing script, not a test).

    uv run python benchmarks/ui_timing.py [--spans 100000] [--runs 3] [--out benchmarks/ui_timing.json]

Builds nothing: run scripts/build-ui first. Writes a trace with ui/scripts/make-fixture.mjs into a temporary
traces dir, serves it with the real gateway (inspector_gateway.mount in a subprocess, a free 127.0.0.1 port),
opens the session in /usr/bin/chromium and measures, from the moment the session is opened (hash change):
time to the first span rows in the DOM, time until the whole trace is loaded and shown, the worker's own
fetch+parse+tree time, the page's long tasks (> 50 ms) while it loads, frame times while the tree scrolls,
the page's JS heap after load (CDP Performance.getMetrics) and, separately, the workers' JS heap (the trace
worker holds the spans; CDP Runtime.getHeapUsage). Goals (docs/performance.md):
100k spans loaded under 1.5 s, first rows under 300 ms, heap under 100 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SESSION = "bench-100k-spans"

SERVER = """
import os, sys, time
os.environ.setdefault("INSPECTOR_ENABLE_PATCH", "0")
from inspector_gateway import mount
m = mount(traces_dir=sys.argv[1], port=0)
print("URL", m.url, flush=True)
while True:
    time.sleep(3600)
"""


def start_gateway(traces: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "INSPECTOR_PORT": "0", "INSPECTOR_PLUGINS_AUTOLOAD": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(traces)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("URL "):
            return proc, line.split(" ", 1)[1].strip()
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("the gateway did not start")


async def workers_heap_mb(cdp: Any, sessions: list[str], replies: dict[int, Any]) -> float:
    """The summed JS heap of the page's workers (the trace worker holds the spans), through CDP."""
    total = 0.0
    for n, sid in enumerate(sessions):
        msg_id = 1000 + n
        message = json.dumps({"id": msg_id, "method": "Runtime.getHeapUsage"})
        try:
            await cdp.send("Target.sendMessageToTarget", {"sessionId": sid, "message": message})
        except Exception:
            continue
        for _ in range(50):
            if msg_id in replies:
                break
            await asyncio.sleep(0.02)
        total += float(replies.get(msg_id, {}).get("result", {}).get("usedSize", 0))
    return total / 1e6


async def measure_once(browser: Any, url: str, spans_expected: int) -> dict[str, float]:
    page = await browser.new_page(viewport={"width": 1440, "height": 900})
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Performance.enable")
    workers: list[str] = []
    replies: dict[int, Any] = {}
    cdp.on("Target.attachedToTarget", lambda e: workers.append(e["sessionId"]))
    cdp.on(
        "Target.receivedMessageFromTarget",
        lambda e: replies.update({json.loads(e["message"]).get("id", -1): json.loads(e["message"])}),
    )
    await cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False})
    await page.goto(url)
    await page.wait_for_selector("[data-testid=sessions-page]")
    await page.evaluate(
        """() => {
          window.__long = [];
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) window.__long.push(e.duration);
          }).observe({ type: "longtask" });
        }"""
    )
    await page.evaluate(f"() => {{ window.__t0 = performance.now(); location.hash = '#/session/{SESSION}'; }}")
    await page.wait_for_function("() => document.querySelector('[data-testid=span-row]')", polling="raf")
    first = await page.evaluate("() => performance.now() - window.__t0")
    await page.wait_for_function(
        """(n) => {
          const c = document.querySelector('[data-testid=span-count]');
          return !document.querySelector('[data-testid=trace-loading-more]') && c &&
                 Number(c.textContent.replace(/[^0-9]/g, '')) >= n;
        }""",
        arg=spans_expected,
        polling="raf",
        timeout=60_000,
    )
    loaded = await page.evaluate("() => performance.now() - window.__t0")
    long_tasks = await page.evaluate("() => window.__long.slice()")
    worker_ms = await page.evaluate(
        "() => Number(document.querySelector('[data-testid=debugger-page]').dataset.loadMs || 'NaN')"
    )
    rows_in_dom = await page.evaluate("() => document.querySelectorAll('[data-testid=span-row]').length")
    frames = await page.evaluate(
        """async () => {
          const el = document.querySelector('[data-testid=span-tree-scroll]');
          const deltas = [];
          let last = performance.now();
          const end = last + 2000;
          await new Promise((resolve) => {
            const step = (t) => {
              deltas.push(t - last); last = t;
              el.scrollTop += 240;
              if (t < end) requestAnimationFrame(step); else resolve();
            };
            requestAnimationFrame(step);
          });
          return deltas.slice(1);
        }"""
    )
    await page.evaluate("() => window.gc && window.gc()")
    metrics = {m["name"]: m["value"] for m in (await cdp.send("Performance.getMetrics"))["metrics"]}
    worker_heap = await workers_heap_mb(cdp, workers, replies)
    await page.close()
    frames_sorted = sorted(frames)
    return {
        "first_rows_ms": first,
        "loaded_ms": loaded,
        "worker_fetch_parse_ms": worker_ms,
        "main_thread_long_tasks_during_load": len(long_tasks),
        "main_thread_longest_task_ms": max(long_tasks, default=0.0),
        "rows_in_dom": rows_in_dom,
        "scroll_frame_mean_ms": statistics.fmean(frames),
        "scroll_frame_p95_ms": frames_sorted[int(len(frames_sorted) * 0.95) - 1],
        "scroll_frames": len(frames),
        "js_heap_used_mb": metrics.get("JSHeapUsedSize", 0) / 1e6,
        "worker_js_heap_used_mb": worker_heap,
    }


async def run(spans: int, runs: int, out: Path) -> dict[str, Any]:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="ui-timing-") as tmp:
        traces = Path(tmp)
        trace_file = traces / f"{SESSION}.jsonl.gz"
        subprocess.run(
            ["node", str(ROOT / "ui/scripts/make-fixture.mjs"), str(trace_file), str(spans), SESSION],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        proc, url = start_gateway(traces)
        try:
            async with async_playwright() as p:
                browser = await p.chromium.launch(
                    executable_path="/usr/bin/chromium", args=[*CHROMIUM_ARGS, "--js-flags=--expose-gc"]
                )
                results = [await measure_once(browser, url, spans - 2) for _ in range(runs)]
                await browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        median = {k: statistics.median(r[k] for r in results) for k in results[0]}
        report = {
            "spans": spans,
            "trace_gzip_bytes": trace_file.stat().st_size if trace_file.exists() else None,
            "runs": runs,
            "median": median,
            "all_runs": results,
            "goals": {"loaded_ms": 1500, "first_rows_ms": 300, "js_heap_used_mb": 100},
            "notes": "js_heap_used_mb is the page; worker_js_heap_used_mb the trace worker (raw span lines + tree)",
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "load_average_before": load_before,
                "load_average_after": os.getloadavg(),
            },
            "command": "uv run python benchmarks/ui_timing.py " + " ".join(sys.argv[1:]),
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        out.write_text(json.dumps(report, indent=2) + "\n")
        return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--spans", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "ui_timing.json")
    args = ap.parse_args()
    report = asyncio.run(run(args.spans, args.runs, args.out))
    print(json.dumps(report["median"], indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
