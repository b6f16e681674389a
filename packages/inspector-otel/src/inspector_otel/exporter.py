"""The SpanProcessor that writes every span to its session's gzipped JSONL trace file (SPEC §4).

Usage (``install()`` does this for you)::

    from inspector_otel.exporter import TraceFileProcessor
    processor = TraceFileProcessor("~/.mcp_traces")
    provider.add_span_processor(processor.link())   # any number of providers may share one processor
    ...
    processor.shutdown()

``on_start`` picks the span's session (``_span_sessions``: the one bound in ``inspector_hooks.context``, else its
parent's; a span with neither waits for a child that has one, else at its end takes the resource's ``session.id``
or the fallback session ``FALLBACK_SESSION_PREFIX + pid``), stamps ``session.id``, queues a ``span_start`` record
and emits the ``span_started`` hook. ``on_end`` queues the ``span`` record and emits ``span_ended``. A background
thread writes the files (``_writer.py``). The processor records; its collaborators each keep one thing:

- ``SessionBook`` (``_session_book``): valid session ids, parents, finished sessions;
- ``SpanSessions`` (``_span_sessions``): the session of each open span;
- ``StorageHooks`` (``_storage_hooks``): ``storage_error``/``storage_recovered`` emitted on the event loop that
  last started a span, else from the writer's thread;
- ``_span_summary``: what the span hooks carry.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor

from inspector_hooks import hooks, tracefile

from ._attrs import put
from ._files import IDLE_CLOSE_SECONDS, MAX_FILE_BYTES, MAX_OPEN_FILES
from ._session_book import SessionBook
from ._span_sessions import SpanSessions
from ._span_summary import ended_summary, started_summary
from ._storage_hooks import StorageHooks
from ._writer import END, MARK, SESSION, TraceWriter

__all__ = ["FALLBACK_SESSION_PREFIX", "TraceFileProcessor", "default_idle_close", "default_traces_dir"]

logger = logging.getLogger(__name__)

FALLBACK_SESSION_PREFIX = "unscoped-"


def default_traces_dir() -> Path:
    """``MCP_TRACES_DIR`` or ``~/.mcp_traces``."""
    return Path(os.environ.get("MCP_TRACES_DIR") or "~/.mcp_traces").expanduser()


def default_idle_close() -> float | None:
    """Seconds after which a part nothing was written to is closed: ``INSPECTOR_PART_IDLE_CLOSE`` (``0`` or
    ``off``: never, only the open-file cap closes parts), else 60. A value that is not a number is the default."""
    raw = os.environ.get("INSPECTOR_PART_IDLE_CLOSE", "").strip().lower()
    if raw in ("off", "none", "never"):
        return None
    try:
        seconds = float(raw) if raw else IDLE_CLOSE_SECONDS
    except ValueError:
        return IDLE_CLOSE_SECONDS
    if seconds == 0:
        return None
    return seconds if 0 < seconds < float("inf") else IDLE_CLOSE_SECONDS


class TraceFileProcessor(SpanProcessor):
    """Writes spans and session records to ``{traces_dir}/{session_id}.jsonl.gz``."""

    def __init__(
        self,
        traces_dir: str | os.PathLike[str] | None = None,
        *,
        compress_level: int = 1,
        max_file_bytes: int = MAX_FILE_BYTES,
        max_open_files: int = MAX_OPEN_FILES,
        idle_close: float | None = -1.0,
        linger: float = 0.2,
        retry_interval: float = 1.0,
        end_grace: float = 0.5,
        max_buffer_bytes: int = 64 * 1024 * 1024,
        sessions: SessionBook | None = None,
        span_sessions: SpanSessions | None = None,
        storage_hooks: StorageHooks | None = None,
    ) -> None:
        """The collaborators (each made here when not given): ``sessions`` keeps the valid, live and finished
        sessions; ``span_sessions`` (built on that book) says which session a span belongs to; ``storage_hooks``
        reports storage failures and recoveries on the app's loop. The processor itself only records.

        ``idle_close``: seconds after which a part nothing was written to is closed (None: never; the default,
        negative: ``default_idle_close()``)."""
        self.traces_dir = Path(traces_dir).expanduser() if traces_dir is not None else default_traces_dir()
        self.sessions = sessions if sessions is not None else SessionBook()
        self.span_sessions = (
            span_sessions
            if span_sessions is not None
            else SpanSessions(self.sessions, f"{FALLBACK_SESSION_PREFIX}{os.getpid()}")
        )
        self.storage_hooks = storage_hooks if storage_hooks is not None else StorageHooks()
        self._closed = False
        #: called as ``adopt(session_id, span)`` when a span starts, before it is recorded (see ``_spans.OpenSpans``)
        self.adopt: Callable[[str, Span], None] | None = None
        #: when it returns True nothing that starts now is recorded (a Temporal worker replaying history: its
        #: spans and pauses were written when that part of the run first ran); set by ``inspector_temporal``
        self.suppress: Callable[[], bool] | None = None
        self._suppressed: set[int] = set()  # span ids started while suppressed (their end is not recorded either)
        self.writer = TraceWriter(
            self.traces_dir,
            level=compress_level,
            max_bytes=max_file_bytes,
            max_open=max_open_files,
            idle_close=default_idle_close() if idle_close is not None and idle_close < 0 else idle_close,
            linger=linger,
            retry_interval=retry_interval,
            end_grace=end_grace,
            max_buffer_bytes=max_buffer_bytes,
            on_error=self.storage_hooks.error,
            on_recovered=self.storage_hooks.recovered,
        )
        self.writer.busy = self.span_sessions.has_open_spans

    @property
    def fallback_session_id(self) -> str:
        """The session of spans that end with none (``FALLBACK_SESSION_PREFIX + pid``)."""
        return self.span_sessions.fallback_session_id

    @property
    def _loop(self) -> asyncio.AbstractEventLoop | None:
        # read and restored by inspector_temporal._record around calls from a workflow's deterministic loop
        return self.storage_hooks.loop

    @_loop.setter
    def _loop(self, loop: asyncio.AbstractEventLoop | None) -> None:
        self.storage_hooks.loop = loop

    def set_resource(self, attributes: dict[str, Any]) -> None:
        """The ``resource`` of session headers written before any span of the session is seen."""
        self.writer.resource = dict(attributes)

    # ---- session records ----------------------------------------------------------------------------------------
    def session_started(self, session_id: str, metadata: dict[str, Any] | None) -> None:
        """Open the session's file with its header (engine, title, started_at, parent_session_id)."""
        if self._closed or not tracefile.valid_session_id(session_id):
            return
        meta = dict(metadata or {})
        meta.setdefault("started_at", tracefile.utc_now())
        self.sessions.started(session_id, meta.get("parent_session_id"))
        self.storage_hooks.remember_loop()
        self.writer.put(SESSION, session_id, meta)

    def session_finished(self, session_id: str, status: str | None, error: str | None) -> None:
        """Queue the ``session_end`` record (written last, after a short grace for late spans)."""
        if self._closed or not tracefile.valid_session_id(session_id):
            return
        self.sessions.finished(session_id)
        self.writer.put(END, session_id, tracefile.session_end_record(str(status or "completed"), error))

    def session_paused(self, session_id: str, signal_name: str | None, prompt: str | None, schema: Any = None) -> None:
        """Queue a ``session_paused`` record: readers of the file (a gateway in another process) see the wait."""
        if self._closed or not tracefile.valid_session_id(session_id) or self._suppressing():
            return
        self.writer.put(MARK, session_id, tracefile.session_paused_record(signal_name, prompt, schema))

    def session_resumed(
        self, session_id: str, signal_name: str | None, answer: Any = None, action: str | None = None
    ) -> None:
        """Queue a ``session_resumed`` record (the wait is over; ``answer`` JSON-ready, what ended it)."""
        if self._closed or not tracefile.valid_session_id(session_id) or self._suppressing():
            return
        self.writer.put(MARK, session_id, tracefile.session_resumed_record(signal_name, answer, action))

    def session_for_span(self, span: ReadableSpan) -> str:
        """The session of a span that ends without one (see ``SpanSessions.at_end``)."""
        return self.span_sessions.at_end(span)

    def _suppressing(self) -> bool:
        suppress = self.suppress
        if suppress is None:
            return False
        try:
            return bool(suppress())
        except Exception:
            return False

    # ---- SpanProcessor ----------------------------------------------------------------------------------------
    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        if self._closed:
            return
        try:
            ctx = span.context
            if ctx is None:
                return
            if self.suppress is not None and self._suppressing():
                self._suppressed.add(ctx.span_id)
                return
            parent = span.parent
            span_sessions = self.span_sessions
            sid = span_sessions.at_start(parent.span_id if parent is not None else None)
            if sid is None:
                # no session yet (e.g. MCPApp.run's own span opens before its session is bound): decided when a
                # child starts in a session (its span_start is written then), else at its end
                span_sessions.wait(ctx.span_id, parent.span_id if parent is not None else None, span)
                return
            if self.adopt is not None:
                self.adopt(sid, span)
                parent = span.parent  # adopt may re-parent it
            put(span, "session.id", sid)  # straight into a live SDK span's attributes
            for ancestor in span_sessions.join(ctx.span_id, parent.span_id if parent is not None else None, sid):
                put(ancestor, "session.id", sid)  # an ancestor without a session joins this one: span_start now
                self._started(sid, ancestor)
            self._started(sid, span)
        except Exception:
            logger.exception("inspector on_start failed; span not recorded")

    def _started(self, sid: str, span: ReadableSpan) -> None:
        self.writer.put_start(sid, span)
        if hooks.span_started:
            self.storage_hooks.remember_loop()
            hooks.span_started.emit(session_id=sid, span=started_summary(span))

    def on_end(self, span: ReadableSpan) -> None:
        if self._closed:
            return
        try:
            ctx = span.context
            if ctx is None:
                return
            span_id = ctx.span_id
            if self._suppressed and span_id in self._suppressed:
                self._suppressed.discard(span_id)
                return
            sid = self.span_sessions.ended(span_id)
            if sid is None:
                # never started in a session (or never seen starting): its session is decided now, and its span
                # record is its first line, so no span_start is written
                sid = self.span_sessions.at_end(span)
                if hooks.span_started:
                    hooks.span_started.emit(session_id=sid, span=started_summary(span))
            self.writer.put_span(sid, span)
            if hooks.span_ended:
                hooks.span_ended.emit(session_id=sid, span=ended_summary(span))
        except Exception:
            logger.exception("inspector on_end failed; span not recorded")

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        if self._closed:
            return True
        return self.writer.flush(timeout_millis / 1000)

    def shutdown(self) -> None:
        """Write everything and finish every file; later spans are ignored."""
        if self._closed:
            return
        if self.span_sessions.fallback_used:  # the process-level fallback session ends with the process
            self.writer.put(END, self.fallback_session_id, tracefile.session_end_record("completed", None))
        self._closed = True
        self.writer.stop()

    def link(self) -> SpanProcessor:
        """A processor for one more TracerProvider: forwards spans here; its shutdown only flushes."""
        return _ProviderLink(self)


class _ProviderLink(SpanProcessor):
    def __init__(self, target: TraceFileProcessor) -> None:
        self.target = target
        # called for every span: the provider calls the shared processor's methods directly, without a frame of ours
        self.on_start = target.on_start  # type: ignore[method-assign]
        self.on_end = target.on_end  # type: ignore[method-assign]

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.target.force_flush(timeout_millis)

    def shutdown(self) -> None:
        # a provider shutting down (mcp-agent's app cleanup) must not close the shared files, nor cut the grace
        # that lets the spans still ending (the app's own span) land before their session_end
        if not self.target._closed:
            self.target.writer.flush(5.0, ends=False)
