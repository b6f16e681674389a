"""End-to-end overhead of the inspector on a demo-like workload, with and without it, in one run.

Workload per benchmark call: CALLS generations of a ScriptedLLM agent, each asking for one tool call that goes
through mcp-agent's real path (AugmentedLLM.call_tool → Agent.call_tool → aggregator → MCP JSON-RPC over stdio
to the demo server subprocess) and then answering; plus one resource read. "With" = inspector_instrumentation
and inspector_otel installed (hooks, our spans and attributes, every mcp-agent span recorded and written to a
gzipped trace file by the background writer). "Without" = plain mcp-agent 0.2.6 with OTel disabled (its spans
go to the no-op API provider).
"""

from __future__ import annotations

import asyncio
import contextlib
import warnings

import pytest
from opentelemetry.sdk.trace import TracerProvider
from pydantic.warnings import PydanticDeprecatedSince212

with warnings.catch_warnings():
    # mcp-agent 0.2.6 defines an after-validator on a classmethod (deprecated in pydantic 2.12) at import time.
    warnings.simplefilter("ignore", PydanticDeprecatedSince212)
    from mcp_agent.agents.agent import Agent
    from mcp_agent.app import MCPApp
    from mcp_agent.logging.logger import LoggingConfig
    from mcp_agent.logging.transport import AsyncEventBus

from inspector_demo import Text, ToolCall, scripted_factory
from inspector_demo.settings import demo_settings

import inspector_instrumentation
import inspector_otel
from inspector_otel.testing import read_session

CALLS = 5
GROUP = "overhead: demo workload (5 LLM turns with a stdio tool call each)"


async def _stop_event_bus() -> None:
    """mcp-agent keeps its logging event bus across event loops: stop it so this private loop closes clean."""
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


async def _drain(tasks) -> None:
    await asyncio.gather(*tasks, return_exceptions=True)


def _policy(turn):
    last = turn.messages[-1] if turn.messages else {}
    if isinstance(last, dict) and last.get("role") == "tool":
        return Text("done")
    return ToolCall("demo_add", {"a": len(turn.messages), "b": 1})


@pytest.fixture
def workload(tmp_path, request):
    """(run, session_id, traces_dir): an app + agent + LLM living in one driver task on a private loop.

    The driver task enters ``app.run()`` and the agent, runs one round per request and exits them at the end,
    all in the same task, as a user's program does; ``run()`` asks it for one round and waits for it.
    """
    inspected = request.param
    loop = asyncio.new_event_loop()
    provider = TracerProvider() if inspected else None
    if inspected:
        inspector_instrumentation.install()
        inspector_otel.install(tmp_path / "traces", tracer_provider=provider)
    requests: asyncio.Queue[bool] = asyncio.Queue()
    done: asyncio.Queue[str] = asyncio.Queue()

    async def driver():
        app = MCPApp(name="bench_app", settings=demo_settings(log_path=tmp_path / "agent.jsonl"))
        async with app.run() as running:
            if provider is not None:  # mcp-agent (otel disabled) records its spans through our provider
                running.context.tracer = provider.get_tracer("mcp-agent")
            async with Agent(name="bench", server_names=["demo"], context=running.context) as agent:
                llm = await agent.attach_llm(scripted_factory(_policy))
                while await requests.get():
                    llm.history.clear()  # every round starts from the same conversation
                    for i in range(CALLS):
                        text = await llm.generate_str(f"turn {i}")
                        assert text == "done"
                    await agent.read_resource("demo://config.json", server_name="demo")
                    done.put_nowait(running.session_id)
        done.put_nowait("")

    async def one_round() -> str:
        requests.put_nowait(True)
        return await done.get()

    task = loop.create_task(driver())
    session_id = loop.run_until_complete(one_round())  # warm up: connections, imports, first spans

    def run():
        loop.run_until_complete(one_round())

    yield run, session_id, tmp_path / "traces"
    requests.put_nowait(False)
    loop.run_until_complete(task)
    loop.run_until_complete(_stop_event_bus())
    leftovers = asyncio.all_tasks(loop)
    for leftover in leftovers:
        leftover.cancel()
    loop.run_until_complete(_drain(leftovers))
    if inspected:
        inspector_otel.uninstall()
        inspector_instrumentation.uninstall()
        provider.shutdown()
    loop.close()


@pytest.mark.slow
@pytest.mark.parametrize("workload", [False], indirect=True, ids=["plain"])
def test_demo_workload_without_inspector(benchmark, workload):
    run, _, _ = workload
    benchmark.group = GROUP
    benchmark.extra_info.update(ops=CALLS, baseline=None, target="baseline: mcp-agent 0.2.6 alone, OTel off")
    benchmark.pedantic(run, rounds=15, warmup_rounds=1)


@pytest.mark.slow
@pytest.mark.parametrize("workload", [True], indirect=True, ids=["inspected"])
def test_demo_workload_with_inspector(benchmark, workload):
    run, session_id, traces = workload
    benchmark.group = GROUP
    benchmark.extra_info.update(
        ops=CALLS,
        baseline="test_demo_workload_without_inspector",
        max_ratio=1.03,
        target="at most 3 % slower with the instrumentation and the trace exporter installed",
    )
    benchmark.pedantic(run, rounds=15, warmup_rounds=1)
    processor = inspector_otel.installed()
    assert processor is not None
    processor.force_flush()
    names = {r["name"] for r in read_session(traces, session_id) if r["type"] == "span"}
    assert {"llm.generate", "tool.call", "resource.fetch"} <= names
