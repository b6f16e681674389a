"""The trace files of one directory: sessions through the gateway's reader (the code ``GET /sessions`` uses), lines
through the one trace-file format module (``inspector_hooks.tracefile``), so the command and the UI never disagree
about a session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click
import msgspec

from inspector_gateway.security import validate_session_id
from inspector_gateway.sessions import FileSession, PriceTable, TraceDirectory, load_prices, trace_parts, usage_row
from inspector_hooks import tracefile

from ._durations import parse_time

__all__ = ["Store", "session_row"]

_decode = msgspec.json.Decoder().decode


def session_row(session: FileSession, prices: PriceTable | None = None) -> dict[str, Any]:
    """The ``GET /sessions`` row of a session (the ``--json`` shape of ``ls``), its usage priced."""
    row: dict[str, Any] = dict(session.row(session.waiting))
    if session.usage:
        row["usage"] = usage_row(session.usage, prices or load_prices())
    return row


@dataclass
class Store:
    """One traces directory."""

    traces_dir: Path

    def sessions(self) -> list[FileSession]:
        """Every session, newest first (as ``GET /sessions`` orders them); exit 1 when the directory is missing."""
        if not self.traces_dir.is_dir():
            raise click.ClickException(f"{self.traces_dir} is not a directory (see -d/--traces-dir)")
        found = TraceDirectory(self.traces_dir).sessions()
        return sorted(found, key=lambda s: (s.started_at or "", s.id), reverse=True)

    def session(self, session_id: str) -> FileSession:
        """One session, or a ``click.ClickException`` (exit 1) naming what is wrong."""
        if not tracefile.valid_session_id(session_id):
            raise click.BadParameter(f"session id must match ^{tracefile.SESSION_ID_RE.pattern}$", param_hint="ID")
        for found in self.sessions():
            if found.id == session_id:
                return found
        raise click.ClickException(f"no session {session_id!r} in {self.traces_dir}")

    def parts(self, session_id: str) -> list[Path]:
        """The directory entries of the session's files (a link is the link itself, never its target)."""
        entries = [self.traces_dir / p.name for p in trace_parts(self.traces_dir, validate_session_id(session_id))]
        return [e for e in entries if e.is_file() or e.is_symlink()]

    def lines(self, session_id: str) -> Iterator[bytes]:
        """The session's JSONL lines, rotated parts joined; blank lines and a torn (unflushed) tail are skipped.
        Only parts inside the traces folder are read (the one rule, ``inspector_hooks.tracefile.check_part``)."""
        readable = [p.path for p in trace_parts(self.traces_dir, validate_session_id(session_id)) if p.path]
        for part in readable:
            try:
                for line in tracefile.read_lines(part):
                    if not line.strip():
                        continue
                    try:
                        _decode(line)
                    except msgspec.DecodeError:
                        continue
                    yield line
            except OSError as exc:
                raise click.ClickException(f"cannot read {part.name}: {exc}") from exc

    def records(self, session_id: str) -> Iterator[dict[str, Any]]:
        for line in self.lines(session_id):
            record = _decode(line)
            if isinstance(record, dict):
                yield record


def ended_at(session: FileSession) -> datetime:
    """When a session ended (its ``session_end`` time, else its files' last write)."""
    return parse_time(session.ended_at) or datetime.fromtimestamp(session.mtime, tz=timezone.utc)
