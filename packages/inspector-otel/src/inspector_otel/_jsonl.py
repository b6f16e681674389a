"""Turn finished OTel spans and session events into SPEC §4 JSON lines (msgspec)."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any

import msgspec
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import StatusCode

SESSION_ID_RE = re.compile(r"^[A-Za-z0-9_-]{6,128}$")
FORMAT_VERSION = 1

_ENCODER = msgspec.json.Encoder()
_STATUS = {StatusCode.UNSET: "UNSET", StatusCode.OK: "OK", StatusCode.ERROR: "ERROR"}
_prefixes: dict[int, str] = {}


def iso_ns(ns: int) -> str:
    """RFC 3339 UTC with microseconds and ``Z`` from epoch nanoseconds (integer maths, no float rounding)."""
    sec = ns // 1_000_000_000
    prefix = _prefixes.get(sec)
    if prefix is None:
        if len(_prefixes) > 4096:
            _prefixes.clear()
        prefix = _prefixes[sec] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
    return "%s.%06dZ" % (prefix, (ns // 1000) % 1_000_000)  # noqa: UP031 - measurably faster than an f-string


def now_iso() -> str:
    """The current time as :func:`iso_ns` formats it."""
    return iso_ns(time.time_ns())


def _attrs(attributes: Any) -> dict[str, Any]:
    if not attributes:
        return {}
    # BoundedAttributes keeps a plain dict; reading it directly is ~40x cheaper than its Mapping methods.
    inner = getattr(attributes, "_dict", None)
    return dict(inner) if isinstance(inner, dict) else dict(attributes)


def span_ids(span: ReadableSpan) -> tuple[str, str, str | None]:
    """(trace_id, span_id, parent_span_id) as lower-case hex."""
    ctx = span.context
    parent = span.parent
    trace_id = f"{ctx.trace_id:032x}" if ctx is not None else "0" * 32
    span_id = f"{ctx.span_id:016x}" if ctx is not None else "0" * 16
    parent_id = f"{parent.span_id:016x}" if parent is not None else None
    return trace_id, span_id, parent_id


def _raw(span: ReadableSpan, private: str, public: str) -> Any:
    # the SDK's public properties copy (MappingProxyType, tuple()); the private fields are read as they are
    value = getattr(span, private, _MISSING)
    return getattr(span, public) if value is _MISSING else value


_MISSING = object()


def span_record(span: ReadableSpan) -> dict[str, Any]:
    """The ``{"type":"span",...}`` record of a finished span."""
    ctx = span.context
    parent = span.parent
    status = span.status
    start = span.start_time or 0
    events = _raw(span, "_events", "events")
    links = _raw(span, "_links", "links")
    return {
        "type": "span",
        "trace_id": f"{ctx.trace_id:032x}" if ctx is not None else "0" * 32,
        "span_id": f"{ctx.span_id:016x}" if ctx is not None else "0" * 16,
        "parent_span_id": f"{parent.span_id:016x}" if parent is not None else None,
        "name": span.name,
        "kind": span.kind._name_,
        "start_time": iso_ns(start),
        "end_time": iso_ns(span.end_time or start),
        "status": {"code": status.status_code._name_, "message": status.description},
        "attributes": _attrs(_raw(span, "_attributes", "attributes")),
        "events": [
            {"name": ev.name, "time": iso_ns(ev.timestamp), "attributes": _attrs(ev.attributes)} for ev in events
        ]
        if events
        else [],
        "links": [
            {
                "trace_id": f"{ln.context.trace_id:032x}",
                "span_id": f"{ln.context.span_id:016x}",
                "attributes": _attrs(ln.attributes),
            }
            for ln in links
        ]
        if links
        else [],
    }


def span_start_record(span: ReadableSpan) -> dict[str, Any]:
    """The ``{"type":"span_start",...}`` record written when a span starts."""
    trace_id, span_id, parent_id = span_ids(span)
    return {
        "type": "span_start",
        "trace_id": trace_id,
        "span_id": span_id,
        "parent_span_id": parent_id,
        "name": span.name,
        "kind": span.kind._name_,
        "start_time": iso_ns(span.start_time or 0),
    }


def session_record(
    session_id: str,
    *,
    engine: str,
    title: str,
    started_at: str,
    parent_session_id: str | None,
    resource: Mapping[str, Any],
) -> dict[str, Any]:
    """The session header, line 1 of a trace file."""
    return {
        "type": "session",
        "v": FORMAT_VERSION,
        "id": session_id,
        "engine": engine,
        "title": title,
        "started_at": started_at,
        "parent_session_id": parent_session_id,
        "resource": dict(resource),
    }


def session_end_record(status: str, error: str | None, ended_at: str | None = None) -> dict[str, Any]:
    """The ``session_end`` record, the last line of a finished session."""
    return {"type": "session_end", "status": status, "ended_at": ended_at or now_iso(), "error": error}


def _fallback(obj: Any) -> Any:
    return f"<unserializable: {type(obj).__name__}>"


_SAFE_ENCODER = msgspec.json.Encoder(enc_hook=_fallback)


def encode_line(record: Mapping[str, Any]) -> bytes:
    """One JSON line (with ``\\n``); values msgspec cannot encode become a placeholder string."""
    try:
        return _ENCODER.encode(record) + b"\n"
    except (TypeError, ValueError, OverflowError):
        return _SAFE_ENCODER.encode(record) + b"\n"


def encode_lines(records: list[dict[str, Any]]) -> bytes:
    """JSON lines of ``records`` in one msgspec call; falls back to :func:`encode_line` per record on a bad value."""
    try:
        return _ENCODER.encode_lines(records)
    except (TypeError, ValueError, OverflowError):
        return b"".join(encode_line(r) for r in records)
