"""Fixtures for the instrumentation tests: installed patches, and real demo MCPApps (stdio demo server, scripted LLM).

No manual AsyncEventBus reset here on purpose: the instrumentation's heal (task async-event-bus-init) has to carry
mcp-agent's event bus across pytest's per-test event loops.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic.warnings import PydanticDeprecatedSince212

with warnings.catch_warnings():
    # mcp-agent 0.2.6 defines an after-validator on a classmethod (deprecated in pydantic 2.12) at import time.
    warnings.simplefilter("ignore", PydanticDeprecatedSince212)
    from mcp_agent.app import MCPApp

from inspector_demo.settings import demo_settings

import inspector_instrumentation


@pytest.fixture
def installed() -> Iterator[None]:
    assert inspector_instrumentation.install()
    yield
    inspector_instrumentation.uninstall()


@pytest.fixture
def make_app(tmp_path, installed) -> Callable[..., MCPApp]:
    """Build a demo MCPApp (asyncio engine, the stdio demo server as "demo"); enter it with ``async with app.run()``."""

    def build(**kwargs: Any) -> MCPApp:
        kwargs.setdefault("name", "instr_test_app")
        return MCPApp(settings=demo_settings(log_path=tmp_path / "mcp-agent.jsonl"), **kwargs)

    return build
