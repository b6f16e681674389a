"""Helpers of the gateway tests (imported by name: conftest.py puts this folder on sys.path)."""

from __future__ import annotations

import contextlib
import json
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from inspector_gateway import InspectorSettings, create_gateway, serve

TOKEN = "a" * 64


class Live:
    """A running gateway: ``base`` URL of ``/_inspector``, ``token``, ``gateway`` state, an authorised client."""

    def __init__(self, mounted: Any) -> None:
        self.mounted = mounted
        self.gateway = mounted.gateway
        self.port = mounted.port
        self.token = mounted.token
        self.base = f"http://127.0.0.1:{mounted.port}/_inspector"
        self.headers = {"X-Inspector-Token": self.token}
        self.client = httpx.Client(base_url=self.base, headers=self.headers, timeout=10)

    def close(self) -> None:
        self.client.close()
        self.mounted.stop()


def start_gateway(traces_dir: Path, extra_plugins: tuple[object, ...] = (), **overrides: Any) -> Live:
    """A gateway on a free port; the instrumentation's plugin (session control) is among its plugins, as
    ``mount()`` makes it when the instrumentation is installed (the tests turn entry points off)."""
    import inspector_instrumentation.plugin

    settings = InspectorSettings(traces_dir=traces_dir, token=TOKEN, port=0, **overrides)
    gateway, app = create_gateway(settings, (inspector_instrumentation.plugin, *extra_plugins))
    return Live(serve(gateway, app))


@contextlib.asynccontextmanager
async def demo_stack(
    tmp_path: Path, traces_dir: Path, name: str, extra_plugins: tuple[object, ...] = ()
) -> AsyncIterator[tuple[Any, Live]]:
    """The demo's MCPApp (its human-input and elicitation callbacks) running under the installed instrumentation and
    exporter, with a gateway over ``traces_dir``; everything stopped and uninstalled at the end. Callers set
    ``INSPECTOR_PLUGINS_AUTOLOAD=0`` (monkeypatch) first."""
    from inspector_demo.humans import elicitation_callback, make_human_input_callback
    from inspector_demo.settings import demo_settings
    from mcp_agent.app import MCPApp

    import inspector_instrumentation
    import inspector_otel

    inspector_instrumentation.install()
    inspector_otel.install(traces_dir=traces_dir)
    server = start_gateway(traces_dir, extra_plugins)
    app = MCPApp(
        name=name,
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


def header(sid: str, started_at: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "session",
        "v": 1,
        "id": sid,
        "engine": extra.pop("engine", "asyncio"),
        "title": extra.pop("title", f"title of {sid}"),
        "started_at": started_at,
        "parent_session_id": extra.pop("parent_session_id", None),
        "resource": {"service.name": "tests"},
        **extra,
    }


def span(n: int, name: str = "tool.call", **attributes: Any) -> dict[str, Any]:
    return {
        "type": "span",
        "trace_id": "%032x" % (n + 1),
        "span_id": "%016x" % (n + 1),
        "parent_span_id": None,
        "name": name,
        "kind": "INTERNAL",
        "start_time": "2026-01-01T00:00:00.000000Z",
        "end_time": "2026-01-01T00:00:01.000000Z",
        "status": {"code": "OK", "message": None},
        "attributes": {"n": n, **attributes},
        "events": [],
        "links": [],
    }


def end(status: str = "completed", error: str | None = None) -> dict[str, Any]:
    return {"type": "session_end", "status": status, "ended_at": "2026-01-01T00:01:00.000000Z", "error": error}


class TraceWriter:
    """Writes a SPEC §4 file like the exporter does: one gzip member, Z_SYNC_FLUSH after each batch."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.comp = zlib.compressobj(6, zlib.DEFLATED, 31)
        self.fh = open(path, "wb")  # noqa: SIM115 - kept open while the test appends

    def write(self, *records: dict[str, Any]) -> None:
        data = b"".join(json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in records)
        self.fh.write(self.comp.compress(data) + self.comp.flush(zlib.Z_SYNC_FLUSH))
        self.fh.flush()

    def close(self) -> None:
        self.fh.write(self.comp.flush(zlib.Z_FINISH))
        self.fh.close()


def write_trace(path: Path, *records: dict[str, Any]) -> None:
    writer = TraceWriter(path)
    writer.write(*records)
    writer.close()


def emit(name: str, **kwargs: Any) -> None:
    """Emit a hook the way the instrumentation does (sync site)."""
    import inspector_hooks

    hook = inspector_hooks.hook(name)
    if hook:
        hook.emit(**kwargs)


def started(sid: str, started_at: str, **meta: Any) -> None:
    metadata = {"engine": "asyncio", "title": f"live {sid}", "started_at": started_at, "parent_session_id": None}
    metadata.update(meta)
    emit("session_started", session_id=sid, metadata=metadata)


class SSEReader:
    """Reads SSE frames from a raw asyncio socket (so a test controls exactly when it reads)."""

    def __init__(self, reader: Any, writer: Any) -> None:
        self.reader = reader
        self.writer = writer
        self.status = 0
        self.retry: int | None = None
        self.buffer = b""
        self.pending: list[tuple[int, dict[str, Any]]] = []

    @classmethod
    async def open(cls, live: Live, last_event_id: int | None = None) -> SSEReader:
        import asyncio

        reader, writer = await asyncio.open_connection("127.0.0.1", live.port)
        extra = f"Last-Event-ID: {last_event_id}\r\n" if last_event_id is not None else ""
        writer.write(
            (
                f"GET /_inspector/events?token={live.token} HTTP/1.1\r\nHost: 127.0.0.1:{live.port}\r\n"
                f"Accept: text/event-stream\r\n{extra}\r\n"
            ).encode()
        )
        await writer.drain()
        self = cls(reader, writer)
        status_line = await reader.readline()
        self.status = int(status_line.split()[1])
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        return self

    async def events(self, count: int, timeout: float = 5.0) -> list[tuple[int, dict[str, Any]]]:
        import asyncio

        async def read() -> None:
            while len(self.pending) < count:
                size_line = await self.reader.readline()
                if not size_line:
                    raise EOFError("stream closed")
                size = int(size_line.strip() or b"0", 16)
                chunk = await self.reader.readexactly(size + 2)
                self.buffer += chunk[:-2]
                while b"\n\n" in self.buffer:
                    frame, self.buffer = self.buffer.split(b"\n\n", 1)
                    event_id, data = None, None
                    for line in frame.split(b"\n"):
                        if line.startswith(b"id: "):
                            event_id = int(line[4:])
                        elif line.startswith(b"data: "):
                            data = json.loads(line[6:])
                        elif line.startswith(b"retry: "):
                            self.retry = int(line[7:])
                    if event_id is not None and data is not None:
                        self.pending.append((event_id, data))

        await asyncio.wait_for(read(), timeout)
        out, self.pending = self.pending[:count], self.pending[count:]
        return out

    def close(self) -> None:
        self.writer.close()
