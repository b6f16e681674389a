"""The user's span processors, shown the spans as if the inspector were not there.

``install()`` attaches our processor to a provider the user (or mcp-agent's ``otel.enabled: true``) set up, and our
own spans (``session``, ``agent.call``, ``llm.generate``...) are made there too, so that their spans nest under
ours in our files. The user's exporters must not see that: :class:`UserView` wraps the processors the provider
had before us, keeps our spans from them, and hands them each of their spans with the parent it would have without
us (the nearest ancestor that is not ours). Our processor still gets every span as it is.
"""

from __future__ import annotations

import threading
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import SpanContext

from ._spans import OWN_SCOPE

__all__ = ["UserView"]


def _is_own(span: ReadableSpan) -> bool:
    scope = span.instrumentation_scope
    return scope is not None and scope.name == OWN_SCOPE


class UserView(SpanProcessor):
    """Wraps the processors ``inner`` (a provider's processors before ours were added)."""

    def __init__(self, inner: tuple[SpanProcessor, ...]) -> None:
        self.inner = inner
        self._lock = threading.Lock()
        self._hidden: dict[int, SpanContext | None] = {}  # our span id -> the parent the user's spans see

    def _visible(self, parent: SpanContext | None) -> SpanContext | None:
        while parent is not None and parent.span_id in self._hidden:
            parent = self._hidden[parent.span_id]
        return parent

    def on_start(self, span: Span, parent_context: otel_context.Context | None = None) -> None:
        if _is_own(span):
            with self._lock:
                self._hidden[span.context.span_id] = self._visible(span.parent)
            return
        for processor in self.inner:
            processor.on_start(span, parent_context=parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        if _is_own(span):
            with self._lock:
                self._hidden.pop(span.context.span_id, None)
            return
        parent = span.parent
        if parent is not None and parent.span_id in self._hidden:
            with self._lock:
                seen = self._visible(parent)
            span = _with_parent(span, seen)
        for processor in self.inner:
            processor.on_end(span)

    def shutdown(self) -> None:
        for processor in self.inner:
            processor.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return all(processor.force_flush(timeout_millis) for processor in self.inner)


def _with_parent(span: ReadableSpan, parent: SpanContext | None) -> ReadableSpan:
    fields: dict[str, Any] = {
        "name": span.name,
        "context": span.context,
        "parent": parent,
        "resource": span.resource,
        "attributes": span.attributes,
        "events": span.events,
        "links": span.links,
        "kind": span.kind,
        "status": span.status,
        "start_time": span.start_time,
        "end_time": span.end_time,
        "instrumentation_scope": span.instrumentation_scope,
    }
    return ReadableSpan(**fields)
