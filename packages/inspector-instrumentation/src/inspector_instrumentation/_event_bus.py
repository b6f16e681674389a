"""Fix for ``AttributeError: 'AsyncEventBus' object has no attribute '_queue'`` (task observe/fix/async-event-bus-init).

mcp-agent 0.2.6 creates the bus's ``_queue``/``_stop_event``/``_loop`` lazily in ``init_queue()``, which returns early
when ``_running`` is already True. A bus left ``_running`` without a queue (a hand-made reset, a worker process that
copied the flag, a loop that ended) crashes on the next ``emit``. A bus whose queue and processing task belong to an
event loop that is closed (pytest's per-test loops, repeated ``asyncio.run``) silently drops every event, because
``_running`` stays True and nothing restarts it.

``stop_event_bus()`` is the clean end for a loop that is about to close (test fixtures, a worker shutting down):
mcp-agent's ``_process_events`` swallows the ``CancelledError`` of its inner waits, so a bus still running when
``asyncio.Runner`` cancels the loop's tasks can keep the loop from closing.

``heal(bus)`` runs before ``init_queue``/``start``/``emit``/``emit_with_stderr_transport`` (for the coroutine methods,
when their coroutine is created): when the bus claims to be
running but has no queue, or its queue's loop is closed, or its processing task on the running loop is gone, it
forgets the stale state (``_running=False``, no ``_queue``/``_stop_event``/``_loop``, ``_task=None``) so mcp-agent's
own lazy initialisation re-creates it on the current loop. It never raises. A bus whose loop is another one that is
still open is left alone (Temporal runs workflow code on a loop of its own beside the worker's; resetting the shared bus
there made the worker raise and log what it does not without the inspector), and so is any bus inside a Temporal
workflow.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Callable
from typing import Any

from ._patcher import Patcher

__all__ = ["heal", "patch_event_bus", "stop_event_bus"]

logger = logging.getLogger(__name__)


def _in_temporal_workflow() -> bool:
    """True inside a Temporal workflow's own event loop (never imports temporalio)."""
    module = sys.modules.get("temporalio.workflow")
    if module is None:
        return False
    try:
        return bool(module.in_workflow())
    except Exception:
        return False


def _closed(loop: Any) -> bool:
    try:
        return bool(loop.is_closed())
    except Exception:  # a loop that cannot say (Temporal's workflow loop raises NotImplementedError for some calls)
        return False


def _stale(bus: Any) -> bool:
    """Whether the bus can never deliver again as it stands, so re-initialising it changes nothing a live loop does.

    A bus bound to another event loop that is still open is *not* stale: that loop (a Temporal worker's main loop
    while workflow code runs on the workflow's own loop, another thread's loop) still runs its processing task, and
    resetting the one shared bus there would break it (``task_done() called too many times``, ``bound to a
    different event loop``). Inside a Temporal workflow nothing is ever reset: mcp-agent would start the bus's
    processing task on the workflow's deterministic loop.
    """
    d = bus.__dict__
    if not d.get("_running", False):
        return False
    if "_queue" not in d:
        return True
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    if _in_temporal_workflow():
        return False
    own = d.get("_loop")
    if own is not None and own is not loop:
        return _closed(own)
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
