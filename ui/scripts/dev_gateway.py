"""Development helper: the real gateway over fixture traces, plus one simulated live session (hooks).

    uv run python ui/scripts/dev_gateway.py [--spans 400] [--port 7811]

Writes fixture trace files (ui/scripts/make-fixture.mjs) into a temporary traces dir, mounts the gateway on it,
and emits session_*/span_* hooks for a "live" session that runs, pauses for input, and ends when answered.
Not part of the package or of the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

UI = Path(__file__).resolve().parents[1]


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_fixtures(traces: Path, spans: int) -> None:
    for sid, n, extra in (
        ("research-run-0001", spans, []),
        ("research-run-0002", 60, []),
        ("orchestrator-0003", 120, []),
    ):
        subprocess.run(
            ["node", str(UI / "scripts/make-fixture.mjs"), str(traces / f"{sid}.jsonl.gz"), str(n), sid, *extra],
            check=True,
            stdout=subprocess.DEVNULL,
        )


async def simulate() -> None:
    import inspector_hooks
    from inspector_hooks import hook

    sid = "live-approval-0042"
    meta = {
        "engine": "asyncio",
        "title": "ApprovalWorkflow",
        "started_at": now(),
        "parent_session_id": None,
        "app_name": "dev",
    }
    await inspector_hooks._emit("session_started", session_id=sid, metadata=meta)
    root = {
        "trace_id": "ab" * 16,
        "span_id": "1111222233334444",
        "parent_span_id": None,
        "name": "workflow.run",
        "start_time": now(),
    }
    hook("span_started").emit(session_id=sid, span=root)
    child = {
        "trace_id": "ab" * 16,
        "span_id": "5555666677778888",
        "parent_span_id": root["span_id"],
        "name": "llm.generate",
        "start_time": now(),
    }
    hook("span_started").emit(session_id=sid, span=child)
    await asyncio.sleep(1.5)
    hook("span_ended").emit(session_id=sid, span={**child, "end_time": now(), "status": "OK", "duration_ms": 1500})
    schema = {
        "type": "object",
        "properties": {
            "approve": {"type": "boolean", "title": "Approve"},
            "comment": {"type": "string"},
            "priority": {"type": "string", "enum": ["low", "high"]},
        },
        "required": ["priority"],
    }
    hook("storage_error").emit(path="/var/traces", message="No space left on device", exc=OSError(28, "ENOSPC"))
    await inspector_hooks._emit(
        "session_paused",
        session_id=sid,
        signal_name="human_input_answer",
        prompt="Approve the refund of $120 to order #1841?",
        schema=schema,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--spans", type=int, default=400)
    ap.add_argument("--port", type=int, default=7811)
    args = ap.parse_args()
    traces = Path(tempfile.mkdtemp(prefix="inspector-dev-"))
    make_fixtures(traces, args.spans)
    os.environ["INSPECTOR_PORT"] = str(args.port)
    os.environ.setdefault("INSPECTOR_ENABLE_PATCH", "0")
    from inspector_gateway import mount

    mounted = mount(traces_dir=traces)
    print(f"URL {mounted.url}", flush=True)  # noqa: T201
    asyncio.run(simulate())
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
