"""Ending a process with the one that started it, however that one ends (SIGKILL included).

``scripts/demo`` is ``uv run python -m inspector_demo``; a SIGKILL of ``uv`` alone (a supervisor, ``kill -9 <pid>``)
left the demo, and with it the stdio demo server (mcp starts it in its own session), running for good. A daemon
thread watches the parent: once it is gone (the process was re-parented), the process sends itself SIGTERM, which
each entry point already turns into its clean stop.
"""

from __future__ import annotations

import os
import signal
import threading

__all__ = ["exit_with_parent"]


def exit_with_parent(interval: float = 0.5) -> None:
    """SIGTERM this process once its parent process has ended (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    parent = os.getppid()

    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(interval):
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
