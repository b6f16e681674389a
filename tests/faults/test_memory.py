"""What the gateway keeps per session does not grow with the number of finished sessions beyond a small summary
(issue 12 item 10): the incremental gzip reader of a finished session's file (~40 KB of zlib state) is released."""

from __future__ import annotations

import tracemalloc

from gateway_support import end, header, span, write_trace

from inspector_gateway.sessions._tracefiles import TraceDirectory

T0 = "2026-01-01T00:00:00.000000Z"


def _held_per_session(traces_dir, count: int) -> float:
    for n in range(count):
        sid = f"mem-{n:06d}"
        write_trace(traces_dir / f"{sid}.jsonl.gz", header(sid, T0), span(1), span(2), end())
    directory = TraceDirectory(traces_dir)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        sessions = directory.sessions()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(sessions) == count
    assert all(s.status == "completed" and s.span_count == 2 for s in sessions)
    return held / count


def test_a_finished_session_costs_a_summary_not_a_decompressor(traces_dir):
    assert _held_per_session(traces_dir, 300) < 3_000  # was 7-40 KB: a zlib state per part, for good


def test_a_finished_file_that_changes_later_is_read_again(traces_dir):
    directory = TraceDirectory(traces_dir)
    path = traces_dir / "again-0001.jsonl.gz"
    write_trace(path, header("again-0001", T0), span(1), end())
    assert [s.span_count for s in directory.sessions()] == [1]
    write_trace(path, header("again-0001", T0), span(1), span(2), span(3), end("failed", "x"))  # same inode
    directory.mark_dirty("again-0001")
    (only,) = directory.sessions()
    assert (only.span_count, only.status) == (3, "failed")
