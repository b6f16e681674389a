"""/events slots under connect/drop loops, a client that never reads, 100 clients, and shutdown (issue 12 item 1)."""

from __future__ import annotations

import asyncio
import threading
import time

from gateway_support import SSEReader, start_gateway


def _busy(hub, stop: threading.Event) -> threading.Thread:
    def run() -> None:
        n = 0
        while not stop.is_set():
            hub.publish({"type": "Busy", "n": n, "pad": "p" * 200})
            n += 1
            time.sleep(0.0005)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


async def _connect_read_drop(live, nbytes: int = 300) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", live.port)
    writer.write(
        f"GET /_inspector/events?token={live.token} HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: 0\r\n\r\n".encode()
    )
    await writer.drain()
    await reader.read(nbytes)
    writer.close()


async def _slots_back_to(hub, count: int, seconds: float = 5.0) -> int:
    deadline = time.monotonic() + seconds
    while hub.client_count != count and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return hub.client_count


async def test_connect_read_drop_loop_against_a_busy_hub_frees_every_slot(live, server_log):
    stop = threading.Event()
    thread = _busy(live.gateway.hub, stop)
    try:
        for _ in range(150):
            await _connect_read_drop(live)
        assert await _slots_back_to(live.gateway.hub, 0) == 0
        # and the page still gets its stream
        client = await SSEReader.open(live)
        assert client.status == 200
        client.close()
    finally:
        stop.set()
        thread.join()
    assert await _slots_back_to(live.gateway.hub, 0) == 0
    live.close()
    assert server_log.messages() == []  # no "Cancel N running task(s)", no "Exception in ASGI application"


async def test_shutdown_with_open_streams_is_clean(traces_dir, monkeypatch, server_log):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    server = start_gateway(traces_dir)
    stop = threading.Event()
    thread = _busy(server.gateway.hub, stop)
    readers = [await SSEReader.open(server) for _ in range(5)]
    stuck = readers[0]  # reads nothing at all
    for reader in readers[1:]:
        await reader.events(3)
    started = time.monotonic()
    await asyncio.to_thread(server.close)
    took = time.monotonic() - started
    stop.set()
    thread.join()
    for reader in readers:
        reader.close()
    assert stuck.status == 200
    assert server_log.messages() == []
    assert took < 3  # streams end at once, not after uvicorn's graceful-shutdown timeout


async def test_100_clients_one_never_reading_then_all_gone_leaves_every_slot_free(live):
    hub = live.gateway.hub
    readers = [await SSEReader.open(live) for _ in range(100)]  # readers[0] never reads a byte
    assert [r.status for r in readers] == [200] * 100
    for i in range(200):
        hub.publish({"type": "Busy", "i": i, "pad": "p" * 500})
    await asyncio.gather(*(r.events(200, timeout=30) for r in readers[1:]))
    refused = await SSEReader.open(live)
    assert refused.status == 503  # the cap holds while they are all connected
    refused.close()
    for reader in readers:
        reader.close()
    assert await _slots_back_to(hub, 0) == 0
    again = await SSEReader.open(live)
    assert again.status == 200
    again.close()
