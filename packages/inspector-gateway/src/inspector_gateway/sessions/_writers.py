"""Is the process that writes a session still alive? Read from its lock file in ``{traces_dir}/.writers``.

A writer (``inspector_otel``) holds an exclusive ``flock`` on ``.writers/{pid}-{16 hex}.lock`` while it lives and
names the file in its session headers (``"writer"``). The kernel releases the lock when the process ends, however
it ends, and a clean stop removes the file; so a free lock, or no file, means the writer is gone and a session it
left without ``session_end`` will never finish. A writer found gone stays gone; a live one is checked again after
``recheck`` seconds. Without ``flock`` (Windows), or when the file cannot be read, the answer is "not known gone".
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from inspector_hooks import tracefile

__all__ = ["WRITER_GONE_ERROR", "WriterLiveness"]

WRITER_GONE_ERROR = "its process ended first (killed or crashed); the spans it had written are kept"


class WriterLiveness:
    """Cached answers to "has this writer gone away?" for the writers named in one directory's headers."""

    def __init__(self, traces_dir: Path, *, recheck: float = 1.0) -> None:
        self.traces_dir = traces_dir
        self.recheck = recheck
        self._gone: set[str] = set()
        self._alive: dict[str, float] = {}  # name -> when it was last seen alive
        self._lock = threading.Lock()

    def gone(self, name: object) -> bool:
        """True only when ``name`` is a writer's lock file and that writer has certainly ended."""
        if not isinstance(name, str) or tracefile.WRITER_NAME_RE.fullmatch(name) is None:
            return False
        if name.startswith(f"{os.getpid()}-"):
            # this very process: alive by definition (and where flock is emulated with per-process POSIX locks,
            # NFS for one, a probe from the lock's own process would wrongly find it free)
            return False
        with self._lock:
            if name in self._gone:
                return True
            seen = self._alive.get(name)
            now = time.monotonic()
            if seen is not None and now - seen < self.recheck:
                return False
            if tracefile.writer_gone(self.traces_dir, name):
                self._gone.add(name)
                self._alive.pop(name, None)
                return True
            self._alive[name] = now
            return False
