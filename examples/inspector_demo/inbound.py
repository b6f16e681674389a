"""Inbound MCP: the demo app served as an MCP server over streamable HTTP, and a real MCP client calling it.

mcp-agent's ``create_mcp_server_for_app`` exposes every registered workflow as ``workflows-<Name>-run``; uvicorn
serves its ``streamable_http_app()`` on 127.0.0.1 in the current event loop; mcp's own streamable-HTTP client
calls one workflow and polls ``workflows-get_status`` until the run finishes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Generator
from typing import Any

import anyio
import uvicorn
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, TextContent
from mcp_agent.app import MCPApp
from mcp_agent.server.app_server import create_mcp_server_for_app

logger = logging.getLogger(__name__)

_POLL_S = 0.25


class _ClosedStreamFilter(logging.Filter):
    """mcp logs an ERROR with a traceback each time a streamable-HTTP client hangs up (ClosedResourceError)."""

    def filter(self, record: logging.LogRecord) -> bool:
        closed = record.exc_info is not None and isinstance(record.exc_info[1], anyio.ClosedResourceError)
        return not (closed and "standalone SSE writer" in record.getMessage())


_CLOSED_STREAM_FILTER = _ClosedStreamFilter()


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves Ctrl-C to the demo (no signal handlers of its own)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class InboundServer:
    """``app`` as an MCP server at ``http://127.0.0.1:<port>/mcp``; use ``async with InboundServer(app) as url``."""

    def __init__(self, app: MCPApp, port: int = 0) -> None:
        self.app = app
        self.port = port
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> str:
        """Start serving; returns the MCP endpoint URL."""
        logging.getLogger("mcp.server.streamable_http").addFilter(_CLOSED_STREAM_FILTER)  # once: filters are a set
        mcp = create_mcp_server_for_app(self.app)
        config = uvicorn.Config(
            mcp.streamable_http_app(), host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self._server = _QuietServer(config)
        self._task = asyncio.create_task(self._server.serve())
        deadline = time.monotonic() + 10
        while not self._server.started:
            if self._task.done() or time.monotonic() > deadline:
                await self.stop()
                raise RuntimeError(f"the inbound MCP server did not start on 127.0.0.1:{self.port}")
            await asyncio.sleep(0.01)
        sockets = [s for server in self._server.servers for s in server.sockets]
        port = sockets[0].getsockname()[1] if sockets else self.port
        self.url = f"http://127.0.0.1:{port}/mcp"
        return self.url

    async def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._task, timeout=5)
        self._server = self._task = None

    async def __aenter__(self) -> str:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


async def call_workflow(url: str, workflow: str, arguments: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
    """Over MCP: run ``workflows-<workflow>-run`` and poll ``workflows-get_status`` until the run finishes."""
    async with (
        streamable_http_client(url) as (read, write, _session_id),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        started = _json(await session.call_tool(f"workflows-{workflow}-run", {"run_parameters": arguments}))
        run_id = started.get("run_id")
        deadline = time.monotonic() + timeout
        while True:
            status = _json(await session.call_tool("workflows-get_status", {"run_id": run_id}))
            if status.get("status") in ("completed", "error", "cancelled") and not status.get("running"):
                return status
            if time.monotonic() > deadline:
                raise TimeoutError(f"inbound run {run_id} did not finish in {timeout} s")
            await asyncio.sleep(_POLL_S)


def _json(result: CallToolResult) -> dict[str, Any]:
    text = "".join(c.text for c in result.content if isinstance(c, TextContent))
    if result.isError:
        raise RuntimeError(f"MCP tool error: {text}")
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}
