"""GET /events against a live server: hook → SSE frames, Last-Event-ID replay, client cap, slow clients."""

from __future__ import annotations

import asyncio
import json
import threading

from gateway_support import SSEReader, emit, start_gateway, started
from hypothesis import given
from hypothesis import strategies as st

from inspector_gateway.events.sse import encode_frame

T0 = "2026-03-01T00:00:00.000000Z"


async def test_hooks_become_events(live):
    client = await SSEReader.open(live)
    assert client.status == 200
    started("evt-0001", T0, title="demo")
    emit("span_started", session_id="evt-0001", span={"span_id": "1" * 16, "name": "llm"})
    emit("span_ended", session_id="evt-0001", span={"span_id": "1" * 16, "name": "llm", "duration_ms": 3.0})
    emit(
        "session_paused",
        session_id="evt-0001",
        signal_name="human_input",
        prompt="Approve?",
        schema={"type": "object", "properties": {"response": {"type": "string"}}},
    )
    emit("session_resumed", session_id="evt-0001", signal_name="human_input", payload={"response": "yes"})
    emit("storage_error", path="/x/evt-0001.jsonl.gz", message="disk full", exc=OSError(28, "No space"))
    emit("session_finished", session_id="evt-0001", status="failed", error="boom")
    got = await client.events(7)
    client.close()
    assert client.retry == 2000
    ids = [i for i, _ in got]
    assert ids == sorted(ids)
    assert len(set(ids)) == 7
    types = [e["type"] for _, e in got]
    assert types == [
        "SessionStarted",
        "SpanStarted",
        "SpanEnded",
        "WaitingOnSignal",
        "SignalReceived",
        "StorageError",
        "SessionFinished",
    ]
    events = [e for _, e in got]
    assert events[0]["title"] == "demo"
    assert events[0]["engine"] == "asyncio"
    assert events[3]["prompt"] == "Approve?"
    assert events[3]["schema"]["properties"]["response"]["type"] == "string"
    assert events[3]["signal_name"] == "human_input"
    assert events[5]["message"] == "disk full"
    assert events[6]["status"] == "failed"
    assert events[6]["error"] == "boom"
    assert all(e["event_id"] == i for i, e in got)
    assert all(e["timestamp"].endswith("Z") for e in events)


async def test_heartbeat_carries_real_deltas(live):
    import inspector_hooks

    client = await SSEReader.open(live)
    started("beat-0001", T0)
    with inspector_hooks.context.bind("beat-0001"):
        emit("after_llm_generate", llm=None, prompt="p", response=None, usage={"input_tokens": 10, "output_tokens": 5})
        emit("after_llm_generate", llm=None, prompt="p", response=None, usage={"total_tokens": 7})
        emit("after_tool_call", tool_name="t", args={}, result=None, context=None)
    emit("session_finished", session_id="beat-0001", status="completed", error=None)
    got = [e for _, e in await client.events(3)]
    client.close()
    assert [e["type"] for e in got] == ["SessionStarted", "Heartbeat", "SessionFinished"]
    beat = got[1]
    assert (beat["llm_calls_delta"], beat["tool_calls_delta"], beat["tokens_delta"]) == (2, 1, 22)


async def test_reconnect_with_last_event_id_misses_nothing(live):
    first = await SSEReader.open(live)
    for i in range(5):
        started(f"re-{i:05d}", T0)
    seen = await first.events(5)
    first.close()
    await asyncio.sleep(0.05)
    for i in range(5, 12):  # emitted while no client is connected
        started(f"re-{i:05d}", T0)
    second = await SSEReader.open(live, last_event_id=seen[-1][0])
    started("re-00012", T0)
    rest = await second.events(8)
    second.close()
    all_ids = [e["session_id"] for _, e in seen + rest]
    assert all_ids == [f"re-{i:05d}" for i in range(13)]
    numbers = [i for i, _ in seen + rest]
    assert numbers == list(range(numbers[0], numbers[0] + 13))


async def test_the_101st_client_gets_503(traces_dir, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    server = start_gateway(traces_dir, max_sse_clients=3)
    try:
        clients = [await SSEReader.open(server) for _ in range(3)]
        assert [c.status for c in clients] == [200, 200, 200]
        extra = await SSEReader.open(server)
        assert extra.status == 503
        extra.close()
        clients[0].close()
        for _ in range(50):
            if server.gateway.hub.client_count < 3:
                break
            await asyncio.sleep(0.02)
        again = await SSEReader.open(server)
        assert again.status == 200
        for c in [*clients[1:], again]:
            c.close()
    finally:
        server.close()


async def test_100_clients_and_a_stuck_one_do_not_block_the_emitter(traces_dir, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    server = start_gateway(traces_dir)
    readers: list[SSEReader] = []
    try:
        readers = [await SSEReader.open(server) for _ in range(99)]
        stuck = await SSEReader.open(server)  # never reads
        readers.append(stuck)
        assert server.gateway.hub.client_count == 100
        done = threading.Event()

        def agent() -> None:  # the "workflow": emits from its own thread, must never wait for a client
            for i in range(300):
                emit("span_ended", session_id="busy-0001", span={"name": "s", "i": i, "pad": "x" * 200})
            done.set()

        thread = threading.Thread(target=agent)
        thread.start()
        thread.join(timeout=30)
        assert done.is_set()  # finished although one client has read nothing
        results = await asyncio.gather(*(r.events(300, timeout=60) for r in readers[:99]))
        for got in results:
            assert [e["span"]["i"] for _, e in got] == list(range(300))
    finally:
        for r in readers:
            r.close()
        server.close()


async def test_a_slow_client_is_dropped_and_can_resume(traces_dir, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    server = start_gateway(traces_dir, client_queue_size=4)
    stuck = None
    try:
        stuck = await SSEReader.open(server)
        blob = "y" * 50_000
        for i in range(300):  # ~15 MB: more than the socket buffers plus 4 queued frames
            emit("span_ended", session_id="slow-0001", span={"i": i, "blob": blob})
            if server.gateway.hub.client_count == 0:
                break
            if i % 20 == 0:
                await asyncio.sleep(0.01)
        for _ in range(100):
            if server.gateway.hub.client_count == 0:
                break
            await asyncio.sleep(0.05)
        assert server.gateway.hub.client_count == 0
        last = server.gateway.hub.last_id
        again = await SSEReader.open(server, last_event_id=last - 2)
        got = await again.events(2)
        again.close()
        assert [i for i, _ in got] == [last - 1, last]
    finally:
        if stuck is not None:
            stuck.close()
        server.close()


@given(
    event_id=st.integers(1, 2**53),
    event=st.dictionaries(st.text(max_size=10), st.one_of(st.text(), st.integers(), st.none(), st.booleans())),
)
def test_encode_frame_round_trips(event_id, event):
    frame = encode_frame(event_id, event)
    assert frame.endswith(b"\n\n")
    lines = frame[:-2].split(b"\n")
    assert lines[0] == b"id: %d" % event_id
    assert len(lines) == 2  # one data line: a newline in a value is escaped by JSON
    assert lines[1].startswith(b"data: ")
    assert json.loads(lines[1][6:]) == event


async def test_unencodable_hook_values_still_reach_clients(live):
    class Opaque:
        def __repr__(self):
            return "<opaque thing>"

    client = await SSEReader.open(live)
    emit("span_ended", session_id="odd-0001", span={"name": "x", "value": Opaque(), "when": {1, 2}.__class__})
    ((_, event),) = await client.events(1)
    client.close()
    assert event["span"]["value"] == "<opaque thing>"
