"""mount(): into a Starlette app and the MCP streamable-HTTP app, standalone, once per process, never raising."""

from __future__ import annotations

import importlib
import logging
import socket
import sys
import threading
import time

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from inspector_gateway import mount

mount_module = importlib.import_module("inspector_gateway.mount")  # the package attribute is the function


@pytest.fixture(autouse=True)
def _env(monkeypatch, traces_dir):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    monkeypatch.setenv("INSPECTOR_ENABLE_PATCH", "0")
    monkeypatch.setenv("MCP_TRACES_DIR", str(traces_dir))
    monkeypatch.setenv("INSPECTOR_PORT", "0")


def serve_host(app) -> tuple[uvicorn.Server, threading.Thread, int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    port = sock.getsockname()[1]
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.02)
    return server, thread, port


def test_standalone_returns_url_token_port_and_stops(caplog):
    caplog.set_level(logging.INFO, logger="inspector_gateway.mount")
    mounted = mount()
    try:
        assert mounted.error is None
        assert mounted.port
        assert mounted.port > 0
        assert len(mounted.token) == 64
        assert int(mounted.token, 16) >= 0
        assert mounted.url == f"http://127.0.0.1:{mounted.port}/_inspector/ui/?token={mounted.token}"
        assert mounted.url in caplog.text
        r = httpx.get(f"http://127.0.0.1:{mounted.port}/_inspector/sessions", params={"token": mounted.token})
        assert r.status_code == 200
        assert mount() is mounted  # a second mount changes nothing
    finally:
        mounted.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{mounted.port}/_inspector/health", timeout=2)
    mounted.stop()  # idempotent


def test_token_is_stable_across_starts_of_the_same_traces_dir(traces_dir, tmp_path, monkeypatch):
    """Issue 16: links survive a restart; another traces dir has another token; INSPECTOR_TOKEN sets it."""
    first = mount()
    first.stop()
    second = mount()
    second.stop()
    assert first.token == second.token
    assert (traces_dir / ".inspector-token").read_text().strip() == first.token
    assert (traces_dir / ".inspector-token").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("MCP_TRACES_DIR", str(tmp_path / "other"))
    other = mount()
    other.stop()
    assert other.token != first.token
    monkeypatch.setenv("INSPECTOR_TOKEN", "my-own-token-0123456789")
    chosen = mount()
    chosen.stop()
    assert chosen.token == "my-own-token-0123456789"


def test_busy_port_falls_back_to_a_free_one(monkeypatch):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    monkeypatch.setenv("INSPECTOR_PORT", str(busy.getsockname()[1]))
    mounted = mount()
    try:
        assert mounted.error is None
        assert mounted.port != busy.getsockname()[1]
        assert httpx.get(f"http://127.0.0.1:{mounted.port}/_inspector/health").status_code == 200
    finally:
        mounted.stop()
        busy.close()


def test_mount_into_a_starlette_app():
    async def home(request):
        return PlainTextResponse("user app")

    app = Starlette(routes=[Route("/", home)])
    mounted = mount(app)
    server, thread, port = serve_host(app)
    try:
        assert mounted.port is None
        assert mounted.url == f"/_inspector/ui/?token={mounted.token}"
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/").text == "user app"
        assert httpx.get(f"{base}/_inspector/health").json()["name"] == "mcp-agent-inspector"
        assert httpx.get(f"{base}/_inspector/sessions").status_code == 401
        assert httpx.get(f"{base}/_inspector/sessions", headers={"X-Inspector-Token": mounted.token}).status_code == 200
        mounted.stop()
        assert httpx.get(f"{base}/_inspector/health").status_code == 404  # removed again
        assert httpx.get(f"{base}/").text == "user app"
    finally:
        mounted.stop()
        server.should_exit = True
        thread.join(5)


def test_mount_into_the_mcp_streamable_http_app():
    from mcp.server.fastmcp import FastMCP

    mcp_server = FastMCP("gateway-test")

    @mcp_server.tool()
    def ping() -> str:
        return "pong"

    app = mcp_server.streamable_http_app()
    mounted = mount(app)
    server, thread, port = serve_host(app)
    try:
        base = f"http://127.0.0.1:{port}"
        r = httpx.get(f"{base}/_inspector/sessions", headers={"X-Inspector-Token": mounted.token})
        assert r.status_code == 200
        assert r.json() == {"sessions": [], "storage": {"state": "ok"}}
    finally:
        mounted.stop()
        server.should_exit = True
        thread.join(5)


def refuse(*args, **kwargs):
    raise OSError("no sockets today")


def test_mount_never_raises(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MCP_TRACES_DIR", str(blocker / "sub"))  # cannot exist: a file is in the way
    monkeypatch.setattr(mount_module, "_serve", refuse)
    mounted = mount()
    assert mounted.error is not None
    assert "no sockets today" in mounted.error
    assert mounted.url is None
    mounted.stop()


def test_enable_patch_zero_skips_the_instrumentation(caplog):
    import inspector_instrumentation

    caplog.set_level(logging.INFO, logger="inspector_gateway.mount")
    mounted = mount()
    try:
        assert not inspector_instrumentation.installed()
        assert "INSPECTOR_ENABLE_PATCH=0" in caplog.text
    finally:
        mounted.stop()


async def test_host_shutdown_is_not_held_up_by_open_event_streams():
    import asyncio
    import signal
    from types import SimpleNamespace

    from gateway_support import SSEReader

    app = Starlette(routes=[])
    mounted = mount(app)
    server, thread, port = serve_host(app)
    try:
        client = await SSEReader.open(SimpleNamespace(port=port, token=mounted.token))
        assert client.status == 200
        server.handle_exit(signal.SIGINT, None)  # what Ctrl-C does
        for _ in range(100):
            if not thread.is_alive():
                break
            await asyncio.sleep(0.05)
        assert not thread.is_alive()  # uvicorn did not wait for the stream
        client.close()
    finally:
        # handle_exit means "the process is exiting" to sse-starlette (used by mcp's streamable HTTP): it sets a
        # process-wide flag that would end every later sse-starlette stream of this test session; undo it
        sse_module = sys.modules.get("sse_starlette.sse")
        if sse_module is not None:
            sse_module.AppStatus.should_exit = False
        mounted.stop()
        server.should_exit = True
        thread.join(5)


async def test_hooks_fired_on_the_hosts_own_loop_reach_sse_clients():
    from types import SimpleNamespace

    from gateway_support import SSEReader, emit

    async def work(request):  # the user's agent code, running on the same loop as the gateway
        emit("session_finished", session_id="same-loop-1", status="completed", error=None)
        return PlainTextResponse("done")

    app = Starlette(routes=[Route("/work", work)])
    mounted = mount(app)
    server, thread, port = serve_host(app)
    try:
        client = await SSEReader.open(SimpleNamespace(port=port, token=mounted.token))
        async with httpx.AsyncClient() as http:
            assert (await http.get(f"http://127.0.0.1:{port}/work")).text == "done"
        ((_, event),) = await client.events(1)
        client.close()
        assert (event["type"], event["session_id"]) == ("SessionFinished", "same-loop-1")
    finally:
        mounted.stop()
        server.should_exit = True
        thread.join(5)
