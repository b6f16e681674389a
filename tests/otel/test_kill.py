"""A writer killed with SIGKILL leaves a file whose flushed spans all read back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from inspector_otel.testing import read_session

_WRITER = textwrap.dedent(
    """
    import sys
    from opentelemetry.sdk.trace import TracerProvider
    from inspector_hooks import context
    from inspector_otel import TraceFileProcessor

    processor = TraceFileProcessor(sys.argv[1])
    provider = TracerProvider()
    provider.add_span_processor(processor.link())
    tracer = provider.get_tracer("t")
    processor.session_started("killed-01", {"engine": "asyncio", "title": "killed"})
    with context.bind("killed-01"):
        for i in range(10_000):
            with tracer.start_as_current_span(f"s{i}") as span:
                span.set_attribute("i", i)
            if i % 7 == 6:
                processor.force_flush()
                print(i + 1, flush=True)
    """
)


def test_sigkill_keeps_flushed_spans(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=dict(os.environ)
    )
    assert proc.stdout is not None
    flushed = 0
    for line in proc.stdout:
        flushed = int(line)
        if flushed >= 70:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()
    records = read_session(tmp_path, "killed-01")
    assert records[0]["type"] == "session"
    names = [r["name"] for r in records if r["type"] == "span"]
    assert len(names) >= flushed
    assert names == [f"s{i}" for i in range(len(names))]
