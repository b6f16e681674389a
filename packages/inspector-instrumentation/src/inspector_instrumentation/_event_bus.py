"""Fix for ``AttributeError: 'AsyncEventBus' object has no attribute '_queue'`` (task observe/fix/async-event-bus-init).

mcp-agent 0.2.6 creates the bus's ``_queue``/``_stop_event``/``_loop`` lazily in ``init_queue()``, which returns early
when ``_running`` is already True. A bus left ``_running`` without a queue (a hand-made reset, a worker process that
copied the flag, a loop that ended) crashes on the next ``emit``. A bus whose queue and processing task belong to an
event loop that is gone (pytest's per-test loops, repeated ``asyncio.run``, a Temporal worker's own loop) silently
drops every event, because ``_running`` stays True and nothing restarts it.

``stop_event_bus()`` is the clean end for a loop that is about to close (test fixtures, a worker shutting down):
mcp-agent's ``_process_events`` swallows the ``CancelledError`` of its inner waits, so a bus still running when
``asyncio.Runner`` cancels the loop's tasks can keep the loop from closing.

``heal(bus)`` runs before ``init_queue``/``start``/``emit``/``emit_with_stderr_transport`` (for the coroutine methods,
when their coroutine is created): when the bus claims to be
running but has no queue, or its queue's loop is not the running loop, or its processing task is gone, it forgets the
stale state (``_running=False``, no ``_queue``/``_stop_event``/``_loop``, ``_task=None``) so mcp-agent's own lazy
initialisation re-creates it on the current loop. It never raises.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import Any

from ._patcher import Patcher

__all__ = ["heal", "patch_event_bus", "stop_event_bus"]

logger = logging.getLogger(__name__)


def _stale(bus: Any) -> bool:
    d = bus.__dict__
    if not d.get("_running", False):
        return False
    if "_queue" not in d:
        return True
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    own = d.get("_loop")
    if own is not None and own is not loop:
        return True
    task = d.get("_task")
    return task is None or task.done()


def heal(bus: Any) -> bool:
    """Reset a bus that claims to run but cannot deliver; returns True when it did. Never raises."""
    try:
        if not _stale(bus):
            return False
        logger.debug("AsyncEventBus state is stale (no queue, or another event loop); re-initialising lazily")
        bus._running = False
        for name in ("_queue", "_stop_event", "_loop"):
            bus.__dict__.pop(name, None)
        bus._task = None
        return True
    except Exception:
        logger.debug("could not check the AsyncEventBus state", exc_info=True)
        return False


async def stop_event_bus(drain_timeout: float = 2.0) -> None:
    """Deliver what is queued (up to ``drain_timeout`` s), stop mcp-agent's event bus and forget its loop state, so
    the next event loop starts it afresh. Never raises."""
    try:
        from mcp_agent.logging.logger import LoggingConfig
        from mcp_agent.logging.transport import AsyncEventBus

        bus = AsyncEventBus.get()
        heal(bus)
        queue = bus.__dict__.get("_queue")
        if queue is not None and bus._running:
            try:
                await asyncio.wait_for(queue.join(), timeout=drain_timeout)
            except asyncio.TimeoutError:
                logger.debug("AsyncEventBus queue not drained in %.1f s", drain_timeout)
        await LoggingConfig.shutdown()  # type: ignore[no-untyped-call]
        if bus._running:
            await bus.stop()  # type: ignore[no-untyped-call]
        for name in ("_queue", "_stop_event", "_loop"):
            bus.__dict__.pop(name, None)
        bus._task = None
        bus._running = False
    except Exception:
        logger.warning("could not stop the AsyncEventBus cleanly", exc_info=True)


def _healing(original: Callable[..., Any]) -> Callable[..., Any]:
    # One wrapper for both kinds: for ``emit``/``start`` it heals when the coroutine is created and returns
    # mcp-agent's own coroutine. mcp-agent's logger makes a task of every event (``create_task(bus.emit(event))``);
    # an ``async def`` wrapper would add a coroutine of ours to each of them.
    @functools.wraps(original)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        heal(self)
        return original(self, *args, **kwargs)

    return method


def patch_event_bus(patcher: Patcher) -> None:
    from mcp_agent.logging.transport import AsyncEventBus

    for name in ("init_queue", "start", "emit", "emit_with_stderr_transport"):
        patcher.patch(AsyncEventBus, name, _healing)
