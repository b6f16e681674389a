"""With the real demo app (mcp-agent 0.2.6, asyncio executor): a session appears, runs, pauses on human input,
is resumed through POST /signal, completes; its trace file is served; POST /cancel ends a paused run."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from gateway_support import Live, SSEReader, demo_stack
from inspector_demo import runner
from inspector_demo.workflows import ApprovalWorkflow
from mcp_agent.app import MCPApp


@pytest.fixture
async def stack(tmp_path: Path, traces_dir: Path, monkeypatch) -> AsyncIterator[tuple[MCPApp, Live]]:
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    async with demo_stack(tmp_path, traces_dir, "gateway_demo_test") as running:
        yield running


async def poll_status(client: httpx.AsyncClient, sid: str, wanted: str, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    row: dict = {}
    while time.monotonic() < deadline:
        rows = (await client.get("/sessions")).json()["sessions"]
        row = next((r for r in rows if r["id"] == sid), {})
        if row.get("status") == wanted:
            return row
        await asyncio.sleep(0.05)
    raise AssertionError(f"{sid} is {row.get('status')!r}, not {wanted!r}")


async def test_pause_signal_complete(stack):
    app, live = stack
    events = await SSEReader.open(live)
    async with httpx.AsyncClient(base_url=live.base, headers=live.headers, timeout=10) as client:
        sid = await runner.start(app, ApprovalWorkflow)
        row = await poll_status(client, sid, "paused")
        assert row["engine"] == "asyncio"

        bad = await client.post(f"/signal/{sid}", json={"signal": "human_input_answer", "payload": {"nope": 1}})
        assert bad.status_code == 422
        ok = await client.post(f"/signal/{sid}", json={"signal": "human_input_answer", "payload": {"response": "yes"}})
        assert ok.status_code == 200, ok.text
        again = await client.post(f"/signal/{sid}", json={"signal": "human_input_answer", "payload": {"response": "x"}})
        assert again.status_code in (404, 409)

        final = await runner.wait(app, sid)
        assert runner.result_value(final) == "approved: yes"
        await poll_status(client, sid, "completed")

        trace = await client.get(f"/trace/{sid}")
        assert trace.status_code == 200
        assert b'"type":"session"' in trace.content

    seen: list[dict] = []
    with contextlib.suppress(asyncio.TimeoutError, EOFError):
        while not any(e["type"] == "SessionFinished" and e["session_id"] == sid for e in seen):
            seen.extend(e for _, e in await events.events(1, timeout=10))
    events.close()
    mine = [e["type"] for e in seen if e.get("session_id") == sid]
    assert mine[0] == "SessionStarted"
    assert "WaitingOnSignal" in mine
    assert mine.index("WaitingOnSignal") < mine.index("SignalReceived") < mine.index("SessionFinished")
    waiting = next(e for e in seen if e["type"] == "WaitingOnSignal" and e["session_id"] == sid)
    assert waiting["schema"] is not None


async def test_cancel_a_paused_run(stack):
    app, live = stack
    async with httpx.AsyncClient(base_url=live.base, headers=live.headers, timeout=10) as client:
        sid = await runner.start(app, ApprovalWorkflow)
        await poll_status(client, sid, "paused")
        r = await client.post(f"/cancel/{sid}")
        assert r.status_code == 200, r.text
        await poll_status(client, sid, "cancelled")
        assert (await client.post("/cancel/unknown-session")).status_code == 404
        nowait = await client.post("/signal/unknown-session", json={"signal": "resume", "payload": {}})
        assert nowait.status_code == 404


async def test_heartbeats_count_real_llm_and_tool_calls(stack):
    from inspector_demo.workflows import ToolsWorkflow

    app, live = stack
    events = await SSEReader.open(live)
    sid = await runner.start(app, ToolsWorkflow, elicit=False)
    final = await runner.wait(app, sid)
    assert final["status"] == "completed"
    seen: list[dict] = []
    with contextlib.suppress(asyncio.TimeoutError, EOFError):
        while not any(e["type"] == "SessionFinished" and e["session_id"] == sid for e in seen):
            seen.extend(e for _, e in await events.events(1, timeout=10))
    events.close()
    beats = [e for e in seen if e["type"] == "Heartbeat" and e["session_id"] == sid]
    assert beats
    assert sum(b["llm_calls_delta"] for b in beats) >= 1
    assert sum(b["tool_calls_delta"] for b in beats) >= 1
    ended = [e for e in seen if e["type"] == "SpanEnded" and e["session_id"] == sid]
    assert ended
