"""Fixtures for the instrumentation tests: installed patches, and real demo MCPApps (stdio demo server, scripted LLM).

Each app test ends with ``stop_event_bus()`` (mcp-agent's bus can otherwise keep pytest's loop from closing); the
bus's state across loops is the job of the instrumentation's heal, tested in test_async_event_bus_init.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from inspector_demo.settings import demo_settings
from mcp_agent.app import MCPApp

import inspector_instrumentation


@pytest.fixture(autouse=True)
def _start_uninstalled() -> Iterator[None]:
    """Each test starts without the patches (another folder's mount() may have installed them) and ends as found."""
    was_installed = inspector_instrumentation.installed()
    inspector_instrumentation.uninstall()
    yield
    inspector_instrumentation.uninstall()
    if was_installed:
        inspector_instrumentation.install()


@pytest.fixture
def installed() -> Iterator[None]:
    assert inspector_instrumentation.install()
    yield
    inspector_instrumentation.uninstall()


@pytest.fixture
async def stopped_bus() -> AsyncIterator[None]:
    yield
    await inspector_instrumentation.stop_event_bus()


@pytest.fixture
def make_app(tmp_path, installed, stopped_bus) -> Callable[..., MCPApp]:
    """Build a demo MCPApp (asyncio engine, the stdio demo server as "demo"); enter it with ``async with app.run()``."""

    def build(**kwargs: Any) -> MCPApp:
        kwargs.setdefault("name", "instr_test_app")
        return MCPApp(settings=demo_settings(log_path=tmp_path / "mcp-agent.jsonl"), **kwargs)

    return build
