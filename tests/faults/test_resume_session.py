"""Resuming a paused run from the page (POST /signal) records the signal in the session it resumes, not in a phantom
``unscoped-<pid>`` session (issue 12 item 9). The real demo app (mcp-agent 0.2.6, asyncio executor) and exporter."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from gateway_support import Live, demo_stack
from inspector_demo import runner
from inspector_demo.workflows import ApprovalWorkflow
from mcp_agent.app import MCPApp

import inspector_otel
from inspector_otel.testing import read_session


@pytest.fixture
async def stack(tmp_path: Path, traces_dir: Path, monkeypatch) -> AsyncIterator[tuple[MCPApp, Live]]:
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    async with demo_stack(tmp_path, traces_dir, "faults_resume") as running:
        yield running


async def _status(client: httpx.AsyncClient, sid: str, wanted: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        rows = (await client.get("/sessions")).json()["sessions"]
        if any(r["id"] == sid and r["status"] == wanted for r in rows):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{sid} never {wanted}")


async def test_the_signal_span_belongs_to_the_session_it_resumes(stack, traces_dir):
    app, live = stack
    async with httpx.AsyncClient(base_url=live.base, headers=live.headers, timeout=10) as client:
        sid = await runner.start(app, ApprovalWorkflow)
        await _status(client, sid, "paused")
        answer = "the user's answer 7f3a"
        ok = await client.post(f"/signal/{sid}", json={"signal": "human_input_answer", "payload": {"response": answer}})
        assert ok.status_code == 200, ok.text
        await runner.wait(app, sid)
        await _status(client, sid, "completed")
        processor = inspector_otel.installed()
        assert processor is not None
        processor.force_flush()
        rows = (await client.get("/sessions")).json()["sessions"]
    assert [r["id"] for r in rows if r["id"].startswith("unscoped-")] == []
    assert [p.name for p in traces_dir.glob("unscoped-*")] == []
    spans = [r for r in read_session(traces_dir, sid) if r["type"] == "span"]
    assert any("signal" in r["name"].lower() for r in spans), [r["name"] for r in spans]
