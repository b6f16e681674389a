"""Convert SPEC §4 trace lines to OTLP/JSON (``ExportTraceServiceRequest``, the JSON mapping of OTLP protobuf)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import msgspec

from inspector_gateway._jsonin import DECODE_ERRORS

__all__ = ["lines_of", "to_otlp"]

_KINDS = {"UNSPECIFIED": 0, "INTERNAL": 1, "SERVER": 2, "CLIENT": 3, "PRODUCER": 4, "CONSUMER": 5}
_STATUS = {"UNSET": 0, "OK": 1, "ERROR": 2}
_decoder = msgspec.json.Decoder()


def lines_of(parts: Iterable[Path]) -> Iterable[bytes]:
    """Decompressed lines of the parts, in order (a truncated live tail is tolerated; a part stops at bytes that are
    not gzip)."""
    for part in parts:
        yield from _part_lines(part)


def _part_lines(part: Path) -> Iterable[bytes]:
    decomp = zlib.decompressobj(31)
    pending = b""
    with open(part, "rb") as fh:
        while chunk := fh.read(1 << 20):
            while chunk:
                try:
                    data = decomp.decompress(chunk)
                except zlib.error:
                    return  # not gzip from here on: the whole lines before it were given
                if decomp.eof:
                    chunk = decomp.unused_data
                    decomp = zlib.decompressobj(31)
                else:
                    chunk = b""
                lines = (pending + data).split(b"\n")
                pending = lines.pop()
                yield from lines
    if pending:
        yield pending


def _nanos(value: Any) -> str:
    """RFC 3339 (``Z`` or an offset; any number of fraction digits) to Unix nanoseconds, as OTLP/JSON's string."""
    if not isinstance(value, str) or not value:
        return "0"
    text = value.strip().replace("z", "Z").replace("Z", "+00:00")
    fraction = "0"
    if "." in text:
        head, rest = text.split(".", 1)
        digits = len(rest) - len(rest.lstrip("0123456789"))
        fraction, text = rest[:digits] or "0", head + rest[digits:]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return "0"
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    seconds = int(parsed.timestamp())
    return str(seconds * 1_000_000_000 + int(fraction[:9].ljust(9, "0")))


def _value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, (list, tuple)):
        return {"arrayValue": {"values": [_value(v) for v in value]}}
    if isinstance(value, dict):
        return {"kvlistValue": {"values": _attributes(value)}}
    return {"stringValue": "" if value is None else str(value)}


def _attributes(attrs: Any) -> list[dict[str, Any]]:
    if not isinstance(attrs, dict):
        return []
    return [{"key": str(k), "value": _value(v)} for k, v in attrs.items()]


def _hex(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    return text[2:] if text.startswith("0x") else text


def _span(line: dict[str, Any]) -> dict[str, Any]:
    raw_status = line.get("status")
    status: dict[str, Any] = raw_status if isinstance(raw_status, dict) else {}
    kind = str(line.get("kind") or "INTERNAL").rsplit(".", 1)[-1].upper()
    span: dict[str, Any] = {
        "traceId": _hex(line.get("trace_id")),
        "spanId": _hex(line.get("span_id")),
        "name": str(line.get("name") or ""),
        "kind": _KINDS.get(kind, 0),
        "startTimeUnixNano": _nanos(line.get("start_time")),
        "endTimeUnixNano": _nanos(line.get("end_time")),
        "attributes": _attributes(line.get("attributes")),
        "events": [
            {
                "timeUnixNano": _nanos(e.get("timestamp") or e.get("time")),
                "name": str(e.get("name") or ""),
                "attributes": _attributes(e.get("attributes")),
            }
            for e in line.get("events") or []
            if isinstance(e, dict)
        ],
        "links": [
            {
                "traceId": _hex(k.get("trace_id")),
                "spanId": _hex(k.get("span_id")),
                "attributes": _attributes(k.get("attributes")),
            }
            for k in line.get("links") or []
            if isinstance(k, dict)
        ],
        "status": {"code": _STATUS.get(str(status.get("code") or status.get("status_code") or "UNSET"), 0)},
    }
    if status.get("message") or status.get("description"):
        span["status"]["message"] = str(status.get("message") or status.get("description"))
    if line.get("parent_span_id"):
        span["parentSpanId"] = _hex(line["parent_span_id"])
    return span


def to_otlp(lines: Iterable[bytes]) -> dict[str, Any]:
    """One ``resourceSpans`` entry with the header's resource and every ended span, in file order."""
    resource: dict[str, Any] = {}
    spans: list[dict[str, Any]] = []
    for raw in lines:
        if not raw.strip():
            continue
        try:
            line = _decoder.decode(raw)
        except DECODE_ERRORS:
            continue
        if not isinstance(line, dict):
            continue
        kind = line.get("type")
        if kind == "session":
            resource = dict(line.get("resource") or {})
            resource.setdefault("session.id", line.get("id"))
        elif kind == "span":
            spans.append(_span(line))
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": _attributes(resource)},
                "scopeSpans": [{"scope": {"name": "mcp-agent-inspector"}, "spans": spans}],
            }
        ]
    }
