"""The SpanProcessor that writes every span to its session's gzipped JSONL trace file (SPEC §4).

Usage (``install()`` does this for you)::

    from inspector_otel.exporter import TraceFileProcessor
    processor = TraceFileProcessor("~/.mcp_traces")
    provider.add_span_processor(processor.link())   # any number of providers may share one processor
    ...
    processor.shutdown()

``on_start`` picks the span's session (the one bound in ``inspector_hooks.context``, else its parent's; a span
with neither waits for a child that has one, else at its end takes the resource's ``session.id`` or the fallback
session ``FALLBACK_SESSION_PREFIX + pid``), stamps ``session.id``, queues a ``span_start`` record and emits the
``span_started`` hook. ``on_end`` queues the ``span`` record and emits ``span_ended``. A background thread writes
the files (``_writer.py``); hooks about storage (``storage_error``/``storage_recovered``) are emitted on the event
loop that last started a span, else from that thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import StatusCode

from inspector_hooks import context as session_context
from inspector_hooks import hooks, tracefile

from ._attrs import put
from ._files import MAX_FILE_BYTES, MAX_OPEN_FILES
from ._jsonl import iso_ns, span_ids
from ._writer import END, MARK, SESSION, TraceWriter

__all__ = ["FALLBACK_SESSION_PREFIX", "TraceFileProcessor", "default_traces_dir"]

logger = logging.getLogger(__name__)

FALLBACK_SESSION_PREFIX = "unscoped-"


def default_traces_dir() -> Path:
    """``MCP_TRACES_DIR`` or ``~/.mcp_traces``."""
    return Path(os.environ.get("MCP_TRACES_DIR") or "~/.mcp_traces").expanduser()


class TraceFileProcessor(SpanProcessor):
    """Writes spans and session records to ``{traces_dir}/{session_id}.jsonl.gz``."""

    def __init__(
        self,
        traces_dir: str | os.PathLike[str] | None = None,
        *,
        compress_level: int = 1,
        max_file_bytes: int = MAX_FILE_BYTES,
        max_open_files: int = MAX_OPEN_FILES,
        linger: float = 0.2,
        retry_interval: float = 1.0,
        end_grace: float = 0.5,
        max_buffer_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        self.traces_dir = Path(traces_dir).expanduser() if traces_dir is not None else default_traces_dir()
        self.fallback_session_id = f"{FALLBACK_SESSION_PREFIX}{os.getpid()}"
        self._sessions: dict[int, str | None] = {}
        # span id -> (parent span id, span) of the open spans without a session yet
        self._unresolved: dict[int, tuple[int | None, Span]] = {}
        self._valid_ids: set[str] = set()  # session ids that passed _valid (checked once each)
        self._parent_sessions: dict[str, str] = {}  # running session -> its parent session
        self._finished: dict[str, str | None] = {}  # finished session -> its parent session (recent ones)
        self._fallback_used = False
        self._loop: asyncio.AbstractEventLoop | None = None
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
            linger=linger,
            retry_interval=retry_interval,
            end_grace=end_grace,
            max_buffer_bytes=max_buffer_bytes,
            on_error=self._storage_error,
            on_recovered=self._storage_recovered,
        )
        self.writer.busy = self._has_open_spans

    def _has_open_spans(self, session_id: str) -> bool:
        """True while a span started in ``session_id`` has not ended (read by the writer thread)."""
        return session_id in list(self._sessions.values())

    def set_resource(self, attributes: dict[str, Any]) -> None:
        """The ``resource`` of session headers written before any span of the session is seen."""
        self.writer.resource = dict(attributes)

    # ---- sessions ---------------------------------------------------------------------------------------------
    def session_started(self, session_id: str, metadata: dict[str, Any] | None) -> None:
        """Open the session's file with its header (engine, title, started_at, parent_session_id)."""
        if self._closed or not tracefile.valid_session_id(session_id):
            return
        meta = dict(metadata or {})
        meta.setdefault("started_at", tracefile.utc_now())
        parent = meta.get("parent_session_id")
        if tracefile.valid_session_id(parent):
            self._parent_sessions[session_id] = parent
            _trim(self._parent_sessions)
        self._remember_loop()
        self.writer.put(SESSION, session_id, meta)

    def session_finished(self, session_id: str, status: str | None, error: str | None) -> None:
        """Queue the ``session_end`` record (written last, after a short grace for late spans)."""
        if self._closed or not tracefile.valid_session_id(session_id):
            return
        self._finished[session_id] = self._parent_sessions.pop(session_id, None)
        _trim(self._finished)
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

    def _suppressing(self) -> bool:
        suppress = self.suppress
        if suppress is None:
            return False
        try:
            return bool(suppress())
        except Exception:
            return False

    def _live_session(self, sid: str) -> str:
        """``sid``, or for a session already finished its nearest unfinished ancestor session.

        Work that starts after its session ended (an agent a workflow run created, shut down by the app's cleanup
        later) belongs to the session that is still running: its spans go there, not after the ended session's
        ``session_end``.
        """
        seen = 0
        while sid in self._finished and seen < 32:
            parent = self._finished[sid]
            if parent is None:
                break
            sid, seen = parent, seen + 1
        return sid

    def session_for_span(self, span: ReadableSpan) -> str:
        sid = session_context.get()
        if sid and self._valid(sid):
            return sid
        rsid = span.resource.attributes.get("session.id")
        if isinstance(rsid, str) and self._valid(rsid):
            return rsid
        self._fallback_used = True
        return self.fallback_session_id

    def _valid(self, session_id: str) -> bool:
        if session_id in self._valid_ids:
            return True
        if not tracefile.valid_session_id(session_id):
            return False
        if len(self._valid_ids) > 4096:
            self._valid_ids.clear()
        self._valid_ids.add(session_id)
        return True

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
            sid = session_context.get()
            if not (sid and self._valid(sid)):
                sid = self._sessions.get(parent.span_id) if parent is not None else None
            if sid is None:
                # no session yet (e.g. MCPApp.run's own span opens before its session is bound): decided when a
                # child starts in a session (its span_start is written then), else at its end
                self._sessions[ctx.span_id] = None
                self._unresolved[ctx.span_id] = (parent.span_id if parent is not None else None, span)
                return
            if self._finished and sid in self._finished:
                sid = self._live_session(sid)
            if self.adopt is not None:
                self.adopt(sid, span)
                parent = span.parent  # adopt may re-parent it
            put(span, "session.id", sid)  # straight into a live SDK span's attributes
            self._sessions[ctx.span_id] = sid
            if parent is not None and parent.span_id in self._unresolved:
                self._resolve(parent.span_id, sid)
            self._started(sid, span)
        except Exception:
            logger.exception("inspector on_start failed; span not recorded")

    def _resolve(self, span_id: int | None, sid: str) -> None:
        """A span without a session, and its ancestors without one, join ``sid``: their span_start is written now."""
        while span_id is not None and span_id in self._unresolved:
            parent_id, span = self._unresolved.pop(span_id)
            self._sessions[span_id] = sid
            put(span, "session.id", sid)  # straight into a live SDK span's attributes
            self._started(sid, span)
            span_id = parent_id

    def _started(self, sid: str, span: ReadableSpan) -> None:
        self.writer.put_start(sid, span)
        if hooks.span_started:
            self._remember_loop()
            hooks.span_started.emit(session_id=sid, span=_summary(span))

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
            sid = self._sessions.pop(span_id, None)
            if sid is None:
                # never started in a session (or never seen starting): its session is decided now, and its span
                # record is its first line, so no span_start is written
                self._unresolved.pop(span_id, None)
                sid = self.session_for_span(span)
                if hooks.span_started:
                    hooks.span_started.emit(session_id=sid, span=_summary(span))
            self.writer.put_span(sid, span)
            if hooks.span_ended:
                start = span.start_time or 0
                end = span.end_time or start
                summary = _summary(span)
                summary.update(
                    end_time=iso_ns(end),
                    status=_status_name(span.status.status_code),
                    duration_ms=(end - start) / 1e6,
                )
                usage = _usage(span)
                if usage is not None:
                    summary["usage"] = usage
                hooks.span_ended.emit(session_id=sid, span=summary)
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
        if self._fallback_used:  # the process-level fallback session ends with the process
            self.writer.put(END, self.fallback_session_id, tracefile.session_end_record("completed", None))
        self._closed = True
        self.writer.stop()

    def link(self) -> SpanProcessor:
        """A processor for one more TracerProvider: forwards spans here; its shutdown only flushes."""
        return _ProviderLink(self)

    # ---- storage hooks ----------------------------------------------------------------------------------------
    def _remember_loop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._loop = asyncio.get_running_loop()

    def _call_in_loop(self, fn: Any, **kwargs: Any) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed() and threading.current_thread() is not threading.main_thread():
            try:
                loop.call_soon_threadsafe(lambda: fn(**kwargs))
                return
            except RuntimeError:
                pass
        fn(**kwargs)

    def _storage_error(self, path: str, message: str, exc: BaseException) -> None:
        if hooks.storage_error:
            self._call_in_loop(hooks.storage_error.emit, path=path, message=message, exc=exc)

    def _storage_recovered(self, path: str) -> None:
        if hooks.storage_recovered:
            self._call_in_loop(hooks.storage_recovered.emit, path=path)


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


def _trim(table: dict[str, Any], limit: int = 10_000) -> None:
    """Forget the oldest entries of a bookkeeping table past ``limit``."""
    while len(table) > limit:
        del table[next(iter(table))]


def _summary(span: ReadableSpan) -> dict[str, Any]:
    """What the span_started/span_ended hooks carry: ids, name and start time."""
    trace_id, span_id, parent_id = span_ids(span)
    return {
        "trace_id": trace_id,
        "span_id": span_id,
        "parent_span_id": parent_id,
        "name": span.name,
        "start_time": iso_ns(span.start_time or 0),
    }


def _usage(span: ReadableSpan) -> dict[str, Any] | None:
    """The tokens of an ``llm.generate`` span, for live totals: ``{model, input_tokens, output_tokens}``."""
    attrs = span.attributes or {}
    if span.name != "llm.generate" or (
        "gen_ai.usage.input_tokens" not in attrs and "gen_ai.usage.output_tokens" not in attrs
    ):
        return None
    model = attrs.get("gen_ai.response.model") or attrs.get("gen_ai.request.model") or attrs.get("mcp.llm.model")
    return {
        "model": model if isinstance(model, str) else None,
        "input_tokens": attrs.get("gen_ai.usage.input_tokens"),
        "output_tokens": attrs.get("gen_ai.usage.output_tokens"),
    }


def _status_name(code: StatusCode) -> str:
    return {StatusCode.OK: "OK", StatusCode.ERROR: "ERROR"}.get(code, "UNSET")
