"""The background indexer: one daemon thread that keeps the index in step with the trace files.

It never runs on the agent's thread: the exporter writes the trace files as it always does, and this thread
follows them (woken by the gateway's ``SpanEnded`` events, and every ``poll`` seconds for files other processes
write). New sessions, grown files, rewritten files (their session is indexed afresh) and deleted files (their
rows go) are handled on each pass. Rows and the read position of their file are committed in one transaction,
so a crash never indexes a line twice or skips one. Errors are logged at DEBUG and retried; a damaged database
is deleted and rebuilt from the files.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from inspector_gateway.search import SearchSpan, decode_search_span, is_lifecycle, span_text
from inspector_hooks.tracefile import SPAN_PREFIX

from ._facets import facets_of
from ._follow import FollowedFile, list_trace_files
from ._lock import IndexLock
from ._store import BUMP_WRITES, index_path, open_checked, remove_index

__all__ = ["Indexer", "Progress"]

logger = logging.getLogger(__name__)

_BATCH = 500  # spans per transaction
_DEBOUNCE = 0.2  # seconds between a wake-up and the pass (the exporter writes in batches)


@dataclass
class Progress:
    """How far the index is; served in ``GET /search`` answers as ``progress``."""

    state: str = "starting"  # starting | building | ready | shared (another process writes) | failed
    files_total: int = 0
    files_done: int = 0
    bytes_total: int = 0
    bytes_done: int = 0
    spans: int = 0
    rebuilds: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out = dict(vars(self))
        out["percent"] = round(100.0 * self.bytes_done / self.bytes_total, 1) if self.bytes_total else 100.0
        return out


def _row(span: SearchSpan) -> tuple[Any, ...] | None:
    if span.type != "span":
        return None
    attributes = span.attributes or {}
    category = attributes.get("openinference.span.kind")
    status = (span.status or {}).get("code")
    return (
        span.span_id,
        span.name,
        span.kind,
        str(category).lower() if category else None,
        status if isinstance(status, str) else None,
        span.start_time,
        span_text({"attributes": attributes, "events": span.events, "status": span.status}),
    )


def _name_columns(name: str) -> tuple[str | None, str | None]:
    """``name`` and ``lifecycle_name`` of a span: a lifecycle span's name is found but weighs nothing in the rank."""
    return (None, name) if is_lifecycle(name) else (name, None)


class Indexer:
    """Keeps ``{traces_dir}/.inspector-index.sqlite3`` in step with the trace files, in a daemon thread."""

    def __init__(self, traces_dir: Path, *, poll: float = 1.0) -> None:
        self.traces_dir = traces_dir
        self.path = index_path(traces_dir)
        self.poll = poll
        self.progress = Progress()
        self.generation = 0  # bumped whenever the database file is replaced
        self._lock = IndexLock(traces_dir)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._rebuild = threading.Event()
        self._idle = threading.Condition()
        self._asked = 0  # idle questions asked (``ask_idle``)
        self._answered = 0  # the last question a pass that found nothing left to read answers
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None
        self._files: dict[str, FollowedFile] = {}
        self._next_id = 1

    # --- control (any thread) ---

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="inspector-sqlite-index", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Ask for a pass soon (cheap: called on the thread that publishes gateway events)."""
        self._wake.set()

    def request_rebuild(self) -> None:
        """Delete the database and index the files again (a search found it damaged)."""
        self._rebuild.set()
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def close(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._thread = None

    def ask_idle(self) -> int:
        """Ask for a pass; returns a ticket that ``idle_reached`` answers once a pass that began after this call
        found nothing left to read."""
        with self._idle:
            self._asked += 1
            ticket = self._asked
        self._wake.set()
        return ticket

    def idle_reached(self, ticket: int) -> bool:
        return self._answered >= ticket

    def wait_idle(self, timeout: float) -> bool:
        """Wait until the index has everything written before this call (tests, benchmarks, the CLI)."""
        ticket = self.ask_idle()
        with self._idle:
            return self._idle.wait_for(lambda: self._answered >= ticket, timeout)

    def _answer(self, ticket: int) -> None:
        with self._idle:
            self._answered = max(self._answered, ticket)
            self._idle.notify_all()

    # --- the thread ---

    def _run(self) -> None:
        backoff = self.poll
        while not self._stop.is_set():
            ticket = self._asked
            try:
                if not self.traces_dir.is_dir():  # nothing written yet: nothing to index
                    self.progress.state = "ready"
                    self._answer(ticket)
                    self._wake.wait(self.poll)
                    self._wake.clear()
                    continue
                if not self._lock.acquire():
                    self.progress.state = "shared"
                    self._stop.wait(max(self.poll, 2.0))
                    continue
                if self._conn is None or self._rebuild.is_set():
                    self._open()
                busy = self._pass()
                backoff = self.poll
                if busy:
                    continue
                self._answer(ticket)
                if self._wake.wait(self.poll):
                    self._wake.clear()
                    self._stop.wait(_DEBOUNCE)
            except sqlite3.DatabaseError as exc:
                logger.debug("search index: %s; rebuilding", exc, exc_info=True)
                self.progress.error = f"{type(exc).__name__}: {exc}"
                self._rebuild.set()
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)
            except Exception as exc:
                logger.debug("search index pass failed", exc_info=True)
                self.progress.error = f"{type(exc).__name__}: {exc}"
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._lock.release()

    def _open(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._rebuild.is_set():
            self._rebuild.clear()
            remove_index(self.path)
            self.progress.rebuilds += 1
        self._conn, created = open_checked(self.path)
        if created:
            self.generation += 1
        self._files.clear()
        for name, sid, inode, size, mtime_ns, lines in self._conn.execute("SELECT * FROM files"):
            self._files[name] = FollowedFile(
                name, sid, self.traces_dir / name, inode=inode, size=size, mtime_ns=mtime_ns, lines=lines, replay=True
            )
        row = self._conn.execute("SELECT max(id), count(*) FROM spans").fetchone()
        self._next_id = (row[0] or 0) + 1
        self.progress.spans = row[1]
        self.progress.state = "building"

    def _pass(self) -> bool:
        """One pass over the directory; returns whether it was stopped before reading everything."""
        assert self._conn is not None
        found = list_trace_files(self.traces_dir)
        gone = {f.session_id for name, f in self._files.items() if name not in found}
        for name, (sid, st) in found.items():
            known = self._files.get(name)
            if known is not None and (known.replaced(st) or known.broken and not known.same(st)):
                gone.add(sid)
        for sid in gone:
            self._forget(sid)
        todo: list[tuple[FollowedFile, Any]] = []
        for name, (sid, st) in found.items():
            followed = self._files.get(name)
            if followed is None:
                followed = self._files[name] = FollowedFile(name, sid, self.traces_dir / name)
            if not followed.same(st) and not followed.broken:
                todo.append((followed, st))
        if not todo:
            self.progress.state = "ready"
            return False
        todo.sort(key=lambda item: item[1].st_mtime_ns, reverse=True)  # newest sessions searchable first
        catching_up = self.progress.state != "ready" or sum(st.st_size for _, st in todo) > 8 << 20
        if catching_up:
            self.progress.state = "building"
            self.progress.files_total = len(self._files)
            self.progress.files_done = len(self._files) - len(todo)
            self.progress.bytes_total = sum(max(st.st_size - f.offset, 0) for f, st in todo)
            self.progress.bytes_done = 0
        for followed, st in todo:
            if self._stop.is_set() or self._rebuild.is_set():
                return True
            self._index_file(followed, st)
            if catching_up:
                self.progress.files_done += 1
        self.progress.state = "ready"
        self.progress.error = None
        return False

    def _forget(self, sid: str) -> None:
        """Drop a session's rows and read positions (its files were deleted or rewritten)."""
        assert self._conn is not None
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.execute(
                "DELETE FROM spans_text WHERE rowid IN (SELECT id FROM spans WHERE session_id = ?)", (sid,)
            )
            deleted = self._conn.execute("DELETE FROM spans WHERE session_id = ?", (sid,)).rowcount
            self._conn.execute("DELETE FROM files WHERE session_id = ?", (sid,))
            self._conn.execute(BUMP_WRITES)
        self.progress.spans -= max(deleted, 0)
        for name in [n for n, f in self._files.items() if f.session_id == sid]:
            del self._files[name]

    def _index_file(self, followed: FollowedFile, st: Any) -> None:
        rows: list[tuple[Any, ...]] = []
        try:
            for consumed, lines in followed.read(st):
                self.progress.bytes_done += consumed
                for line in lines:
                    if not line.startswith(SPAN_PREFIX):
                        continue
                    try:
                        row = _row(decode_search_span(line))
                    except (msgspec.DecodeError, ValueError, RecursionError):  # bad lines are skipped
                        continue
                    if row is not None:
                        rows.append(row)
                if len(rows) >= _BATCH:
                    self._commit(followed, rows, done=False)
                    rows = []
                    time.sleep(0)  # let other threads (the agent's) take the GIL between batches
                if self._stop.is_set():
                    break
        except FileNotFoundError:
            return
        self._commit(followed, rows, done=not self._stop.is_set())

    def _commit(self, followed: FollowedFile, rows: list[tuple[Any, ...]], *, done: bool) -> None:
        assert self._conn is not None
        first = self._next_id
        ids = range(first, first + len(rows))
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany(
                "INSERT INTO spans (id, session_id, span_id, name, kind, category, status, start_time)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(i, followed.session_id, *row[:6]) for i, row in zip(ids, rows, strict=True)],
            )
            self._conn.executemany(
                "INSERT INTO spans_text (rowid, name, lifecycle_name, body, facets) VALUES (?, ?, ?, ?, ?)",
                [
                    (i, *_name_columns(row[1]), row[6], facets_of(followed.session_id, row[2], row[3], row[4]))
                    for i, row in zip(ids, rows, strict=True)
                ],
            )
            self._conn.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                (
                    followed.name,
                    followed.session_id,
                    followed.inode,
                    followed.size if done else -1,  # -1: read again from the start after a restart
                    followed.mtime_ns,
                    followed.lines,
                ),
            )
            self._conn.execute(BUMP_WRITES)
        self._next_id += len(rows)
        self.progress.spans += len(rows)
