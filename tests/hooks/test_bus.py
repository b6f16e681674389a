from __future__ import annotations

import asyncio
import logging
import threading

import pytest

import inspector_hooks
from inspector_hooks import hooks


def test_unheard_hook_is_falsy_and_heard_hook_truthy(hook_name):
    target = inspector_hooks.hook(hook_name)
    assert not target

    def sub(**kwargs):
        pass

    inspector_hooks.register(hook_name, sub)
    assert target
    assert list(target) == [sub]
    inspector_hooks.unregister(hook_name, sub)
    assert not target


def test_subscribers_run_in_registration_order_with_keywords(hook_name):
    seen = []
    for index in range(4):
        inspector_hooks.register(hook_name, lambda index=index, **kw: seen.append((index, kw)))
    inspector_hooks.hook(hook_name).emit(a=1, b="two")
    assert seen == [(i, {"a": 1, "b": "two"}) for i in range(4)]


def test_catalogue_hook_passes_every_documented_kwarg(hook_name):
    seen = []

    def sub(**kwargs):
        seen.append(kwargs)

    inspector_hooks.register("after_tool_call", sub)
    try:
        hooks.after_tool_call.emit(tool_name="add", result=3)
        hooks.after_tool_call.emit(tool_name="add", args={}, result=3, context=None, server_name="demo")
    finally:
        inspector_hooks.unregister("after_tool_call", sub)
    assert seen[0] == {"tool_name": "add", "args": None, "result": 3, "context": None}
    assert seen[1]["server_name"] == "demo"


def test_failing_subscriber_is_logged_and_later_ones_still_run(hook_name, caplog):
    seen = []

    def broken(**kwargs):
        raise RuntimeError("subscriber bug")

    inspector_hooks.register(hook_name, broken)
    inspector_hooks.register(hook_name, lambda **kw: seen.append(kw))
    with caplog.at_level(logging.WARNING, logger="mcp.instrument"):
        inspector_hooks.hook(hook_name).emit(x=1)
    assert seen == [{"x": 1}]
    [record] = [r for r in caplog.records if r.name == "mcp.instrument"]
    assert "raised" in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)


async def test_failing_async_subscriber_never_reaches_the_emitter(hook_name, caplog):
    seen = []

    async def broken(**kwargs):
        await asyncio.sleep(0)
        raise ValueError("async subscriber bug")

    async def good(**kwargs):
        seen.append(kwargs)

    inspector_hooks.register(hook_name, broken)
    inspector_hooks.register(hook_name, good)
    with caplog.at_level(logging.WARNING, logger="mcp.instrument"):
        await inspector_hooks._emit(hook_name, y=2)
    assert seen == [{"y": 2}]
    assert any(isinstance(r.exc_info[1], ValueError) for r in caplog.records if r.exc_info)


def test_non_callable_subscriber_is_rejected_at_register(hook_name):
    with pytest.raises(TypeError, match="must be callable"):
        inspector_hooks.register(hook_name, "not a function")  # type: ignore[arg-type]
    assert not inspector_hooks.hook(hook_name)


def test_bad_hook_name_is_rejected():
    with pytest.raises(TypeError, match="non-empty str"):
        inspector_hooks.hook("")


def test_unknown_name_is_refused_at_registration():
    with pytest.raises(ValueError, match="not a hook of the catalogue"):
        inspector_hooks.register("after_tool_cal", lambda **kw: None)  # misspelt: it would never fire
    with pytest.raises(ValueError, match="not a hook of the catalogue"):
        inspector_hooks.hook("a_future_hook_name")
    assert "after_tool_cal" not in inspector_hooks.registry()
    assert inspector_hooks.subscribers("after_tool_cal") == ()
    asyncio.run(inspector_hooks._emit("a_future_hook_name", x=1))  # emitting an unknown name stays a no-op


def test_duplicate_registration_is_called_twice_and_unregister_removes_one(hook_name):
    calls = []

    def sub(**kwargs):
        calls.append(1)

    inspector_hooks.register(hook_name, sub)
    inspector_hooks.register(hook_name, sub)
    inspector_hooks.hook(hook_name).emit()
    assert len(calls) == 2
    inspector_hooks.unregister(hook_name, sub)
    inspector_hooks.hook(hook_name).emit()
    assert len(calls) == 3
    inspector_hooks.unregister(hook_name, sub)
    inspector_hooks.unregister(hook_name, sub)  # absent: no-op
    inspector_hooks.unregister("never_created_hook", sub)


def test_unregister_during_emit_affects_only_later_emits(hook_name):
    calls = []

    def second(**kwargs):
        calls.append("second")

    def first(**kwargs):
        calls.append("first")
        inspector_hooks.unregister(hook_name, second)
        inspector_hooks.register(hook_name, third)

    def third(**kwargs):
        calls.append("third")

    inspector_hooks.register(hook_name, first)
    inspector_hooks.register(hook_name, second)
    inspector_hooks.hook(hook_name).emit()
    # The emit runs over the subscribers it found when it started.
    assert calls == ["first", "second"]
    calls.clear()
    inspector_hooks.unregister(hook_name, first)
    inspector_hooks.hook(hook_name).emit()
    assert calls == ["third"]


async def test_aemit_awaits_sync_and_async_subscribers_in_order(hook_name):
    order = []

    async def slow(**kwargs):
        await asyncio.sleep(0.01)
        order.append("slow")

    def fast(**kwargs):
        order.append("fast")

    async def last(**kwargs):
        order.append("last")

    for fn in (slow, fast, last):
        inspector_hooks.register(hook_name, fn)
    await inspector_hooks.hook(hook_name).aemit()
    assert order == ["slow", "fast", "last"]


async def test_sync_emit_schedules_async_subscriber_on_running_loop(hook_name, caplog):
    from inspector_hooks import context

    done = asyncio.Event()
    seen = []

    async def sub(**kwargs):
        seen.append((kwargs, context.get()))
        done.set()

    async def broken(**kwargs):
        raise KeyError("late failure")

    inspector_hooks.register(hook_name, sub)
    inspector_hooks.register(hook_name, broken)
    with context.bind("sess-sync-emit"), caplog.at_level(logging.WARNING, logger="mcp.instrument"):
        inspector_hooks.hook(hook_name).emit(value=7)
        assert seen == []  # scheduled, not yet run
        await asyncio.wait_for(done.wait(), 5)
        await asyncio.sleep(0)
    assert seen == [({"value": 7}, "sess-sync-emit")]  # ran in the emitter's context
    assert any(isinstance(r.exc_info[1], KeyError) for r in caplog.records if r.exc_info)


def test_sync_emit_without_loop_runs_async_subscriber_to_completion(hook_name):
    seen = []

    async def sub(**kwargs):
        await asyncio.sleep(0)
        seen.append(kwargs)

    inspector_hooks.register(hook_name, sub)
    inspector_hooks.hook(hook_name).emit(value=1)
    assert seen == [{"value": 1}]


def test_sync_subscriber_returning_awaitable_is_awaited(hook_name):
    seen = []

    async def work():
        seen.append("awaited")

    inspector_hooks.register(hook_name, lambda **kw: work())
    asyncio.run(inspector_hooks._emit(hook_name))
    assert seen == ["awaited"]


async def test_upstream_emit_with_positional_args(hook_name):
    seen = []
    inspector_hooks.register(hook_name, lambda *args, **kw: seen.append((args, kw)))
    await inspector_hooks._emit(hook_name, 1, 2, k=3)
    await inspector_hooks._emit("hook_nobody_created")
    assert seen == [((1, 2), {"k": 3})]


def test_concurrent_register_and_emit_from_threads(hook_name):
    counts = [0] * 8
    lock = threading.Lock()
    errors = []
    stop = threading.Event()

    def make(index):
        def sub(**kwargs):
            with lock:
                counts[index] += 1

        return sub

    subs = [make(i) for i in range(8)]

    def churn(index):
        try:
            for _ in range(300):
                inspector_hooks.register(hook_name, subs[index])
                inspector_hooks.unregister(hook_name, subs[index])
            inspector_hooks.register(hook_name, subs[index])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def emitter():
        target = inspector_hooks.hook(hook_name)
        try:
            while not stop.is_set():
                if target:
                    target.emit(x=1)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    emitters = [threading.Thread(target=emitter) for _ in range(2)]
    churners = [threading.Thread(target=churn, args=(i,)) for i in range(8)]
    for t in emitters + churners:
        t.start()
    for t in churners:
        t.join()
    stop.set()
    for t in emitters:
        t.join()
    assert errors == []
    assert sorted(map(id, inspector_hooks.subscribers(hook_name))) == sorted(map(id, subs))
    before = list(counts)
    inspector_hooks.hook(hook_name).emit()
    assert [after - b for after, b in zip(counts, before, strict=False)] == [1] * 8


def test_cancellation_is_not_swallowed(hook_name):
    async def cancelled(**kwargs):
        raise asyncio.CancelledError

    inspector_hooks.register(hook_name, cancelled)
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(inspector_hooks.hook(hook_name).aemit())
