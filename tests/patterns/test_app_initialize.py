"""Issue 14 item 4: a program that only calls ``app.initialize()`` (never ``app.run()``) gets a proper app session,
not ``unscoped-<pid>``; ``app.run()`` still gives exactly one session."""

from __future__ import annotations

import os

from inspector_demo.fake_provider import Reply
from mcp_agent.agents.agent import Agent
from mcp_agent.workflows.llm.augmented_llm_openai import OpenAIAugmentedLLM

from inspector_otel.testing import read_session

from .conftest import spans_of


def _adder(turn):
    if "demo_add" in turn.tools and not turn.after_tool:
        return Reply(tool_calls=(("demo_add", {"a": 1, "b": 2}),))
    return Reply(text=f"= {turn.last_text}")


async def test_initialize_without_run_is_an_app_session(fake, make_app, inspector, traces_dir, tracer_provider):
    fake.responder = _adder
    app = make_app(name="init_only")
    await app.initialize()
    app.context.tracer = tracer_provider.get_tracer("mcp-agent")
    session_id = app.session_id
    agent = Agent(name="adder", server_names=["demo"])
    async with agent:
        llm = await agent.attach_llm(OpenAIAugmentedLLM)
        await llm.generate_str("1 + 2")
    await app.cleanup()
    inspector.force_flush()
    records = read_session(traces_dir, session_id)
    assert records[0]["type"] == "session"
    assert records[0]["title"] == "init_only"
    assert records[-1]["type"] == "session_end"
    assert records[-1]["status"] == "completed"
    names = {s["name"] for s in spans_of(traces_dir, session_id)}
    assert {"agent.call", "llm.generate", "llm.request", "tool.call"} <= names
    unscoped = [p.name for p in traces_dir.iterdir() if p.name.startswith(f"unscoped-{os.getpid()}")]
    assert unscoped == []


async def test_run_after_initialize_keeps_one_session(fake, make_app, inspector, traces_dir):
    app = make_app(name="init_then_run")
    await app.initialize()
    session_id = app.session_id
    async with app.run() as running:
        assert running.session_id == session_id
    inspector.force_flush()
    records = read_session(traces_dir, session_id)
    assert [r["type"] for r in records if r["type"] in {"session", "session_end"}] == ["session", "session_end"]
    assert [p.name for p in traces_dir.iterdir() if p.name.endswith(".jsonl.gz")] == [f"{session_id}.jsonl.gz"]


async def test_workflow_run_has_its_id_and_input(fake, make_app, inspector, traces_dir):
    """Issue 14 item 6: workflow.run carries mcp.workflow.id and mcp.workflow.input_json."""
    import json

    from mcp_agent.executor.workflow import Workflow, WorkflowResult

    class Greet(Workflow[str]):
        async def run(self, who: str = "world") -> WorkflowResult[str]:
            return WorkflowResult(value=f"hello {who}")

    app = make_app(name="wf_attrs")
    async with app.run() as running:
        workflow = await Greet.create(name="greeter", context=running.context)
        execution = await workflow.run_async(who="ada")
        await workflow._run_task
    inspector.force_flush()
    (run,) = [s for s in spans_of(traces_dir, execution.run_id) if s["name"] == "workflow.run"]
    assert run["attributes"]["mcp.workflow.id"] == "greeter"
    assert json.loads(run["attributes"]["mcp.workflow.input_json"]) == {"who": "ada"}
    assert json.loads(run["attributes"]["mcp.workflow.output_json"]) == "hello ada"
