"""End to end with real parts: mcp-agent 0.2.6, inspector_instrumentation, the stdio demo server, a scripted LLM.

The spans land in the session files with the mcp.* attributes, nested under our workflow/tool/LLM spans.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator

import pytest
from pydantic.warnings import PydanticDeprecatedSince212

with warnings.catch_warnings():
    # mcp-agent 0.2.6 defines an after-validator on a classmethod (deprecated in pydantic 2.12) at import time.
    warnings.simplefilter("ignore", PydanticDeprecatedSince212)
    from mcp_agent.agents.agent import Agent
    from mcp_agent.app import MCPApp
    from mcp_agent.executor.workflow import Workflow, WorkflowResult

from inspector_demo import ScriptPolicy, ToolCall, scripted_factory
from inspector_demo.settings import demo_settings

import inspector_instrumentation
import inspector_otel
from inspector_otel.testing import read_session


class AddWorkflow(Workflow[int]):
    async def run(self, a: int, b: int) -> WorkflowResult[int]:
        agent = Agent(name="wf_adder", server_names=["demo"], context=self.context)
        async with agent:
            result = await agent.call_tool("demo_add", {"a": a, "b": b})
        return WorkflowResult(value=int(result.content[0].text))


@pytest.fixture(autouse=True)
async def _stopped_bus():
    """mcp-agent's event bus outlives app.run(); stopped cleanly here, or closing the test's loop can hang on it."""
    yield
    await inspector_instrumentation.stop_event_bus()


@pytest.fixture
def inspector(traces_dir, provider) -> Iterator[inspector_otel.TraceFileProcessor]:
    assert inspector_instrumentation.install()
    processor = inspector_otel.install(traces_dir, tracer_provider=provider)
    yield processor
    inspector_otel.uninstall()
    inspector_instrumentation.uninstall()


def _use(provider, running) -> None:
    """Point mcp-agent (otel disabled) at the test's provider instead of the process-global one."""
    running.context.tracer = provider.get_tracer("mcp-agent")


def _spans(records):
    return {r["span_id"]: r for r in records if r["type"] == "span"}


@pytest.mark.slow
async def test_app_session_with_agent_llm_tool_resource_prompt(inspector, traces_dir, tmp_path, memory, provider):
    app = MCPApp(name="otel_e2e", settings=demo_settings(log_path=tmp_path / "agent.jsonl"))
    async with app.run() as running:
        _use(provider, running)
        session_id = running.session_id
        agent = Agent(name="talker", server_names=["demo"], context=running.context)
        async with agent:
            llm = await agent.attach_llm(scripted_factory(ScriptPolicy([ToolCall("demo_add", {"a": 1, "b": 2})])))
            text = await llm.generate_str("add 1 and 2")
            await agent.read_resource("demo://config.json", server_name="demo")
            await agent.get_prompt("demo_summarize", {"topic": "tracing"})
    inspector.force_flush()
    assert text == "tool result was: 3"
    records = read_session(traces_dir, session_id)
    assert records[0]["type"] == "session"
    assert records[0]["title"] == "otel_e2e"
    assert records[-1]["type"] == "session_end", [
        (r["type"], r.get("name"), r.get("start_time"), r.get("end_time"), r.get("ended_at")) for r in records[-6:]
    ]
    spans = _spans(records)
    by_name: dict[str, list[dict]] = {}
    for span in spans.values():
        by_name.setdefault(span["name"], []).append(span)
    llm_span = by_name["llm.generate"][0]
    assert llm_span["attributes"]["mcp.llm.provider"]
    assert "add 1 and 2" in llm_span["attributes"]["mcp.llm.prompt_json"]
    assert llm_span["attributes"]["gen_ai.usage.input_tokens"] > 0
    tool = by_name["tool.call"][0]
    assert tool["attributes"]["mcp.tool.name"] == "demo_add"
    assert '"3"' in tool["attributes"]["mcp.tool.output_json"]
    assert tool["attributes"]["mcp.aggregator.selected_server"] == "demo"
    # the tool call happened inside the generation; mcp-agent's own call_tool span sits under ours
    ancestors = []
    cursor = tool
    while cursor["parent_span_id"] in spans:
        cursor = spans[cursor["parent_span_id"]]
        ancestors.append(cursor["name"])
    assert "llm.generate" in ancestors
    inner = [s for s in spans.values() if s["name"].endswith(".call_tool") and s["parent_span_id"] == tool["span_id"]]
    assert inner, "mcp-agent's Agent.*.call_tool span is a child of tool.call"
    resource = by_name["resource.fetch"][0]["attributes"]
    assert resource["mcp.resource.uri"] == "demo://config.json"
    assert resource["mcp.resource.mime_type"] == "application/json"
    # issue 16: the fetched content is on resource.fetch itself (it was only on the child RPC span)
    assert "inspector-demo" in json.loads(resource["mcp.resource.content_json"])
    prompt = by_name["prompt.apply"][0]["attributes"]
    assert prompt["mcp.prompt.template_id"] == "demo_summarize"
    rpc = [s for s in spans.values() if s["attributes"].get("mcp.rpc.method") == "tools/call"]
    assert rpc
    assert rpc[0]["attributes"]["mcp.rpc.transport"] == "stdio"
    # each request's attributes are on mcp-agent's span of that request, not on a span that makes several
    assert {s["name"] for s in spans.values() if "mcp.rpc.method" in s["attributes"]} == {
        "MCPAgentClientSession.send_request",
        "MCPAgentClientSession.send_notification",
    }
    requests = [s for s in spans.values() if s["name"] == "MCPAgentClientSession.send_request"]
    methods = [s["attributes"].get("mcp.rpc.method") for s in requests]
    assert None not in methods, methods
    assert {"initialize", "tools/list", "prompts/list", "resources/list", "tools/call"} <= set(methods), methods
    assert all(s["attributes"]["session.id"] == session_id for s in spans.values())
    # the user's own exporter saw the same spans
    assert {s.name for s in memory.get_finished_spans()} >= {"llm.generate", "tool.call"}


async def _run_add_workflow(app, provider):
    import asyncio

    async with app.run() as running:
        _use(provider, running)
        workflow = await AddWorkflow.create(name="AddWorkflow", context=running.context)
        execution = await workflow.run_async(a=20, b=22)
        run_id = execution.run_id
        found: dict = {}
        for _ in range(500):
            found = await running.context.workflow_registry.get_workflow_status(run_id=run_id) or {}
            if found.get("status") in ("completed", "error"):
                break
            await asyncio.sleep(0.02)
        # "completed" is set before the run task's own cleanup (token counter, workflow cleanup) and its end, which
        # closes the run's session: the app must not be torn down under it
        await asyncio.wait({workflow._run_task}, timeout=10)
        return run_id, running.session_id, found


@pytest.mark.slow
async def test_workflow_run_is_its_own_session(inspector, traces_dir, tmp_path, provider):

    import inspector_hooks

    def broken(**kwargs):
        raise RuntimeError("a third-party subscriber bug")

    watched = ("before_workflow_run", "after_workflow_run", "before_tool_call", "after_tool_call", "span_ended")
    for name in watched:  # registered after ours: ours still run, the workflow's result is unchanged
        inspector_hooks.register(name, broken)
    app = MCPApp(name="otel_wf", settings=demo_settings(log_path=tmp_path / "agent.jsonl"))
    try:
        result = await _run_add_workflow(app, provider)
    finally:
        for name in watched:
            inspector_hooks.unregister(name, broken)
    run_id, app_session, final = result
    assert final["status"] == "completed"
    assert final["result"]["value"] == 42
    inspector.force_flush()

    records = read_session(traces_dir, run_id)
    assert records[0]["type"] == "session"
    assert records[0]["parent_session_id"] == app_session
    assert records[-1]["type"] == "session_end", [
        (r["type"], r.get("name"), r.get("start_time"), r.get("end_time"), r.get("ended_at")) for r in records[-6:]
    ]
    assert records[-1]["status"] == "completed"
    spans = _spans(records)
    run = next(s for s in spans.values() if s["name"] == "workflow.run")
    assert run["attributes"]["mcp.workflow.type"] == "AddWorkflow"
    assert run["attributes"]["mcp.workflow.output_json"] == "42"
    tool = next(s for s in spans.values() if s["name"] == "tool.call")
    cursor = tool
    while cursor["parent_span_id"] in spans and cursor["name"] != "workflow.run":
        cursor = spans[cursor["parent_span_id"]]
    assert cursor["name"] == "workflow.run", "the run's spans hang under workflow.run"
    # and nothing of the run leaked into the app session's file
    app_records = read_session(traces_dir, app_session)
    assert not [r for r in app_records if r["type"] == "span" and r["name"] == "tool.call"]
