"""The writer's liveness lock: named in every header, held while the writer lives, removed by a clean stop."""

from __future__ import annotations

import fcntl
import os
import time

from opentelemetry.sdk.trace import TracerProvider

from inspector_hooks import context
from inspector_hooks.tracefile import WRITERS_DIR
from inspector_otel import TraceFileProcessor
from inspector_otel.testing import read_session


def _write_one_session(processor: TraceFileProcessor, sid: str) -> None:
    provider = TracerProvider()
    provider.add_span_processor(processor.link())
    processor.session_started(sid, {"engine": "asyncio", "title": sid})
    with context.bind(sid), provider.get_tracer("t").start_as_current_span("work"):
        pass
    processor.force_flush()


def _held(path) -> bool:
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_headers_name_a_lock_held_until_a_clean_stop(tmp_path):
    processor = TraceFileProcessor(tmp_path)
    try:
        _write_one_session(processor, "locked-one")
        _write_one_session(processor, "locked-two")
        names = {read_session(tmp_path, sid)[0]["writer"] for sid in ("locked-one", "locked-two")}
        (name,) = names  # one lock per process, in every header
        lock = tmp_path / WRITERS_DIR / name
        assert name.startswith(f"{os.getpid()}-")
        assert _held(lock)
    finally:
        processor.shutdown()
    assert not lock.exists()


def test_a_starting_writer_removes_old_free_locks_only(tmp_path):
    folder = tmp_path / WRITERS_DIR
    folder.mkdir()
    free = folder / "1-00000000000000aa.lock"
    held = folder / "2-00000000000000bb.lock"
    young = folder / "3-00000000000000cc.lock"
    for path in (free, held, young):
        path.touch()
    old = time.time() - 3600
    os.utime(free, (old, old))
    os.utime(held, (old, old))
    fd = os.open(held, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another live writer
    processor = TraceFileProcessor(tmp_path)
    try:
        _write_one_session(processor, "sweeping-1")
        assert not free.exists()
        assert held.exists()
        assert young.exists()  # maybe a writer between creating its file and locking it
    finally:
        processor.shutdown()
        os.close(fd)


def test_no_lock_no_writer_field_and_the_session_is_still_written(tmp_path):
    (tmp_path / WRITERS_DIR).write_text("a file where the folder should be")
    processor = TraceFileProcessor(tmp_path)
    try:
        _write_one_session(processor, "unlocked-1")
    finally:
        processor.shutdown()
    records = read_session(tmp_path, "unlocked-1")
    assert "writer" not in records[0]
    assert [r["name"] for r in records if r["type"] == "span"] == ["work"]
