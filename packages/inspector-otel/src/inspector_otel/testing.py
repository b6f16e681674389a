"""Test helpers: read a trace back, live or finished.

Usage::

    from inspector_otel.testing import read_trace, read_session
    records = read_trace(tmp_path / "run-123456.jsonl.gz")       # one part
    records = read_session(tmp_path, "run-123456")                # every part, joined in order
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

from ._files import trace_parts
from .errors import TraceFileError

__all__ = ["read_session", "read_trace"]


def _decompress(data: bytes, chunk: int = 16 * 1024) -> bytes:
    """Every decodable byte of every gzip member; a member without trailer (live or killed writer) or with a torn
    tail is read up to where it stops making sense."""
    out: list[bytes] = []
    while data:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        rest = b""
        for start in range(0, len(data), chunk):
            try:
                out.append(d.decompress(data[start : start + chunk]))
            except zlib.error:
                return b"".join(out)  # a torn tail: keep what decoded before it
            if d.eof:
                rest = d.unused_data + data[start + chunk :]
                break
        if not d.eof:
            break  # live or killed: no trailer yet
        data = rest
    return b"".join(out)


def read_trace(path: str | Path) -> list[dict[str, Any]]:
    """The JSON records of one trace file part; a partial last line (not yet flushed) is ignored."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise TraceFileError(f"cannot read {path}: {exc}") from exc
    text = _decompress(raw)
    lines = text.split(b"\n")
    return [json.loads(line) for line in lines[:-1] if line.strip()]


def read_session(traces_dir: str | Path, session_id: str) -> list[dict[str, Any]]:
    """The records of every part of a session's trace, joined in order."""
    records: list[dict[str, Any]] = []
    for part in trace_parts(Path(traces_dir), session_id):
        records.extend(read_trace(part))
    return records
