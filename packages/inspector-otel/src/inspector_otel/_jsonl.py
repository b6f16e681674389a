"""Turn finished OTel spans into SPEC §4 JSON lines (msgspec); the format itself is ``inspector_hooks.tracefile``."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import msgspec
from opentelemetry.sdk.trace import ReadableSpan

from inspector_hooks import tracefile

_ENCODER = msgspec.json.Encoder()
_prefixes: dict[int, str] = {}


def _prefix(sec: int) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` of an epoch second, cached (spans come in bursts within the same seconds)."""
    prefix = _prefixes.get(sec)
    if prefix is None:
        if len(_prefixes) > 4096:
            _prefixes.clear()
        prefix = _prefixes[sec] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
    return prefix


def iso_ns(ns: int) -> str:
    """RFC 3339 UTC with microseconds and ``Z`` from epoch nanoseconds (integer maths, no float rounding)."""
    sec, us = divmod(ns // 1000, 1_000_000)
    return f"{_prefixes.get(sec) or _prefix(sec)}.{_DIGITS3[us // 1000]}{_DIGITS3[us % 1000]}Z"


_DIGITS3 = [f"{i:03d}" for i in range(1000)]  # joining two table entries beats formatting "%06d"


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


def _hex(table: dict[int, str], value: int, digits: int) -> str:
    """``value`` as ``digits`` lower-case hex digits, remembered in ``table`` (cleared when it grows past 4096)."""
    text = table.get(value)
    if text is None:
        if len(table) > 4096:
            table.clear()
        text = table[value] = f"{value:0{digits}x}"
    return text


# a trace's id, and a parent's, repeat across the spans of a batch: their hex text is cached
_trace_hexes: dict[int, str] = {}
_parent_hexes: dict[int, str] = {}
_NO_EVENTS: list[Any] = []


class StatusLine(msgspec.Struct, gc=False):
    """``status`` of a span line."""

    code: str
    message: str | None


class SpanHead(msgspec.Struct, tag_field="type", tag=tracefile.SPAN, gc=False):
    """The keys a ``{"type":"span",...}`` line starts with, in the order of ``tracefile.SPAN_FIELDS``: the one list
    that a span's trace-file line (``SpanLine``) and its skeleton line (``_sidecars.SkeletonSpan``) go on from.

    A Struct rather than a dict: cheaper to build, and ``gc=False`` keeps the garbage collector from tracking the
    thousands of records of a batch (none of them can be part of a reference cycle).
    """

    trace_id: str
    span_id: str
    parent_span_id: str | None
    name: str
    kind: str
    start_time: str
    end_time: str
    status: StatusLine


class SpanLine(SpanHead, tag_field="type", tag=tracefile.SPAN, gc=False):
    """A ``{"type":"span",...}`` line (SPEC §4), encoded by msgspec in the order of ``tracefile.SPAN_FIELDS``."""

    attributes: dict[str, Any]
    events: list[dict[str, Any]]
    links: list[dict[str, Any]]


_statuses: dict[tuple[str, str | None], StatusLine] = {}


def _status_line(code: str, message: str | None) -> StatusLine:
    line = _statuses.get((code, message))
    if line is None:
        if len(_statuses) > 1024:
            _statuses.clear()
        line = _statuses[(code, message)] = StatusLine(code, message)
    return line


#: What the writer needs of a finished SDK span, read by :func:`span_fields` on the thread that ended it:
#: (trace id, span id, parent span id or None, name, kind, start ns, end ns, status code, status message,
#: attributes, events, links). Ints and strings, the ended span's attribute dict, and events/links already
#: turned into their JSON shapes (usually the shared empty list).
_Shapes = list[dict[str, Any]]
SpanFields = tuple[int, int, int | None, str, str, int, int, str, str | None, dict[str, Any], _Shapes, _Shapes]


def span_fields(span: ReadableSpan) -> SpanFields | SpanLine:
    """The fields of a finished span, read without formatting anything (:func:`record_of` makes the record).

    Runs on the agent's thread, in ``on_end``: reading the SDK span's private fields straight after the SDK made
    the span costs little, while formatting ids and times there, with the agent's code between one span and the
    next evicting ours from the CPU caches, costs several times what the same work costs in the writer's batch
    loop. The tuple holds ints, strings and the ended span's attribute dict (immutable once ended, shared rather
    than copied), so the span itself is not kept alive and the garbage collector finds nothing to track. Anything
    that is not an SDK span gets its finished record at once (:func:`_public_span_record`).
    """
    try:
        ctx = span._context
        parent = span._parent
        status = span._status
        start = span._start_time or 0
        end = span._end_time or start
        attributes = span._attributes
        events = span._events
        links = span._links
        kind = span._kind._name_
        name = span._name
    except AttributeError:
        return _public_span_record(span)
    if ctx is None:
        return _public_span_record(span)
    inner = getattr(attributes, "_dict", None)
    return (
        ctx[0],  # SpanContext is a tuple: (trace_id, span_id, ...); its properties cost more
        ctx[1],
        None if parent is None else parent[1],
        name,
        kind,
        start,
        end,
        status._status_code._name_,
        status._description,
        inner if type(inner) is dict else _attrs(attributes),
        _events(events) if getattr(events, "_dq", events) else _NO_EVENTS,  # BoundedList: its deque is cheaper
        _links(links) if getattr(links, "_dq", links) else _NO_EVENTS,
    )


def record_of(fields: SpanFields | SpanLine) -> SpanLine:
    """The ``{"type":"span",...}`` record of :func:`span_fields`' result (the writer's half of the work)."""
    if type(fields) is not tuple:
        return fields  # type: ignore[return-value]
    trace_id, span_id, parent_id, name, kind, start, end, code, message, attributes, events, links = fields
    sec, us = divmod(start // 1000, 1_000_000)
    start_text = f"{_prefixes.get(sec) or _prefix(sec)}.{_DIGITS3[us // 1000]}{_DIGITS3[us % 1000]}Z"
    sec, us = divmod(end // 1000, 1_000_000)
    end_text = f"{_prefixes.get(sec) or _prefix(sec)}.{_DIGITS3[us // 1000]}{_DIGITS3[us % 1000]}Z"
    return SpanLine(
        _trace_hexes.get(trace_id) or _hex(_trace_hexes, trace_id, 32),
        span_id.to_bytes(8, "big").hex(),
        None if parent_id is None else _parent_hexes.get(parent_id) or _hex(_parent_hexes, parent_id, 16),
        name,
        kind,
        start_text,
        end_text,
        _statuses.get((code, message)) or _status_line(code, message),
        attributes,
        events,
        links,
    )


def _events(events: Any) -> list[dict[str, Any]]:
    return [{"name": ev.name, "time": iso_ns(ev.timestamp), "attributes": _attrs(ev.attributes)} for ev in events]


def _links(links: Any) -> list[dict[str, Any]]:
    return [
        {
            "trace_id": _hex(_trace_hexes, ln.context.trace_id, 32),
            "span_id": f"{ln.context.span_id:016x}",
            "attributes": _attrs(ln.attributes),
        }
        for ln in links
    ]


def _public_span_record(span: ReadableSpan) -> SpanLine:
    """The record of a span through the ``ReadableSpan`` API only (any implementation)."""
    trace_id, span_id, parent_id = span_ids(span)
    status = span.status
    start = span.start_time or 0
    events = span.events
    links = span.links
    return SpanLine(
        trace_id,
        span_id,
        parent_id,
        span.name,
        span.kind._name_,
        iso_ns(start),
        iso_ns(span.end_time or start),
        _status_line(status.status_code._name_, status.description),
        _attrs(span.attributes),
        _events(events) if events else [],
        _links(links) if links else [],
    )


def span_start_record(span: ReadableSpan) -> dict[str, Any]:
    """The ``{"type":"span_start",...}`` record written when a span starts."""
    trace_id, span_id, parent_id = span_ids(span)
    return tracefile.span_start_record(
        trace_id=trace_id,
        span_id=span_id,
        parent_span_id=parent_id,
        name=span.name,
        kind=span.kind._name_,
        start_time=iso_ns(span.start_time or 0),
    )


def _fallback(obj: Any) -> Any:
    return f"<unserializable: {type(obj).__name__}>"


_SAFE_ENCODER = msgspec.json.Encoder(enc_hook=_fallback)


def encode_line(record: Mapping[str, Any] | SpanLine) -> bytes:
    """One JSON line (with ``\\n``); values msgspec cannot encode become a placeholder string."""
    try:
        return _ENCODER.encode(record) + b"\n"
    except (TypeError, ValueError, OverflowError):
        return _SAFE_ENCODER.encode(record) + b"\n"


def encode_lines(records: list[dict[str, Any] | SpanLine]) -> bytes:
    """JSON lines of ``records`` in one msgspec call; falls back to :func:`encode_line` per record on a bad value."""
    try:
        return _ENCODER.encode_lines(records)
    except (TypeError, ValueError, OverflowError):
        return b"".join(encode_line(r) for r in records)
