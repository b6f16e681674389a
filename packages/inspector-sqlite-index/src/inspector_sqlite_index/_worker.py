"""The indexer in a child process, so its Python work never competes with the agent's threads for the GIL.

``python -m inspector_sqlite_index._worker TRACES_DIR POLL`` runs an ``Indexer`` and speaks a line protocol:
the parent writes ``w`` (spans were written: look now), ``r`` (rebuild) or ``i`` (tell me when idle) on the
child's stdin, and closing stdin stops it; the child writes its progress as one JSON object per line on stdout
(at most every 0.2 s; ``"idle": n`` once a pass after the n-th ``i`` found nothing left). The child starts its
own session (a Ctrl-C at the host's terminal is the host's) and ends when its stdin closes, however the parent
ends. It runs at a lower priority (``nice`` 10) than the host.

``ProcessIndexer`` is the parent's side, with the same interface as ``Indexer``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from ._indexer import Indexer, Progress
from ._store import index_path

__all__ = ["ProcessIndexer", "main"]

logger = logging.getLogger(__name__)

_REPORT_EVERY = 0.2


class ProcessIndexer:
    """Runs the indexer in a child process; ``progress`` mirrors the child's reports."""

    def __init__(self, traces_dir: Path, *, poll: float = 1.0) -> None:
        self.traces_dir = traces_dir
        self.path = index_path(traces_dir)
        self.poll = poll
        self.progress = Progress()
        self._proc: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        self._idle = threading.Condition()
        self._asked = 0
        self._answered = 0
        self._write_lock = threading.Lock()
        self._last_wake = 0.0

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        if self._proc is not None:
            return
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "inspector_sqlite_index._worker", str(self.traces_dir), str(self.poll)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
        assert self._proc.stdout is not None
        assert self._proc.stdin is not None
        os.set_blocking(self._proc.stdin.fileno(), False)  # a stuck child never blocks the host's thread
        self._reader = threading.Thread(
            target=self._read, args=(self._proc.stdout,), name="inspector-sqlite-index-reports", daemon=True
        )
        self._reader.start()

    def _read(self, stdout: IO[bytes]) -> None:
        for line in stdout:
            try:
                report = json.loads(line)
            except ValueError:
                continue
            for key, value in report.items():
                if hasattr(self.progress, key):
                    setattr(self.progress, key, value)
            if "idle" in report:
                with self._idle:
                    self._answered = max(self._answered, int(report["idle"]))
                    self._idle.notify_all()
        if self.progress.state != "stopped":
            self.progress.state = "failed"
            self.progress.error = self.progress.error or "the indexer process ended"
        with self._idle:
            self._idle.notify_all()

    def _send(self, command: bytes) -> None:
        proc = self._proc
        if proc is None or proc.stdin is None:
            return
        with self._write_lock, contextlib.suppress(OSError, ValueError):  # BlockingIOError: dropped, never waited
            os.write(proc.stdin.fileno(), command)

    def wake(self) -> None:
        """Ask for a pass soon; cheap (called on the thread that publishes gateway events): one pipe write at most
        per 50 ms (the child also looks every ``poll`` seconds, so a wake skipped at the end of a burst costs at
        most that)."""
        now = time.monotonic()
        if now - self._last_wake < 0.05:
            return
        self._last_wake = now
        self._send(b"w\n")

    def request_rebuild(self) -> None:
        self._send(b"r\n")

    def wait_idle(self, timeout: float) -> bool:
        """Wait until the index has everything written before this call."""
        with self._idle:
            self._asked += 1
            ticket = self._asked
            self._send(b"i\n")
            return self._idle.wait_for(lambda: self._answered >= ticket or not self.running, timeout) and self.running

    def close(self, timeout: float = 5.0) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self.progress.state = "stopped"
        with contextlib.suppress(OSError, ValueError):
            if proc.stdin is not None:
                proc.stdin.close()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if self._reader is not None:
            self._reader.join(timeout)
        if proc.stdout is not None:
            proc.stdout.close()


def _reporter(indexer: Indexer, out: IO[str], stop: threading.Event, tickets: list[int]) -> None:
    """Write the progress when it changed, and which idle questions are answered (``tickets``: the indexer's
    ticket of each ``i`` command, in order)."""
    last: dict[str, Any] = {}
    answered = 0
    while not stop.is_set():
        report: dict[str, Any] = vars(indexer.progress).copy()
        while answered < len(tickets) and indexer.idle_reached(tickets[answered]):
            answered += 1
        if report != last or answered != last.get("idle"):
            report["idle"] = answered
            try:
                out.write(json.dumps(report) + "\n")
                out.flush()
            except (OSError, ValueError):
                return
            last = report
        stop.wait(_REPORT_EVERY)


def main(argv: list[str]) -> int:
    traces_dir, poll = Path(argv[1]), float(argv[2])
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)  # the host's processes first: on a busy machine the index lags, the agent does not
    indexer = Indexer(traces_dir, poll=poll)
    stop = threading.Event()
    tickets: list[int] = []
    indexer.start()
    reporter = threading.Thread(target=_reporter, args=(indexer, sys.stdout, stop, tickets), daemon=True)
    reporter.start()
    for line in sys.stdin.buffer:
        command = line.strip()
        if command == b"w":
            indexer.wake()
        elif command == b"r":
            indexer.request_rebuild()
        elif command == b"i":
            tickets.append(indexer.ask_idle())
    stop.set()
    indexer.close()
    reporter.join(1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv) if len(sys.argv) == 3 else 2)
