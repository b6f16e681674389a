"""Helpers for testing emitters and subscribers.

Usage::

    from inspector_hooks.testing import capture_hook

    with capture_hook("before_tool_call") as calls:     # or: async with
        await agent.call_tool("add", {"a": 1, "b": 2})
    assert calls[0]["tool_name"] == "add"
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager, AbstractContextManager
from types import TracebackType
from typing import Any

from . import context
from ._bus import register, unregister

__all__ = ["HookCall", "capture_hook"]


class HookCall(dict[str, Any]):
    """The keyword arguments of one emit, plus ``session_id``: the session that was current when it fired."""

    session_id: str | None

    def __init__(self, kwargs: dict[str, Any], session_id: str | None) -> None:
        super().__init__(kwargs)
        self.session_id = session_id


class capture_hook(AbstractContextManager["list[HookCall]"], AbstractAsyncContextManager["list[HookCall]"]):
    """Record every emit of hook ``name`` while the block runs (sync or async ``with``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls: list[HookCall] = []

    def _record(self, **kwargs: Any) -> None:
        self.calls.append(HookCall(kwargs, context.get()))

    def __enter__(self) -> list[HookCall]:
        register(self.name, self._record)
        return self.calls

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        unregister(self.name, self._record)

    async def __aenter__(self) -> list[HookCall]:
        return self.__enter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.__exit__(exc_type, exc, tb)
