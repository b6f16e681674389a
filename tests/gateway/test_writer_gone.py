"""A session whose writing process died (SIGKILL) is shown as failed, not as running forever."""

from __future__ import annotations

import os
import sys
import time

import pytest
from gateway_support import header, write_trace
from killed_writer import kill, running_writer

from inspector_gateway.sessions._writers import WRITER_GONE_ERROR, WriterLiveness


def _rows(live) -> dict[str, dict]:
    r = live.client.get("/sessions")
    assert r.status_code == 200
    return {row["id"]: row for row in r.json()["sessions"]}


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_killed_writers_sessions_turn_failed(live, traces_dir):
    sessions = [
        ("killed-run-1", "asyncio", False),
        ("finished-run", "asyncio", True),
        ("temporal-run", "temporal", False),
    ]
    with running_writer(traces_dir, sessions) as writer:
        before = _rows(live)
        assert before["killed-run-1"]["status"] == "running"  # its writer lives: a long run, not a dead one
        assert "ended_at" not in before["killed-run-1"]
        assert before["finished-run"]["status"] == "completed"
        kill(writer)
        deadline = time.monotonic() + 10
        while (after := _rows(live))["killed-run-1"]["status"] == "running":  # a live writer is re-checked each second
            assert time.monotonic() < deadline, after
            time.sleep(0.1)
    killed = after["killed-run-1"]
    assert killed["status"] == "failed"
    assert killed["error"] == WRITER_GONE_ERROR
    assert killed["ended_at"] >= killed["started_at"]
    assert killed["span_count"] == 1  # what was flushed is still there
    assert after["finished-run"]["status"] == "completed"
    assert after["temporal-run"]["status"] == "running"  # a Temporal workflow outlives the process that started it
    assert live.client.get("/trace/killed-run-1").status_code == 200


def test_a_header_without_writer_or_with_a_foreign_name_stays_running(live, traces_dir):
    write_trace(traces_dir / "no-writer-1.jsonl.gz", header("no-writer-1", "2026-01-01T00:00:00.000000Z"))
    # never opened: not a name a writer makes
    odd = header("odd-writer-1", "2026-01-01T00:00:01.000000Z", writer="../../etc/passwd")
    write_trace(traces_dir / "odd-writer-1.jsonl.gz", odd)
    # a writer's name whose file is gone: that writer has ended
    gone = header("gone-writer1", "2026-01-01T00:00:02.000000Z", writer="4242-0123456789abcdef.lock")
    write_trace(traces_dir / "gone-writer1.jsonl.gz", gone)
    rows = _rows(live)
    assert rows["no-writer-1"]["status"] == "running"
    assert rows["odd-writer-1"]["status"] == "running"
    assert rows["gone-writer1"]["status"] == "failed"


def test_this_processs_own_writer_is_never_gone(traces_dir):
    # no lock file at all, which for another process would mean it has ended
    assert not WriterLiveness(traces_dir).gone(f"{os.getpid()}-0123456789abcdef.lock")
    assert WriterLiveness(traces_dir).gone("1-0123456789abcdef.lock")


def test_a_dead_writers_session_never_ends_before_it_started(live, traces_dir):
    # the kernel's coarse mtime can read a few ms before the writer's own clock: here, a year before
    started = "2026-01-01T00:00:02.000000Z"
    path = traces_dir / "early-mtime1.jsonl.gz"
    write_trace(path, header("early-mtime1", started, writer="4242-0123456789abcdef.lock"))
    year_before = time.mktime((2025, 1, 1, 0, 0, 0, 0, 0, 0))
    os.utime(path, (year_before, year_before))
    row = _rows(live)["early-mtime1"]
    assert row["status"] == "failed"
    assert row["ended_at"] == started
