"""Our own code failing inside a patch never reaches the host: the original still runs and returns its result."""

from __future__ import annotations

import asyncio

from mcp_agent.agents.agent import Agent
from mcp_agent.executor.workflow import Workflow, WorkflowResult

import inspector_hooks
from inspector_hooks.testing import capture_hook
from inspector_instrumentation import _inbound, _rpc, _sessions


def _broken(*args, **kwargs):
    raise RuntimeError("inspector bug")


async def test_broken_session_bookkeeping_and_envelopes_do_not_break_the_host(make_app, monkeypatch):
    monkeypatch.setattr(_sessions, "start_session", _broken)
    monkeypatch.setattr(_rpc, "_request_envelope", _broken)
    monkeypatch.setattr(_inbound, "_request_facts", _broken)
    app = make_app()

    @app.workflow
    class Adder(Workflow[int]):
        @app.workflow_run
        async def run(self, a: int, b: int) -> WorkflowResult[int]:
            agent = Agent(name="inner", server_names=["demo"], context=self.context)
            async with agent:
                result = await agent.call_tool("demo_add", {"a": a, "b": b})
            return WorkflowResult(value=int(result.content[0].text))

    def noisy(**kwargs):
        raise ValueError("subscriber bug")

    names = ("before_rpc_request", "session_finished", "before_workflow_run", "after_workflow_run")
    for name in names:
        inspector_hooks.register(name, noisy)
    try:
        with capture_hook("after_rpc_response") as responses:
            async with app.run() as running:
                wf = await Adder.create(context=running.context)
                await wf.run_async(a=20, b=22)
                await asyncio.wait({wf._run_task}, timeout=10)
                value = wf._run_task.result().value
    finally:
        for name in names:
            inspector_hooks.unregister(name, noisy)
    assert value == 42
    assert responses, "hooks still fire (with an empty envelope) when building the envelope failed"
