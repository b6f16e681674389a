"""The spans mcp-agent 0.2.6 lacks (workflow runs, sessions, inbound requests), opened and closed from hooks.

A span opened by a ``before_*``/``session_started`` hook is made current in the emitter's context, so the spans
mcp-agent opens afterwards (in the same task, or in tasks created from it) become its children. When it ends, the
parent becomes current again if our span is still the current one there. Spans are keyed by the object they
describe (the workflow instance, the session id), so begin and end may be emitted from different tasks.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

logger = logging.getLogger(__name__)


class OpenSpans:
    """Spans begun by a hook and ended by a later one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spans: dict[object, tuple[Span, otel_context.Context]] = {}
        self.tracer_provider: trace.TracerProvider | None = None

    def _tracer(self) -> trace.Tracer:
        return trace.get_tracer("inspector_otel", tracer_provider=self.tracer_provider)

    def begin(self, key: object, name: str, *, kind: SpanKind = SpanKind.INTERNAL) -> Span:
        parent = otel_context.get_current()
        span = self._tracer().start_span(name, context=parent, kind=kind)
        with self._lock:
            old = self._spans.pop(key, None)
            self._spans[key] = (span, parent)
        if old is not None:  # a begin without an end: close the old one rather than leak it
            old[0].end()
        otel_context.attach(trace.set_span_in_context(span, parent))
        return span

    def get(self, key: object) -> Span | None:
        with self._lock:
            entry = self._spans.get(key)
        return entry[0] if entry else None

    def end(self, key: object, *, error: BaseException | str | None = None, ok: bool = True) -> Span | None:
        with self._lock:
            entry = self._spans.pop(key, None)
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
    """The first attribute of ``obj`` among ``names`` that is set (never raises)."""
    for name in names:
        try:
            value = getattr(obj, name, None)
        except Exception:
            continue
        if value is not None:
            return value
    return None
