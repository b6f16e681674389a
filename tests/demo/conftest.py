"""Fixtures for the demo tests: a running demo MCPApp per test, cleaned up so the next event loop starts fresh."""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections.abc import AsyncIterator

import pytest
from pydantic.warnings import PydanticDeprecatedSince212

with warnings.catch_warnings():
    # mcp-agent 0.2.6 defines an after-validator on a classmethod (deprecated in pydantic 2.12) at import time.
    warnings.simplefilter("ignore", PydanticDeprecatedSince212)
    from mcp_agent.app import MCPApp
    from mcp_agent.logging.logger import LoggingConfig
    from mcp_agent.logging.transport import AsyncEventBus

from inspector_demo.humans import elicitation_callback, make_human_input_callback
from inspector_demo.settings import demo_settings


async def _reset_event_bus() -> None:
    """mcp-agent keeps its event bus across event loops; stop it so the next test's loop restarts it."""
    bus = AsyncEventBus.get()
    queue = getattr(bus, "_queue", None)
    if queue is not None and bus._running:
        # let the bus drain while it still runs: stop() would otherwise wait 5 s on a queue nobody reads
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(queue.join(), timeout=2.0)
    await LoggingConfig.shutdown()
    for attribute in ("_queue", "_stop_event", "_loop"):
        bus.__dict__.pop(attribute, None)
    bus._task = None
    bus._running = False


def _detach_stale_event_bus() -> None:
    """A bus left running by an earlier test's (now closed) event loop: forget its loop-bound parts."""
    bus = AsyncEventBus.get()
    loop = getattr(bus, "_loop", None)
    if loop is not None and loop is not asyncio.get_running_loop():
        for attribute in ("_queue", "_stop_event", "_loop"):
            bus.__dict__.pop(attribute, None)
        bus._task = None
        bus._running = False
        LoggingConfig._initialized = False


@pytest.fixture
async def demo_app(tmp_path) -> AsyncIterator[MCPApp]:
    _detach_stale_event_bus()
    app = MCPApp(
        name="inspector_demo_test",
        settings=demo_settings(log_path=tmp_path / "mcp-agent.jsonl"),
        human_input_callback=make_human_input_callback(lambda: app.context),
        elicitation_callback=elicitation_callback,
    )
    async with app.run():
        yield app
    await _reset_event_bus()
