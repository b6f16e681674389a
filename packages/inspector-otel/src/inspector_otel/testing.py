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


def _decompress(data: bytes) -> bytes:
    """Every complete byte of every gzip member; a member without trailer (live or killed writer) is fine."""
    out: list[bytes] = []
    while data:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out.append(d.decompress(data))
        except zlib.error:
            break  # a torn tail (e.g. cut mid-block): keep what decoded before it
        if not d.eof:
            break  # live or killed: no trailer yet
        data = d.unused_data
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
