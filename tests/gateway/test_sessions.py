"""GET /sessions: trace files + live hooks, merged, newest first; a failing source does not fail the list."""

from __future__ import annotations

import os

from gateway_support import TraceWriter, emit, end, header, span, start_gateway, started, write_trace

from inspector_gateway import hookimpl


def rows(live):
    r = live.client.get("/sessions")
    assert r.status_code == 200
    return r.json()


def test_files_give_sessions_newest_first(live, traces_dir):
    write_trace(
        traces_dir / "old-session.jsonl.gz", header("old-session", "2026-01-01T00:00:00.000000Z"), span(1), end()
    )
    write_trace(
        traces_dir / "new-session.jsonl.gz",
        header("new-session", "2026-01-02T00:00:00.000000Z", engine="temporal", parent_session_id="old-session"),
        span(1),
        span(2),
        end("failed", "boom"),
    )
    (traces_dir / "junk.txt").write_text("not a trace")
    (traces_dir / "bad.id!.jsonl.gz").write_bytes(b"x")
    body = rows(live)
    assert [s["id"] for s in body["sessions"]] == ["new-session", "old-session"]
    new, old = body["sessions"]
    assert new["status"] == "failed"
    assert new["engine"] == "temporal"
    assert new["span_count"] == 2
    assert new["parent_session_id"] == "old-session"
    assert new["ended_at"] == "2026-01-01T00:01:00.000000Z"
    assert new["title"] == "title of new-session"
    assert old["status"] == "completed"
    assert old["span_count"] == 1
    assert "errors" not in body


def test_a_growing_file_is_followed(live, traces_dir):
    writer = TraceWriter(traces_dir / "grow-session.jsonl.gz")
    writer.write(header("grow-session", "2026-01-01T00:00:00.000000Z"))
    assert rows(live)["sessions"][0]["status"] == "running"
    assert rows(live)["sessions"][0]["span_count"] == 0
    writer.write(span(1), span(2), span(3))
    assert rows(live)["sessions"][0]["span_count"] == 3
    writer.write(end())
    writer.close()
    (only,) = rows(live)["sessions"]
    assert (only["status"], only["span_count"]) == ("completed", 3)


def test_corrupt_and_empty_files_do_not_break_the_list(live, traces_dir):
    (traces_dir / "corrupt-01.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    (traces_dir / "empty-001.jsonl.gz").write_bytes(b"")
    write_trace(traces_dir / "good-0001.jsonl.gz", header("good-0001", "2026-01-01T00:00:00.000000Z"))
    ids = {s["id"] for s in rows(live)["sessions"]}
    assert ids == {"corrupt-01", "empty-001", "good-0001"}


def test_deleted_files_disappear(live, traces_dir):
    path = traces_dir / "gone-0001.jsonl.gz"
    write_trace(path, header("gone-0001", "2026-01-01T00:00:00.000000Z"))
    assert rows(live)["sessions"]
    os.unlink(path)
    assert rows(live)["sessions"] == []


def test_live_sessions_from_hooks(live, traces_dir):
    started("live-0001", "2026-02-01T00:00:00.000000Z", engine="mcp-inbound", title="tools/call")
    started("live-0002", "2026-02-02T00:00:00.000000Z", parent_session_id="live-0001")
    by_id = {s["id"]: s for s in rows(live)["sessions"]}
    assert by_id["live-0001"]["engine"] == "mcp-inbound"
    assert by_id["live-0001"]["title"] == "tools/call"
    assert by_id["live-0002"]["parent_session_id"] == "live-0001"
    assert [s["id"] for s in rows(live)["sessions"]] == ["live-0002", "live-0001"]

    emit("session_paused", session_id="live-0002", signal_name="human_input", prompt="ok?", schema={"type": "object"})
    paused = {s["id"]: s for s in rows(live)["sessions"]}["live-0002"]
    assert paused["status"] == "paused"
    assert paused["waiting"] == {"signal_name": "human_input", "prompt": "ok?", "schema": {"type": "object"}}
    emit("session_paused", session_id="live-0001", signal_name="cancel", prompt=None)  # internal: ignored
    assert {s["id"]: s for s in rows(live)["sessions"]}["live-0001"]["status"] == "running"
    emit("session_resumed", session_id="live-0002", signal_name="human_input", payload={"response": "y"})
    assert {s["id"]: s for s in rows(live)["sessions"]}["live-0002"]["status"] == "running"
    emit("session_finished", session_id="live-0002", status="cancelled", error=None)
    assert {s["id"]: s for s in rows(live)["sessions"]}["live-0002"]["status"] == "cancelled"


def test_live_status_wins_over_the_file(live, traces_dir):
    writer = TraceWriter(traces_dir / "both-0001.jsonl.gz")
    writer.write(header("both-0001", "2026-01-01T00:00:00.000000Z"), span(1), span(2))
    started("both-0001", "2026-01-01T00:00:00.000000Z")
    emit("session_paused", session_id="both-0001", signal_name="approve", prompt="?", schema=None)
    (only,) = rows(live)["sessions"]
    assert (only["status"], only["span_count"]) == ("paused", 2)
    writer.close()


class _Broken:
    name = "temporal"

    async def list_sessions(self):
        raise ConnectionError("temporal is down")


class BrokenSourcePlugin:
    @hookimpl
    def inspector_session_sources(self, gateway):
        return [_Broken()]


def test_a_failing_source_gives_200_with_the_others(traces_dir, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    write_trace(traces_dir / "file-0001.jsonl.gz", header("file-0001", "2026-01-01T00:00:00.000000Z"))
    server = start_gateway(traces_dir, (BrokenSourcePlugin(),))
    try:
        body = rows(server)
    finally:
        server.close()
    assert [s["id"] for s in body["sessions"]] == ["file-0001"]
    assert "temporal is down" in body["errors"]["temporal"]
    assert "temporal is down" in body["temporal_error"]


def test_missing_traces_dir_is_an_empty_list(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    server = start_gateway(tmp_path / "does-not-exist")
    try:
        assert rows(server) == {"sessions": [], "storage": {"state": "ok"}}
    finally:
        server.close()


def test_pause_of_a_session_started_before_the_gateway(live, traces_dir):
    write_trace(
        traces_dir / "early-001.jsonl.gz", header("early-001", "2026-01-01T00:00:00.000000Z", engine="temporal")
    )
    emit("session_paused", session_id="early-001", signal_name="approve", prompt="go?", schema=None)
    (only,) = rows(live)["sessions"]
    assert only["status"] == "paused"
    assert only["title"] == "title of early-001"
    assert only["engine"] == "temporal"
    assert only["started_at"] == "2026-01-01T00:00:00.000000Z"


def test_a_rewritten_file_is_counted_again(live, traces_dir):
    path = traces_dir / "redo-0001.jsonl.gz"
    write_trace(path, header("redo-0001", "2026-01-01T00:00:00.000000Z"), span(1), span(2), span(3), end())
    assert rows(live)["sessions"][0]["span_count"] == 3
    tmp = traces_dir / "tmp-file"
    write_trace(tmp, header("redo-0001", "2026-01-01T00:00:00.000000Z", title="again"), span(1))
    os.replace(tmp, path)
    (only,) = rows(live)["sessions"]
    assert (only["span_count"], only["status"], only["title"]) == (1, "running", "again")


def test_a_new_rotated_part_is_followed(live, traces_dir):
    write_trace(traces_dir / "rot-00001.jsonl.gz", header("rot-00001", "2026-01-01T00:00:00.000000Z"), span(1))
    assert rows(live)["sessions"][0]["span_count"] == 1
    write_trace(traces_dir / "rot-00001.1.jsonl.gz", span(2), span(3), end())
    (only,) = rows(live)["sessions"]
    assert (only["span_count"], only["status"]) == (3, "completed")


def test_a_file_created_in_the_same_clock_tick_is_not_missed(live, traces_dir):
    write_trace(traces_dir / "tick-0001.jsonl.gz", header("tick-0001", "2026-01-01T00:00:00.000000Z"))
    assert len(rows(live)["sessions"]) == 1
    before = os.stat(traces_dir).st_mtime_ns
    write_trace(traces_dir / "tick-0002.jsonl.gz", header("tick-0002", "2026-01-02T00:00:00.000000Z"))
    os.utime(traces_dir, ns=(before, before))  # as if both files were created within one tick
    assert [s["id"] for s in rows(live)["sessions"]] == ["tick-0002", "tick-0001"]


def test_the_live_registry_keeps_the_newest_finished_sessions_up_to_its_setting(tmp_path, monkeypatch):
    from inspector_gateway import GatewayState, resolve_settings

    monkeypatch.setenv("INSPECTOR_KEEP_FINISHED", "3")
    settings = resolve_settings(traces_dir=tmp_path)
    assert settings.keep_finished_sessions == 3
    live = GatewayState.create(settings).live
    live.on_session_started(session_id="run-00001", metadata={"started_at": "2026-01-01T00:00:00.000000Z"})
    for i in range(6):
        live.on_session_started(session_id=f"done-{i:04d}", metadata={"started_at": f"2026-01-02T00:00:0{i}.0Z"})
        live.on_session_finished(session_id=f"done-{i:04d}", status="completed")
    live.on_session_started(session_id="run-00002", metadata={})  # the registry is trimmed as sessions start
    kept = sorted(s.id for s in live.snapshot())
    assert kept == ["done-0003", "done-0004", "done-0005", "run-00001", "run-00002"]
    monkeypatch.setenv("INSPECTOR_KEEP_FINISHED", "none")
    assert resolve_settings(traces_dir=tmp_path).keep_finished_sessions == 1000
