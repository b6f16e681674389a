"""Faults of the writing processes, seen through the gateway: SIGKILL mid-write, two processes on one traces folder,
and too many open files (RLIMIT_NOFILE) in a process that writes traces and serves the gateway."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import zlib

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
    sid, count = sys.argv[2], int(sys.argv[3])
    processor.session_started(sid, {"engine": "asyncio", "title": sid})
    with context.bind(sid):
        for i in range(count):
            with tracer.start_as_current_span(f"s{i}") as span:
                span.set_attribute("pad", "p" * 500)
            if i % 5 == 4:
                processor.force_flush()
                print(i + 1, flush=True)
    if count < 10_000:
        processor.session_finished(sid, "completed", None)
        processor.shutdown()
        print("done", flush=True)
    """
)


def _writer(traces, sid: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(traces), sid, str(count)],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


def _rows(live) -> dict[str, dict]:
    return {r["id"]: r for r in live.client.get("/sessions").json()["sessions"]}


def test_sigkill_mid_write_keeps_every_flushed_span_and_says_the_writer_died(live, traces_dir):
    proc = _writer(traces_dir, "killed-0001", 10_000)
    assert proc.stdout is not None
    flushed = 0
    for line in proc.stdout:
        flushed = int(line)
        if flushed >= 200:
            break
    proc.send_signal(signal.SIGKILL)  # while it keeps writing
    proc.wait(10)
    proc.stdout.close()
    row = _rows(live)["killed-0001"]
    assert row["status"] == "failed"
    assert "ended first" in row["error"]
    assert "file_error" not in row  # a torn tail is not a broken file
    assert row["span_count"] >= flushed
    raw = live.client.get("/trace/killed-0001")
    assert raw.status_code == 200
    assert raw.headers["content-encoding"] == "gzip"  # the torn tail is still served as the gzip it is
    names = [json.loads(x)["name"] for x in raw.text.splitlines() if x.startswith('{"type":"span"')]
    assert names[:flushed] == [f"s{i}" for i in range(flushed)]


def test_two_processes_on_one_traces_folder(live, traces_dir):
    writers = [_writer(traces_dir, f"pair-000{n}", 60) for n in (1, 2)]
    for proc in writers:
        out, _ = proc.communicate(timeout=60)
        assert out.splitlines()[-1] == "done"
    rows = _rows(live)
    for n in (1, 2):
        assert (rows[f"pair-000{n}"]["status"], rows[f"pair-000{n}"]["span_count"]) == ("completed", 60)
        names = [r["name"] for r in read_session(traces_dir, f"pair-000{n}") if r["type"] == "span"]
        assert names == [f"s{i}" for i in range(60)]
    locks = list((traces_dir / ".writers").glob("*.lock")) if (traces_dir / ".writers").exists() else []
    assert locks == []  # each writer removed its own lock at a clean stop


_FD_STARVED = textwrap.dedent(
    """
    import os, resource, socket, sys, time, json
    sys.path.insert(0, sys.argv[2])
    os.environ["INSPECTOR_PLUGINS_AUTOLOAD"] = "0"
    from pathlib import Path
    from opentelemetry.sdk.trace import TracerProvider
    from inspector_hooks import context
    from inspector_otel import TraceFileProcessor
    from gateway_support import start_gateway

    traces = Path(sys.argv[1])
    live = start_gateway(traces)
    processor = TraceFileProcessor(traces, retry_interval=0.05)
    provider = TracerProvider()
    provider.add_span_processor(processor.link())
    tracer = provider.get_tracer("t")
    used = len(os.listdir("/proc/self/fd"))
    resource.setrlimit(resource.RLIMIT_NOFILE, (used + 8, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    hogs = []
    try:
        while True:
            hogs.append(socket.socket())  # take every free descriptor
    except OSError:
        pass
    for n in range(30):  # 30 sessions while no descriptor is free: held, then written
        sid = f"nofile-{n:04d}"
        processor.session_started(sid, {"engine": "asyncio", "title": sid})
        with context.bind(sid), tracer.start_as_current_span("work"):
            pass
        processor.session_finished(sid, "completed", None)
    processor.force_flush()
    starved = [s for s in range(30) if (traces / f"nofile-{s:04d}.jsonl.gz").exists()]
    for hog in hogs:
        hog.close()
    for _ in range(100):  # the writer retries every 50 ms
        processor.force_flush()
        if all((traces / f"nofile-{n:04d}.jsonl.gz").exists() for n in range(30)):
            break
        time.sleep(0.05)
    rows = live.client.get("/sessions").json()
    processor.shutdown()
    print(json.dumps({"written_while_starved": len(starved), "rows": rows}), flush=True)
    live.close()
    """
)


def test_too_many_open_files_holds_spans_and_recovers(traces_dir):
    gateway_tests = os.path.join(os.path.dirname(__file__), "..", "gateway")
    done = subprocess.run(
        [sys.executable, "-c", _FD_STARVED, str(traces_dir), gateway_tests],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["written_while_starved"] < 30  # the limit really bit
    rows = {r["id"]: r for r in report["rows"]["sessions"]}
    assert report["rows"]["storage"] == {"state": "ok"}  # told while starved, recovered after
    for n in range(30):
        sid = f"nofile-{n:04d}"
        assert rows[sid]["status"] == "completed", rows.get(sid)
        names = [r["name"] for r in read_session(traces_dir, sid) if r["type"] == "span"]
        assert names == ["work"]
    assert "Traceback" not in done.stderr


def test_a_truncated_file_whose_writer_is_gone_shows_what_it_holds(live, traces_dir):
    lines = b"".join(
        json.dumps(r).encode() + b"\n"
        for r in [
            {
                "type": "session",
                "v": 1,
                "id": "cut-000001",
                "engine": "asyncio",
                "title": "cut",
                "writer": "1-0123456789abcdef.lock",
                "started_at": "2026-01-01T00:00:00.000000Z",
            },
            *({"type": "span", "name": f"s{i}", "span_id": f"{i:016x}"} for i in range(50)),
        ]
    )
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    data = (
        comp.compress(lines)
        + comp.flush(zlib.Z_SYNC_FLUSH)
        + comp.compress(b'{"type":"span","name":"torn"')
        + comp.flush(zlib.Z_FULL_FLUSH)
    )
    (traces_dir / "cut-000001.jsonl.gz").write_bytes(data[: len(data) - 7])  # cut inside the last block
    row = _rows(live)["cut-000001"]
    assert (row["status"], row["span_count"], row["title"]) == ("failed", 50, "cut")
    assert "file_error" not in row
