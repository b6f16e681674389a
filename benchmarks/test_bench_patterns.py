"""The cost of the pattern hooks: one round of mcp-agent 0.2.6's workflow patterns with the inspector installed,
against the same round without it, in the same process and run.

A round runs ``Orchestrator`` (full plan over two agents), ``LLMRouter``, ``ParallelLLM`` (three fan-out agents and
a fan-in) and ``EvaluatorOptimizerLLM`` (up to two refinements), each on the demo's ``ScriptedLLM``, which answers
instantly, and agents without servers. Nothing in the round waits: it is all CPU on the event loop (the patterns'
own work, mcp-agent's spans, and with the inspector its hooks, its ``workflow.run`` spans with the plan, routes,
fan-out and evaluations recorded through ``workflow_state``, its operation spans and the trace file), so the ratio
is the worst case of what a pattern run pays, with no model latency to hide it. It is informative (no target): a
real model call takes 0.3-30 s, against which the per-round difference shown here is what counts.

"With" = ``inspector_instrumentation.install()`` and ``inspector_otel.install(traces_dir, tracer_provider=p)`` with
mcp-agent's spans going to ``p``, the ``InspectorTracerProvider`` that ``install()`` makes global in a process without
a provider; "without" = both uninstalled, mcp-agent's tracer the no-op tracer it resolves to with OTel off. A third
mode, "own spans only", keeps the inspector installed but leaves mcp-agent's tracer no-op: it splits the cost into
the inspector's own code (its hooks, the pattern hooks among them, its spans and the trace file) and what mcp-agent
itself does once its spans record (profiled: mostly ``mcp_agent.tracing.telemetry.record_attribute`` on every traced
call's arguments). As in ``test_bench_overhead``, each timed round follows an untimed round of its comparison's
other side (the ``pedantic`` setup), and ``interleaved_ratio`` is the median over those adjacent pairs.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import warnings
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.trace import NoOpTracer
from pydantic.warnings import PydanticDeprecatedSince212

with warnings.catch_warnings():
    warnings.simplefilter("ignore", PydanticDeprecatedSince212)  # mcp-agent 0.2.6 at import time
    from mcp_agent.agents.agent import Agent
    from mcp_agent.app import MCPApp
    from mcp_agent.logging.transport import AsyncEventBus
    from mcp_agent.workflows.evaluator_optimizer.evaluator_optimizer import EvaluatorOptimizerLLM, QualityRating
    from mcp_agent.workflows.orchestrator.orchestrator import Orchestrator
    from mcp_agent.workflows.parallel.parallel_llm import ParallelLLM
    from mcp_agent.workflows.router.router_llm import LLMRouter

from inspector_demo.policies import demo_policy
from inspector_demo.scripted_llm import scripted_factory
from inspector_demo.settings import demo_settings

import inspector_instrumentation
import inspector_otel
from inspector_otel.testing import read_session

GROUP = "patterns: one round of Orchestrator, LLMRouter, ParallelLLM, EvaluatorOptimizerLLM (instant ScriptedLLM)"
ROUNDS = 40
PATTERNS = ("orchestrator", "router", "parallel", "evaluator_optimizer")
WITHOUT, WITH, OWN_SPANS = "without", "with", "own spans"


async def pattern_round(context: Any) -> dict[str, str]:
    """Each pattern once, with fresh agents (no servers) and the demo's scripted policy."""
    factory = scripted_factory(demo_policy)
    results: dict[str, str] = {}
    async with AsyncExitStack() as stack:

        async def agent(name: str, instruction: str) -> Agent:
            made = Agent(name=name, instruction=instruction, server_names=[], context=context)
            return await stack.enter_async_context(made)

        orchestrator = Orchestrator(
            llm_factory=factory,
            available_agents=[await agent("researcher", "Look up facts."), await agent("writer", "Write clearly.")],
            plan_type="full",
            name="bench-orchestrator",
            context=context,
        )
        results["orchestrator"] = await orchestrator.generate_str("Write a weather note for Paris.")
        router = await LLMRouter.create(
            name="bench",
            llm_factory=factory,
            agents=[await agent("weather", "Answers weather questions."), await agent("maths", "Does sums.")],
            context=context,
        )
        results["router"] = await router.generate_str("What is the weather in Lima?")
        parallel: ParallelLLM[Any, Any] = ParallelLLM(
            fan_in_agent=await agent("editor", "Merge the reports into one."),
            fan_out_agents=[await agent(f"reporter_{c}", f"Report the weather in {c}.") for c in ("paris", "lagos")],
            llm_factory=factory,
            name="bench-parallel",
            context=context,
        )
        results["parallel"] = await parallel.generate_str("How is the weather today?")
        loop: EvaluatorOptimizerLLM[Any, Any] = EvaluatorOptimizerLLM(
            optimizer=await agent("poet", "Write short poems."),
            evaluator=await agent("critic", "Rate poems strictly."),
            llm_factory=factory,
            min_rating=QualityRating.EXCELLENT,
            max_refinements=2,
            name="bench-evaluator-optimizer",
            context=context,
        )
        results["evaluator_optimizer"] = await loop.generate_str("Write a one-line weather haiku.")
    return results


class PatternDriver:
    """One app in a driver task on a private loop (entered and exited in that task); ``round()`` runs one round."""

    def __init__(self, tmp: Path) -> None:
        self.traces = tmp / "traces"
        self.provider = inspector_otel.InspectorTracerProvider()
        self.app = MCPApp(name="bench_patterns", settings=demo_settings(log_path=tmp / "mcp-agent.jsonl"))
        self.current = WITHOUT
        self.ready = False  # app.run() entered
        self.pairs: dict[str, list[tuple[float, float]]] = {WITH: [], OWN_SPANS: []}  # (mode, WITHOUT) adjacent s
        self.loop = asyncio.new_event_loop()
        self._requests: asyncio.Queue[asyncio.Future[dict[str, str]] | None] = asyncio.Queue()
        self.mode(WITH)  # installed before app.run(), as in a user's program: the app gets its session
        self._task = self.loop.create_task(self._drive(ready := self.loop.create_future()))
        self.loop.run_until_complete(ready)

    async def _drive(self, ready: asyncio.Future[None]) -> None:
        inspector_instrumentation.heal_event_bus(AsyncEventBus.get())  # a bus left by an earlier loop
        async with self.app.run():
            self.ready = True
            self._use_tracer()
            ready.set_result(None)
            while (reply := await self._requests.get()) is not None:
                try:
                    reply.set_result(await pattern_round(self.app.context))
                except Exception as exc:
                    reply.set_exception(exc)

    def mode(self, mode: str) -> None:
        """Switch to ``WITHOUT``, ``WITH`` or ``OWN_SPANS`` between rounds (never timed)."""
        if mode == self.current:
            return
        if mode == WITHOUT:
            inspector_otel.uninstall()
            inspector_instrumentation.uninstall()
        elif self.current == WITHOUT:
            inspector_instrumentation.install()
            inspector_otel.install(self.traces, tracer_provider=self.provider)
        self.current = mode
        if self.ready:
            self._use_tracer()

    def _use_tracer(self) -> None:
        recording = self.current == WITH
        self.app.context.tracer = self.provider.get_tracer("mcp-agent") if recording else NoOpTracer()

    def round(self) -> dict[str, str]:
        reply: asyncio.Future[dict[str, str]] = self.loop.create_future()
        self._requests.put_nowait(reply)
        results = self.loop.run_until_complete(reply)
        assert sorted(results) == sorted(PATTERNS)
        assert all(results.values()), results
        return results

    def close(self) -> None:
        self.mode(WITHOUT)
        self._requests.put_nowait(None)
        self.loop.run_until_complete(self._task)
        self.loop.run_until_complete(inspector_instrumentation.stop_event_bus())
        leftovers = asyncio.all_tasks(self.loop)
        for leftover in leftovers:
            leftover.cancel()
        self.loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
        self.loop.close()
        self.provider.shutdown()


@pytest.fixture(scope="module")
def patterns(tmp_path_factory: pytest.TempPathFactory):
    driver = PatternDriver(tmp_path_factory.mktemp("bench_patterns"))
    try:
        yield driver
    finally:
        driver.close()


def _bench(benchmark: Any, driver: PatternDriver, mode: str) -> tuple[list[float], list[float]]:
    """Benchmark one round of ``mode``, each after an untimed round of the other side of its comparison (``WITH``
    for the baseline, else ``WITHOUT``); returns this mode's timed durations and the other's, pairwise aligned
    (both empty with timing disabled)."""
    partner = WITH if mode == WITHOUT else WITHOUT
    other: list[float] = []

    def setup() -> None:
        if not benchmark.disabled:
            driver.mode(partner)
            started = time.perf_counter()
            driver.round()
            other.append(time.perf_counter() - started)
        driver.mode(mode)

    benchmark.pedantic(driver.round, setup=setup, rounds=ROUNDS, iterations=1, warmup_rounds=1)
    if benchmark.disabled:
        return [], []
    timed = list(benchmark.stats.stats.data)
    return timed, other[-len(timed) :]


def _ratio(pairs: list[tuple[float, float]]) -> float:
    return round(statistics.median(w / wo for w, wo in pairs), 4)


def _note_load(benchmark: Any) -> None:
    """The 1-minute load average when the test ends (a shared machine's noise shows in the medians)."""
    benchmark.extra_info["load_1m"] = round(os.getloadavg()[0], 1)


def test_patterns_without_inspector(benchmark, patterns):
    benchmark.group = GROUP
    benchmark.extra_info.update(baseline=None, target="baseline: the four patterns on mcp-agent 0.2.6 alone, OTel off")
    timed, inspected = _bench(benchmark, patterns, WITHOUT)
    if timed:
        patterns.pairs[WITH] += zip(inspected, timed, strict=True)


def test_patterns_with_inspector(benchmark, patterns):
    benchmark.group = GROUP
    benchmark.extra_info.update(
        baseline="test_patterns_without_inspector",
        target="informative: the inspector as installed (its hooks and spans, and mcp-agent's own spans recording)",
    )
    timed, plain = _bench(benchmark, patterns, WITH)
    if timed:
        patterns.pairs[WITH] += zip(timed, plain, strict=True)
        benchmark.extra_info["interleaved_ratio"] = _ratio(patterns.pairs[WITH])
        benchmark.extra_info["pairs"] = len(patterns.pairs[WITH])
        _note_load(benchmark)
    # what the "with" rounds paid for: every pattern's own workflow.run with its type, in the app session's file
    processor = inspector_otel.installed()
    assert processor is not None
    processor.force_flush()
    spans = [r for r in read_session(patterns.traces, str(patterns.app.session_id)) if r["type"] == "span"]
    types = {s["attributes"].get("mcp.workflow.type") for s in spans if s["name"] == "workflow.run"}
    assert set(PATTERNS) <= types


def test_patterns_with_inspector_own_spans_only(benchmark, patterns):
    benchmark.group = GROUP
    benchmark.extra_info.update(
        baseline="test_patterns_without_inspector",
        target="informative: the inspector's hooks (pattern hooks included) and its own spans, mcp-agent's tracer "
        "left no-op: the part of the cost that is the inspector's code",
    )
    timed, plain = _bench(benchmark, patterns, OWN_SPANS)
    if timed:
        patterns.pairs[OWN_SPANS] += zip(timed, plain, strict=True)
        benchmark.extra_info["interleaved_ratio"] = _ratio(patterns.pairs[OWN_SPANS])
        benchmark.extra_info["pairs"] = len(patterns.pairs[OWN_SPANS])
        _note_load(benchmark)
