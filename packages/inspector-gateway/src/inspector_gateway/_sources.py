"""Built-in session sources (trace files, the live registry) and the built-in file-scan search."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import anyio.to_thread
import msgspec

from ._jsonin import DECODE_ERRORS
from ._tracefiles import FileSession, trace_parts
from .types import SearchHit, SessionInfo

if TYPE_CHECKING:
    from ._live import LiveSession
    from ._state import GatewayState

__all__ = ["FileScanSearch", "LiveSource", "TraceFileSource"]

_MAX_FILES = 200
_MAX_BYTES_PER_FILE = 8 << 20


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


class _SpanText(msgspec.Struct):
    type: str = ""
    span_id: str | None = None
    name: str = ""


_decode_span = msgspec.json.Decoder(_SpanText).decode


class FileScanSearch:
    """Bounded case-insensitive substring scan of the newest trace files (the seed's "basic search is file-based")."""

    name = "file_scan"

    def __init__(self, gateway: GatewayState) -> None:
        self.gateway = gateway

    async def search(self, query: str, *, limit: int) -> list[SearchHit]:
        return await anyio.to_thread.run_sync(self._search, query, limit)

    def _search(self, query: str, limit: int) -> list[SearchHit]:
        needle = query.lower().encode()
        sessions = sorted(self.gateway.traces.sessions(), key=lambda s: s.mtime, reverse=True)[:_MAX_FILES]
        hits: list[SearchHit] = []
        for session in sessions:
            parts = trace_parts(self.gateway.settings.traces_dir, session.id)
            for line in _lines([p.path for p in parts if p.path is not None]):
                if needle not in line.lower():
                    continue
                try:
                    span = _decode_span(line)
                except DECODE_ERRORS:
                    continue
                if span.type != "span":
                    continue
                at = line.lower().find(needle)
                snippet = line[max(0, at - 60) : at + len(needle) + 60].decode("utf-8", "replace")
                hits.append({"session_id": session.id, "span_id": span.span_id, "name": span.name, "snippet": snippet})
                if len(hits) >= limit:
                    return hits
        return hits


def _lines(parts: Sequence[Path]) -> list[bytes]:
    out: list[bytes] = []
    for part in parts:
        try:
            with open(part, "rb") as fh:
                raw = fh.read(_MAX_BYTES_PER_FILE)
        except OSError:
            continue
        data = b""
        while raw:
            decomp = zlib.decompressobj(31)
            try:
                data += decomp.decompress(raw)
            except zlib.error:
                break
            raw = decomp.unused_data if decomp.eof else b""
        out.extend(data.split(b"\n"))
    return out
