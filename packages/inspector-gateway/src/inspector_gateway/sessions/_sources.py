"""Built-in session sources: trace files and the live registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio.to_thread

from inspector_gateway.types import SessionInfo

from ._tracefiles import FileSession

if TYPE_CHECKING:
    from inspector_gateway._state import GatewayState

    from ._live import LiveSession

__all__ = ["LiveSource", "TraceFileSource"]


def _row(s: FileSession | LiveSession) -> SessionInfo:
    return s.row(getattr(s, "waiting", None))


class TraceFileSource:
    """Sessions found in ``traces_dir`` (cached metadata, see ``_tracefiles``)."""

    name = "trace_files"

    def __init__(self, gateway: GatewayState) -> None:
        self.gateway = gateway

    async def list_sessions(self) -> list[SessionInfo]:
        found = await anyio.to_thread.run_sync(self.gateway.traces.sessions)
        return [_row(s) for s in found]


class LiveSource:
    """Sessions reported by the session_* hooks of this process (asyncio runs and inbound MCP requests)."""

    name = "live"

    def __init__(self, gateway: GatewayState) -> None:
        self.gateway = gateway

    async def list_sessions(self) -> list[SessionInfo]:
        return [_row(s) for s in self.gateway.live.snapshot()]
