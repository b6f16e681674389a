"""The skeleton sidecars of trace parts (format v2, ``inspector_hooks.tracefile``) as the gateway serves them.

A part's sidecars are used as the writer left them when they are *current* (their covered size is the part's
size), or behind by a batch the live writer is still writing (the part changed less than ``QUIET_S`` ago).
Otherwise (a v1 part, sidecars missing or corrupt, or behind a part that stopped growing: a killed writer) they are
rebuilt from the part and atomically replaced; a rebuild whose part keeps growing is extended from where it
stopped. When the traces folder cannot be written, rebuilt sidecars stay in a bounded in-memory cache. A rebuild
keeps checkpoints into the part (``_checkpoints``), so a span of a rebuilt part is read from near it.

Each part has its own lock (a rebuild of a 1M-span part takes a while): other parts, other sessions and the
listing go on meanwhile; the caches shared by all parts lock only around their own operations (``SizedLru``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import tempfile
import threading
import time
import weakref
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspector_hooks import tracefile

from ._checkpoints import MAX_BYTES, PartIndex, all_at_start, interval_for, scan
from ._lru import SizedLru

__all__ = ["QUIET_S", "SidecarView", "Skeletons"]

logger = logging.getLogger(__name__)

QUIET_S = 10.0  # a part unchanged this long: its writer is not between the part and its sidecars (killed)
_MAX_BUILDERS = 8  # rebuilds kept to extend (parts without writer sidecars that still grow: v1 writers)
_MAX_MEMORY = 256 << 20  # bytes of rebuilt sidecars kept in memory when the folder is read-only
_MAX_LOCATORS = 128 << 20  # bytes of locator files kept in memory (the latest read first)
_CHUNK = 256 << 10  # read a part this much at a time (a checkpoint may follow each read)


@dataclass(frozen=True)
class SidecarView:
    """A part's skeleton and locators as they can be served now: from files, or (read-only folder) from memory."""

    part: int
    part_path: Path
    skeleton_path: Path | None
    skeleton_bytes: bytes | None
    locators: bytes
    size: int  # stored bytes of the skeleton stream
    etag: str
    part_inode: int = 0
    part_size: int = 0


class _PartLock:
    """A lock that a weak reference can point at (``threading.Lock`` cannot)."""

    __slots__ = ("__weakref__", "_lock")

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


@dataclass
class _Build:
    inode: int
    covered: int
    builder: tracefile.SkeletonBuilder
    compressor: Any
    index: PartIndex


class Skeletons:
    """Current sidecars of any part, rebuilt when needed; thread-safe (call from a worker thread)."""

    def __init__(self, traces_dir: Path) -> None:
        self.traces_dir = traces_dir
        self._locks_lock = threading.Lock()
        self._part_locks: weakref.WeakValueDictionary[Path, _PartLock] = weakref.WeakValueDictionary()
        self._builds: SizedLru[Path, _Build] = SizedLru(_MAX_BUILDERS)  # each counts 1
        self._memory: SizedLru[Path, tuple[int, int, bytes, bytes]] = SizedLru(_MAX_MEMORY)  # inode, covered, ...
        self._loc_cache: SizedLru[Path, tuple[tuple[int, int, int], bytes]] = SizedLru(_MAX_LOCATORS)
        self.indexes: SizedLru[Path, PartIndex] = SizedLru(MAX_BYTES)
        self.rebuilds = 0  # full rebuilds done (for tests and benchmarks)
        self.scans = 0  # checkpoint scans of parts rebuilt before this gateway started (for tests and benchmarks)

    def part_lock(self, part_path: Path) -> _PartLock:
        """The lock of one part: held while its sidecars are checked, rebuilt or extended, or it is scanned (kept
        while someone holds a reference to it: one lock a part in use, not one for every part ever seen)."""
        with self._locks_lock:
            lock = self._part_locks.get(part_path)
            if lock is None:
                lock = self._part_locks[part_path] = _PartLock()
            return lock

    def view(self, session_id: str, part: int, part_path: Path) -> SidecarView | None:
        """The part's sidecars brought up to date; None when the part cannot be read."""
        with self.part_lock(part_path):
            skel = tracefile.check_sidecar(self.traces_dir, session_id, part, tracefile.SKELETON_SUFFIX)
            loc = tracefile.check_sidecar(self.traces_dir, session_id, part, tracefile.LOCATOR_SUFFIX)
            locators, skel_size = b"", -1
            if skel is not None and loc is not None:
                try:
                    locators = self._locators(loc)
                    skel_size = os.stat(skel).st_size
                except OSError:
                    locators, skel_size = b"", -1
            try:  # after the locators: a writer writes a batch to its part first, so they never cover more
                st = os.stat(part_path)
            except OSError:
                return None
            found = self._current(session_id, part, part_path, st, (skel, locators, skel_size))
        if found is None:
            return None
        return dataclasses.replace(found, part_inode=st.st_ino, part_size=st.st_size)

    def index(self, view: SidecarView) -> PartIndex | None:
        """The checkpoints of a part whose locators the gateway rebuilt (all at offset 0), made by a scan of the
        part when none are kept (a small part has none: reading it from its start is quick)."""
        if view.part_size < 2 * interval_for(0) or not all_at_start(view.locators):
            return None
        with self.part_lock(view.part_path):
            kept = self.indexes.get(view.part_path)
            same = kept is not None and kept.inode == view.part_inode
            if kept is not None and same and (kept.locators is not None or kept.loc_total == len(view.locators)):
                return kept
            made = scan(view.part_path, view.part_inode, view.part_size)
            if made is not None:
                with self._locks_lock:
                    self.scans += 1
                self.indexes.put(view.part_path, made, made.size)
            return made

    def _current(
        self, session_id: str, part: int, part_path: Path, st: os.stat_result, found: tuple[Path | None, bytes, int]
    ) -> SidecarView | None:
        skel, locators, skel_size = found
        if skel is not None and skel_size >= 0:
            covered = tracefile.covered_size(locators)
            mine = self._builds.get(part_path)
            ours = mine is not None and mine.inode == st.st_ino and mine.covered == covered
            if covered == st.st_size:
                return _file_view(part, part_path, skel, locators)
            if 0 <= covered < st.st_size and ours:
                return self._extend(session_id, part, part_path, st)
            if covered < st.st_size and time.time() - st.st_mtime < QUIET_S:
                # the live writer is a batch ahead (-1: it opened the part and its sidecars, and writes the first)
                return _file_view(part, part_path, skel, locators)
        kept = self._memory.get(part_path)
        if kept is not None and kept[0] == st.st_ino and kept[1] == st.st_size:
            return _memory_view(part, part_path, kept)
        return self._rebuild(session_id, part, part_path, st)

    def _locators(self, path: Path) -> bytes:
        """The locator file's bytes, read again only when it changed (a 1M-span part has 16 MB of them)."""
        st = os.stat(path)
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        kept = self._loc_cache.get(path)
        if kept is not None and kept[0] == key:
            return kept[1]
        data = path.read_bytes()
        self._loc_cache.put(path, (key, data), len(data))
        return data

    # -- rebuilding -----------------------------------------------------------------------------------------------
    def _rebuild(self, session_id: str, part: int, part_path: Path, st: os.stat_result) -> SidecarView | None:
        with self._locks_lock:
            self.rebuilds += 1
        index = PartIndex(st.st_ino, interval_for(st.st_size))
        compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
        build = _Build(st.st_ino, 0, tracefile.SkeletonBuilder(part), compressor, index)
        skel, locs = self._read(build, part_path, st.st_size)
        if skel is None:
            return None
        skel_path = tracefile.sidecar_path(self.traces_dir, session_id, part, tracefile.SKELETON_SUFFIX)
        loc_path = tracefile.sidecar_path(self.traces_dir, session_id, part, tracefile.LOCATOR_SUFFIX)
        try:
            skel_path.parent.mkdir(exist_ok=True)
            _replace(loc_path, b"")  # no locators first: a reader in between sees no current sidecar
            _replace(skel_path, skel)
            _replace(loc_path, locs)
        except OSError:
            logger.debug("cannot write sidecars of %s: kept in memory", part_path, exc_info=True)
            self._builds.pop(part_path)
            kept = (st.st_ino, build.covered, skel, locs)
            self._memory.put(part_path, kept, len(skel) + len(locs))
            return _memory_view(part, part_path, kept)
        self._builds.put(part_path, build, 1)
        return _file_view(part, part_path, skel_path, locs)

    def _extend(self, session_id: str, part: int, part_path: Path, st: os.stat_result) -> SidecarView | None:
        build = self._builds.get(part_path)
        if build is None:  # dropped from the cache since it was checked
            return self._rebuild(session_id, part, part_path, st)
        skel, locs = self._read(build, part_path, st.st_size)
        if skel is None:
            return None
        skel_path = tracefile.sidecar_path(self.traces_dir, session_id, part, tracefile.SKELETON_SUFFIX)
        loc_path = tracefile.sidecar_path(self.traces_dir, session_id, part, tracefile.LOCATOR_SUFFIX)
        try:
            with open(skel_path, "ab") as fh:
                fh.write(skel)
            with open(loc_path, "ab") as fh:
                fh.write(locs)
            locators = loc_path.read_bytes()
        except OSError:
            self._builds.pop(part_path)
            return self._rebuild(session_id, part, part_path, st)
        return _file_view(part, part_path, skel_path, locators)

    def _read(self, build: _Build, part_path: Path, size: int) -> tuple[bytes | None, bytes]:
        """The skeleton (compressed, sync-flushed) and locator bytes of the part from ``build.covered`` to ``size``
        (and the covered entry after them); checkpoints are added to ``build.index`` on the way."""
        out: list[bytes] = []
        locs: list[bytes] = []
        index = build.index
        made = index.loc_total
        try:
            with open(part_path, "rb") as fh:
                fh.seek(build.covered)
                left = size - build.covered
                while left > 0:
                    chunk = fh.read(min(_CHUNK, left))
                    if not chunk:
                        break
                    left -= len(chunk)
                    text, loc = build.builder.feed(chunk)
                    out.append(build.compressor.compress(text))
                    locs.append(loc)
                    made += len(loc)
                    if index.due(build.builder.covered) and not build.builder.broken:
                        index.add(build.builder.checkpoint(), made)
        except OSError:
            return None, b""
        build.covered = size
        out.append(build.compressor.flush(zlib.Z_SYNC_FLUSH))
        locs.append(tracefile.covered_entry(size))
        index.covered = size
        index.loc_total = made + tracefile.LOCATOR.size
        self.indexes.put(part_path, index, index.size)
        return b"".join(out), b"".join(locs)


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` atomically (a temporary file in its folder, then rename)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _etag(*parts: object) -> str:
    import hashlib

    key = ";".join(str(p) for p in parts)
    return '"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


def _file_view(part: int, part_path: Path, skel: Path, locators: bytes) -> SidecarView | None:
    try:
        st = os.stat(skel)
    except OSError:
        return None
    etag = _etag(st.st_ino, st.st_mtime_ns, st.st_size)
    return SidecarView(part, part_path, skel, None, locators, st.st_size, etag)


def _memory_view(part: int, part_path: Path, kept: tuple[int, int, bytes, bytes]) -> SidecarView:
    inode, covered, skel, locs = kept
    return SidecarView(part, part_path, None, skel, locs, len(skel), _etag("memory", part_path, inode, covered))
