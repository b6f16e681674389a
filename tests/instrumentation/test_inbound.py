"""The app served as an MCP server (streamable HTTP, real uvicorn): each inbound request is an mcp-inbound session."""

from __future__ import annotations

import asyncio
import json
import socket
from contextlib import ExitStack

import httpx
import uvicorn
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp_agent.executor.workflow import Workflow, WorkflowResult
from mcp_agent.server.app_server import create_mcp_server_for_app

from inspector_hooks.testing import capture_hook

HOOKS = ("session_started", "session_finished", "before_rpc_request", "after_rpc_response")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_inbound_request_is_a_session_and_parents_the_run_it_starts(make_app):
    app = make_app(name="inbound_app")

    @app.workflow
    class Adder(Workflow[int]):
        @app.workflow_run
        async def run(self, a: int, b: int) -> WorkflowResult[int]:
            return WorkflowResult(value=a + b)

    with ExitStack() as stack:
        calls = {name: stack.enter_context(capture_hook(name)) for name in HOOKS}
        async with app.run():
            server_app = create_mcp_server_for_app(app).streamable_http_app()
            port = _free_port()
            server = uvicorn.Server(uvicorn.Config(server_app, host="127.0.0.1", port=port, log_level="warning"))
            serving = asyncio.create_task(server.serve())
            try:
                while not server.started:
                    await asyncio.sleep(0.02)
                headers = {"X-MCP-Request-Id": "req-inbound-1"}
                async with (
                    httpx.AsyncClient(headers=headers, timeout=30) as http,
                    streamable_http_client(f"http://127.0.0.1:{port}/mcp", http_client=http) as (read, write, _),
                    ClientSession(read, write) as client,
                ):
                    await client.initialize()
                    result = await client.call_tool("workflows-Adder-run", {"run_parameters": {"a": 2, "b": 5}})
                execution = json.loads(result.content[0].text)
                for _ in range(200):
                    if any(c["session_id"] == execution["run_id"] for c in calls["session_finished"]):
                        break
                    await asyncio.sleep(0.01)
            finally:
                server.should_exit = True
                await serving

    started = {c["session_id"]: c["metadata"] for c in calls["session_started"]}
    inbound = started["req-inbound-1"]
    assert inbound["engine"] == "mcp-inbound"
    assert inbound["request_method"] == "tools/call"
    assert inbound["title"] == "workflows-Adder-run"  # issue 14: titled by the tool called, not by the method
    assert inbound["app_name"] == "inbound_app"
    assert started[execution["run_id"]]["parent_session_id"] == "req-inbound-1"
    done = {c["session_id"]: c for c in calls["session_finished"]}
    assert done["req-inbound-1"]["status"] == "completed"
    assert done[execution["run_id"]]["status"] == "completed"

    requests = [c for c in calls["before_rpc_request"] if c.get("direction") == "inbound"]
    request = next(r for r in requests if r["envelope"]["method"] == "tools/call")
    # the client sends the same header on its later tools/list: that session gets a fresh id
    later = [sid for sid, meta in started.items() if meta.get("requested_id") == "req-inbound-1"]
    assert all(sid != "req-inbound-1" for sid in later)
    assert request["transport"] == "http"
    assert request["mcp_session_id"]
    assert request["envelope"]["params"]["name"] == "workflows-Adder-run"
    assert request.session_id == "req-inbound-1"
    responses = [
        c for c in calls["after_rpc_response"] if c.get("direction") == "inbound" and c.session_id == "req-inbound-1"
    ]
    assert responses[0]["envelope"]["id"] == request["request_id"] == request["envelope"]["id"]
    assert responses[0]["duration_ms"] > 0
    assert "run_id" in responses[0]["envelope"]["result"]["content"][0]["text"]
