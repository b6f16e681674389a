"""What the interceptor writes, through the inspector's OTel exporter when it is installed (``inspector_otel``).

Every function here never raises into Temporal or the host: a failure is logged at debug level and nothing is
recorded. Calls from workflow code do not touch the workflow's event loop (no task, no callback is scheduled on it).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from datetime import datetime, timezone
from typing import Any

import temporalio.workflow as wf
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, Status, StatusCode, TraceFlags

__all__ = [
    "close_session",
    "end_span",
    "enter_parent",
    "leave_current",
    "leave_parent",
    "open_session",
    "replaying",
    "set_attribute",
    "start_span",
    "valid_session_id",
    "workflow_span",
]

logger = logging.getLogger(__name__)

ENGINE = "temporal"
SCOPE = "inspector_temporal"
_SESSION_ID_RE = re.compile(r"[A-Za-z0-9_-]{6,128}")
_opened: set[str] = set()  # sessions whose header this process has asked for
_lock = threading.Lock()
_current: dict[int, object] = {}  # span id -> the context token of a span made current by start_span


def valid_session_id(value: object) -> bool:
    return isinstance(value, str) and _SESSION_ID_RE.fullmatch(value) is not None


def replaying() -> bool:
    """True while a Temporal worker replays workflow history on this thread (nothing is recorded then)."""
    try:
        return bool(wf.in_workflow() and wf.unsafe.is_replaying())
    except Exception:
        return False


def _processor() -> Any:
    try:
        import inspector_otel

        return inspector_otel.installed()
    except Exception:
        return None


def _utc(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _quietly(processor: Any, method: str, *args: Any) -> None:
    # the processor remembers the running loop for its storage hooks; never the workflow's deterministic loop
    loop = getattr(processor, "_loop", None)
    try:
        getattr(processor, method)(*args)
    except Exception:
        logger.debug("inspector_temporal: %s failed", method, exc_info=True)
    finally:
        processor._loop = loop


def open_session(
    session_id: str,
    *,
    workflow_type: str,
    run_id: str | None,
    task_queue: str | None = None,
    parent_session_id: str | None = None,
) -> None:
    """Ask for the session's header (written by whichever process writes the session first), once per process."""
    with _lock:
        if session_id in _opened:
            return
        _opened.add(session_id)
        if len(_opened) > 10_000:
            _opened.clear()
    processor = _processor()
    if processor is None:
        return
    metadata = {
        "engine": ENGINE,
        "title": workflow_type,
        "started_at": _utc(time.time_ns()),
        "parent_session_id": parent_session_id if valid_session_id(parent_session_id) else None,
        "workflow_type": workflow_type,
        "workflow_id": session_id,
        "run_id": run_id,
        "task_queue": task_queue,
    }
    _quietly(processor, "session_started", session_id, metadata)


def close_session(session_id: str, status: str, error: str | None) -> None:
    processor = _processor()
    if processor is not None:
        _quietly(processor, "session_finished", session_id, status, error)


def enter_parent(trace_id: int, span_id: int) -> object:
    """Make the workflow span (by its computed ids) the current parent; returns the token for ``leave_parent``."""
    parent = NonRecordingSpan(SpanContext(trace_id, span_id, is_remote=False, trace_flags=TraceFlags(1)))
    return otel_context.attach(trace.set_span_in_context(parent))


def leave_parent(token: object) -> None:
    try:
        otel_context.detach(token)  # type: ignore[arg-type]
    except Exception:
        logger.debug("inspector_temporal: parent context not detached", exc_info=True)


def start_span(name: str, attributes: dict[str, Any], *, current: bool = False) -> Any:
    """Start a span under the current one; with ``current`` it becomes the current span (``leave_current``)."""
    try:
        span = trace.get_tracer(SCOPE).start_span(
            name, attributes={k: v for k, v in attributes.items() if v is not None}
        )
        if current:
            _current[span.get_span_context().span_id] = otel_context.attach(trace.set_span_in_context(span))
        return span
    except Exception:
        logger.debug("inspector_temporal: span %s not started", name, exc_info=True)
        return None


def set_attribute(span: Any, key: str, value: Any) -> None:
    if span is not None and value is not None:
        try:
            span.set_attribute(key, value)
        except Exception:
            logger.debug("inspector_temporal: attribute %s not set", key, exc_info=True)


def end_span(span: Any, exc: BaseException | None) -> None:
    if span is None:
        return
    try:
        if exc is not None:
            span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"[:4000]))
            span.set_attribute("error.type", type(exc).__name__)
        span.end()
    except Exception:
        logger.debug("inspector_temporal: span not ended", exc_info=True)


def leave_current(span: Any) -> None:
    if span is None:
        return
    token = _current.pop(span.get_span_context().span_id, None)
    if token is not None:
        leave_parent(token)


def workflow_span(info: Any, trace_id: int, span_id: int, started_ns: int, status: str, error: str | None) -> None:
    """Write the span of the whole workflow execution (ids computed from its workflow and run ids)."""
    processor = _processor()
    if processor is None:
        return
    try:
        from opentelemetry.sdk.trace import ReadableSpan  # the SDK: there when inspector_otel is
        from opentelemetry.sdk.util.instrumentation import InstrumentationScope

        provider = trace.get_tracer_provider()
        span = ReadableSpan(
            name=f"temporal.workflow {info.workflow_type}",
            context=SpanContext(trace_id, span_id, is_remote=False, trace_flags=TraceFlags(1)),
            parent=None,
            resource=getattr(provider, "resource", None),
            attributes={
                "temporal.workflow.type": info.workflow_type,
                "temporal.workflow.id": info.workflow_id,
                "temporal.run.id": info.run_id,
                "temporal.task_queue": info.task_queue,
                "temporal.workflow.status": status,
                "run.id": info.run_id,
            },
            kind=trace.SpanKind.INTERNAL,
            status=Status(StatusCode.ERROR, error) if status == "failed" else Status(StatusCode.OK),
            start_time=started_ns,
            end_time=max(time.time_ns(), started_ns),
            instrumentation_scope=InstrumentationScope(SCOPE),
        )
    except Exception:
        logger.debug("inspector_temporal: workflow span not built", exc_info=True)
        return
    _quietly(processor, "on_end", span)
