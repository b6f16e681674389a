from __future__ import annotations

import asyncio

import pytest

import inspector_hooks
from inspector_hooks import context
from inspector_hooks.testing import capture_hook


def test_get_is_none_outside_a_session():
    assert context.get() is None


def test_bind_nests_and_restores():
    with context.bind("outer-123"):
        assert context.get() == "outer-123"
        with context.bind("inner-456"):
            assert context.get() == "inner-456"
        assert context.get() == "outer-123"
    assert context.get() is None


def test_set_and_reset():
    token = context.set("sess-abcdef")
    try:
        assert context.get() == "sess-abcdef"
    finally:
        context.reset(token)
    assert context.get() is None


def test_bind_rejects_non_string_ids():
    with pytest.raises(TypeError, match="session id"), context.bind(1234):  # type: ignore[call-overload]
        pass


async def test_session_follows_tasks_and_stays_isolated():
    async def worker(session_id):
        with context.bind(session_id):
            await asyncio.sleep(0.01)
            child = asyncio.create_task(asyncio.sleep(0, result=context.get()))
            return context.get(), await child

    results = await asyncio.gather(*(worker(f"session-{i:03}") for i in range(5)))
    assert results == [(f"session-{i:03}", f"session-{i:03}") for i in range(5)]


def test_bind_as_upstream_decorator_injects_session_id():
    @context.bind
    def handler(value, session_id=None):
        return value, session_id

    @context.bind
    async def ahandler(session_id=None):
        return session_id

    def plain(value):
        return value

    with context.bind("sess-deco01"):
        assert handler(1) == (1, "sess-deco01")
        assert handler(1, session_id="explicit") == (1, "explicit")
        assert asyncio.run(ahandler()) == "sess-deco01"
    assert context.bind(plain) is plain


async def test_subscribers_see_the_emitters_session():
    with capture_hook("session_paused") as calls:
        with context.bind("run-paused-1"):
            await inspector_hooks.hooks.session_paused.aemit(session_id="run-paused-1", signal_name="s", prompt="p")
        inspector_hooks.hooks.session_paused.emit(session_id="x", signal_name="s", prompt="p")
    assert [c.session_id for c in calls] == ["run-paused-1", None]
    assert calls[0] == {"session_id": "run-paused-1", "signal_name": "s", "prompt": "p"}
    assert not inspector_hooks.hooks.session_paused


async def test_capture_hook_async_with():
    async with capture_hook("transport_connected") as calls:
        await inspector_hooks._emit("transport_connected", transport_type="stdio", uri="demo")
    assert calls == [{"transport_type": "stdio", "uri": "demo"}]
    assert not inspector_hooks.hooks.transport_connected
