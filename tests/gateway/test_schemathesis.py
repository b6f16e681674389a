"""Schemathesis against a live gateway: no 5xx, no response outside docs/openapi.yaml, every operation including
the event stream (ended by the server shortly after each connect, so its frames can be validated)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import schemathesis
from gateway_support import emit, end, header, span, start_gateway, started, write_trace
from hypothesis import HealthCheck, given, settings

OPENAPI = Path(__file__).parents[2] / "docs" / "openapi.yaml"
SCHEMA = schemathesis.openapi.from_path(OPENAPI)
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    traces_dir = tmp_path_factory.mktemp("traces")
    write_trace(
        traces_dir / "known-session.jsonl.gz", header("known-session", "2026-01-01T00:00:00.000000Z"), span(1), end()
    )
    mp = pytest.MonkeyPatch()
    mp.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    live = start_gateway(traces_dir)
    started("stream-0001", "2026-01-01T00:00:00.000000Z", title="streamed")
    emit("span_started", session_id="stream-0001", span={"span_id": "1" * 16, "name": "llm"})
    emit("span_ended", session_id="stream-0001", span={"span_id": "1" * 16, "name": "llm"})
    emit("session_paused", session_id="stream-0001", signal_name="human_input", prompt="ok?", schema=None)
    emit("session_resumed", session_id="stream-0001", signal_name="human_input", payload={})
    emit("storage_error", path="/x/stream-0001.jsonl.gz", message="disk full", exc=None)
    emit("storage_recovered", path="/x/stream-0001.jsonl.gz")
    emit("session_finished", session_id="stream-0001", status="completed", error=None)
    stop = threading.Event()

    def end_streams() -> None:  # an event stream never ends by itself: end each one shortly after it starts
        n = 0
        while not stop.wait(0.05):
            n += 1
            emit("span_ended", session_id="stream-0001", span={"span_id": f"{n:016x}", "name": "tick"})
            if not stop.wait(0.05):
                live.gateway.hub.close_all()

    closer = threading.Thread(target=end_streams, daemon=True)
    closer.start()
    yield live
    stop.set()
    closer.join()
    live.close()
    mp.undo()


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_conforms(label, server):
    operation = OPERATIONS[label]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=int(os.environ.get("ST_EXAMPLES", "30")),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case):
        case.call_and_validate(base_url=server.base, headers={"X-Inspector-Token": server.token})

    check()


def test_event_stream_replay_conforms(server):
    """Every kind of event, replayed from the ring, is a frame the schema describes."""
    operation = OPERATIONS["GET /events"]
    case = operation.Case(headers={"Last-Event-ID": "0"})
    response = case.call(base_url=server.base, headers={"X-Inspector-Token": server.token})
    assert response.status_code == 200
    assert response.content.count(b"\ndata: ") >= 8
    case.validate_response(response)
