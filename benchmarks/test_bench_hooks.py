"""The hook bus's cost per emit, side by side with the upstream design and pluggy, in one run.

Each benchmark call runs a batch of OPS emits (in a coroutine for async call sites), so the reported time per
call / OPS is the cost of one emit plus a few ns of loop; the empty-loop rows measure that loop and
render_performance.py subtracts it ("net"). Every call site passes the three kwargs of before_tool_call.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from itertools import repeat

import pluggy
import pytest

import inspector_hooks
from inspector_hooks import hooks

OPS = 10_000
GROUP = "hooks: one emit with 3 kwargs"
ARGS = {"a": 1, "b": 2}
CONTEXT = object()


# --- the upstream design (digest §1.1-1.6): async _emit taking an RLock and copying the subscriber list ---------
class UpstreamBus:
    def __init__(self) -> None:
        self._hooks: dict[str, list] = {}
        self._lock = threading.RLock()

    def register(self, name, fn):
        with self._lock:
            self._hooks.setdefault(name, []).append(fn)

    async def _emit(self, name, *args, **kwargs):
        with self._lock:
            callbacks = list(self._hooks.get(name, []))
        for cb in callbacks:
            try:
                if inspect.iscoroutinefunction(cb):
                    await cb(*args, **kwargs)
                else:
                    cb(*args, **kwargs)
            except Exception:  # pragma: no cover - subscribers here never raise
                pass


# --- pluggy, the assembly-time hook system, used as a bus -------------------------------------------------------
hookspec = pluggy.HookspecMarker("bench")
hookimpl = pluggy.HookimplMarker("bench")


class Spec:
    @hookspec
    def before_tool_call(self, tool_name, args, context): ...


def _pluggy_manager(subscribers: int) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("bench")
    pm.add_hookspecs(Spec)
    for _ in range(subscribers):

        class Plugin:
            @hookimpl
            def before_tool_call(self, tool_name, args, context):
                return None

        pm.register(Plugin())
    return pm


def sync_sub(**kwargs):
    return None


async def async_sub(**kwargs):
    return None


@pytest.fixture
def loop():
    event_loop = asyncio.new_event_loop()
    yield event_loop
    event_loop.close()


@pytest.fixture
def bus_hook():
    """``hooks.before_tool_call`` with no subscriber; the ones a benchmark adds are removed after it."""
    target = hooks.before_tool_call
    assert not target
    yield target
    for fn in inspector_hooks.subscribers(target.name):
        inspector_hooks.unregister(target.name, fn)


def _run(benchmark, fn, *, baseline, net_baseline, **targets):
    benchmark.group = GROUP
    benchmark.extra_info.update(ops=OPS, baseline=baseline, net_baseline=net_baseline, **targets)
    benchmark(fn)


# --- baselines -----------------------------------------------------------------------------------------------
def test_empty_loop(benchmark):
    def batch():
        for _ in repeat(None, OPS):
            pass

    _run(benchmark, batch, baseline=None, net_baseline=None)


def test_empty_loop_in_coroutine(benchmark, loop):
    async def batch():
        for _ in repeat(None, OPS):
            pass

    _run(benchmark, lambda: loop.run_until_complete(batch()), baseline=None, net_baseline=None)


@pytest.mark.parametrize("subscribers", [0, 1, 5])
def test_upstream_design(benchmark, loop, subscribers):
    bus = UpstreamBus()
    for _ in range(subscribers):
        bus.register("before_tool_call", sync_sub)

    async def batch():
        emit = bus._emit
        for _ in repeat(None, OPS):
            await emit("before_tool_call", tool_name="add", args=ARGS, context=CONTEXT)

    _run(
        benchmark, lambda: loop.run_until_complete(batch()), baseline=None, net_baseline="test_empty_loop_in_coroutine"
    )


def test_upstream_design_async_subscriber(benchmark, loop):
    bus = UpstreamBus()
    bus.register("before_tool_call", async_sub)

    async def batch():
        emit = bus._emit
        for _ in repeat(None, OPS):
            await emit("before_tool_call", tool_name="add", args=ARGS, context=CONTEXT)

    _run(
        benchmark, lambda: loop.run_until_complete(batch()), baseline=None, net_baseline="test_empty_loop_in_coroutine"
    )


@pytest.mark.parametrize("subscribers", [0, 1, 5])
def test_pluggy_hook_call(benchmark, subscribers):
    call = _pluggy_manager(subscribers).hook.before_tool_call

    def batch():
        for _ in repeat(None, OPS):
            call(tool_name="add", args=ARGS, context=CONTEXT)

    _run(benchmark, batch, baseline=None, net_baseline="test_empty_loop")


# --- ours ----------------------------------------------------------------------------------------------------
def test_guarded_emit_no_subscriber(benchmark):
    target = hooks.before_tool_call
    assert not target

    def batch():
        for _ in repeat(None, OPS):
            if target:
                target.emit(tool_name="add", args=ARGS, context=CONTEXT)

    _run(
        benchmark,
        batch,
        baseline="test_upstream_design[0]",
        net_baseline="test_empty_loop",
        max_ratio=0.02,
        max_ns=2000,
        target="< 2 µs (seed) and at most 1/50 of the upstream design",
    )


def test_guarded_aemit_no_subscriber(benchmark, loop):
    target = hooks.before_tool_call
    assert not target

    async def batch():
        for _ in repeat(None, OPS):
            if target:
                await target.aemit(tool_name="add", args=ARGS, context=CONTEXT)

    _run(
        benchmark,
        lambda: loop.run_until_complete(batch()),
        baseline="test_upstream_design[0]",
        net_baseline="test_empty_loop_in_coroutine",
        max_ratio=0.02,
        max_ns=2000,
        target="< 2 µs and at most 1/50 of the upstream design",
    )


def test_unguarded_emit_no_subscriber(benchmark):
    target = hooks.before_tool_call

    def batch():
        for _ in repeat(None, OPS):
            target.emit(tool_name="add", args=ARGS, context=CONTEXT)

    _run(benchmark, batch, baseline="test_upstream_design[0]", net_baseline="test_empty_loop", max_ns=2000)


def test_upstream_compatible_emit_no_subscriber(benchmark, loop):
    emit = inspector_hooks._emit

    async def batch():
        for _ in repeat(None, OPS):
            await emit("before_tool_call", tool_name="add", args=ARGS, context=CONTEXT)

    _run(
        benchmark,
        lambda: loop.run_until_complete(batch()),
        baseline="test_upstream_design[0]",
        net_baseline="test_empty_loop_in_coroutine",
        max_ns=2000,
    )


def test_guarded_emit_one_sync_subscriber(benchmark, bus_hook):
    inspector_hooks.register(bus_hook.name, sync_sub)

    def batch():
        for _ in repeat(None, OPS):
            if bus_hook:
                bus_hook.emit(tool_name="add", args=ARGS, context=CONTEXT)

    _run(
        benchmark,
        batch,
        baseline="test_upstream_design[1]",
        net_baseline="test_empty_loop",
        max_ns=600,
        target="< 600 ns on this machine",
    )


def test_guarded_aemit_one_sync_subscriber(benchmark, loop, bus_hook):
    inspector_hooks.register(bus_hook.name, sync_sub)

    async def batch():
        for _ in repeat(None, OPS):
            if bus_hook:
                await bus_hook.aemit(tool_name="add", args=ARGS, context=CONTEXT)

    _run(
        benchmark,
        lambda: loop.run_until_complete(batch()),
        baseline="test_upstream_design[1]",
        net_baseline="test_empty_loop_in_coroutine",
    )


def test_guarded_aemit_one_async_subscriber(benchmark, loop, bus_hook):
    inspector_hooks.register(bus_hook.name, async_sub)

    async def batch():
        for _ in repeat(None, OPS):
            if bus_hook:
                await bus_hook.aemit(tool_name="add", args=ARGS, context=CONTEXT)

    _run(
        benchmark,
        lambda: loop.run_until_complete(batch()),
        baseline="test_upstream_design_async_subscriber",
        net_baseline="test_empty_loop_in_coroutine",
    )


def test_guarded_emit_five_sync_subscribers(benchmark, bus_hook):
    for _ in range(5):
        inspector_hooks.register(bus_hook.name, sync_sub)

    def batch():
        for _ in repeat(None, OPS):
            if bus_hook:
                bus_hook.emit(tool_name="add", args=ARGS, context=CONTEXT)

    _run(benchmark, batch, baseline="test_upstream_design[5]", net_baseline="test_empty_loop")
