"""Hook subscribers that raise, block or are slow, and a gateway event listener that raises: the emitter (the user's
agent) never sees an exception, the other subscribers still get every call, and what the page shows is complete."""

from __future__ import annotations

import asyncio
import threading
import time

from gateway_support import SSEReader, emit, started

import inspector_hooks

T0 = "2026-01-01T00:00:00.000000Z"


async def test_a_raising_subscriber_never_reaches_the_emitter_and_the_page_still_gets_everything(live):
    calls = []

    def raises(**kwargs):
        calls.append(kwargs)
        raise RuntimeError("a broken third-party subscriber")

    inspector_hooks.register("span_ended", raises)
    try:
        client = await SSEReader.open(live)
        started("raising-01", T0)
        for i in range(20):
            emit("span_ended", session_id="raising-01", span={"i": i})  # would raise here if it leaked
        got = [e for _, e in await client.events(21)]
        client.close()
    finally:
        inspector_hooks.unregister("span_ended", raises)
    assert len(calls) == 20
    assert [e["span"]["i"] for e in got if e["type"] == "SpanEnded"] == list(range(20))
    row = next(r for r in live.client.get("/sessions").json()["sessions"] if r["id"] == "raising-01")
    assert row["span_count"] == 20


async def test_an_async_subscriber_that_blocks_forever_does_not_block_the_emitter(live):
    hold = asyncio.Event()
    entered = []

    async def blocks(**kwargs):
        entered.append(kwargs)
        await hold.wait()

    inspector_hooks.register("span_ended", blocks)
    try:
        client = await SSEReader.open(live)
        started("blocked-01", T0)
        began = time.monotonic()
        for i in range(10):
            emit("span_ended", session_id="blocked-01", span={"i": i})
        assert time.monotonic() - began < 1.0
        got = [e for _, e in await client.events(11)]
        client.close()
        await asyncio.sleep(0)
        assert len(entered) == 10  # scheduled on the running loop, each waiting: none lost
    finally:
        hold.set()
        inspector_hooks.unregister("span_ended", blocks)
    assert [e["span"]["i"] for e in got if e["type"] == "SpanEnded"] == list(range(10))


async def test_a_slow_sync_subscriber_delays_only_by_its_own_time_and_loses_nothing(live):
    def slow(**kwargs):
        time.sleep(0.02)

    inspector_hooks.register("span_ended", slow)
    try:
        client = await SSEReader.open(live)
        started("slowsub-01", T0)

        def agent() -> None:
            for i in range(25):
                emit("span_ended", session_id="slowsub-01", span={"i": i})

        thread = threading.Thread(target=agent)
        thread.start()
        got = [e for _, e in await client.events(26, timeout=20)]
        thread.join()
        client.close()
    finally:
        inspector_hooks.unregister("span_ended", slow)
    assert [e["span"]["i"] for e in got if e["type"] == "SpanEnded"] == list(range(25))


async def test_a_raising_event_listener_plugin_is_logged_and_streams_go_on(live, server_log):
    def listener(event):
        raise ValueError("listener bug")

    live.gateway.hub.add_listeners([listener])
    client = await SSEReader.open(live)
    started("listener-1", T0)
    emit("span_ended", session_id="listener-1", span={"i": 1})
    got = [e["type"] for _, e in await client.events(2)]
    client.close()
    assert got == ["SessionStarted", "SpanEnded"]
    assert any("listener" in m for m in server_log.messages())
