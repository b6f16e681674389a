"""``GET /trace/{session_id}``: the stored gzip bytes (rotated parts joined), ETag, and single byte ranges.

Ranges are over the stored (gzip) bytes, the representation served with ``Content-Encoding: gzip`` (RFC 9110
§14). A live file is served as it is at request time: its size is taken once, so a later request with
``Range: bytes=<previous end + 1>-`` reads what was appended since.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from inspector_gateway._responses import JSON, error_response
from inspector_gateway._state import GatewayState
from inspector_gateway.errors import InvalidSessionId
from inspector_gateway.security import validate_session_id
from inspector_gateway.sessions._otlp import lines_of, to_otlp
from inspector_gateway.sessions._tracefiles import trace_parts

__all__ = ["MalformedRange", "RangeNotSatisfiable", "parse_range", "requested_range", "stream_file", "trace_endpoint"]

_RANGE_RE = re.compile(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*")
_HUGE = 1 << 62  # past any file: stands for numbers too long to convert (int() refuses over 4,300 digits)
_CHUNK = 64 * 1024
_MEDIA = "application/x-ndjson"
#: a trace of several parts up to this stored size is served, whole, as one gzip member (see trace_endpoint)
MAX_JOINED_BYTES = 64 * 1024 * 1024


def _one_member(parts: list[Path]) -> bytes:
    """Every complete line of ``parts``, in order, as one gzip member."""
    lines = [line for line in lines_of(parts) if line.strip()]
    return gzip.compress(b"".join(line + b"\n" for line in lines), compresslevel=1, mtime=0)


class RangeNotSatisfiable(Exception):
    pass


class MalformedRange(Exception):
    pass


def _number(digits: str) -> int:
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= 18 else _HUGE


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``(first, last)`` inclusive for one ``bytes=`` range, or None to serve the whole file.

    Raises ``MalformedRange`` for syntax errors and ``RangeNotSatisfiable`` when the range misses ``[0, size)``.
    Several ranges (``a-b,c-d``) are answered with the whole file (RFC 9110 allows ignoring ``Range``).
    """
    if "," in header:
        return None
    match = _RANGE_RE.fullmatch(header)
    if match is None:
        raise MalformedRange(header)
    first_raw, last_raw = match.groups()
    if not first_raw and not last_raw:
        raise MalformedRange(header)
    if not first_raw:  # suffix range: the last N bytes
        suffix = _number(last_raw)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return max(0, size - suffix), size - 1
    first = _number(first_raw)
    last = _number(last_raw) if last_raw else size - 1
    if last_raw and last < first:
        raise MalformedRange(header)
    if first >= size:
        raise RangeNotSatisfiable(header)
    return first, min(last, size - 1)


def requested_range(request: Request, size: int, etag: str) -> tuple[int, int] | None | Response:
    """The single byte range ``request`` asks of a representation of ``size`` bytes tagged ``etag``: ``(first, last)``
    inclusive, None for the whole (no ``Range``, or an ``If-Range`` that no longer matches), or the 400/416 answer."""
    range_header = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if range_header is None or (if_range is not None and if_range.strip() != etag):
        return None
    try:
        return parse_range(range_header, size)
    except MalformedRange:
        return error_response(400, "bad_range", "malformed Range header (expected bytes=first-last)")
    except RangeNotSatisfiable:
        return error_response(
            416, "range_not_satisfiable", f"range outside 0-{max(0, size - 1)}", {"Content-Range": f"bytes */{size}"}
        )


def _etag(stats: list[os.stat_result]) -> str:
    key = ";".join(f"{s.st_ino}-{s.st_mtime_ns}-{s.st_size}" for s in stats)
    return '"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


async def _stream(parts: list[tuple[Path, int]], first: int, last: int) -> AsyncIterator[bytes]:
    position = 0
    remaining = last - first + 1
    for path, size in parts:
        if remaining <= 0:
            break
        if position + size <= first:
            position += size
            continue
        start = max(0, first - position)
        async with await anyio.open_file(path, "rb") as fh:
            await fh.seek(start)
            left = min(size - start, remaining)
            while left > 0:
                chunk = await fh.read(min(_CHUNK, left))
                if not chunk:
                    break  # truncated under us: stop rather than lie about the length
                left -= len(chunk)
                remaining -= len(chunk)
                yield chunk
        position += size


def stream_file(path: Path, first: int, last: int) -> AsyncIterator[bytes]:
    """Bytes ``first..last`` (inclusive) of one file, streamed (a file that shrank ends the stream early)."""
    return _stream([(path, last + 1)], first, last)


async def _broken(parts: list[Path], problem: str, fmt: str) -> Response:
    """A broken trace: never its bytes as gzip. The lines that could be read, plainly (identity encoding, no ranges),
    with the problem in ``X-Trace-Error``; 422 when nothing could be read, and always for OTLP (a partial export
    would pass for a whole one)."""
    message = f"broken trace file: {problem}"
    if fmt == "otlp":
        return error_response(422, "broken_trace_file", message)
    lines = await anyio.to_thread.run_sync(lambda: [line for line in lines_of(parts) if line.strip()])
    if not lines:
        return error_response(422, "broken_trace_file", message)
    header = message.encode("ascii", "replace").decode()[:1000]
    body = b"\n".join(lines) + b"\n"
    return Response(body, media_type=_MEDIA, headers={"X-Trace-Error": header, "Cache-Control": "no-cache"})


def _if_none_match(header: str | None, etag: str) -> bool:
    if header is None:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


async def trace_endpoint(request: Request) -> Response:
    gateway: GatewayState = request.app.state.gateway
    try:
        sid = validate_session_id(request.path_params["session_id"])
    except InvalidSessionId as exc:
        return error_response(400, "invalid_session_id", str(exc))
    fmt = request.query_params.get("format", "raw")
    if fmt not in {"raw", "otlp"}:
        return error_response(400, "invalid_format", "format must be 'raw' or 'otlp'")
    found = trace_parts(gateway.settings.traces_dir, sid)
    if not found:
        return error_response(404, "not_found", "no trace file for this session")
    problem = await anyio.to_thread.run_sync(gateway.traces.file_error, sid)
    parts = [p.path for p in found if p.path is not None]
    if problem is not None:
        return await _broken(parts, problem, fmt)
    if fmt == "otlp":
        body = await anyio.to_thread.run_sync(lambda: to_otlp(lines_of(parts)))
        return JSON(body)
    try:
        stats = [os.stat(p) for p in parts]
    except OSError:
        return error_response(404, "not_found", "trace file vanished")
    sized = [(p, s.st_size) for p, s in zip(parts, stats, strict=False)]
    total = sum(size for _, size in sized)
    etag = _etag(stats)
    headers = {"ETag": etag, "Accept-Ranges": "bytes", "Content-Encoding": "gzip", "Cache-Control": "no-cache"}
    if _if_none_match(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"ETag": etag})
    joined: bytes | None = None
    if len(sized) > 1 and total <= MAX_JOINED_BYTES:
        # several parts are several gzip members, and browsers (and most HTTP clients) undo Content-Encoding: gzip
        # for the first member only: a joined trace (a Temporal session's writers, rotated parts) is served as its
        # lines in one member (deterministic for the same files, so ranges address the same bytes as a whole read)
        joined = await anyio.to_thread.run_sync(_one_member, parts)
        total = len(joined)
    wanted = requested_range(request, total, etag)
    if isinstance(wanted, Response):
        return wanted
    if wanted is None and joined is not None:
        headers["Content-Length"] = str(len(joined))
        return Response(joined, media_type=_MEDIA, headers=headers)
    if wanted is None:
        headers["Content-Length"] = str(total)
        return StreamingResponse(_stream(sized, 0, total - 1), media_type=_MEDIA, headers=headers)
    first, last = wanted
    headers["Content-Range"] = f"bytes {first}-{last}/{total}"
    headers["Content-Length"] = str(last - first + 1)
    if joined is not None:
        return Response(joined[first : last + 1], status_code=206, media_type=_MEDIA, headers=headers)
    return StreamingResponse(_stream(sized, first, last), status_code=206, media_type=_MEDIA, headers=headers)
