"""The demo's command line: mount the inspector, start the app, serve it over MCP, run rounds until stopped."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import tempfile
import warnings
from pathlib import Path
from typing import Any

from inspector_demo.app import build_app, install_inspector, run_round, serve_inbound, stop_inbound
from inspector_demo.lifeline import exit_with_parent
from inspector_demo.temporal_side import TemporalSide

logger = logging.getLogger(__name__)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The demo's options."""
    parser = argparse.ArgumentParser(prog="inspector_demo", description=__doc__)
    parser.add_argument("--rounds", type=int, default=0, help="rounds to run (default: forever, until Ctrl-C)")
    parser.add_argument("--port", type=int, default=None, help="inspector port (default: INSPECTOR_PORT or 7800)")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between rounds (default: 3)")
    parser.add_argument(
        "--auto-answer", action="store_true", help="answer the approval pause at once instead of leaving it paused"
    )
    parser.add_argument("--no-inspector", action="store_true", help="do not mount the inspector or install tracing")
    parser.add_argument(
        "--no-temporal", action="store_true", help="no Temporal dev server, worker or Temporal workflows"
    )
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> int:
    """Run the rounds in one ``app.run()``; returns the exit status (1 if the last round failed)."""
    log_path = Path(tempfile.gettempdir()) / "inspector_demo-mcp-agent.jsonl"
    app = build_app(log_path=log_path)
    temporal: TemporalSide | None = TemporalSide()
    if not args.no_temporal and temporal is not None and temporal.start(inspector=not args.no_inspector):
        os.environ["INSPECTOR_TEMPORAL_ADDRESS"] = str(temporal.address)  # the gateway lists and signals its runs
    else:
        temporal = None
    if not args.no_inspector:
        message = install_inspector(args.port, app)  # before app.run(): the instrumentation is in place from the start
        if message:
            print(message, flush=True)
    _cancel_on_sigterm()
    try:
        return await _rounds(app, args, temporal, log_path)
    finally:
        if temporal is not None:
            temporal.stop()


async def _rounds(app: Any, args: argparse.Namespace, temporal: TemporalSide | None, log_path: Path) -> int:
    ok = True
    async with app.run():
        url = await serve_inbound(app)
        print(f"demo app {app.name!r} serves MCP at {url}; mcp-agent log: {log_path}")
        try:
            number = 0
            while not args.rounds or number < args.rounds:
                number += 1
                try:
                    summary = await run_round(app, auto_answer=args.auto_answer)
                except Exception as exc:  # one bad round must not end an endless demo
                    logger.warning("round %d failed", number, exc_info=True)
                    print(f"round {number} failed: {exc!r}", flush=True)
                    ok = False
                else:
                    ok = bool(summary["ok"])
                    print(_line(number, summary), flush=True)
                if temporal is not None:
                    try:
                        done = await temporal.run_round()
                    except Exception as exc:
                        logger.warning("Temporal round %d failed", number, exc_info=True)
                        print(f"round {number} (Temporal) failed: {exc!r}", flush=True)
                        ok = False
                    else:
                        print(
                            f"round {number} (Temporal): {done['agent']['workflow_id']} completed; "
                            f"{done['approval']} waits for an answer",
                            flush=True,
                        )
                if not args.rounds or number < args.rounds:
                    await asyncio.sleep(max(args.pause, 0.0))
        finally:
            await stop_inbound(app)
    return 0 if ok else 1


def _line(number: int, summary: dict[str, Any]) -> str:
    states = ", ".join(f"{name}={run.get('status')}" for name, run in summary["runs"].items())
    paused = f"; paused run {summary['paused'][0]} waits for an answer" if summary["paused"] else ""
    return f"round {number} ({summary['duration_s']:.1f} s): {states}{paused}"


def _cancel_on_sigterm() -> None:
    """SIGTERM cancels the running demo the way asyncio's own Ctrl-C handling does: the main task is cancelled, so
    every ``async with`` (the app, the inbound HTTP server, the inspector's server) closes in order. Raising in a
    signal handler instead would interrupt the event loop itself and leave uvicorn printing tracebacks."""
    task = asyncio.current_task()
    if task is None:
        return
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # no loop signal handlers (Windows)
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m inspector_demo``; Ctrl-C stops it cleanly (exit 0)."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    # Ctrl-C must stop the demo even when it was started from a shell that ignores SIGINT for background jobs
    # (asyncio.run then cancels the main task); SIGTERM stops it the same clean way (see _cancel_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    exit_with_parent()  # `uv run` killed alone (SIGKILL) must not leave the demo running
    try:
        return asyncio.run(run(args))
    except (KeyboardInterrupt, asyncio.CancelledError):
        with contextlib.suppress(Exception):
            print("\nstopped", flush=True)
        return 0
