"""Resuming a paused run from the page (POST /signal) records the signal in the session it resumes, not in a phantom
``unscoped-<pid>`` session (issue 12 item 9). The real demo app (mcp-agent 0.2.6, asyncio executor) and exporter."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from gateway_support import Live, start_gateway
from inspector_demo import runner
from inspector_demo.humans import elicitation_callback, make_human_input_callback
from inspector_demo.settings import demo_settings
from inspector_demo.workflows import ApprovalWorkflow
from mcp_agent.app import MCPApp

import inspector_instrumentation
import inspector_otel
from inspector_otel.testing import read_session


@pytest.fixture
async def stack(tmp_path: Path, traces_dir: Path, monkeypatch) -> AsyncIterator[tuple[MCPApp, Live]]:
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    inspector_instrumentation.install()
    inspector_otel.install(traces_dir=traces_dir)
    server = start_gateway(traces_dir)
    app = MCPApp(
        name="faults_resume",
        settings=demo_settings(log_path=tmp_path / "mcp-agent.jsonl"),
        human_input_callback=make_human_input_callback(lambda: app.context),
        elicitation_callback=elicitation_callback,
    )
    try:
        async with app.run():
            yield app, server
    finally:
        await inspector_instrumentation.stop_event_bus()
        server.close()
        inspector_otel.uninstall()
        inspector_instrumentation.uninstall()


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
