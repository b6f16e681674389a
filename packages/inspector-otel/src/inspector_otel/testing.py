"""Test helpers: read a trace back, live or finished.

Usage::

    from inspector_otel.testing import read_trace, read_session
    records = read_trace(tmp_path / "run-123456.jsonl.gz")       # one part
    records = read_session(tmp_path, "run-123456")                # every part, joined in order
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inspector_hooks import tracefile

from .errors import TraceFileError

__all__ = ["read_session", "read_trace"]


def read_trace(path: str | Path) -> list[dict[str, Any]]:
    """The JSON records of one trace file part; a partial last line (not yet flushed) is ignored."""
    try:
        return [json.loads(line) for line in tracefile.read_lines(Path(path)) if line.strip()]
    except OSError as exc:
        raise TraceFileError(f"cannot read {path}: {exc}") from exc


def read_session(traces_dir: str | Path, session_id: str) -> list[dict[str, Any]]:
    """The records of every part of a session's trace, joined in order."""
    records: list[dict[str, Any]] = []
    for part in tracefile.trace_parts(Path(traces_dir), session_id):
        records.extend(read_trace(part))
    return records
