"""Following trace files: which files there are, and the complete lines appended to one since the last read.

A file is read from the compressed offset where its last read stopped, with the decompressor state kept in
memory, so a growing live file costs what it grew by. After a restart the decompressor state is gone: a file
that grew is read again from its start and its first ``skip`` lines (already indexed) are passed over.
"""

from __future__ import annotations

import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CHUNK", "FollowedFile", "list_trace_files"]

# SPEC §4 file names: {session_id}.jsonl.gz, rotated parts {session_id}.{n}.jsonl.gz
_NAME_RE = re.compile(r"([A-Za-z0-9_-]{6,128})(?:\.(\d{1,6}))?\.jsonl\.gz")
CHUNK = 1 << 20


def list_trace_files(traces_dir: Path) -> dict[str, tuple[str, os.stat_result]]:
    """``{file name: (session id, stat)}`` of the trace files in ``traces_dir``: regular files whose real path is
    directly inside ``traces_dir`` (the gateway's rule: a link out of the folder is never read)."""
    found: dict[str, tuple[str, os.stat_result]] = {}
    try:
        real_dir = traces_dir.resolve()
        with os.scandir(traces_dir) as it:
            for entry in it:
                match = _NAME_RE.fullmatch(entry.name)
                if match is None:
                    continue
                try:
                    if entry.is_symlink() and Path(entry.path).resolve().parent != real_dir:
                        continue
                    st = entry.stat()
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode):
                    found[entry.name] = (match.group(1), st)
    except OSError:
        return {}
    return found


class _Inflater:
    """Decompresses a file of one or more gzip members, fed in chunks."""

    def __init__(self) -> None:
        self.decomp = zlib.decompressobj(31)

    def feed(self, chunk: bytes) -> bytes:
        out: list[bytes] = []
        while chunk:
            out.append(self.decomp.decompress(chunk))
            if not self.decomp.eof:
                break
            chunk = self.decomp.unused_data  # another member follows (append-mode writers)
            self.decomp = zlib.decompressobj(31)
        return b"".join(out)


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
    _inflater: _Inflater = field(default_factory=_Inflater, repr=False)
    _pending: bytes = field(default=b"", repr=False)

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
            self._inflater, self._pending, self.replay = _Inflater(), b"", False
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
                try:
                    data = self._inflater.feed(chunk)
                except zlib.error:
                    self.broken = True
                    self.size, self.mtime_ns = st.st_size, st.st_mtime_ns
                    return
                lines = (self._pending + data).split(b"\n")
                self._pending = lines.pop()
                first = self.lines
                self.lines += len(lines)
                if self.lines <= self.skip:
                    yield len(chunk), []
                    continue
                yield len(chunk), lines[max(0, self.skip - first) :]
        self.inode, self.size, self.mtime_ns = st.st_ino, st.st_size, st.st_mtime_ns
