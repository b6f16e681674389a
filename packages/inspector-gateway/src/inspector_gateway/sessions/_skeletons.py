"""The skeleton sidecars of trace parts (format v2, ``inspector_hooks.tracefile``) as the gateway serves them.

A part's sidecars are used as the writer left them when they are *current* (their covered size is the part's
size), or behind by a batch the live writer is still writing (the part changed less than ``QUIET_S`` ago).
Otherwise (a v1 part, sidecars missing or corrupt, or behind a part that stopped growing: a killed writer) they are
rebuilt from the part and atomically replaced; a rebuild whose part keeps growing is extended from where it
stopped. When the traces folder cannot be written, rebuilt sidecars stay in a bounded in-memory cache.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspector_hooks import tracefile

__all__ = ["QUIET_S", "SidecarView", "Skeletons"]

logger = logging.getLogger(__name__)

QUIET_S = 10.0  # a part unchanged this long: its writer is not between the part and its sidecars (killed)
_MAX_BUILDERS = 8  # rebuilds kept to extend (parts without writer sidecars that still grow: v1 writers)
_MAX_MEMORY = 256 << 20  # bytes of rebuilt sidecars kept in memory when the folder is read-only
_MAX_LOCATORS = 128 << 20  # bytes of locator files kept in memory (the latest read first)
_CHUNK = 1 << 20


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


@dataclass
class _Build:
    inode: int
    covered: int
    builder: tracefile.SkeletonBuilder
    compressor: Any


class Skeletons:
    """Current sidecars of any part, rebuilt when needed; thread-safe (call from a worker thread)."""

    def __init__(self, traces_dir: Path) -> None:
        self.traces_dir = traces_dir
        self._lock = threading.Lock()
        self._builds: OrderedDict[Path, _Build] = OrderedDict()
        self._memory: OrderedDict[Path, tuple[int, int, bytes, bytes]] = OrderedDict()  # inode, covered, skel, loc
        self._memory_bytes = 0
        self._loc_cache: OrderedDict[Path, tuple[tuple[int, int, int], bytes]] = OrderedDict()
        self._loc_bytes = 0
        self.rebuilds = 0  # full rebuilds done (for tests and benchmarks)

    def view(self, session_id: str, part: int, part_path: Path) -> SidecarView | None:
        """The part's sidecars brought up to date; None when the part cannot be read."""
        with self._lock:
            try:
                st = os.stat(part_path)
            except OSError:
                return None
            skel = tracefile.check_sidecar(self.traces_dir, session_id, part, tracefile.SKELETON_SUFFIX)
            loc = tracefile.check_sidecar(self.traces_dir, session_id, part, tracefile.LOCATOR_SUFFIX)
            if skel is not None and loc is not None:
                try:
                    locators = self._locators(loc)
                    skel_size = os.stat(skel).st_size
                except OSError:
                    locators, skel_size = b"", -1
                covered = tracefile.covered_size(locators)
                mine = self._builds.get(part_path)
                ours = mine is not None and mine.inode == st.st_ino and mine.covered == covered
                if skel_size >= 0 and covered == st.st_size:
                    return _file_view(part, part_path, skel, locators)
                if skel_size >= 0 and 0 <= covered < st.st_size and ours:
                    return self._extend(session_id, part, part_path, st)
                if skel_size >= 0 and 0 <= covered < st.st_size and time.time() - st.st_mtime < QUIET_S:
                    return _file_view(part, part_path, skel, locators)  # the live writer is a batch ahead
            kept = self._memory.get(part_path)
            if kept is not None and kept[0] == st.st_ino and kept[1] == st.st_size:
                self._memory.move_to_end(part_path)
                return _memory_view(part, part_path, kept)
            return self._rebuild(session_id, part, part_path, st)

    def _locators(self, path: Path) -> bytes:
        """The locator file's bytes, read again only when it changed (a 1M-span part has 16 MB of them)."""
        st = os.stat(path)
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        kept = self._loc_cache.get(path)
        if kept is not None and kept[0] == key:
            self._loc_cache.move_to_end(path)
            return kept[1]
        data = path.read_bytes()
        if kept is not None:
            self._loc_bytes -= len(kept[1])
        self._loc_cache[path] = (key, data)
        self._loc_bytes += len(data)
        while self._loc_bytes > _MAX_LOCATORS and len(self._loc_cache) > 1:
            _, (_, gone) = self._loc_cache.popitem(last=False)
            self._loc_bytes -= len(gone)
        return data

    # -- rebuilding -----------------------------------------------------------------------------------------------
    def _rebuild(self, session_id: str, part: int, part_path: Path, st: os.stat_result) -> SidecarView | None:
        self.rebuilds += 1
        build = _Build(st.st_ino, 0, tracefile.SkeletonBuilder(part), zlib.compressobj(1, zlib.DEFLATED, 31))
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
            self._builds.pop(part_path, None)
            return self._remember(part, part_path, (st.st_ino, build.covered, skel, locs))
        self._keep(part_path, build)
        return _file_view(part, part_path, skel_path, locs)

    def _extend(self, session_id: str, part: int, part_path: Path, st: os.stat_result) -> SidecarView | None:
        build = self._builds[part_path]
        self._builds.move_to_end(part_path)
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
            self._builds.pop(part_path, None)
            return self._rebuild(session_id, part, part_path, st)
        return _file_view(part, part_path, skel_path, locators)

    def _read(self, build: _Build, part_path: Path, size: int) -> tuple[bytes | None, bytes]:
        """The skeleton (compressed, sync-flushed) and locator bytes of the part from ``build.covered`` to ``size``
        (and the covered entry after them)."""
        out: list[bytes] = []
        locs: list[bytes] = []
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
        except OSError:
            return None, b""
        build.covered = size
        out.append(build.compressor.flush(zlib.Z_SYNC_FLUSH))
        locs.append(tracefile.covered_entry(size))
        return b"".join(out), b"".join(locs)

    def _keep(self, part_path: Path, build: _Build) -> None:
        self._builds[part_path] = build
        self._builds.move_to_end(part_path)
        while len(self._builds) > _MAX_BUILDERS:
            self._builds.popitem(last=False)

    def _remember(self, part: int, part_path: Path, kept: tuple[int, int, bytes, bytes]) -> SidecarView:
        old = self._memory.pop(part_path, None)
        if old is not None:
            self._memory_bytes -= len(old[2]) + len(old[3])
        self._memory[part_path] = kept
        self._memory_bytes += len(kept[2]) + len(kept[3])
        while self._memory_bytes > _MAX_MEMORY and len(self._memory) > 1:
            _, gone = self._memory.popitem(last=False)
            self._memory_bytes -= len(gone[2]) + len(gone[3])
        return _memory_view(part, part_path, kept)


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
