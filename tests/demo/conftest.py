"""Fixtures for the demo tests: a running demo MCPApp per test, cleaned up so the next event loop starts fresh."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from inspector_demo.humans import elicitation_callback, make_human_input_callback
from inspector_demo.settings import demo_settings
from mcp_agent.app import MCPApp
from mcp_agent.logging.transport import AsyncEventBus

from inspector_instrumentation import heal_event_bus, stop_event_bus


@pytest.fixture
async def demo_app(tmp_path) -> AsyncIterator[MCPApp]:
    heal_event_bus(AsyncEventBus.get())  # a bus left by an earlier test's closed loop
    app = MCPApp(
        name="inspector_demo_test",
        settings=demo_settings(log_path=tmp_path / "mcp-agent.jsonl"),
        human_input_callback=make_human_input_callback(lambda: app.context),
        elicitation_callback=elicitation_callback,
    )
    async with app.run():
        yield app
    await stop_event_bus()
