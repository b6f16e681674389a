"""The spans mcp-agent 0.2.6 lacks (workflow runs, sessions, inbound requests), opened and closed from hooks.

A span opened by a ``before_*``/``session_started`` hook is made current in the emitter's context, so the spans
mcp-agent opens afterwards (in the same task, or in tasks created from it) become its children. When it ends, the
parent becomes current again if our span is still the current one there. Spans are keyed by the object they
describe (the workflow instance, the session id), so begin and end may be emitted from different tasks.
"""

from __future__ import annotations

import logging
import threading
from contextvars import ContextVar
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, SpanContext, SpanKind, Status, StatusCode

from ._attrs import put, set_text

logger = logging.getLogger(__name__)

OWN_SCOPE = "inspector_otel"  # the instrumentation scope of the spans we make


class OpenSpans:
    """Spans begun by a hook and ended by a later one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spans: dict[object, tuple[Span, otel_context.Context]] = {}
        self._handoffs: dict[str, tuple[SpanContext, int | None]] = {}
        self._provider: trace.TracerProvider | None = None
        self._cached: trace.Tracer | None = None

    @property
    def tracer_provider(self) -> trace.TracerProvider | None:
        """The provider our spans are made with (None: the global one)."""
        return self._provider

    @tracer_provider.setter
    def tracer_provider(self, provider: trace.TracerProvider | None) -> None:
        self._provider = provider
        self._cached = None

    def _tracer(self) -> trace.Tracer:
        tracer = self._cached
        if tracer is None:
            tracer = self._cached = trace.get_tracer(OWN_SCOPE, tracer_provider=self._provider)
        return tracer

    def begin(
        self, key: object, name: str, *, kind: SpanKind = SpanKind.INTERNAL, handoff_session: str | None = None
    ) -> Span:
        """Start a span. It is made current here, unless ``handoff_session`` is given.

        ``handoff_session`` is for a span begun in a caller that only creates the task doing the work (a workflow's
        ``run_async``; the caller keeps running with its own span current): the spans that session's code starts
        directly under the caller's span are adopted as children of this span instead (see ``adopt``).
        """
        parent = otel_context.get_current()
        span = self._tracer().start_span(name, context=parent, kind=kind)
        with self._lock:
            old = self._spans.pop(key, None)
            self._spans[key] = (span, parent)
            if handoff_session is not None:
                parent_ctx = trace.get_current_span(parent).get_span_context()
                parent_id = parent_ctx.span_id if parent_ctx.is_valid else None
                self._handoffs[handoff_session] = (span.get_span_context(), parent_id)
        if old is not None:  # a begin without an end: close the old one rather than leak it
            old[0].end()
        if handoff_session is None:
            otel_context.attach(trace.set_span_in_context(span, parent))
        return span

    def adopt(self, session_id: str, span: Any) -> None:
        """Called when ``span`` starts in ``session_id``: re-parent it under the session's handed-off span."""
        entry = self._handoffs.get(session_id)
        if entry is None:
            return
        owner, owner_parent_id = entry
        ctx = span.context
        if ctx is None or ctx.span_id == owner.span_id:
            return
        parent = span.parent
        if (parent.span_id if parent is not None else None) != owner_parent_id:
            return  # deeper in the tree: its ancestor was adopted already
        span._parent = owner
        if ctx.trace_id != owner.trace_id:
            span._context = SpanContext(
                owner.trace_id, ctx.span_id, is_remote=False, trace_flags=ctx.trace_flags, trace_state=ctx.trace_state
            )

    def get(self, key: object) -> Span | None:
        with self._lock:
            entry = self._spans.get(key)
        return entry[0] if entry else None

    def end(self, key: object, *, error: BaseException | str | None = None, ok: bool = True) -> Span | None:
        with self._lock:
            entry = self._spans.pop(key, None)
            if entry is not None:
                owned = entry[0].get_span_context().span_id
                for sid in [k for k, v in self._handoffs.items() if v[0].span_id == owned]:
                    del self._handoffs[sid]
        if entry is None:
            return None
        span, parent = entry
        if error is not None:
            span.set_status(Status(StatusCode.ERROR, str(error)))
        elif ok:
            span.set_status(Status(StatusCode.OK))
        span.end()
        if trace.get_current_span() is span:
            otel_context.attach(parent)
        return span

    def end_all(self) -> None:
        with self._lock:
            entries = list(self._spans.values())
            self._spans.clear()
        for span, _ in entries:
            span.end()


_Frame = tuple[str, Span, otel_context.Context]
_stack: ContextVar[tuple[_Frame, ...]] = ContextVar("inspector_otel_operations", default=())


class Operations:
    """Spans of operations whose before/after hooks are emitted in the same task (tool calls, LLM generations...).

    The span is current between the two hooks, so mcp-agent's own span for the operation becomes its child.
    """

    def __init__(self, spans: OpenSpans) -> None:
        self.spans = spans

    def begin(self, op: str, name: str, *, kind: SpanKind = SpanKind.INTERNAL) -> Span:
        parent = otel_context.get_current()
        span = self.spans._tracer().start_span(name, context=parent, kind=kind)
        otel_context.attach(trace.set_span_in_context(span, parent))
        _stack.set((*_stack.get(), (op, span, parent)))
        return span

    def current(self, op: str) -> Span | None:
        for frame_op, span, _ in reversed(_stack.get()):
            if frame_op == op:
                return span
        return None

    def end(self, op: str, *, error: BaseException | str | None = None) -> None:
        frames = _stack.get()
        for i in range(len(frames) - 1, -1, -1):
            frame_op, span, parent = frames[i]
            if frame_op != op:
                continue
            _stack.set(frames[:i])
            current = trace.get_current_span()
            for _, orphan, _ in frames[i + 1 :]:  # begun inside this one and never reported (e.g. cancelled)
                if orphan.is_recording():
                    orphan.set_status(Status(StatusCode.ERROR, "ended without an after/error hook"))
                    orphan.end()
            if error is not None:
                span.set_status(Status(StatusCode.ERROR, str(error)))
            span.end()
            if current is span or any(current is f[1] for f in frames[i + 1 :]):
                otel_context.attach(parent)  # never a token reset: safe in whatever context the hook runs
            return


def current_operation() -> tuple[str, Span] | None:
    """(operation, its span) of the innermost operation open in this context, or None."""
    frames = _stack.get()
    if not frames:
        return None
    op, span, _ = frames[-1]
    return op, span


def status_of(exc: BaseException) -> tuple[str, str]:
    """(mcp.error.code, message) of an exception: CANCELLED, TIMEOUT, else the exception class name."""
    name = type(exc).__name__
    text = str(exc)
    if name == "CancelledError":
        return "CANCELLED", text or "cancelled"
    if "Timeout" in name or "timed out" in text.lower():
        return "TIMEOUT", text
    return name, text


def describe(obj: Any, *names: str) -> Any:
    """The first of ``names`` that is set on ``obj`` (an attribute, or a key of a dict); never raises."""
    for name in names:
        try:
            value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        except Exception:
            continue
        if value is not None:
            return value
    return None


def current_span() -> Span | None:
    """The current span if it is recording, else None."""
    span = trace.get_current_span()
    return span if span.is_recording() else None


def record_error(span: Span, exc: Any, *, set_status: bool = True) -> None:
    """``mcp.status.code=error``, ``mcp.error.code``/``message``, ``error.type`` and (optionally) ERROR status."""
    if isinstance(exc, BaseException):
        code, message = status_of(exc)
        error_type = type(exc).__qualname__
    else:
        code, message, error_type = "SERVER_ERROR", str(exc), "error"
    put(span, "mcp.status.code", "error")
    put(span, "mcp.error.code", code)
    set_text(span, "mcp.error.message", message)
    put(span, "error.type", error_type)
    if set_status:
        span.set_status(Status(StatusCode.ERROR, message))
