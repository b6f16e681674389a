"""Following trace files: which files there are, and the complete lines appended to one since the last read.

A file is read from the compressed offset where its last read stopped, with the decompressor state kept in
memory, so a growing live file costs what it grew by. After a restart the decompressor state is gone: a file
that grew is read again from its start and its first ``skip`` lines (already indexed) are passed over.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from inspector_hooks.tracefile import LineDecoder, parse_part_name, resolve_inside

__all__ = ["CHUNK", "FollowedFile", "list_trace_files"]

CHUNK = 1 << 20


def list_trace_files(traces_dir: Path) -> dict[str, tuple[str, os.stat_result]]:
    """``{file name: (session id, stat)}`` of the trace files in ``traces_dir``: regular files whose real path is
    directly inside ``traces_dir`` (the one rule, ``tracefile.resolve_inside``: a link out of the folder is never
    read)."""
    found: dict[str, tuple[str, os.stat_result]] = {}
    try:
        with os.scandir(traces_dir) as it:
            for entry in it:
                parsed = parse_part_name(entry.name)
                if parsed is None:
                    continue
                try:
                    if entry.is_symlink() and resolve_inside(traces_dir, entry.name) is None:
                        continue
                    st = entry.stat()
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode):
                    found[entry.name] = (parsed[0], st)
    except OSError:
        return {}
    return found


@dataclass
class FollowedFile:
    """The read position of one trace file."""

    name: str
    session_id: str
    path: Path
    inode: int = -1
    size: int = -1
    mtime_ns: int = -1
    offset: int = 0
    lines: int = 0  # complete lines read so far (indexed, or passed over as already indexed)
    skip: int = 0  # lines at the start already in the index (after a restart)
    replay: bool = False  # the decompressor state is lost: read from the start on the next growth
    broken: bool = False  # corrupt gzip data: nothing more is read until the file is replaced
    _decoder: LineDecoder = field(default_factory=LineDecoder, repr=False)

    def same(self, st: os.stat_result) -> bool:
        return st.st_ino == self.inode and st.st_size == self.size and st.st_mtime_ns == self.mtime_ns

    def replaced(self, st: os.stat_result) -> bool:
        """Whether the file was rewritten or truncated rather than appended to."""
        return self.inode != -1 and (st.st_ino != self.inode or st.st_size < self.size)

    def read(self, st: os.stat_result) -> Iterator[tuple[int, list[bytes]]]:
        """Yield ``(compressed bytes consumed, new complete lines)`` per chunk read; positions advance as it goes.

        Lines passed over (``skip``) are not yielded. Corrupt gzip data marks the file ``broken`` and ends.
        """
        if self.replay:
            self.offset, self.skip, self.lines = 0, self.lines, 0
            self._decoder, self.replay = LineDecoder(), False
        if self.broken:
            return
        self.inode = st.st_ino
        with open(self.path, "rb") as fh:
            fh.seek(self.offset)
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                self.offset += len(chunk)
                lines = self._decoder.feed(chunk)
                if self._decoder.broken:  # the lines before the corrupt byte still count
                    self.broken = True
                    self.size, self.mtime_ns = st.st_size, st.st_mtime_ns
                first = self.lines
                self.lines += len(lines)
                yield len(chunk), lines[max(0, self.skip - first) :] if self.lines > self.skip else []
                if self.broken:
                    return
        self.inode, self.size, self.mtime_ns = st.st_ino, st.st_size, st.st_mtime_ns
