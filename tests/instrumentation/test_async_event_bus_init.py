"""Regression for task observe/fix/async-event-bus-init: ``'AsyncEventBus' object has no attribute '_queue'``.

mcp-agent 0.2.6 builds the bus's queue lazily and skips that when ``_running`` is already True; a bus left running
from another event loop (pytest's per-test loops, repeated ``asyncio.run``, a worker process) silently drops events.
``install()`` heals both.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

import pytest
from mcp_agent.logging.events import Event
from mcp_agent.logging.listeners import EventListener
from mcp_agent.logging.transport import AsyncEventBus

import inspector_instrumentation


class Collector(EventListener):
    def __init__(self) -> None:
        self.events: list[Event] = []

    async def handle_event(self, event: Event) -> None:
        self.events.append(event)


def _event(message: str) -> Event:
    return Event(type="info", namespace="tests.instrumentation", message=message)


def _running_without_queue() -> AsyncEventBus:
    """The failing state: the bus claims to run but its lazily created queue is missing."""
    bus = AsyncEventBus()
    bus._running = True
    return bus


async def _settle(bus: AsyncEventBus, collector: Collector, count: int) -> None:
    for _ in range(200):
        if len(collector.events) >= count:
            return
        await asyncio.sleep(0.005)


async def _stop(bus: AsyncEventBus) -> None:
    if bus._running and "_queue" in bus.__dict__:
        await bus.stop()


async def test_reproduces_the_attribute_error_on_unpatched_mcp_agent():
    assert not inspector_instrumentation.installed()
    bus = _running_without_queue()
    with pytest.raises(AttributeError, match="_queue"):
        await bus.emit(_event("lost"))


async def test_async_event_bus_init(installed):
    bus = _running_without_queue()
    collector = Collector()
    bus.add_listener("collector", collector)
    await bus.emit(_event("delivered"))
    bus.emit_with_stderr_transport  # noqa: B018  # the sync path is patched too (it prints, so it is not called here)
    await _settle(bus, collector, 1)
    await _stop(bus)
    assert [e.message for e in collector.events] == ["delivered"]


def _three_loops(bus: AsyncEventBus, collector: Collector) -> list[int]:
    """Emit once in each of three event loops without stopping the bus in between (what MCPApp.cleanup does)."""
    counts = []
    for n in range(3):

        async def one_loop(n: int = n) -> None:
            before = len(collector.events)
            await bus.emit(_event(f"loop {n}"))
            await _settle(bus, collector, before + 1)
            counts.append(len(collector.events) - before)

        asyncio.run(one_loop())
    return counts


def test_events_survive_new_event_loops(installed):
    bus = AsyncEventBus()
    collector = Collector()
    bus.add_listener("collector", collector)
    assert _three_loops(bus, collector) == [1, 1, 1]


def test_unpatched_bus_drops_events_in_later_loops():
    """The failure the heal fixes (proves the test above can fail)."""
    assert not inspector_instrumentation.installed()
    bus = AsyncEventBus()
    collector = Collector()
    bus.add_listener("collector", collector)
    assert _three_loops(bus, collector) == [1, 0, 0]


WORKER = textwrap.dedent(
    """
    import asyncio, warnings
    warnings.simplefilter("ignore")
    import inspector_instrumentation
    assert inspector_instrumentation.install()
    from mcp_agent.logging.listeners import EventListener
    from mcp_agent.logging.logger import get_logger
    from mcp_agent.logging.transport import AsyncEventBus

    class Count(EventListener):
        n = 0
        async def handle_event(self, event):
            Count.n += 1

    bus = AsyncEventBus.get()
    bus.add_listener("count", Count())
    bus._running = True  # state carried into a worker process whose loop never started the bus

    async def main():
        get_logger("worker").info("hello from a worker")
        for _ in range(200):
            if Count.n:
                break
            await asyncio.sleep(0.005)
        await inspector_instrumentation.stop_event_bus()

    asyncio.run(main())
    print("events", Count.n)
    """
)


@pytest.mark.slow
def test_worker_process_where_the_bus_never_started():
    done = subprocess.run([sys.executable, "-c", WORKER], capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "events 1" in done.stdout


async def _cancel_the_rest() -> None:
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def test_a_bus_running_on_another_open_loop_is_left_alone(installed):
    """Temporal runs workflow code on its own loop beside the worker's: the worker's bus must not be reset there."""
    import threading

    other = asyncio.new_event_loop()
    thread = threading.Thread(target=other.run_forever, daemon=True)
    thread.start()
    bus = AsyncEventBus()
    collector = Collector()
    bus.add_listener("collector", collector)
    try:
        asyncio.run_coroutine_threadsafe(bus.emit(_event("on the worker loop")), other).result(5)
        queue, task = bus._queue, bus._task

        async def elsewhere() -> None:
            assert not inspector_instrumentation.heal_event_bus(bus)

        asyncio.run(elsewhere())
        assert bus._queue is queue
        assert bus._task is task
        assert bus._loop is other
        asyncio.run_coroutine_threadsafe(_settle(bus, collector, 1), other).result(5)
        assert [e.message for e in collector.events] == ["on the worker loop"]
    finally:
        asyncio.run_coroutine_threadsafe(_stop(bus), other).result(10)
        asyncio.run_coroutine_threadsafe(_cancel_the_rest(), other).result(10)  # mcp-agent's stop leaves a get()
        other.call_soon_threadsafe(other.stop)
        thread.join(5)
        other.close()
