"""Gzipped JSONL trace files: one live gzip member per part, sync-flushed per batch, rotated, LRU-capped.

Only the exporter's writer thread touches these objects.

File layout (SPEC §4, names from ``inspector_hooks.tracefile``): ``{dir}/{sid}.jsonl.gz`` is part 0, then
``{sid}.1.jsonl.gz``, ``{sid}.2.jsonl.gz``...
Each part holds exactly one gzip member written through one compressor object: ISA-L's ``isal_zlib.compressobj``
(the ``isal`` package: the same gzip format as zlib's, ~7x faster at level 1) where its wheel exists and the level is
1-3 (0, "store", and 4-9 go to zlib), else the standard library's ``zlib.compressobj``. A new part starts when

* the current part reaches ``max_bytes`` (rotation, 100 MiB),
* the file was closed by the open-file cap (LRU), by the idle close (nothing written to it for ``idle_close``
  seconds) or by its session's end, and more records for it arrive,
* a write failed (disk full...): the failed part is cut back to its last flushed size when possible.

So readers must join the parts in order (``n`` ascending, part 0 first), and must accept a part without a gzip
trailer (a live file, or a process that was killed). The session header is written at the top of part 0.

Several processes may write one session (a Temporal workflow execution: its client and every worker that runs its
workflow tasks or activities). Each part has exactly one writer: a part is created exclusively (``O_EXCL``) and
never reopened, and a writer whose number is taken takes the next free one, so writers never interleave bytes in a
file. The process that creates part 0 writes the header; another writer starts its own part with a header only when it
knows the session's parent (a Temporal client: the worker that made part 0 does not), and readers merge them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import zlib
from collections import OrderedDict
from pathlib import Path
from types import ModuleType
from typing import Any

from inspector_hooks.tracefile import ACCESS_POINT_BYTES, parse_part_name, part_path, trace_parts

from ._sidecars import Sidecars, SkeletonOf

try:  # ISA-L: gzip-compatible deflate, several times faster than zlib at its levels 1-3
    from isal import isal_zlib as _isal_zlib

    _FAST_ZLIB: ModuleType | None = _isal_zlib
except ImportError:  # no wheel for this platform: the standard library's zlib writes the same format
    _FAST_ZLIB = None

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_OPEN_FILES = 50
IDLE_CLOSE_SECONDS = 60.0  # a part nothing was written to for this long is closed (None: only the cap closes parts)
MAX_REMEMBERED = 4096  # next part numbers kept of sessions without an open part
_MAX_CLAIMS = 64  # part numbers tried before a write gives up (each try lost a race to another writer)


def compressor(level: int) -> tuple[Any, int, int]:
    """A gzip-member compressor for ``level`` and its sync-flush and finish modes (ISA-L when it can, else zlib)."""
    lib: Any = _FAST_ZLIB if _FAST_ZLIB is not None and 1 <= level <= 3 else zlib  # zlib: 0 stores
    return lib.compressobj(level, lib.DEFLATED, 16 + lib.MAX_WBITS), lib.Z_SYNC_FLUSH, lib.Z_FINISH


class _Part:
    """One open part: the file object, its compressor, the bytes written so far, its access points and sidecars."""

    __slots__ = (
        "_finish",
        "_full",
        "_sync",
        "access_point",
        "compressor",
        "fh",
        "part",
        "path",
        "sidecars",
        "since",
        "size",
        "written_at",
    )

    def __init__(self, path: Path, session_id: str, part: int, level: int, sidecars: bool = True) -> None:
        self.path = path
        self.part = part
        # created, never reopened: a part has exactly one writer (FileExistsError: another process has this number)
        self.fh = open(path, "xb")  # noqa: SIM115 - kept open across batches, closed by close()/abandon()
        self.size = self.fh.tell()
        self.compressor, self._sync, self._finish = compressor(level)
        self._full = zlib.Z_FULL_FLUSH  # same value in ISA-L's isal_zlib
        self.access_point = 0  # compressed offset where a raw inflate can start (0: the gzip header)
        self.since = 0  # text written since the access point
        self.written_at = time.monotonic()  # when it was opened or last written (the idle close's clock)
        self.sidecars: Sidecars | None = None
        if sidecars:
            try:
                self.sidecars = Sidecars(path.parent, session_id, part, compressor(level))
            except OSError:
                logger.debug("no sidecars for %s", path, exc_info=True)

    def write(self, data: bytes, skeleton: SkeletonOf | None = None) -> None:
        """Compress ``data``, flush, write and flush; on failure cut the file back to its last good size.

        Access points: wherever ``ACCESS_POINT_BYTES`` of text went in since the last one, the first line end from
        there gets a full flush (a large batch gets several). Then the sidecars, if any: ``skeleton`` makes their
        lines (None: this batch has lines the skeleton cannot show, and the sidecars go).
        """
        compress = self.compressor.compress
        out: list[bytes] = []
        points = [(0, self.access_point)]  # (offset in data of the first line after it, compressed offset)
        start = 0
        since = self.since
        view = memoryview(data)  # slices of it are not copies
        if since + len(data) >= ACCESS_POINT_BYTES:  # rare path: an access point falls inside this batch
            written = self.size
            while True:
                cut = data.find(b"\n", start + max(0, ACCESS_POINT_BYTES - since - 1))
                if cut < 0 or cut >= len(data) - 1:
                    break  # the batch's last line: its end gets the full flush below
                chunk = compress(view[start : cut + 1]) + self.compressor.flush(self._full)
                out.append(chunk)
                written += len(chunk)
                points.append((cut + 1, written))
                start, since = cut + 1, 0
        since += len(data) - start
        # the batch ends at an access point when that much text went in, or to write the part's summary there
        full = since >= ACCESS_POINT_BYTES or (self.sidecars is not None and self.sidecars.summary_due())
        out.append(
            compress(view[start:] if start else data) + self.compressor.flush(self._full if full else self._sync)
        )
        good = self.size
        try:
            for chunk in out:
                self.fh.write(chunk)
            self.fh.flush()
        except OSError:
            self._truncate(good)
            raise
        self.size = good + sum(map(len, out))
        self.written_at = time.monotonic()
        self.since = since
        self.access_point = points[-1][1]
        if full:
            self.access_point, self.since = self.size, 0
        if self.sidecars is not None:
            try:
                if skeleton is None:
                    raise OSError("lines without a skeleton")
                self.sidecars.write(*skeleton(self.part, data, points, self.sidecars.summary), self.size, full)
            except Exception:  # a sidecar is rebuildable: never let it cost trace data
                logger.debug("sidecars of %s dropped", self.path, exc_info=True)
                self._drop_sidecars()

    def _drop_sidecars(self) -> None:
        if self.sidecars is not None:
            self.sidecars.discard()
            self.sidecars = None

    def _truncate(self, size: int) -> None:
        with contextlib.suppress(OSError):
            self.fh.close()
        try:
            os.truncate(self.path, size)
        except OSError:
            logger.debug("could not cut %s back to %d bytes", self.path, size, exc_info=True)

    def close(self) -> None:
        """Finish the gzip member (trailer) and close the file; then the sidecars."""
        try:
            tail = self.compressor.flush(self._finish)
            self.fh.write(tail)
            self.fh.flush()
            self.size += len(tail)
        except OSError:
            self._drop_sidecars()
            raise
        finally:
            self.fh.close()
        if self.sidecars is not None:
            try:
                self.sidecars.close(self.size)
            except Exception:
                logger.debug("sidecars of %s dropped", self.path, exc_info=True)
                self._drop_sidecars()

    def abandon(self) -> None:
        """Close without a trailer (after a failed write: the compressor state no longer matches the file)."""
        with contextlib.suppress(OSError):
            self.fh.close()
        if self.sidecars is not None:  # kept: they cover the part as cut back (deleting them would free space
            self.sidecars.release()  # on a full disk, and a retry would pass for a recovery)
            self.sidecars = None


class TraceFiles:
    """The open parts of every session, capped at ``max_open`` (least recently written closed first) and closed
    when idle for ``idle_close`` seconds (``close_idle``, called by the writer thread).

    Each open part holds a file descriptor, its two sidecars' and three compressors' state (~0.7 MB). A process
    that writes a little into many sessions and then nothing more (a Temporal client: each run it starts is a
    session its workers write) would otherwise keep them until the cap pushes them out; closed, a part is a
    finished gzip member with its sidecars, and a later record of its session starts the next part.
    """

    def __init__(
        self,
        directory: Path,
        *,
        level: int = 1,
        max_bytes: int = MAX_FILE_BYTES,
        max_open: int = MAX_OPEN_FILES,
        idle_close: float | None = IDLE_CLOSE_SECONDS,
        sidecars: bool = True,
    ) -> None:
        self.directory = directory
        self.idle_close = idle_close
        self.level = level
        self.sidecars = sidecars  # format v2's skeleton and locators beside each part (False: v1's parts only)
        self.max_bytes = max_bytes
        self.max_open = max_open
        self._open: OrderedDict[str, _Part] = OrderedDict()
        self._next_part: dict[str, int] = {}

    @property
    def open_count(self) -> int:
        return len(self._open)

    def idle_deadline(self) -> float | None:
        """The ``time.monotonic()`` at which the least recently written open part becomes idle (None: none open,
        or no idle close)."""
        if self.idle_close is None or not self._open:
            return None
        oldest = next(iter(self._open.values()))
        return oldest.written_at + self.idle_close

    def close_idle(self, now: float | None = None) -> int:
        """Close every part not written for ``idle_close`` seconds (as the cap closes one); returns how many."""
        if self.idle_close is None:
            return 0
        limit = (time.monotonic() if now is None else now) - self.idle_close
        closed = 0
        while self._open:  # least recently written first: stop at the first part that is not idle
            session_id, part = next(iter(self._open.items()))
            if part.written_at > limit:
                break
            self.close(session_id)
            closed += 1
        return closed

    def is_new(self, session_id: str) -> bool:
        """True when nothing of this session was written yet (by this process or, for part 0, any other).

        Opens the session's part (it is about to be written) and looks at its size: no ``stat`` per session.
        """
        if session_id in self._next_part:
            return False
        if part_path(self.directory, session_id, 0).exists():
            # another process (a Temporal session's other writer) made part 0: nothing is opened here, so a writer
            # with nothing to add leaves no empty part behind
            return False
        part = self._open.get(session_id) or self._open_next(session_id)
        return part.part == 0 and part.size == 0

    def write(self, session_id: str, data: bytes, skeleton: SkeletonOf | None = None) -> Path:
        """Append ``data`` (whole JSON lines) to the session's current part; returns the part's path. ``skeleton``
        makes the batch's sidecar lines (``_sidecars.skeleton_of``)."""
        part = self._open.get(session_id)
        if part is None:
            part = self._open_next(session_id)
        else:
            self._open.move_to_end(session_id)
        before = part.size
        try:
            part.write(data, skeleton)
        except OSError:
            self._open.pop(session_id, None)
            part.abandon()
            if before == 0:  # nothing of this part survived: drop the empty file and reuse its number
                self._remember(session_id, part.part)
                with contextlib.suppress(OSError):
                    part.path.unlink()
            raise
        if part.size >= self.max_bytes:
            self.close(session_id)
        return part.path

    def _open_next(self, session_id: str) -> _Part:
        n = self._next_part.get(session_id)
        if n is None:  # first write of this session by this process: part 0, unless another process made it
            n = 0
        part: _Part | None = None
        for _ in range(_MAX_CLAIMS):
            try:
                part = self._part(session_id, n)
                break
            except FileExistsError:  # another writer's part (several processes write one Temporal session)
                parts = trace_parts(self.directory, session_id)
                n = max(n, _part_number(parts)) + 1
        if part is None:
            raise FileExistsError(f"no free part number for session {session_id} after {_MAX_CLAIMS} tries")
        self._remember(session_id, part.part + 1)
        self._open[session_id] = part
        while len(self._open) > self.max_open:
            oldest, _ = next(iter(self._open.items()))
            self.close(oldest)
        return part

    def _part(self, session_id: str, n: int) -> _Part:
        try:
            return _Part(part_path(self.directory, session_id, n), session_id, n, self.level, self.sidecars)
        except FileNotFoundError:  # the directory is not there (yet, or any more)
            self.directory.mkdir(parents=True, exist_ok=True)
            return _Part(part_path(self.directory, session_id, n), session_id, n, self.level, self.sidecars)

    def _remember(self, session_id: str, n: int) -> None:
        """Note the session's next part number; the oldest notes of sessions without an open part go past
        ``MAX_REMEMBERED`` (a forgotten session finds its next free number by listing its parts, as another
        process's writer does)."""
        self._next_part.pop(session_id, None)
        self._next_part[session_id] = n  # insertion order: oldest first
        if len(self._next_part) > MAX_REMEMBERED:
            for old in list(self._next_part)[: len(self._next_part) - MAX_REMEMBERED]:
                if old not in self._open:
                    del self._next_part[old]

    def forget(self, session_id: str) -> None:
        """Close the session's part and drop what is kept about it (its end was written)."""
        self.close(session_id)
        self._next_part.pop(session_id, None)

    def close(self, session_id: str) -> None:
        """Finish and close the session's open part, if any (a later write starts the next part)."""
        part = self._open.pop(session_id, None)
        if part is None:
            return
        try:
            part.close()
        except OSError:
            logger.warning("could not finish trace file %s", part.path, exc_info=True)

    def close_all(self) -> None:
        for session_id in list(self._open):
            self.close(session_id)


def _part_number(parts: list[Path]) -> int:
    """The number of the last of ``parts`` (0 when there is none: the caller just found part 0 written)."""
    parsed = parse_part_name(parts[-1].name) if parts else None
    return parsed[1] if parsed else 0
