"""A session whose trace file says it waits on a signal is listed as paused, also by a gateway of another process."""

from __future__ import annotations

from gateway_support import TraceWriter, end, header, span, write_trace

PAUSED = {
    "type": "session_paused",
    "at": "2026-01-01T00:00:05.000000Z",
    "signal_name": "human_input",
    "prompt": "Ship it?",
    "schema": {"type": "object", "properties": {"response": {"type": "string"}}},
}
RESUMED = {"type": "session_resumed", "at": "2026-01-01T00:00:09.000000Z", "signal_name": "human_input"}


def _row(live, sid: str) -> dict:
    r = live.client.get("/sessions")
    assert r.status_code == 200
    return next(row for row in r.json()["sessions"] if row["id"] == sid)


def test_pauses_and_resumes_written_in_the_file_are_listed(live, traces_dir):
    sid = "waits-in-file-1"
    writer = TraceWriter(traces_dir / f"{sid}.jsonl.gz")
    try:
        writer.write(header(sid, "2026-01-01T00:00:00.000000Z"), span(1))
        row = _row(live, sid)
        assert row["status"] == "running"
        assert "waiting" not in row
        # nor can this process cancel it: it says where the run is
        r = live.client.post(f"/cancel/{sid}")
        assert r.status_code == 404
        assert "runs in another process" in r.json()["error"]["message"]

        writer.write(PAUSED)
        row = _row(live, sid)
        assert row["status"] == "paused"
        assert row["waiting"] == {"signal_name": "human_input", "prompt": "Ship it?", "schema": PAUSED["schema"]}
        # the run is not one of this process's: the answer must go to the process that runs it
        r = live.client.post(f"/signal/{sid}", json={"signal": "human_input_answer", "payload": {"response": "y"}})
        assert r.status_code == 404
        assert "another process" in r.json()["error"]["message"]

        writer.write(RESUMED, span(2))
        row = _row(live, sid)
        assert row["status"] == "running"
        assert "waiting" not in row
        assert row["span_count"] == 2

        writer.write(PAUSED, end("completed"))
        row = _row(live, sid)
        assert row["status"] == "completed"  # the end is the last word
        assert "waiting" not in row
    finally:
        writer.close()


def test_an_unknown_session_is_still_plain_404(live):
    r = live.client.post("/signal/never-seen-1", json={"signal": "human_input_answer", "payload": {}})
    assert r.status_code == 404
    assert "another process" not in r.json()["error"]["message"]
    r = live.client.post("/cancel/never-seen-1")
    assert r.status_code == 404
    assert "another process" not in r.json()["error"]["message"]


def test_a_paused_session_whose_writer_is_gone_is_failed_without_waiting(live, traces_dir):
    sid = "gone-paused-1"
    gone = header(sid, "2026-01-01T00:00:00.000000Z", writer="4242-0123456789abcdef.lock")  # no such lock file
    write_trace(traces_dir / f"{sid}.jsonl.gz", gone, PAUSED)
    row = _row(live, sid)
    assert row["status"] == "failed"
    assert "waiting" not in row
