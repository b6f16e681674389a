"""Parts nothing was written to for ``idle_close`` seconds are closed by the writer thread (a Temporal client writes
a little into each run it starts and nothing more): their file descriptors and compressors go; a later span of the
session starts the next part, a whole v2 part with its sidecars, and everything reads back, also through a gateway
that follows the session live."""

from __future__ import annotations

import gzip
import os
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider

from inspector_hooks import context, tracefile
from inspector_otel import TraceFileProcessor
from inspector_otel.exporter import default_idle_close
from inspector_otel.testing import read_session

IDLE = 0.5
SESSIONS = [f"idle-{i:03d}" for i in range(12)]


def _fds_in(directory: Path) -> int:
    """Open descriptors of this process on parts and sidecars under ``directory`` (not the writer's lock file)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith(str(directory)) and tracefile.WRITERS_DIR not in target:
                count += 1
        except OSError:
            pass
    return count


def _until(check: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout  # generous: a loaded machine delays the writer thread
    while not check():
        assert time.monotonic() < deadline, "not in time"
        time.sleep(0.05)


@pytest.fixture
def processor(provider: TracerProvider, traces_dir: Path) -> Iterator[TraceFileProcessor]:
    processor = TraceFileProcessor(traces_dir, idle_close=IDLE)
    provider.add_span_processor(processor.link())
    yield processor
    processor.shutdown()


def _span(provider: TracerProvider, sid: str, name: str) -> None:
    with context.bind(sid), provider.get_tracer("t").start_as_current_span(name):
        pass


def test_idle_parts_are_closed_and_a_late_span_lands_in_the_next_part(
    provider: TracerProvider, traces_dir: Path, processor: TraceFileProcessor
) -> None:
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for sid in SESSIONS:
            processor.session_started(sid, {"engine": "temporal", "title": "Run"})
            _span(provider, sid, "first")
        processor.force_flush()
        held = tracemalloc.get_traced_memory()[0] - before
        assert processor.writer.files.open_count == len(SESSIONS)
        assert _fds_in(traces_dir) >= len(SESSIONS)
        _until(lambda: processor.writer.files.open_count == 0)  # no write, no flush: the writer closes them
        freed = held - (tracemalloc.get_traced_memory()[0] - before)
    finally:
        tracemalloc.stop()
    assert _fds_in(traces_dir) == 0
    # each part held three compressors (part, skeleton, locators): ~0.3 MB each with zlib, more with ISA-L
    assert freed > len(SESSIONS) * 300_000, (held, freed)
    for sid in SESSIONS:  # a closed part is a finished gzip member (trailer) with its sidecars
        part = tracefile.part_path(traces_dir, sid, 0)
        records = [_json(line) for line in gzip.decompress(part.read_bytes()).splitlines()]
        assert [r["type"] for r in records] == ["session", "span"]
        assert all(p.is_file() for p in tracefile.sidecar_paths(traces_dir, sid, 0))

    _span(provider, SESSIONS[0], "late")
    processor.session_finished(SESSIONS[0], "completed", None)
    processor.force_flush()
    records = read_session(traces_dir, SESSIONS[0])
    assert [r["type"] for r in records] == ["session", "span", "span", "session_end"]
    assert [r["name"] for r in records if r["type"] == "span"] == ["first", "late"]
    assert [p.name for p in tracefile.trace_parts(traces_dir, SESSIONS[0])] == [
        f"{SESSIONS[0]}.jsonl.gz",
        f"{SESSIONS[0]}.1.jsonl.gz",
    ]
    assert all(p.is_file() for p in tracefile.sidecar_paths(traces_dir, SESSIONS[0], 1))


def test_a_part_written_to_stays_open(provider: TracerProvider, processor: TraceFileProcessor) -> None:
    """Idle means not written to: a session that writes more often than ``idle_close`` keeps its one part."""
    files = processor.writer.files
    processor.session_started("busy-001", {"engine": "asyncio", "title": "Busy"})
    for n in range(8):
        _span(provider, "busy-001", f"s{n}")
        processor.force_flush()
        assert files.open_count == 1
        assert files.close_idle(time.monotonic()) == 0
        time.sleep(IDLE / 4)
    assert files.close_idle(time.monotonic() + IDLE) == 1  # and once idle long enough, it goes


def test_the_gateway_follows_a_session_across_an_idle_close(
    provider: TracerProvider, traces_dir: Path, processor: TraceFileProcessor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_gateway import InspectorSettings, create_gateway, serve

    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    token = "b" * 64
    mounted = serve(*create_gateway(InspectorSettings(traces_dir=traces_dir, token=token, port=0), ()))
    client = httpx.Client(
        base_url=f"http://127.0.0.1:{mounted.port}/_inspector", headers={"X-Inspector-Token": token}, timeout=10
    )
    sid = "followed-01"
    try:
        processor.session_started(sid, {"engine": "temporal", "title": "Followed"})
        _span(provider, sid, "before")
        processor.force_flush()

        def names() -> list[str]:
            got = client.get(f"/trace/{sid}")
            assert got.status_code == 200, got.text
            lines = got.content.splitlines()  # httpx inflates the gzip-encoded answer
            return [r["name"] for r in map(_json, lines) if r["type"] == "span"]

        assert names() == ["before"]
        _until(lambda: processor.writer.files.open_count == 0)
        assert _row(client, sid)["status"] == "running"  # a closed part is no end of its session
        _span(provider, sid, "after")
        processor.force_flush()
        _until(lambda: names() == ["before", "after"])
        manifest = client.get(f"/trace/{sid}/skeleton")
        assert manifest.status_code == 200, manifest.text
        assert len(manifest.json()["parts"]) == 2
        for n in range(2):
            got = client.get(f"/trace/{sid}/skeleton/{n}")
            assert got.status_code == 200, got.text
        processor.session_finished(sid, "completed", None)
        processor.force_flush()
        _until(lambda: _row(client, sid)["status"] == "completed")
    finally:
        client.close()
        mounted.stop()


def test_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, seconds in [("", 60.0), ("5", 5.0), ("0.25", 0.25), ("0", None), ("off", None), ("x", 60.0), ("-3", 60.0)]:
        monkeypatch.setenv("INSPECTOR_PART_IDLE_CLOSE", raw)
        assert default_idle_close() == seconds, raw


def _row(client: httpx.Client, sid: str) -> dict[str, object]:
    got = client.get("/sessions")
    assert got.status_code == 200, got.text
    row: dict[str, object] = next(s for s in got.json()["sessions"] if s["id"] == sid)
    return row


def _json(line: bytes) -> dict[str, object]:
    import json

    record: dict[str, object] = json.loads(line)
    return record
