"""Server-sent events: a thread-safe event hub with a replay ring, bounded per-client queues, and the ASGI endpoint.

``EventHub.publish`` may be called from any thread: it numbers the event, keeps its encoded frame in a ring of the
last ``ring_size`` events, and hands the frame to each client's loop with ``call_soon_threadsafe``. A client whose
queue is full is dropped (its connection closed; it reconnects with ``Last-Event-ID`` and the ring fills the gap),
so a slow reader never slows the agent or the other clients.

Frames carry ``id:`` (monotonic per hub) and ``data:`` (the event JSON, whose ``type`` names the event); no
``event:`` line, so ``EventSource.onmessage`` sees every event. ``retry: 2000`` is sent once per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

import anyio
import msgspec
from starlette.types import Receive, Scope, Send

from inspector_gateway._responses import error_response, fallback
from inspector_hooks import tracefile

__all__ = ["EventHub", "EventStreamEndpoint", "encode_frame"]

logger = logging.getLogger(__name__)

_encoder = msgspec.json.Encoder(enc_hook=fallback)
EventListener = Callable[[dict[str, Any]], None]


def encode_frame(event_id: int, event: dict[str, Any]) -> bytes:
    """One SSE frame: ``id:`` and a single ``data:`` line (JSON never contains a raw newline)."""
    return b"id: %d\ndata: %s\n\n" % (event_id, _encoder.encode(event))


class _Client:
    """One connected stream: frames waiting to be sent, and ``gone`` once it must end (too slow, disconnected,
    server shutdown). Touched only on its loop's thread."""

    __slots__ = ("ended", "frames", "gone", "loop", "size", "thread", "wake")

    def __init__(self, loop: asyncio.AbstractEventLoop, size: int) -> None:
        self.thread = threading.get_ident()  # created on the loop's own thread
        self.loop = loop
        self.size = size
        self.frames: deque[bytes] = deque()
        self.gone = False
        self.wake = asyncio.Event()
        self.ended = asyncio.Event()

    def put(self, frame: bytes) -> None:
        """Queue ``frame`` (on the client's loop); a full queue drops the client."""
        if self.gone:
            return
        if len(self.frames) >= self.size:
            logger.info("SSE client too slow (%d frames queued): dropped", len(self.frames))
            self.close()
            return
        self.frames.append(frame)
        self.wake.set()

    def close(self) -> None:
        """End this stream (on the client's loop)."""
        self.gone = True
        self.wake.set()
        self.ended.set()

    async def take(self) -> list[bytes]:
        """Every queued frame, waiting until there is one; empty once the stream must end."""
        while not self.frames and not self.gone:
            self.wake.clear()
            await self.wake.wait()
        if self.gone:
            return []
        frames = list(self.frames)
        self.frames.clear()
        return frames


class EventHub:
    """Numbers, records and fans out events; safe to call from any thread."""

    def __init__(self, *, ring_size: int = 1000, max_clients: int = 100, queue_size: int = 1000) -> None:
        self.max_clients = max_clients
        self.queue_size = queue_size
        self._lock = threading.Lock()
        self._next_id = 0
        self._ring: deque[tuple[int, bytes]] = deque(maxlen=ring_size)
        self._clients: set[_Client] = set()
        self._by_loop: dict[asyncio.AbstractEventLoop, tuple[int, tuple[_Client, ...]]] = {}
        self._listeners: tuple[EventListener, ...] = ()

    @property
    def last_id(self) -> int:
        return self._next_id

    @property
    def client_count(self) -> int:
        return len(self._clients)

    def add_listeners(self, listeners: Iterable[EventListener]) -> None:
        """Also call these (plugin) listeners with every published event; their failures are logged."""
        with self._lock:
            self._listeners = (*self._listeners, *listeners)

    def publish(self, event: dict[str, Any]) -> int:
        """Record and fan out ``event`` (it gets ``event_id`` and ``timestamp``); return its id."""
        event.setdefault("timestamp", tracefile.utc_now())
        with self._lock:
            self._next_id += 1
            event_id = event["event_id"] = self._next_id
            frame = encode_frame(event_id, event)
            self._ring.append((event_id, frame))
            here = threading.get_ident()
            for loop, (thread, clients) in list(self._by_loop.items()):
                try:  # one callback per loop (usually one), not one per client; no wake-up needed from its own thread
                    if thread == here:
                        loop.call_soon(_deliver, clients, frame)
                    else:
                        loop.call_soon_threadsafe(_deliver, clients, frame)
                except RuntimeError:  # that loop is closed: its clients are gone
                    self._forget_loop(loop)
            listeners = self._listeners
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                logger.warning("event listener %r raised; ignored", listener, exc_info=True)
        return event_id

    def subscribe(self, last_event_id: int | None) -> tuple[_Client, list[bytes]] | None:
        """Register a client on the running loop; return it with the frames to replay, or None when full."""
        client = _Client(asyncio.get_running_loop(), self.queue_size)
        with self._lock:
            if len(self._clients) >= self.max_clients:
                return None
            replay: list[bytes] = []
            if last_event_id is not None:
                start = 0 if last_event_id > self._next_id else last_event_id
                replay = [frame for event_id, frame in self._ring if event_id > start]
            self._clients.add(client)
            self._regroup()
        return client, replay

    def unsubscribe(self, client: _Client) -> None:
        with self._lock:
            self._clients.discard(client)
            self._regroup()

    def close_all(self) -> None:
        """End every open stream cleanly (server shutdown); clients reconnect with ``Last-Event-ID``."""
        with self._lock:
            clients = tuple(self._clients)
        for client in clients:
            with contextlib.suppress(RuntimeError):  # its loop is already closed
                client.loop.call_soon_threadsafe(client.close)

    def _regroup(self) -> None:
        groups: dict[asyncio.AbstractEventLoop, list[_Client]] = {}
        for client in self._clients:
            groups.setdefault(client.loop, []).append(client)
        self._by_loop = {loop: (clients[0].thread, tuple(clients)) for loop, clients in groups.items()}

    def _forget_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        self._clients = {c for c in self._clients if c.loop is not loop}
        self._regroup()


def _deliver(clients: tuple[_Client, ...], frame: bytes) -> None:
    for client in clients:
        client.put(frame)


def _last_event_id(scope: Scope) -> int | None:
    raw: str | None = None
    for key, val in scope.get("headers", ()):
        if key == b"last-event-id":
            raw = bytes(val).decode("latin-1")
    if raw is None:
        from urllib.parse import parse_qs

        values = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1")).get("last_event_id")
        raw = values[0] if values else None
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if value >= 0 else None


class EventStreamEndpoint:
    """ASGI endpoint of ``GET /events``."""

    def __init__(self, hub: EventHub, *, keepalive: float = 15.0, on_tick: Callable[[], None] | None = None) -> None:
        self.hub = hub
        self.keepalive = keepalive
        self.on_tick = on_tick

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        subscribed = self.hub.subscribe(_last_event_id(scope))
        if subscribed is None:
            response = error_response(503, "too_many_clients", f"at most {self.hub.max_clients} SSE clients")
            await response(scope, receive, send)
            return
        client, replay = subscribed
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/event-stream; charset=utf-8"),
                        (b"cache-control", b"no-cache"),
                        (b"x-accel-buffering", b"no"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b"retry: 2000\n\n" + b"".join(replay), "more_body": True})
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(_watch_disconnect, client, receive)
                tasks.start_soon(self._pump, client, send)
                await client.ended.wait()  # disconnected, too slow or shutting down: a send may be blocked, cancel it
                tasks.cancel_scope.cancel()
            with anyio.move_on_after(0.05):  # ended by us (slow, shutdown): end the chunked body cleanly
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:
            pass  # the peer went away while we wrote
        finally:
            self.hub.unsubscribe(client)

    async def _pump(self, client: _Client, send: Send) -> None:
        """Send frames (a comment line every ``keepalive`` seconds of silence) until the client is gone.

        anyio's cancel scopes, not ``asyncio.wait_for``: on Python < 3.12 ``wait_for`` can swallow a cancellation
        when its inner wait finishes at the same moment, which left streams of closed connections running for good.
        """
        try:
            while True:
                frames: list[bytes] = []
                with anyio.move_on_after(self.keepalive) as waited:
                    frames = await client.take()
                if waited.cancelled_caught:
                    frames = [b": keep-alive\n\n"]
                    if self.on_tick is not None:
                        self.on_tick()
                elif not frames:
                    return  # gone
                await send({"type": "http.response.body", "body": b"".join(frames), "more_body": True})
        except OSError:
            client.close()  # the peer went away while we wrote


async def _watch_disconnect(client: _Client, receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    client.close()
