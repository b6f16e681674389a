"""Cost of inspector_instrumentation's wrappers when nobody listens (the fast path every patched call takes).

Each benchmark call awaits OPS calls of one method in a coroutine on a private loop. The baseline is the same
method unwrapped; its per-op time is subtracted ("net"), so net = what the wrapper adds per call.
"""

from __future__ import annotations

import asyncio

import pytest

import inspector_hooks
from inspector_instrumentation._agent import _wrap_call_tool
from inspector_instrumentation._llm import _wrap_generate

OPS = 2_000
GROUP = "instrumentation: patched method, no subscribers"
WATCHED = ("before_tool_call", "after_tool_call", "error_tool_call", "before_llm_generate", "after_llm_generate")


class Target:
    agent = None

    async def call_tool(self, name, arguments=None, server_name=None):
        return name

    async def generate(self, message, request_params=None):
        return message


RAW = Target.call_tool
WRAPPED_TOOL = _wrap_call_tool(Target.call_tool)
WRAPPED_GENERATE = _wrap_generate(Target)(Target.generate)


@pytest.fixture
def run_batch():
    # the fast path needs no subscribers: set aside any left registered by other tests of this process
    saved = {name: inspector_hooks.subscribers(name) for name in WATCHED}
    for name, subs in saved.items():
        for fn in subs:
            inspector_hooks.unregister(name, fn)
    loop = asyncio.new_event_loop()
    target = Target()

    def make(fn):
        async def batch():
            for _ in range(OPS):
                await fn(target, "add", None)

        def run():
            loop.run_until_complete(batch())

        return run

    yield make
    loop.close()
    for name, subs in saved.items():
        for fn in subs:
            inspector_hooks.register(name, fn)


def test_unpatched_method(benchmark, run_batch):
    benchmark.group = GROUP
    benchmark.extra_info.update(ops=OPS, baseline=None, target="baseline: the original coroutine method")
    benchmark(run_batch(RAW))


@pytest.mark.parametrize("method", ["call_tool", "generate"])
def test_patched_method(benchmark, run_batch, method):
    benchmark.group = GROUP
    benchmark.extra_info.update(
        ops=OPS,
        baseline="test_unpatched_method",
        net_baseline="test_unpatched_method",
        max_ns=1000,
        target="the wrapper adds < 1 µs per call with no subscribers",
    )
    benchmark(run_batch(WRAPPED_TOOL if method == "call_tool" else WRAPPED_GENERATE))
