"""Issue 14 item 7: RPC spans of SSE and streamable-HTTP client connections carry their transport and server name:
``gen_client``'s temporary connections (whose sessions mcp-agent gives no ``server_config``) and an agent's
persistent ones (mcp-agent's connection manager)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest
import uvicorn
from inspector_demo.demo_server import build_server
from mcp_agent.agents.agent import Agent
from mcp_agent.config import MCPServerSettings
from mcp_agent.mcp.gen_client import gen_client

from .conftest import spans_of, use_tracer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def web_servers() -> Iterator[dict[str, str]]:
    """The demo MCP server over streamable HTTP and over SSE, in a thread (its own loop)."""
    server = build_server()
    apps = {"streamable_http": (server.streamable_http_app(), "/mcp"), "sse": (server.sse_app(), "/sse")}
    urls: dict[str, str] = {}
    servers: list[uvicorn.Server] = []
    for kind, (app, path) in apps.items():
        port = _free_port()
        web = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="on"))
        servers.append(web)
        urls[kind] = f"http://127.0.0.1:{port}{path}"
    threads = [threading.Thread(target=lambda w=w: asyncio.run(w.serve()), daemon=True) for w in servers]
    for t in threads:
        t.start()
    for w in servers:
        for _ in range(500):
            if w.started:
                break
            threading.Event().wait(0.01)
    yield urls
    for w in servers:
        w.should_exit = True
    for t in threads:
        t.join(timeout=10)


@pytest.mark.filterwarnings("ignore:Use `streamable_http_client` instead:DeprecationWarning")  # mcp-agent 0.2.6's call
async def test_rpc_spans_of_web_transports_name_their_transport_and_server(
    make_app, inspector, traces_dir, web_servers, tracer_provider
):
    app = make_app(name="web_clients")
    app._config.mcp.servers["web"] = MCPServerSettings(transport="streamable_http", url=web_servers["streamable_http"])
    app._config.mcp.servers["events"] = MCPServerSettings(transport="sse", url=web_servers["sse"])
    async with app.run() as running:
        use_tracer(tracer_provider, running)  # the RPC attributes go on mcp-agent's own send_request spans
        for name in ("web", "events"):
            async with gen_client(name, running.context.server_registry, context=running.context) as client:
                result = await client.call_tool("add", {"a": 2, "b": 3})
                assert result.content[0].text == "5"
        session_id = running.session_id
    inspector.force_flush()
    rpc = [
        s["attributes"]
        for s in spans_of(traces_dir, session_id)
        if s["attributes"].get("mcp.rpc.method") == "tools/call"
    ]
    by_server = {a.get("mcp.rpc.server_name"): a.get("mcp.rpc.transport") for a in rpc}
    assert by_server == {"web": "streamable_http", "events": "sse"}


@pytest.mark.filterwarnings("ignore:Use `streamable_http_client` instead:DeprecationWarning")  # mcp-agent 0.2.6's call
async def test_an_agents_persistent_web_connections_name_their_transport_and_server(
    make_app, inspector, traces_dir, web_servers, tracer_provider
):
    """An agent keeps its servers connected (mcp-agent's connection manager): every RPC on those connections, from
    the handshake to the tool calls, names its transport and server."""
    app = make_app(name="persistent_web_clients")
    app._config.mcp.servers["web"] = MCPServerSettings(transport="streamable_http", url=web_servers["streamable_http"])
    app._config.mcp.servers["events"] = MCPServerSettings(transport="sse", url=web_servers["sse"])
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        agent = Agent(name="web_user", server_names=["web", "events"], connection_persistence=True)
        async with agent:
            for name in ("web", "events"):
                result = await agent.call_tool(f"{name}_add", {"a": 2, "b": 3})
                assert result.content[0].text == "5"
            manager = running.context._mcp_connection_manager  # the aggregator's shared, persistent connections
            assert set(manager.running_servers) >= {"web", "events"}
        session_id = running.session_id
    inspector.force_flush()
    rpc = [
        s["attributes"]
        for s in spans_of(traces_dir, session_id)
        if s["attributes"].get("mcp.rpc.method") in ("initialize", "tools/list", "tools/call")
    ]
    seen = {(a["mcp.rpc.method"], a.get("mcp.rpc.server_name"), a.get("mcp.rpc.transport")) for a in rpc}
    assert seen == {
        (method, server, transport)
        for method in ("initialize", "tools/list", "tools/call")
        for server, transport in (("web", "streamable_http"), ("events", "sse"))
    }
