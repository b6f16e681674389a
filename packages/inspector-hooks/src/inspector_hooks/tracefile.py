"""The trace-file format (SPEC §4) in one place: names, parts, the writers' lock dir, records, reading and writing.

The exporter (``inspector_otel``) writes these files and the gateway reads them; both take every fact about the
format from here, and this module needs nothing outside the standard library. Usage::

    from inspector_hooks import tracefile

    tracefile.valid_session_id("run-123456")                 # True
    tracefile.part_path(traces_dir, "run-123456", 2)         # traces_dir / "run-123456.2.jsonl.gz"
    for path in tracefile.trace_parts(traces_dir, "run-123456"):
        for line in tracefile.read_lines(path):
            record = tracefile.decode_record(line)

Layout: a session's trace is ``{id}.jsonl.gz`` (part 0) followed by ``{id}.{n}.jsonl.gz`` (n = 1, 2, ...). Readers
join every existing part in ascending ``n``; a missing number (a part lost or deleted) is skipped, never the end of
the trace. Each part holds one or more gzip members of JSON lines; the last member may lack its trailer (a live
writer, or one that was killed) and its last line may be partial: readers keep every complete line before that.

Format v2 (``_skeleton``, docs/trace-format.md) adds, without changing the records: access points (full flushes
where a raw inflate can start) and, per part, sidecars in ``{traces_dir}/.sidecars`` (the skeleton stream, the span
locators, the listing summary), all rebuildable from the part; v1 parts have neither and read the same way.

Records (one JSON object per line, ``"type"`` first): the ``session`` header (line 1 of part 0, with the format
version ``v``), ``span_start``, ``span``, ``session_paused``, ``session_resumed`` and ``session_end`` (the last line
of a finished session). Each writing process holds a ``flock`` on ``{traces_dir}/.writers/{pid}-{16 hex}.lock`` and
names that file in the ``writer`` field of its headers; a free lock (or no file) means the writer has ended.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple, TypeGuard

from ._lines import LineDecoder, append_records, decode_record, encode_record, read_lines
from ._skeleton import (
    ACCESS_POINT_BYTES,
    COVERED_ID,
    CUT_KEY,
    CUT_LIMIT,
    LLM_SPAN,
    LOCATOR,
    LOCATOR_SUFFIX,
    MAX_USES,
    SIDECAR_SUFFIXES,
    SIDECARS_DIR,
    SKELETON_SUFFIX,
    START_BIT,
    SUMMARY_SUFFIX,
    USE_KEYS,
    PartSummary,
    SkeletonBuilder,
    check_sidecar,
    covered_entry,
    covered_size,
    encoded_size,
    find_locator,
    find_locator_entry,
    locator_entry,
    read_record_at,
    read_summary,
    sidecar_name,
    sidecar_path,
    sidecar_paths,
    skeleton_attributes,
    skeleton_record,
)

__all__ = [
    # format version
    "FORMAT_VERSION",
    # session ids and file names
    "SESSION_ID_PATTERN",
    "SESSION_ID_RE",
    "SUFFIX",
    "parse_part_name",
    "part_name",
    "part_path",
    "trace_parts",
    "valid_session_id",
    # the one rule for opening a part
    "TracePart",
    "check_part",
    "resolve_inside",
    # the writers' lock files
    "WRITERS_DIR",
    "WRITER_NAME_RE",
    "new_writer_name",
    "writer_gone",
    # times
    "utc_from_timestamp",
    "utc_now",
    # records
    "END_STATUSES",
    "RECORD_TYPES",
    "SESSION",
    "SESSION_END",
    "SESSION_PAUSED",
    "SESSION_RESUMED",
    "SPAN",
    "SPAN_FIELDS",
    "SPAN_PREFIX",
    "SPAN_START",
    "SPAN_START_FIELDS",
    "session_end_record",
    "session_paused_record",
    "session_record",
    "session_resumed_record",
    "span_start_record",
    # format v2: access points, sidecars, skeleton rules (see _skeleton)
    "ACCESS_POINT_BYTES",
    "CUT_KEY",
    "CUT_LIMIT",
    "LOCATOR",
    "COVERED_ID",
    "START_BIT",
    "SIDECARS_DIR",
    "SIDECAR_SUFFIXES",
    "SKELETON_SUFFIX",
    "LOCATOR_SUFFIX",
    "SUMMARY_SUFFIX",
    "LLM_SPAN",
    "MAX_USES",
    "PartSummary",
    "SkeletonBuilder",
    "USE_KEYS",
    "check_sidecar",
    "covered_entry",
    "covered_size",
    "encoded_size",
    "find_locator",
    "find_locator_entry",
    "locator_entry",
    "read_record_at",
    "read_summary",
    "sidecar_name",
    "sidecar_path",
    "sidecar_paths",
    "skeleton_attributes",
    "skeleton_record",
    # reading and writing
    "LineDecoder",
    "append_records",
    "decode_record",
    "encode_record",
    "read_lines",
]

#: the ``v`` of the session header; bumped only by a change readers must know about (2: access points and
#: sidecars, see ``_skeleton``; a v1 part has neither and is read the same way)
FORMAT_VERSION = 2

# -- session ids and file names ---------------------------------------------------------------------------------
SESSION_ID_PATTERN = "[A-Za-z0-9_-]{6,128}"
#: use with ``fullmatch`` (``valid_session_id`` does)
SESSION_ID_RE = re.compile(SESSION_ID_PATTERN)
SUFFIX = ".jsonl.gz"
# part 0 has no number; others are 1..999999 without leading zeros, so each part has exactly one name
_PART_NAME_RE = re.compile(rf"({SESSION_ID_PATTERN})(?:\.([1-9][0-9]{{0,5}}))?\.jsonl\.gz")


def valid_session_id(value: object) -> TypeGuard[str]:
    """Whether ``value`` is a session id: 6-128 characters of ``A-Z a-z 0-9 _ -`` (safe in a file name)."""
    return isinstance(value, str) and SESSION_ID_RE.fullmatch(value) is not None


def part_name(session_id: str, part: int) -> str:
    """The file name of part ``part`` of a session's trace (part 0 has no number)."""
    return f"{session_id}{SUFFIX}" if part == 0 else f"{session_id}.{part}{SUFFIX}"


def part_path(directory: Path, session_id: str, part: int) -> Path:
    """``directory / part_name(session_id, part)``."""
    return directory / part_name(session_id, part)


def parse_part_name(name: str) -> tuple[str, int] | None:
    """``(session_id, part)`` of a trace file's name, or None for any other name."""
    match = _PART_NAME_RE.fullmatch(name)
    return None if match is None else (match.group(1), int(match.group(2) or 0))


def trace_parts(directory: Path, session_id: str) -> list[Path]:
    """Every existing part of a session's trace, in reading order (a gap in the numbers is skipped over).

    Whatever holds a part's name is listed (a link, even a directory: the caller judges what it can read).
    ``session_id`` must be valid (``valid_session_id``): the names are built from it. An unreadable directory has
    no parts.
    """
    prefix = f"{session_id}."
    found: list[tuple[int, Path]] = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if not entry.name.startswith(prefix):
                    continue
                parsed = parse_part_name(entry.name)
                if parsed is not None and parsed[0] == session_id:
                    found.append((parsed[1], Path(entry.path)))
    except OSError:
        return []
    return [path for _, path in sorted(found)]


# -- the one rule for opening a part ----------------------------------------------------------------------------
class TracePart(NamedTuple):
    """One part of a session's trace: its ``name``, its real ``path`` (None when refused) and what is wrong."""

    name: str
    path: Path | None
    problem: str | None


def resolve_inside(directory: Path, name: str) -> Path | None:
    """The real path of ``directory / name`` (symlinks followed) when it is directly inside ``directory``, else None.
    Every trace path a reader opens goes through here (``check_part``), so nothing outside the folder is read."""
    base = directory.resolve()
    candidate = (base / name).resolve()
    return candidate if candidate.parent == base else None


def check_part(directory: Path, name: str) -> TracePart:
    """Whether the part ``name`` of ``directory`` may be read: a regular file whose real path is inside the folder
    (``resolve_inside``). Anything else comes back with ``path=None`` and the reason (for the user)."""
    real = resolve_inside(directory, name)
    if real is None:
        return TracePart(name, None, f"{name} is a link to a file outside the traces folder: not read")
    try:
        mode = os.stat(real).st_mode
    except OSError as exc:
        return TracePart(name, None, f"{name} cannot be read: {exc.strerror or exc}")
    if not stat.S_ISREG(mode):
        return TracePart(name, None, f"{name} is not a regular file")
    return TracePart(name, real, None)


# -- the writers' lock files ------------------------------------------------------------------------------------
WRITERS_DIR = ".writers"
#: the only names a writer gives its lock file (a reader opens nothing else)
WRITER_NAME_RE = re.compile(r"[0-9]{1,10}-[0-9a-f]{16}\.lock")


def new_writer_name() -> str:
    """A fresh lock-file name for this process: ``{pid}-{16 hex}.lock``."""
    import secrets  # imported here: the hook bus's import stays cheap

    return f"{os.getpid()}-{secrets.token_hex(8)}.lock"


def writer_gone(directory: Path, name: object) -> bool:
    """True only when ``name`` is a writer's lock file in ``directory/.writers`` and that writer has certainly ended
    (its lock is free, or the file is gone). Without ``flock`` (Windows) or when unsure: False. Never raises."""
    if not isinstance(name, str) or WRITER_NAME_RE.fullmatch(name) is None:
        return False
    try:
        import fcntl
    except ImportError:  # Windows: no flock, no liveness
        return False
    try:
        fd = os.open(directory / WRITERS_DIR / name, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return True
    except OSError:
        return False  # cannot tell: not gone
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:  # held by a live writer (BlockingIOError), or flock unsupported here: not gone
            return False
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


# -- times ------------------------------------------------------------------------------------------------------
def utc_now() -> str:
    """Now as RFC 3339 UTC with microseconds and ``Z`` (the format of every time in a trace file)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc_from_timestamp(seconds: float) -> str:
    """An epoch timestamp in the format of :func:`utc_now`."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# -- records ----------------------------------------------------------------------------------------------------
SESSION = "session"
SPAN_START = "span_start"
SPAN = "span"
SESSION_PAUSED = "session_paused"
SESSION_RESUMED = "session_resumed"
SESSION_END = "session_end"
RECORD_TYPES = (SESSION, SPAN_START, SPAN, SESSION_PAUSED, SESSION_RESUMED, SESSION_END)
#: the keys of a ``span`` record, in the order writers put them (readers may rely on ``SPAN_PREFIX``)
SPAN_FIELDS = (
    "type",
    "trace_id",
    "span_id",
    "parent_span_id",
    "name",
    "kind",
    "start_time",
    "end_time",
    "status",
    "attributes",
    "events",
    "links",
)
SPAN_START_FIELDS = ("type", "trace_id", "span_id", "parent_span_id", "name", "kind", "start_time")
#: how every span line begins (compact JSON, ``type`` first): readers may count spans without decoding them
SPAN_PREFIX = b'{"type":"span",'
#: the ``status`` of a ``session_end`` record
END_STATUSES = ("completed", "failed", "cancelled")


def session_record(
    session_id: str,
    *,
    engine: str,
    title: str,
    started_at: str,
    parent_session_id: str | None,
    resource: Mapping[str, Any],
    writer: str | None = None,
) -> dict[str, Any]:
    """The session header, line 1 of part 0 (``writer``: the writing process's lock file, when it holds one)."""
    header = {
        "type": SESSION,
        "v": FORMAT_VERSION,
        "id": session_id,
        "engine": engine,
        "title": title,
        "started_at": started_at,
        "parent_session_id": parent_session_id,
        "resource": dict(resource),
    }
    if writer is not None:
        header["writer"] = writer
    return header


def span_start_record(
    *, trace_id: str, span_id: str, parent_span_id: str | None, name: str, kind: str, start_time: str
) -> dict[str, Any]:
    """The ``span_start`` record written when a span starts (its ``span`` record follows when it ends)."""
    return {
        "type": SPAN_START,
        "trace_id": trace_id,
        "span_id": span_id,
        "parent_span_id": parent_span_id,
        "name": name,
        "kind": kind,
        "start_time": start_time,
    }


def session_paused_record(signal_name: str | None, prompt: str | None, schema: Any = None) -> dict[str, Any]:
    """``session_paused``: the session waits on a signal (a human's answer) from now on."""
    return {"type": SESSION_PAUSED, "at": utc_now(), "signal_name": signal_name, "prompt": prompt, "schema": schema}


def session_resumed_record(signal_name: str | None, answer: Any = None, action: str | None = None) -> dict[str, Any]:
    """``session_resumed``: the wait that the last ``session_paused`` began is over.

    ``answer`` is what ended the wait, as JSON (a human's answer, a signal's payload, an elicitation's accepted
    content; a string cut to the exporter's attribute limit when longer); ``action`` is an elicitation's
    ``accept``/``decline``/``cancel``, else null. Files written before these fields were added lack them: read
    them as null.
    """
    return {"type": SESSION_RESUMED, "at": utc_now(), "signal_name": signal_name, "answer": answer, "action": action}


def session_end_record(status: str, error: str | None, ended_at: str | None = None) -> dict[str, Any]:
    """``session_end``, the last line of a finished session (``status`` one of ``END_STATUSES``)."""
    return {"type": SESSION_END, "status": status, "ended_at": ended_at or utc_now(), "error": error}
