"""One indexer per traces directory: an exclusive ``flock`` on ``{traces_dir}/.inspector-index.lock``.

Several processes may mount the gateway on the same directory; the one holding the lock writes the index, the
others search it. The kernel releases the lock when its process ends, however it ends. Without ``fcntl``
(Windows) every process is the writer (SQLite's own locking keeps the file whole; rows may be duplicated).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK_NAME", "IndexLock"]

LOCK_NAME = ".inspector-index.lock"


class IndexLock:
    """The writer lock of one directory; ``acquire()`` never blocks."""

    def __init__(self, traces_dir: Path) -> None:
        self.path = traces_dir / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return False
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None
