"""The writer's liveness lock, so a reader can tell a crashed writer's sessions from long-running ones.

Each writing process holds an exclusive ``flock`` on ``{traces_dir}/.writers/{pid}-{16 hex}.lock`` for as long as it
lives, and names that file in the ``writer`` field of every session header it writes. The kernel drops the lock when
the process ends, however it ends (SIGKILL, a crash, the OOM killer), so a session without ``session_end`` whose
writer's lock is free (or gone) will never be finished: the gateway shows it as failed. A clean stop removes the
file. Where ``flock`` does not exist (Windows) or cannot be taken, headers carry no ``writer`` and readers assume
the session may still be running, as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path

from inspector_hooks.tracefile import WRITERS_DIR, new_writer_name

try:
    import fcntl

    _FLOCK = True
except ImportError:  # Windows: no flock, no liveness
    _FLOCK = False

__all__ = ["WriterLock"]

logger = logging.getLogger(__name__)

_RETRY_S = 10.0  # after a failure to take the lock, try again at most this often
_SWEEP_AGE_S = 60.0  # free lock files older than this are removed when a writer starts (never one just created)


class WriterLock:
    """This process's lock file in ``directory/.writers``; taken lazily (the directory may not exist yet)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.name: str | None = None
        self._fd: int | None = None
        self._tried = float("-inf")

    def acquire(self) -> str | None:
        """The lock file's name, taking the lock first if needed; None when it cannot be had. Never raises."""
        if self.name is not None or not _FLOCK:
            return self.name
        now = time.monotonic()
        if now - self._tried < _RETRY_S:
            return None
        self._tried = now
        folder = self.directory / WRITERS_DIR
        name = new_writer_name()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._sweep(folder)
            fd = os.open(folder / name, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                with contextlib.suppress(OSError):
                    (folder / name).unlink()
                raise
        except OSError as exc:
            logger.debug("no writer lock in %s: %s", folder, exc)
            return None
        self._fd, self.name = fd, name
        return name

    def release(self) -> None:
        """Remove the lock file and drop the lock (a clean stop). Never raises."""
        fd, name = self._fd, self.name
        self._fd = self.name = None
        if fd is None or name is None:
            return
        with contextlib.suppress(OSError):
            (self.directory / WRITERS_DIR / name).unlink()
        with contextlib.suppress(OSError):
            os.close(fd)

    @staticmethod
    def _sweep(folder: Path) -> None:
        """Remove the lock files of writers that are gone (readers take a missing file for a gone writer too)."""
        cutoff = time.time() - _SWEEP_AGE_S
        with os.scandir(folder) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.name.endswith(".lock") and entry.stat().st_mtime < cutoff:
                        _remove_if_free(entry.path)


def _remove_if_free(path: str) -> None:
    fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises while its writer lives
        os.unlink(path)
    finally:
        os.close(fd)
