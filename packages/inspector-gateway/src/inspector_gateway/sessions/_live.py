"""The live side: hook subscribers that keep a session registry and turn hooks into SSE events.

Every subscriber is cheap (a dict update and an ``EventHub.publish`` under a lock) and thread-safe: hooks may fire
on any thread or loop. Session ids come from the hooks' ``session_id`` kwarg, or from ``inspector_hooks.context``
for the llm/tool hooks (they run in the emitter's context).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from inspector_gateway._settings import KEEP_FINISHED
from inspector_gateway.events.sse import EventHub
from inspector_gateway.sessions._usage import usage_of_summary
from inspector_hooks import tracefile

from ._storage import StorageState
from ._summary import SessionSummary

__all__ = ["LiveSession", "LiveSessions"]

logger = logging.getLogger(__name__)

_INTERNAL_SIGNALS = frozenset({"cancel"})


@dataclass
class LiveSession(SessionSummary):
    """A session seen through the session_* hooks of this process."""

    waiting: dict[str, Any] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Counters:
    llm: int = 0
    tool: int = 0
    tokens: int = 0
    spans: int = 0
    dirty: bool = False
    last_flush: float = 0.0


def _field(source: Any, key: str) -> Any:
    return source.get(key) if isinstance(source, dict) else getattr(source, key, None)


def _tokens(usage: Any, response: Any) -> int:
    for source in (usage, getattr(response, "usage", None)):
        if source is None:
            continue
        total = _field(source, "total_tokens")
        if isinstance(total, int):
            return total
        parts = [_field(source, k) for k in ("input_tokens", "output_tokens", "prompt_tokens", "completion_tokens")]
        found = [p for p in parts if isinstance(p, int)]
        if found:
            return sum(found)
    return 0


class LiveSessions:
    """Registry of live sessions plus the hook → event translation. ``subscribe()`` connects it to the bus."""

    def __init__(self, hub: EventHub, *, heartbeat_interval: float = 2.0, keep_finished: int = KEEP_FINISHED) -> None:
        self.hub = hub
        self.heartbeat_interval = heartbeat_interval
        self.keep_finished = keep_finished
        self._lock = threading.Lock()
        self._sessions: dict[str, LiveSession] = {}
        self._counters: dict[str, _Counters] = {}
        self._on_change: list[Callable[[str], None]] = []
        self._subscribed: list[tuple[str, Callable[..., Any]]] = []
        self.storage = StorageState()

    # -- wiring -------------------------------------------------------------------------------------------------
    def on_change(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(session_id)`` when a session's file may have changed (used to invalidate caches)."""
        self._on_change.append(callback)

    def subscribe(self) -> None:
        """Register the subscribers on the inspector_hooks bus (idempotent)."""
        import inspector_hooks

        if self._subscribed:
            return
        table: dict[str, Callable[..., Any]] = {
            "session_started": self.on_session_started,
            "session_paused": self.on_session_paused,
            "session_resumed": self.on_session_resumed,
            "session_finished": self.on_session_finished,
            "span_started": self.on_span_started,
            "span_ended": self.on_span_ended,
            "storage_error": self.on_storage_error,
            "storage_recovered": self.on_storage_recovered,
            "after_llm_generate": self.on_after_llm_generate,
            "after_tool_call": self.on_after_tool_call,
            "error_tool_call": self.on_after_tool_call,
        }
        for name, fn in table.items():
            inspector_hooks.register(name, fn)
            self._subscribed.append((name, fn))

    def unsubscribe(self) -> None:
        import inspector_hooks

        for name, fn in self._subscribed:
            inspector_hooks.unregister(name, fn)
        self._subscribed.clear()

    # -- queries ------------------------------------------------------------------------------------------------
    def snapshot(self) -> list[LiveSession]:
        with self._lock:
            return [LiveSession(**vars(s)) for s in self._sessions.values()]

    def get(self, session_id: str) -> LiveSession | None:
        with self._lock:
            found = self._sessions.get(session_id)
            return LiveSession(**vars(found)) if found else None

    # -- session hooks ------------------------------------------------------------------------------------------
    def on_session_started(
        self, session_id: str | None = None, metadata: dict[str, Any] | None = None, **_: Any
    ) -> None:
        if not session_id:
            return
        meta = dict(metadata or {})
        session = LiveSession(
            id=session_id,
            engine=str(meta.get("engine") or "asyncio"),
            title=str(meta.get("title") or session_id),
            started_at=str(meta.get("started_at") or tracefile.utc_now()),
            parent_session_id=meta.get("parent_session_id"),
            metadata=meta,
        )
        with self._lock:
            self._sessions[session_id] = session
            self._counters[session_id] = _Counters(last_flush=time.monotonic())
            self._trim()
        self.hub.publish(
            {
                "type": "SessionStarted",
                "session_id": session_id,
                "engine": session.engine,
                "title": session.title,
                "start_time": session.started_at,
                "parent_session_id": session.parent_session_id,
                "metadata": {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool)) or v is None},
            }
        )
        self._changed(session_id)

    def on_session_paused(
        self,
        session_id: str | None = None,
        signal_name: str | None = None,
        prompt: str | None = None,
        schema: dict[str, Any] | None = None,
        **_: Any,
    ) -> None:
        if not session_id or signal_name in _INTERNAL_SIGNALS:
            return
        self.flush(session_id)
        waiting = {"signal_name": signal_name, "prompt": prompt, "schema": schema}
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:  # started before this gateway subscribed: track it from now on
                session = self._sessions[session_id] = LiveSession(id=session_id, title="")
            session.status, session.waiting = "paused", waiting
        self.hub.publish({"type": "WaitingOnSignal", "session_id": session_id, **waiting})

    def on_session_resumed(
        self, session_id: str | None = None, signal_name: str | None = None, payload: Any = None, **_: Any
    ) -> None:
        if not session_id or signal_name in _INTERNAL_SIGNALS:
            return
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None:
                if session.status != "paused":
                    return  # already reported (the hook and the API both report a resume; publish it once)
                session.status, session.waiting = "running", None
        self.hub.publish({"type": "SignalReceived", "session_id": session_id, "signal_name": signal_name})

    def on_session_finished(
        self, session_id: str | None = None, status: str | None = None, error: str | None = None, **_: Any
    ) -> None:
        if not session_id:
            return
        self.flush(session_id)
        final = status if status in {"completed", "failed", "cancelled"} else "completed"
        ended = tracefile.utc_now()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None:
                session.status, session.ended_at, session.error, session.waiting = final, ended, error, None
            self._counters.pop(session_id, None)
        event: dict[str, Any] = {"type": "SessionFinished", "session_id": session_id, "status": final}
        event["end_time"] = ended
        if error:
            event["error"] = str(error)
        self.hub.publish(event)
        self._changed(session_id)

    # -- spans and storage --------------------------------------------------------------------------------------
    def on_span_started(self, session_id: str | None = None, span: dict[str, Any] | None = None, **_: Any) -> None:
        if session_id:
            self.hub.publish({"type": "SpanStarted", "session_id": session_id, "span": dict(span or {})})

    def on_span_ended(self, session_id: str | None = None, span: dict[str, Any] | None = None, **_: Any) -> None:
        if not session_id:
            return
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None:
                session.span_count += 1
                if span and "usage" in span:
                    if session.usage is None:
                        session.usage = {}
                    usage_of_summary(session.usage, span)
            counters = self._counters.get(session_id)
            if counters is not None:
                counters.spans += 1
        self.hub.publish({"type": "SpanEnded", "session_id": session_id, "span": dict(span or {})})
        self._changed(session_id)

    def on_storage_error(self, path: Any = None, message: str | None = None, exc: Any = None, **_: Any) -> None:
        text = message or (repr(exc) if exc is not None else "storage error")
        self.storage.failed(str(path) if path else None, text)
        self.hub.publish({"type": "StorageError", "path": str(path) if path else None, "message": text})

    def on_storage_recovered(self, path: Any = None, **_: Any) -> None:
        self.storage.recovered()
        self.hub.publish({"type": "StorageRecovered", "path": str(path) if path else None})

    # -- heartbeat counters -------------------------------------------------------------------------------------
    def on_after_llm_generate(self, usage: Any = None, response: Any = None, **kw: Any) -> None:
        self._count(kw.get("session_id"), llm=1, tokens=_tokens(usage, response))

    def on_after_tool_call(self, **kw: Any) -> None:
        self._count(kw.get("session_id"), tool=1)

    def _count(self, session_id: Any, *, llm: int = 0, tool: int = 0, tokens: int = 0) -> None:
        import inspector_hooks

        sid = session_id if isinstance(session_id, str) else inspector_hooks.context.get()
        if not sid:
            return
        with self._lock:
            counters = self._counters.get(sid)
            if counters is None:
                return
            counters.llm += llm
            counters.tool += tool
            counters.tokens += tokens
            counters.dirty = True
            due = time.monotonic() - counters.last_flush >= self.heartbeat_interval
        if due:
            self.flush(sid)

    def flush(self, session_id: str | None = None) -> None:
        """Publish a Heartbeat with the deltas since the last one, for one session or every session with deltas."""
        events = []
        now = time.monotonic()
        with self._lock:
            ids = [session_id] if session_id else list(self._counters)
            for sid in ids:
                counters = self._counters.get(sid)
                if counters is None or not counters.dirty:
                    continue
                session = self._sessions.get(sid)
                events.append(
                    {
                        "type": "Heartbeat",
                        "session_id": sid,
                        "llm_calls_delta": counters.llm,
                        "tool_calls_delta": counters.tool,
                        "tokens_delta": counters.tokens,
                        "current_span_count": session.span_count if session else counters.spans,
                    }
                )
                counters.llm = counters.tool = counters.tokens = 0
                counters.dirty, counters.last_flush = False, now
        for event in events:
            self.hub.publish(event)

    def tick(self) -> None:
        """Flush heartbeats that are due (called periodically by the SSE endpoint)."""
        now = time.monotonic()
        with self._lock:
            due = [s for s, c in self._counters.items() if c.dirty and now - c.last_flush >= self.heartbeat_interval]
        for sid in due:
            self.flush(sid)

    def _changed(self, session_id: str) -> None:
        for callback in self._on_change:
            try:
                callback(session_id)
            except Exception:
                logger.debug("change callback failed", exc_info=True)

    def _trim(self) -> None:
        finished = [s for s in self._sessions.values() if s.status in {"completed", "failed", "cancelled"}]
        for session in finished[: max(0, len(finished) - self.keep_finished)]:
            del self._sessions[session.id]
