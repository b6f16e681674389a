"""The skeleton of a trace and its spans on demand (trace format v2, ``docs/trace-format.md``):

* ``GET /trace/{id}/skeleton``: the manifest, ``{"format": 2, "parts": [{"part", "size", "etag"}]}``;
* ``GET /trace/{id}/skeleton/{part}``: a part's skeleton stream, stored gzip bytes served as
  ``application/gzip`` without ``Content-Encoding`` (the page decompresses it itself), single ``Range: bytes=N-``;
* ``GET /trace/{id}/span/{span_id}``: one span's full record, found through the part's locators (one inflate
  from an access point, or from a checkpoint of a part the gateway rebuilt);
* ``GET /trace/{id}/spans?ids=a,b,...``: up to ``MAX_BATCH`` spans' records at once (the views that show many
  spans: protocol history, compare), ``{"spans": {id: record}, "missing": [id]}``.

Sidecars that are missing or behind are rebuilt first (``sessions._skeletons``), in a worker thread.
"""

from __future__ import annotations

import re
from pathlib import Path

import anyio
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from inspector_gateway._responses import JSON, error_response
from inspector_gateway._state import GatewayState
from inspector_gateway.errors import InvalidSessionId
from inspector_gateway.security import validate_session_id
from inspector_gateway.sessions._skeletons import SidecarView
from inspector_gateway.sessions._spans import find_spans
from inspector_gateway.sessions._tracefiles import numbered_parts
from inspector_hooks import tracefile

from ._trace import requested_range, stream_file

__all__ = ["MAX_BATCH", "skeleton_endpoint", "skeleton_part_endpoint", "span_endpoint", "spans_endpoint"]

#: span ids one ``/spans`` request may ask for (its query stays under ~4.5 KB)
MAX_BATCH = 256
_SPAN_ID_RE = re.compile(r"[0-9a-f]{16}")
_PART_RE = re.compile(r"[0-9]{1,6}")
_MEDIA = "application/gzip"


def _numbered(gateway: GatewayState, sid: str) -> list[tuple[int, Path]]:
    """The readable parts of the session with their numbers, in reading order."""
    return [(n, part.path) for n, part in numbered_parts(gateway.settings.traces_dir, sid) if part.path is not None]


def _session(request: Request) -> tuple[GatewayState, str] | Response:
    gateway: GatewayState = request.app.state.gateway
    try:
        return gateway, validate_session_id(request.path_params["session_id"])
    except InvalidSessionId as exc:
        return error_response(400, "invalid_session_id", str(exc))


async def skeleton_endpoint(request: Request) -> Response:
    found = _session(request)
    if isinstance(found, Response):
        return found
    gateway, sid = found

    def manifest() -> list[dict[str, object]] | None:
        parts = _numbered(gateway, sid)
        if not parts:
            return None
        views = [gateway.skeletons.view(sid, n, path) for n, path in parts]
        return [{"part": v.part, "size": v.size, "etag": v.etag} for v in views if v is not None]

    listed = await anyio.to_thread.run_sync(manifest)
    if listed is None:
        return error_response(404, "not_found", "no trace file for this session")
    return JSON({"format": tracefile.FORMAT_VERSION, "parts": listed}, headers={"Cache-Control": "no-cache"})


async def skeleton_part_endpoint(request: Request) -> Response:
    found = _session(request)
    if isinstance(found, Response):
        return found
    gateway, sid = found
    raw_part = request.path_params["part"]
    if _PART_RE.fullmatch(raw_part) is None:
        return error_response(400, "invalid_part", "part must be a part number (0-999999)")
    number = int(raw_part)

    def view() -> SidecarView | None:
        for n, path in _numbered(gateway, sid):
            if n == number:
                return gateway.skeletons.view(sid, n, path)
        return None

    sidecar = await anyio.to_thread.run_sync(view)
    if sidecar is None:
        return error_response(404, "not_found", "no such part of this session's trace")
    headers = {"ETag": sidecar.etag, "Accept-Ranges": "bytes", "Cache-Control": "no-cache"}
    size = sidecar.size
    wanted = requested_range(request, size, sidecar.etag)
    if isinstance(wanted, Response):
        return wanted
    first, last = wanted if wanted is not None else (0, size - 1)
    status = 200
    if wanted is not None:
        status = 206
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    headers["Content-Length"] = str(max(0, last - first + 1))
    if sidecar.skeleton_bytes is not None:
        return Response(
            sidecar.skeleton_bytes[first : last + 1], status_code=status, media_type=_MEDIA, headers=headers
        )
    assert sidecar.skeleton_path is not None
    if size == 0:
        return Response(b"", status_code=status, media_type=_MEDIA, headers=headers)
    body = stream_file(sidecar.skeleton_path, first, last)
    return StreamingResponse(body, status_code=status, media_type=_MEDIA, headers=headers)


async def span_endpoint(request: Request) -> Response:
    found = _session(request)
    if isinstance(found, Response):
        return found
    gateway, sid = found
    span_id = request.path_params["span_id"]
    if _SPAN_ID_RE.fullmatch(span_id) is None:
        return error_response(400, "invalid_span_id", "span id must be 16 lower-case hex digits")

    def lookup() -> dict[str, object] | None:
        return find_spans(gateway.skeletons, sid, _numbered(gateway, sid), [span_id]).get(span_id)

    record = await anyio.to_thread.run_sync(lookup)
    if record is None:
        return error_response(404, "not_found", "no such span in this session's trace")
    return JSON(record, headers={"Cache-Control": "no-cache"})


async def spans_endpoint(request: Request) -> Response:
    found = _session(request)
    if isinstance(found, Response):
        return found
    gateway, sid = found
    given = request.query_params.getlist("ids")
    if not given:
        return error_response(400, "missing_ids", "give the span ids as ?ids=<id>,<id>,... (at most 256)")
    ids = list(dict.fromkeys(i for value in given for i in value.split(",")))
    if len(ids) > MAX_BATCH:
        return error_response(400, "too_many_ids", f"at most {MAX_BATCH} span ids a request ({len(ids)} given)")
    bad = next((i for i in ids if _SPAN_ID_RE.fullmatch(i) is None), None)
    if bad is not None:
        shown = bad[:40] + ("..." if len(bad) > 40 else "")
        return error_response(400, "invalid_span_id", f"span ids are 16 lower-case hex digits, not {shown!r}")

    def lookup() -> dict[str, dict[str, object]] | None:
        parts = _numbered(gateway, sid)
        return find_spans(gateway.skeletons, sid, parts, ids) if parts else None

    records = await anyio.to_thread.run_sync(lookup)
    if records is None:
        return error_response(404, "not_found", "no trace file for this session")
    missing = [i for i in ids if i not in records]
    return JSON({"spans": records, "missing": missing}, headers={"Cache-Control": "no-cache"})
