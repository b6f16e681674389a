"""The exporter's background thread: batches records per session and writes them, surviving storage failures.

The agent's threads do the least they can: of a finished span only its fields are read (``put_span``: ints, strings
and its attribute dict in a tuple, see ``_jsonl.span_fields``), so the span itself is not kept alive, and the writer
formats them into the span's record; a started span is queued as a weak reference (``put_start``). Both are appended
to a deque (a SimpleQueue wakes the writer when it sleeps with nothing queued, and carries flush/stop requests);
records, JSON encoding, compression and file I/O happen here.
When a write fails (full disk, unwritable directory) the lines are kept in a bounded buffer, ``on_error`` is called
once per failure episode, and every ``retry_interval`` seconds the writer tries again; the first success calls
``on_recovered``. ``session_end`` is held back ``end_grace`` seconds so spans that end just after their session
still land before it. A part nothing was written to for ``idle_close`` seconds is closed (``TraceFiles.close_idle``):
the thread wakes for that when parts are open.
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from inspector_hooks import tracefile

from ._files import IDLE_CLOSE_SECONDS, TraceFiles
from ._jsonl import (
    SpanFields,
    SpanLine,
    encode_line,
    encode_lines,
    record_of,
    span_fields,
    span_start_record,
)
from ._liveness import WriterLock
from ._sidecars import SkeletonOf, skeleton_of

logger = logging.getLogger(__name__)

# record kinds put on the queue
SESSION = "session"
START = "start"
SPAN = "span"
MARK = "mark"  # a record written in its place among the spans (session_paused / session_resumed)
END = "end"
MAX_END_HOLD = 30.0  # seconds a session_end waits, past its grace, for the session's spans that are still open
_BUSY_RECHECK = 0.05  # how often a held session_end re-checks for open spans
_FLUSH = "flush"  # write everything queued and every held session_end
_SYNC = "sync"  # write everything queued; held session_ends keep their grace
_STOP = "stop"
_WAKE = "wake"  # a put found the writer idle

ErrorCallback = Callable[[str, str, BaseException], None]
RecoveredCallback = Callable[[str], None]


class TraceWriter:
    """Owns the trace files and the thread that writes them."""

    def __init__(
        self,
        directory: Path,
        *,
        level: int = 1,
        max_bytes: int,
        max_open: int,
        idle_close: float | None = IDLE_CLOSE_SECONDS,
        sidecars: bool = True,
        linger: float = 0.05,
        retry_interval: float = 1.0,
        end_grace: float = 0.5,
        max_buffer_bytes: int = 64 * 1024 * 1024,
        on_error: ErrorCallback | None = None,
        on_recovered: RecoveredCallback | None = None,
    ) -> None:
        self.files = TraceFiles(
            directory, level=level, max_bytes=max_bytes, max_open=max_open, idle_close=idle_close, sidecars=sidecars
        )
        self.lock = WriterLock(self.files.directory)  # named in every header: readers can tell if we are gone
        self.linger = linger
        self.retry_interval = retry_interval
        self.end_grace = end_grace
        self.max_buffer_bytes = max_buffer_bytes
        self.on_error = on_error
        self.on_recovered = on_recovered
        self.dropped = 0
        self._items: deque[tuple[str, str | None, Any]] = deque()  # records, in the order they were put
        self._control: queue.SimpleQueue[Any] = queue.SimpleQueue()  # _WAKE, or (_FLUSH/_SYNC/_STOP, Event)
        self._idle = False  # the writer sleeps (or is about to) with no records: the next put wakes it
        self._wake = threading.Event()
        self._meta: dict[str, dict[str, Any]] = {}
        self._known: set[str] = set()
        self._held: dict[str, list[bytes]] = {}  # lines of failed writes, oldest first
        self._held_bytes = 0
        self._ends: dict[str, tuple[bytes, float]] = {}
        self._end_limits: dict[str, float] = {}  # the latest time a held session_end may wait for open spans
        #: ``busy(session_id)`` is True while a span of that session is still open: its session_end then waits
        #: (up to ``MAX_END_HOLD`` seconds past the grace) so the spans that end late still come before it
        self.busy: Callable[[str], bool] | None = None
        self._failing: str | None = None
        self.resource: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._run, name="inspector-otel-writer", daemon=True)
        self._thread.start()

    # ---- agent side -------------------------------------------------------------------------------------------
    def put(self, kind: str, session_id: str, payload: Any) -> None:
        """Queue one record (a deque append; the writer is woken only when it sleeps with nothing queued)."""
        self._items.append((kind, session_id, payload))
        if self._idle:
            self._idle = False
            self._control.put(_WAKE)

    def put_span(self, session_id: str, span: Any) -> None:
        """Queue a finished span: its fields are read now, in the caller's thread, and the span is not kept.

        Holding the span until the batch is written (up to ``linger``) would keep its objects (attributes, events,
        context, the SDK's locks) alive past the garbage collector's young generation: promoted, they make the
        collections of the whole process more frequent and more expensive. Formatting the record here instead
        (hex ids, RFC 3339 times, the msgspec Struct) cost ~10 us a span in the demo, against ~3 us for the same
        code in the writer's batch loop: between two spans the agent's own code evicts ours from the CPU caches.
        """
        if not self.resource:
            self._take_resource(span)
        self.put(SPAN, session_id, span_fields(span))

    def put_start(self, session_id: str, span: Any) -> None:
        """Queue a started span's ``span_start``, written unless the span has ended by the time its batch is."""
        if not self.resource:
            self._take_resource(span)
        try:
            ref: Callable[[], Any] = weakref.ref(span)  # not kept alive by the queue (see put_span)
        except TypeError:  # a span type without weak references
            ref = functools.partial(_same, span)
        self.put(START, session_id, ref)

    def _take_resource(self, span: Any) -> None:
        try:
            self.resource = dict(span.resource.attributes)
        except Exception:
            logger.debug("span without a resource", exc_info=True)

    def flush(self, timeout: float | None = 30.0, *, ends: bool = True) -> bool:
        """Write everything queued (and, with ``ends``, every held ``session_end``); True when done in time."""
        if not self._thread.is_alive():
            return False
        done = threading.Event()
        self._control.put((_FLUSH if ends else _SYNC, done))
        self._wake.set()
        return done.wait(timeout)

    def stop(self, timeout: float | None = 30.0) -> None:
        """Write everything, finish every file (gzip trailers) and end the thread."""
        if not self._thread.is_alive():
            return
        done = threading.Event()
        self._control.put((_STOP, done))
        self._wake.set()
        done.wait(timeout)
        self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    # ---- writer thread ----------------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            self._idle = True
            first: Any = _WAKE if self._items else self._next(self._timeout())
            self._idle = False
            if first is _WAKE and self.linger > 0:
                self._wake.wait(self.linger)  # gather a batch; flush() and stop() cut it short
            self._wake.clear()
            controls: list[tuple[str, threading.Event]] = [first] if first is not None and first is not _WAKE else []
            while (more := self._next(0)) is not None:  # control requests first: then every record put before them
                if more is not _WAKE:
                    controls.append(more)
            pop = self._items.popleft
            items = [pop() for _ in range(len(self._items))]
            kinds = {kind for kind, _ in controls}
            try:
                self._process(items, force_ends=_FLUSH in kinds or _STOP in kinds)
                self.files.close_idle()
                if _STOP in kinds:
                    self.files.close_all()
                    self.lock.release()
            except Exception:  # never let the thread die
                logger.exception("inspector trace writer failed on a batch")
            for _, event in controls:
                event.set()
            if _STOP in kinds:
                return

    def _next(self, timeout: float | None) -> Any:
        try:
            if timeout == 0:
                return self._control.get_nowait()
            return self._control.get(timeout=timeout)
        except queue.Empty:
            return None

    def _timeout(self) -> float | None:
        waits: list[float] = []
        if self._held:
            waits.append(self.retry_interval)
        if self._ends:
            waits.append(max(_BUSY_RECHECK, min(d for _, d in self._ends.values()) - time.monotonic()))
        idle = self.files.idle_deadline()
        if idle is not None:
            waits.append(max(_BUSY_RECHECK, idle - time.monotonic()))
        return min(waits) if waits else None

    def _process(self, items: list[tuple[str, str | None, Any]], *, force_ends: bool) -> None:
        # per session: (bytes written first: lines held from failed writes, then a new file's header; records)
        batch: dict[str, tuple[list[bytes], list[Any]]] = {sid: (list(lines), []) for sid, lines in self._held.items()}
        held = set(self._held)
        self._held = {}
        self._held_bytes = 0
        now = time.monotonic()
        known = self._known
        run_sid: str | None = None  # the session of the previous span record, and its record list
        run: list[Any] = []
        for kind, sid, payload in items:
            if sid is None:
                continue
            if kind is SPAN and sid is run_sid:  # the hot path: one more span record of the same session
                run.append(_span_line(payload, sid))
                continue
            if kind is START:
                # a span that has ended needs no span_start: its span record is in this batch (or the next)
                span = payload()
                if span is None or span.end_time is not None:
                    continue
            if kind is END:
                self._ends[sid] = (encode_line(payload), now + self.end_grace)
                self._end_limits[sid] = now + self.end_grace + MAX_END_HOLD
                continue
            entry = batch.get(sid)
            if entry is None:
                entry = batch[sid] = ([], [])
            if kind is SESSION:
                self._meta[sid] = payload
            if sid not in known:
                known.add(sid)
                if self._is_new(sid) or self._knows_parent(sid):
                    entry[0].append(self._header(sid))
            if kind is SPAN:
                entry[1].append(_span_line(payload, sid))
                run_sid, run = sid, entry[1]
            elif kind is START:
                entry[1].append(span_start_record(span))
            elif kind is MARK:
                entry[1].append(payload)
        for sid, (first, records) in batch.items():
            # the skeleton shows the lines of this batch; lines held from a failed write it cannot (their part's
            # sidecars were dropped with it, the gateway rebuilds them)
            skeleton = None if sid in held else skeleton_of(list(first), records)
            if records:
                first.append(encode_lines(records))
            if first:
                self._write(sid, first, skeleton)
        for sid, (line, deadline) in list(self._ends.items()):
            due = deadline <= now and (now >= self._end_limits.get(sid, 0.0) or not self._is_busy(sid))
            if (force_ends or due) and sid not in self._held and self._write(sid, [line], skeleton_of([line], [])):
                del self._ends[sid]
                self._end_limits.pop(sid, None)
                self.files.forget(sid)
                self._known.discard(sid)
                self._meta.pop(sid, None)

    def _is_new(self, sid: str) -> bool:
        try:
            return self.files.is_new(sid)
        except OSError:  # cannot even open the file: write the header with the lines, which are held and retried
            return True

    def _knows_parent(self, sid: str) -> bool:
        """True when this process knows the session's parent: another process (a Temporal worker) may have made
        part 0 first with a header that lacks it, so this writer's own part starts with a header too (readers merge
        the headers of all parts)."""
        return bool(self._meta.get(sid, {}).get("parent_session_id"))

    def _is_busy(self, sid: str) -> bool:
        try:
            return bool(self.busy and self.busy(sid))
        except Exception:  # a failing check must not hold the end forever
            logger.debug("busy check failed", exc_info=True)
            return False

    def _header(self, sid: str) -> bytes:
        """The session header line (bytes, so a failed write keeps it as it is)."""
        meta = self._meta.get(sid, {})
        return encode_line(
            tracefile.session_record(
                sid,
                engine=str(meta.get("engine") or "asyncio"),
                title=str(meta.get("title") or sid),
                started_at=str(meta.get("started_at") or tracefile.utc_now()),
                parent_session_id=meta.get("parent_session_id"),
                resource=self.resource,
                writer=self.lock.acquire(),
            )
        )

    def _write(self, sid: str, lines: list[bytes], skeleton: SkeletonOf | None = None) -> bool:
        try:
            path = self.files.write(sid, lines[0] if len(lines) == 1 else b"".join(lines), skeleton)
        except OSError as exc:
            self._hold(sid, lines)
            target = str(tracefile.part_path(self.files.directory, sid, 0))
            if self._failing is None:
                self._failing = target
                logger.warning("cannot write trace file %s: %s (keeping spans, will retry)", target, exc)
                if self.on_error is not None:
                    self.on_error(target, str(exc), exc)
            return False
        if self._failing is not None and not self._held:
            logger.info("trace files are written again (%s)", path)
            self._failing = None
            if self.on_recovered is not None:
                self.on_recovered(str(path))
        return True

    def _hold(self, sid: str, lines: list[bytes]) -> None:
        held = self._held.setdefault(sid, [])
        held.extend(lines)
        self._held_bytes += sum(len(x) for x in lines)
        while self._held_bytes > self.max_buffer_bytes:
            victim = next(iter(self._held))
            old = self._held[victim]
            # keep a session's header (index 0) as long as possible; drop its oldest batch of lines
            index = 1 if len(old) > 1 and old[0].startswith(b'{"type":"session"') else 0
            self._held_bytes -= len(old.pop(index))
            self.dropped += 1
            if not old:
                del self._held[victim]
        if self.dropped:
            logger.warning("trace buffer full: %d batches of lines dropped so far", self.dropped)


def _same(span: Any) -> Any:
    return span


def _span_line(fields: SpanFields | SpanLine, sid: str) -> SpanLine:
    """The span's record, with ``session.id`` when the span lacks it (decided at its end, or evicted by limits)."""
    record = record_of(fields)
    if "session.id" not in record.attributes:
        record.attributes = {**record.attributes, "session.id": sid}
    return record
