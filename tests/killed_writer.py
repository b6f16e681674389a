"""A real trace writer in a child process, to be killed: what a crashed or SIGKILLed agent leaves in ``traces_dir``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_WRITER = textwrap.dedent(
    """
    import sys, time
    from opentelemetry.sdk.trace import TracerProvider
    from inspector_hooks import context
    from inspector_otel import TraceFileProcessor

    processor = TraceFileProcessor(sys.argv[1])
    provider = TracerProvider()
    provider.add_span_processor(processor.link())
    tracer = provider.get_tracer("t")
    still_open = []
    for item in sys.argv[2:]:
        sid, engine, finished = item.split(":")
        processor.session_started(sid, {"engine": engine, "title": f"{sid} ({engine})"})
        with context.bind(sid):
            with tracer.start_as_current_span("work"):
                pass
            still_open.append(tracer.start_span("never ended"))  # open (and referenced) when the process dies
        if finished == "1":
            processor.session_finished(sid, "completed", None)
    processor.force_flush()
    print("ready", flush=True)
    time.sleep(600)
    """
)


@contextmanager
def running_writer(traces_dir: Path, sessions: list[tuple[str, str, bool]]) -> Iterator[subprocess.Popen[str]]:
    """A child process that wrote ``sessions`` (id, engine, finished) to ``traces_dir`` and waits; SIGKILLed at exit.

    Kill it earlier with ``process.send_signal(signal.SIGKILL)``; ``process.wait()`` then returns at once.
    """
    args = [f"{sid}:{engine}:{int(finished)}" for sid, engine, finished in sessions]
    process = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(traces_dir), *args],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def kill(process: subprocess.Popen[str]) -> None:
    """SIGKILL, as the OOM killer or ``kill -9`` would, and wait until it is gone."""
    process.send_signal(signal.SIGKILL)
    process.wait(10)
