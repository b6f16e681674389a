"""Trace files (SPEC §4) as the gateway sees them: parts of a session, and cached, incrementally read metadata.

A session's file is ``{id}.jsonl.gz``; rotated parts are ``{id}.{n}.jsonl.gz`` (n = 1, 2, ...) and follow it (the
format, names and reading primitives are ``inspector_hooks.tracefile``'s).
Metadata (header, ``session_end``, span count) is read once per file and then only the bytes appended since the
last read are decompressed, so a growing live file costs what it grew by. A directory whose mtime did not change
costs one ``stat`` plus one ``stat`` per unfinished session whose writer lives.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from inspector_gateway._jsonin import DECODE_ERRORS
from inspector_gateway.sessions._registry import NEEDLES, Uses, uses_of_line
from inspector_gateway.sessions._usage import USAGE_NEEDLE, usage_of_line
from inspector_gateway.types import SessionInfo
from inspector_hooks import tracefile

from ._summary import SessionSummary
from ._writers import WRITER_GONE_ERROR, WriterLiveness

__all__ = ["FileSession", "TraceDirectory", "gzip_problem", "numbered_parts", "trace_parts"]

logger = logging.getLogger(__name__)

_SPAN_PREFIX = tracefile.SPAN_PREFIX
_READ_CHUNK = 1 << 20
_RACY_NS = 2_000_000_000
_EMPTY_GRACE_S = 5.0  # an empty file younger than this is a writer about to write its header, not a broken file


class _Line(msgspec.Struct):
    type: str = ""
    id: str | None = None
    engine: str | None = None
    title: str | None = None
    started_at: str | None = None
    parent_session_id: str | None = None
    status: str | None = None
    ended_at: str | None = None
    error: str | None = None
    writer: str | None = None
    signal_name: str | None = None
    prompt: str | None = None
    schema: Any = None


class _TypeOnly(msgspec.Struct):
    type: str = ""


_decode_line = msgspec.json.Decoder(_Line).decode
_decode_type = msgspec.json.Decoder(_TypeOnly).decode


def trace_parts(traces_dir: Path, session_id: str) -> list[tracefile.TracePart]:
    """The parts of ``session_id`` that exist, in reading order (``tracefile.trace_parts``: base file, then ``.1``,
    ``.2``, ..., across a gap), each checked by ``tracefile.check_part``; none without the base file (as
    ``/sessions`` lists none). ``session_id`` must already be validated; the names are built only from it."""
    found = tracefile.trace_parts(traces_dir, session_id)
    if not found or found[0].name != tracefile.part_name(session_id, 0):
        return []
    return [tracefile.check_part(traces_dir, path.name) for path in found]


def numbered_parts(traces_dir: Path, session_id: str) -> list[tuple[int, tracefile.TracePart]]:
    """``trace_parts`` with each part's number (from its name), in reading order."""
    out: list[tuple[int, tracefile.TracePart]] = []
    for part in trace_parts(traces_dir, session_id):
        parsed = tracefile.parse_part_name(part.name)
        if parsed is not None:
            out.append((parsed[1], part))
    return out


def gzip_problem(name: str, offset: int) -> str:
    """What to say about a part whose bytes stop being gzip (found while reading from byte ``offset``)."""
    return f"{name} holds data that is not gzip (corrupt, or not a trace), found reading from byte {offset}"


@dataclass
class FileSession(SessionSummary):
    """What one session's trace files say about it."""

    mtime: float = 0.0
    writer: str | None = None  # the header's lock file of the writing process (see ``_writers``)
    #: what the session waits for since its last ``session_paused`` record (None once resumed or ended)
    waiting: dict[str, Any] | None = None
    #: resources and prompts its spans used (see ``_registry``)
    uses: Uses | None = None
    #: what is wrong with its files (not gzip, empty, not a regular file, a link out of the folder), if anything
    file_error: str | None = None

    def row(self, waiting: dict[str, Any] | None = None) -> SessionInfo:
        row = super().row(waiting)
        if self.file_error:
            row["file_error"] = self.file_error
        return row


@dataclass
class _PartReader:
    path: Path | None  # None: refused by ``tracefile.check_part`` (``problem`` says why)
    name: str = ""
    problem: str | None = None
    inode: int = -1
    offset: int = 0
    size: int = -1
    mtime_ns: int = -1
    #: None once the session is finished: its files do not grow, and a decoder holds 7-40 KB of zlib state
    lines: tracefile.LineDecoder | None = field(default_factory=tracefile.LineDecoder)


@dataclass
class _Entry:
    meta: FileSession
    parts: dict[int, _PartReader] = field(default_factory=dict)


class TraceDirectory:
    """Cached metadata of every session file in ``traces_dir``; thread-safe; call ``sessions()`` from a thread."""

    def __init__(self, traces_dir: Path) -> None:
        self.traces_dir = traces_dir
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._dir_mtime_ns = -1
        self._dirty: set[str] = set()
        self.writers = WriterLiveness(traces_dir)

    def mark_dirty(self, session_id: str) -> None:
        """Ask the next ``sessions()`` to re-stat this session's files (called from hook subscribers)."""
        self._dirty.add(session_id)

    def sessions(self) -> list[FileSession]:
        """Every session found in the directory, metadata brought up to date."""
        with self._lock:
            try:
                mtime_ns = os.stat(self.traces_dir).st_mtime_ns
            except FileNotFoundError:
                self._entries.clear()
                self._dir_mtime_ns = -1
                return []
            dirty, self._dirty = self._dirty, set()
            # "racy" listings (git's term): a file created in the same clock tick as the last listing leaves the
            # directory's mtime unchanged, so a recently modified directory is listed again
            recent = time.time_ns() - mtime_ns < _RACY_NS
            if mtime_ns != self._dir_mtime_ns or recent or not dirty <= self._entries.keys():
                self._rescan(dirty)
                self._dir_mtime_ns = mtime_ns
            else:
                for sid, entry in self._entries.items():
                    if self._followed(entry.meta) or sid in dirty:
                        self._refresh(entry)
            return [self._judged(entry.meta) for entry in self._entries.values()]

    def file_error(self, session_id: str) -> str | None:
        """What is wrong with ``session_id``'s trace files now (its metadata brought up to date first), or None."""
        with self._lock:
            entry = self._entries.get(session_id)
            if entry is None:
                entry = _Entry(FileSession(id=session_id))
                for number, part in numbered_parts(self.traces_dir, session_id):  # keyed as ``_rescan`` keys
                    entry.parts[number] = _PartReader(part.path, part.name, part.problem)
                if entry.parts:
                    self._entries[session_id] = entry
            self._refresh(entry)
            return entry.meta.file_error

    def waits_elsewhere(self, session_id: str) -> bool:
        """Whether the last ``sessions()`` found ``session_id`` paused by its file (its process may be another one)."""
        return self._listed_status(session_id) == "paused"

    def unfinished_elsewhere(self, session_id: str) -> bool:
        """Whether the last ``sessions()`` found ``session_id`` running or paused by its file (its process may be
        another one)."""
        return self._listed_status(session_id) in ("running", "paused")

    def _listed_status(self, session_id: str) -> str | None:
        with self._lock:
            entry = self._entries.get(session_id)
            return None if entry is None else self._judged(entry.meta).status

    def _followed(self, meta: FileSession) -> bool:
        """Whether the session's files may still grow: unfinished, and its writer (when named) not gone. A Temporal
        session has other writers than the one of its header (its client, then every worker that runs it): it is
        followed until it ends."""
        if meta.status != "running":
            return False
        return meta.engine == "temporal" or not (meta.writer is not None and self.writers.gone(meta.writer))

    def _judged(self, meta: FileSession) -> FileSession:
        """``meta``, or a copy that says what an unfinished session is: paused while its file says it waits on a
        signal, failed when its writer has ended.

        The cached metadata stays "running" (so its files are still followed); only the answer changes. Temporal
        sessions are never judged failed: their workflows outlive the process that started them.
        """
        if meta.file_error is not None:
            spans = f"{meta.span_count} span{'s' if meta.span_count != 1 else ''} could be read"
            error = f"broken trace file: {meta.file_error} ({spans})"
            return dataclasses.replace(meta, status="failed", error=error, waiting=None)
        if meta.status != "running":
            return meta
        if meta.engine == "temporal" or self._followed(meta):
            return dataclasses.replace(meta, status="paused") if meta.waiting is not None else meta
        # The kernel stamps mtime from its coarse clock (a few ms behind the writer's own clock), so the last write
        # can read as earlier than the session's start: the end is never put before the start.
        last_write = max(tracefile.utc_from_timestamp(meta.mtime), meta.started_at or "")
        return dataclasses.replace(meta, status="failed", error=WRITER_GONE_ERROR, ended_at=last_write, waiting=None)

    def _rescan(self, dirty: set[str]) -> None:
        """List the directory; read new files and re-stat unfinished, dirty or re-partitioned sessions only
        (a finished session's files do not change)."""
        found: dict[str, dict[int, tuple[str, int]]] = {}
        with os.scandir(self.traces_dir) as it:
            for item in it:
                parsed = tracefile.parse_part_name(item.name)
                if parsed is None:
                    continue
                found.setdefault(parsed[0], {})[parsed[1]] = (item.name, item.inode())
        for sid in list(self._entries):
            if sid not in found:
                del self._entries[sid]
        for sid, parts in found.items():
            if 0 not in parts:
                continue  # rotated parts without their first file: nothing to show
            entry = self._entries.get(sid)
            if entry is None:
                entry = self._entries[sid] = _Entry(FileSession(id=sid))
            elif not (
                sid in dirty
                or self._followed(entry.meta)
                or len(parts) != len(entry.parts)
                or any(n not in entry.parts or entry.parts[n].inode != ino for n, (_, ino) in parts.items())
            ):
                continue  # finished and the same files (scandir gives inodes for free): nothing to read
            for n, (name, _) in parts.items():
                if n not in entry.parts:
                    part = tracefile.check_part(self.traces_dir, name)
                    entry.parts[n] = _PartReader(part.path, name, part.problem)
            self._refresh(entry)

    def _refresh(self, entry: _Entry) -> None:
        stats: dict[int, os.stat_result] = {}
        for n, reader in entry.parts.items():
            if reader.path is None:
                continue
            try:
                stats[n] = os.stat(reader.path)
            except OSError as exc:
                logger.debug("cannot stat %s: %s", reader.path, exc)
        if any(
            reader.inode != -1
            and (
                n not in stats
                or stats[n].st_ino != reader.inode
                or stats[n].st_size < reader.offset
                or (reader.lines is None and stats[n].st_size != reader.size)
            )
            for n, reader in entry.parts.items()
        ):  # a part was rewritten or removed, or a finished one changed: count everything again
            entry.meta = FileSession(id=entry.meta.id)
            entry.parts = {n: _PartReader(r.path, r.name) for n, r in entry.parts.items() if n in stats}
        for n in sorted(entry.parts):
            if n not in stats:
                continue
            reader = entry.parts[n]
            try:
                self._advance(entry.meta, reader, stats[n])
            except OSError as exc:
                reader.problem = f"{reader.name} cannot be read: {exc.strerror or exc}"
        entry.meta.file_error = next((r.problem for _, r in sorted(entry.parts.items()) if r.problem), None)
        if entry.meta.status != "running" or entry.meta.file_error is not None:
            for reader in entry.parts.values():  # finished or broken: nothing more will be decoded
                reader.lines = None

    def _advance(self, meta: FileSession, reader: _PartReader, st: os.stat_result) -> None:
        if st.st_size == 0:
            old = time.time() - st.st_mtime > _EMPTY_GRACE_S
            reader.problem = f"{reader.name} is an empty file (no session header was ever written)" if old else None
        if st.st_size == reader.size and st.st_mtime_ns == reader.mtime_ns and st.st_ino == reader.inode:
            return
        if reader.inode == -1:
            reader.inode = st.st_ino
        reader.size, reader.mtime_ns = st.st_size, st.st_mtime_ns
        meta.mtime = max(meta.mtime, st.st_mtime)
        if reader.path is None or (reader.problem is not None and st.st_size > 0):
            return  # refused, or corrupt from some byte on: what came before it was read already
        if reader.offset == 0 and st.st_size > 0:
            self._summarized(meta, reader, st.st_size)
        if reader.offset >= st.st_size:
            return
        with open(reader.path, "rb") as fh:
            fh.seek(reader.offset)
            while True:
                chunk = fh.read(_READ_CHUNK)
                if not chunk:
                    break
                reader.offset += len(chunk)
                self._feed(meta, reader, chunk)
                if reader.problem is not None:
                    break

    def _summarized(self, meta: FileSession, reader: _PartReader, size: int) -> None:
        """Take a v2 part's summary (``tracefile.PartSummary``) for its first ``covers`` bytes, when it has one that
        fits, so only the bytes after it are read (from an access point, raw)."""
        parsed = tracefile.parse_part_name(reader.name)
        if parsed is None:
            return
        path = tracefile.check_sidecar(self.traces_dir, parsed[0], parsed[1], tracefile.SUMMARY_SUFFIX)
        body = tracefile.read_summary(path) if path is not None else None
        if body is None or not 0 < body["covers"] <= size:
            return
        meta.span_count += body["span_count"]
        for model, counts in body["usage"].items():
            if isinstance(counts, list) and len(counts) == 3 and all(type(n) is int for n in counts):
                if meta.usage is None:
                    meta.usage = {}
                entry = meta.usage.setdefault(str(model), [0, 0, 0])
                for i in range(3):
                    entry[i] += counts[i]
        _merge_uses(meta, body["uses"])
        for record in body["records"]:
            _apply(meta, tracefile.encode_record(record).rstrip(b"\n"))
        reader.offset = body["covers"]
        reader.lines = tracefile.LineDecoder(raw=True, offset=reader.offset)

    def _feed(self, meta: FileSession, reader: _PartReader, chunk: bytes) -> None:
        if reader.lines is None:
            reader.lines = tracefile.LineDecoder()  # only after a recount reset (a new reader has its own)
        for line in reader.lines.feed(chunk):
            _apply(meta, line)
        if reader.lines.error_offset is not None:  # not gzip from there on: stop reading this part
            reader.problem = gzip_problem(reader.name, reader.lines.error_offset)


def _apply(meta: FileSession, line: bytes) -> None:
    if line.startswith(_SPAN_PREFIX):
        meta.span_count += 1
        _span_extras(meta, line)
        return
    if not line.strip():
        return
    try:
        parsed = _decode_line(line)
    except DECODE_ERRORS:
        try:
            if _decode_type(line).type == tracefile.SPAN:
                meta.span_count += 1
        except DECODE_ERRORS:
            pass
        return
    if parsed.type == tracefile.SPAN:
        meta.span_count += 1
        _span_extras(meta, line)
    elif parsed.type == tracefile.SESSION:
        meta.engine = parsed.engine or meta.engine
        meta.title = parsed.title or meta.title
        meta.started_at = parsed.started_at or meta.started_at
        # several writers (a Temporal client and its workers) each start a part with a header; only the one that
        # started the session knows its parent, and its part need not be read last (nor be part 0)
        meta.parent_session_id = parsed.parent_session_id or meta.parent_session_id
        meta.writer = parsed.writer
    elif parsed.type == tracefile.SESSION_END:
        meta.status = parsed.status or "completed"
        meta.ended_at = parsed.ended_at
        meta.error = parsed.error
        meta.waiting = None
    elif parsed.type == tracefile.SESSION_PAUSED:
        schema = parsed.schema if isinstance(parsed.schema, dict) else None
        meta.waiting = {"signal_name": parsed.signal_name, "prompt": parsed.prompt, "schema": schema}
    elif parsed.type == tracefile.SESSION_RESUMED:
        meta.waiting = None


def _span_extras(meta: FileSession, line: bytes) -> None:
    """Tokens (``_usage``) and resources/prompts used (``_registry``) of a span line; two substring tests when the
    line has neither."""
    if USAGE_NEEDLE in line:
        if meta.usage is None:
            meta.usage = {}
        usage_of_line(meta.usage, line)
    if NEEDLES[0] in line or NEEDLES[1] in line:
        if meta.uses is None:
            meta.uses = {}
        uses_of_line(meta.uses, line)


def _merge_uses(meta: FileSession, uses: dict[str, Any]) -> None:
    """Add a summary's resources and prompts used (kind -> name -> span ids, as ``_registry.uses_of_line``)."""
    for kind, names in uses.items():
        if not isinstance(names, dict):
            continue
        for name, span_ids in names.items():
            if not isinstance(span_ids, list):
                continue
            if meta.uses is None:
                meta.uses = {}
            spans = meta.uses.setdefault(str(kind), {}).setdefault(str(name), [])
            for span_id in span_ids:
                if isinstance(span_id, str) and len(spans) < tracefile.MAX_USES and span_id not in spans:
                    spans.append(span_id)
