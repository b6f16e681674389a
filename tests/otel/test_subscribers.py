"""Hook subscribers put the mcp.* and standard attributes on the current span, or make the spans mcp-agent lacks."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import inspector_hooks
from inspector_hooks import context, hooks
from inspector_hooks import hook as get_hook
from inspector_otel import MAX_ATTRIBUTE_CHARS, capture_state, dump_state_to_span
from inspector_otel.testing import read_session


def _attrs(memory, name):
    spans = [s for s in memory.get_finished_spans() if s.name == name]
    assert spans, f"no span {name!r} in {[s.name for s in memory.get_finished_spans()]}"
    return dict(spans[-1].attributes)


class FakeParams:
    model = "scripted-1"


class FakeLLM:
    provider = "scripted"
    default_request_params = FakeParams()


def test_llm_attributes(installed, provider, memory):
    # like the instrumentation: hooks around the method, mcp-agent's own span inside
    hooks.before_llm_generate.emit(llm=FakeLLM(), prompt="What is 2+2?")
    with provider.get_tracer("t").start_as_current_span("ScriptedLLM.a.generate"):
        pass
    response = [{"role": "assistant", "content": "4", "stop_reason": "end_turn"}]
    hooks.after_llm_generate.emit(llm=FakeLLM(), prompt="x", response=response, usage={"input_tokens": 7})
    spans = {s.name: s for s in memory.get_finished_spans()}
    assert spans["ScriptedLLM.a.generate"].parent.span_id == spans["llm.generate"].context.span_id
    assert spans["llm.generate"].kind.name == "CLIENT"
    a = _attrs(memory, "llm.generate")
    assert json.loads(a["mcp.llm.prompt_json"]) == [
        {"role": "user", "content": [{"type": "text", "text": "What is 2+2?"}]}
    ]
    assert json.loads(a["mcp.llm.response_json"])[0]["content"] == [{"type": "text", "text": "4"}]
    assert a["mcp.llm.provider"] == a["gen_ai.provider.name"] == "scripted"
    assert a["mcp.llm.model"] == a["gen_ai.request.model"] == "scripted-1"
    assert a["gen_ai.usage.input_tokens"] == a["llm.token_count.prompt"] == 7
    assert a["openinference.span.kind"] == "LLM"
    assert a["mcp.stop_reason"] == "end_turn"


@pytest.mark.parametrize(
    ("response", "text"),
    [
        ("4", "4"),  # generate_str
        ({"steps": [{"description": "look up"}], "is_complete": False}, None),  # generate_structured's model
    ],
)
def test_llm_response_is_the_assistants_message(installed, provider, memory, response, text):
    from pydantic import BaseModel

    class Step(BaseModel):
        description: str

    class Plan(BaseModel):
        steps: list[Step]
        is_complete: bool

    value = response if isinstance(response, str) else Plan.model_validate(response)
    hooks.before_llm_generate.emit(llm=FakeLLM(), prompt="plan it")
    hooks.after_llm_generate.emit(llm=FakeLLM(), prompt="plan it", response=value)
    [message] = json.loads(_attrs(memory, "llm.generate")["mcp.llm.response_json"])
    assert message["role"] == "assistant"
    [item] = message["content"]
    assert item["type"] == "text"
    if text is not None:
        assert item["text"] == text
    else:
        assert json.loads(item["text"]) == response


def test_tool_truncation_and_placeholder(installed, provider, memory):
    big = {"text": "y" * (MAX_ATTRIBUTE_CHARS + 100)}
    hooks.before_tool_call.emit(tool_name="add", args=big, context=None)
    hooks.after_tool_call.emit(tool_name="add", args=big, result={"isError": False, "obj": object()}, context=None)
    a = _attrs(memory, "tool.call")
    assert len(a["mcp.tool.input_json"]) == MAX_ATTRIBUTE_CHARS
    assert a["mcp.tool.input_json_truncated"] is True
    # the OpenInference twin carries the same text, cut the same way
    assert a["input.value"] == a["mcp.tool.input_json"]
    assert a["input.value_truncated"] is True
    assert "<unserializable: object>" in a["mcp.tool.output_json"]
    assert a["output.value"] == a["mcp.tool.output_json"]
    assert "output.value_truncated" not in a
    assert "mcp.tool.output_json_truncated" not in a
    assert a["mcp.tool.name"] == a["gen_ai.tool.name"] == "add"


def test_tool_error_and_aggregator(installed, provider, memory):
    hooks.before_tool_call.emit(tool_name="demo_fail", args={}, context=None)
    with provider.get_tracer("t").start_as_current_span("MCPAggregator.call_tool"):
        get_hook("tool_resolved").emit(
            tool_name="demo_fail", candidates=1, selected_server="demo", resolution_time_ms=0.5
        )
    hooks.error_tool_call.emit(tool_name="demo_fail", args={}, exc=TimeoutError("timed out"), context=None)
    a = _attrs(memory, "tool.call")
    assert a["mcp.status.code"] == "error"
    assert a["mcp.error.code"] == "TIMEOUT"
    assert a["mcp.aggregator.candidates"] == 1
    assert a["mcp.aggregator.selected_server"] == "demo"


def test_resource_prompt_rpc(installed, provider, memory):
    tracer = provider.get_tracer("t")
    hooks.before_resource_fetch.emit(uri="demo://handbook", context=None)
    hooks.after_resource_fetch.emit(uri="demo://handbook", content="héllo", mime_type="text/plain", context=None)
    hooks.before_prompt_apply.emit(template_id="summarize", parameters={"topic": "x"}, context=None)
    hooks.after_prompt_apply.emit(template_id="summarize", rendered="...", context=None)
    with tracer.start_as_current_span("rpc"):
        envelope = {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "add"}}
        hooks.before_rpc_request.emit(envelope=envelope, transport="stdio")
        hooks.after_rpc_response.emit(
            envelope={"jsonrpc": "2.0", "id": 3, "result": {}}, transport="stdio", duration_ms=1.5
        )
    r = _attrs(memory, "resource.fetch")
    assert r["mcp.resource.uri"] == "demo://handbook"
    assert r["mcp.resource.bytes"] == 6
    assert r["mcp.resource.mime_type"] == "text/plain"
    assert json.loads(r["mcp.resource.content_json"]) == "héllo"  # issue 16: the content on the fetch span
    assert r["output.value"] == r["mcp.resource.content_json"]
    p = _attrs(memory, "prompt.apply")
    assert p["mcp.prompt.template_id"] == p["gen_ai.prompt.name"] == "summarize"
    assert json.loads(p["mcp.prompt.parameters_json"]) == {"topic": "x"}
    c = _attrs(memory, "rpc")
    assert c["mcp.rpc.method"] == c["mcp.method.name"] == "tools/call"
    assert c["mcp.rpc.id"] == c["jsonrpc.request.id"] == "3"
    assert c["mcp.rpc.duration_ms"] == 1
    assert c["network.transport"] == "pipe"
    assert c["mcp.rpc.direction"] == "outbound"


class Workflow:
    name = "demo"

    def __init__(self):
        self.run_id = "run-abcdef"


async def test_workflow_span_parents_inner_spans(installed, provider, memory, traces_dir):
    wf = Workflow()
    tracer = provider.get_tracer("t")
    hooks.session_started.emit(
        session_id="run-abcdef", metadata={"engine": "asyncio", "title": "Workflow", "workflow_type": "Workflow"}
    )
    with context.bind("run-abcdef"):
        await hooks.before_workflow_run.aemit(workflow=wf, context=None, input={"q": 1})
        with tracer.start_as_current_span("inner"):
            pass
        await hooks.after_workflow_run.aemit(workflow=wf, context=None, result={"answer": 4})
        hooks.session_finished.emit(session_id="run-abcdef", status="completed", error=None)
    installed.force_flush()
    spans = {s.name: s for s in memory.get_finished_spans()}
    assert spans["inner"].parent.span_id == spans["workflow.run"].context.span_id
    a = dict(spans["workflow.run"].attributes)
    assert a["mcp.workflow.type"] == "Workflow"
    assert a["run.id"] == "run-abcdef"
    assert json.loads(a["mcp.workflow.input_json"]) == {"q": 1}
    assert json.loads(a["mcp.workflow.output_json"]) == {"answer": 4}
    records = read_session(traces_dir, "run-abcdef")
    assert records[0]["type"] == "session"
    assert records[-1]["type"] == "session_end"


async def test_failed_workflow_and_inbound_session(installed, provider, memory):
    wf = Workflow()
    await hooks.before_workflow_run.aemit(workflow=wf, context=None)
    await hooks.error_workflow_run.aemit(workflow=wf, context=None, exc=ValueError("boom"))
    hooks.session_started.emit(
        session_id="inbound-01",
        metadata={"engine": "mcp-inbound", "title": "tools/call", "request_method": "tools/call"},
    )
    hooks.session_finished.emit(session_id="inbound-01", status="failed", error="bad")
    spans = {s.name: s for s in memory.get_finished_spans()}
    w = spans["workflow.run"]
    assert w.status.status_code.name == "ERROR"
    assert w.attributes["mcp.error.code"] == "ValueError"
    inbound = spans["tools/call"]
    assert inbound.kind.name == "SERVER"
    assert inbound.attributes["mcp.status.code"] == "error"


def test_pauses_are_written_in_the_sessions_file(installed, traces_dir):
    schema = {"type": "object", "properties": {"response": {"type": "string"}}}
    hooks.session_started.emit(session_id="paused-run-1", metadata={"title": "ApprovalWorkflow"})
    hooks.session_paused.emit(session_id="paused-run-1", signal_name="cancel", prompt=None)  # mcp-agent's own wait
    hooks.session_paused.emit(session_id="paused-run-1", signal_name="human_input", prompt="Ship it?", schema=schema)
    hooks.session_resumed.emit(session_id="paused-run-1", signal_name="human_input", payload={"response": "yes"})
    hooks.session_finished.emit(session_id="paused-run-1", status="completed", error=None)
    installed.force_flush()
    records = read_session(traces_dir, "paused-run-1")
    marks = [r for r in records if r["type"] in ("session_paused", "session_resumed")]
    assert [r["type"] for r in marks] == ["session_paused", "session_resumed"]
    assert marks[0]["signal_name"] == "human_input"
    assert marks[0]["prompt"] == "Ship it?"
    assert marks[0]["schema"] == schema
    assert marks[0]["at"] <= marks[1]["at"]
    assert marks[1]["answer"] == {"response": "yes"}  # the human's answer, as JSON
    assert marks[1]["action"] is None
    assert records[-1]["type"] == "session_end"


def test_resume_records_the_answer_the_action_and_cuts_a_long_answer(installed, traces_dir, memory):
    from mcp_agent.human_input.types import HumanInputResponse

    from inspector_otel._attrs import MAX_ATTRIBUTE_CHARS

    hooks.session_started.emit(session_id="answers-run-1", metadata={"title": "answers"})
    hooks.session_paused.emit(session_id="answers-run-1", signal_name="__human_input___a_1", prompt="Colour?")
    answer = HumanInputResponse(request_id="__human_input___a_1", response="blue")
    hooks.session_resumed.emit(session_id="answers-run-1", signal_name="__human_input___a_1", payload=answer)
    hooks.session_paused.emit(session_id="answers-run-1", signal_name="elicitation", prompt="Proceed?")
    hooks.session_resumed.emit(session_id="answers-run-1", signal_name="elicitation", payload=None, action="decline")
    hooks.session_paused.emit(session_id="answers-run-1", signal_name="elicitation", prompt="Essay?")
    essay = {"text": "x" * (MAX_ATTRIBUTE_CHARS + 10)}
    hooks.session_resumed.emit(session_id="answers-run-1", signal_name="elicitation", payload=essay, action="accept")
    hooks.session_finished.emit(session_id="answers-run-1", status="completed", error=None)
    installed.force_flush()
    resumed = [r for r in read_session(traces_dir, "answers-run-1") if r["type"] == "session_resumed"]
    assert resumed[0]["answer"] == {"request_id": "__human_input___a_1", "response": "blue", "metadata": None}
    assert (resumed[1]["answer"], resumed[1]["action"]) == (None, "decline")
    assert resumed[2]["action"] == "accept"
    assert isinstance(resumed[2]["answer"], str)  # too long for JSON: the text, cut
    assert len(resumed[2]["answer"]) == MAX_ATTRIBUTE_CHARS


def test_raising_subscriber_changes_nothing(installed, provider, memory):
    def broken(**kwargs):
        raise RuntimeError("subscriber bug")

    class Hostile:
        def __getattr__(self, name):
            raise RuntimeError("no attributes here")

    inspector_hooks.register("before_tool_call", broken)
    try:

        def tool(x):
            hooks.before_tool_call.emit(tool_name="t", args=Hostile(), context=Hostile())
            hooks.before_llm_generate.emit(llm=Hostile(), prompt=Hostile())
            hooks.after_llm_generate.emit(llm=Hostile(), prompt=Hostile(), response=Hostile(), usage=Hostile())
            hooks.after_tool_call.emit(tool_name="t", args=None, result=Hostile(), context=None)
            return x * 2

        assert tool(21) == 42
    finally:
        inspector_hooks.unregister("before_tool_call", broken)
    assert _attrs(memory, "tool.call")["mcp.tool.name"] == "t"


@pytest.mark.parametrize("is_async", [False, True])
async def test_state_helpers(installed, provider, memory, is_async):
    if is_async:

        @dump_state_to_span(description="Router decision")
        async def decide():
            return {"selected_route": "a", "confidence": 0.9}

        call = decide
    else:

        @dump_state_to_span
        def planResult():
            return {"steps": []}

        async def call():
            return planResult()

    with provider.get_tracer("t").start_as_current_span("s"):
        await call()
        capture_state("plan", {"x": object()})
    a = _attrs(memory, "s")
    key = "mcp.result.router_decision_json" if is_async else "mcp.result.plan_result_json"
    assert key in a
    assert json.loads(a["mcp.state.plan_json"]) == {"x": "<unserializable: object>"}


async def test_workflow_span_is_handed_to_the_run_task(installed, provider, memory):
    import asyncio

    from opentelemetry import trace

    tracer = provider.get_tracer("t")
    wf = Workflow()

    async def run():
        with tracer.start_as_current_span("step"):
            await asyncio.sleep(0)

    with tracer.start_as_current_span("caller") as caller:
        token = context.set("run-handoff")  # the instrumentation binds the run's session around run_async
        await hooks.before_workflow_run.aemit(workflow=wf, context=None)
        task = asyncio.get_running_loop().create_task(run())  # what run_async does
        context.reset(token)
        await asyncio.sleep(0)
        assert trace.get_current_span() is caller  # the caller got its own span back
        await task
        task_done = hooks.after_workflow_run.emit  # mcp-agent reports the end from the task's done callback
        task_done(workflow=wf, context=None, result="done")
        with tracer.start_as_current_span("after"):
            pass
    spans = {s.name: s for s in memory.get_finished_spans()}
    assert spans["step"].parent.span_id == spans["workflow.run"].context.span_id
    assert spans["workflow.run"].parent.span_id == spans["caller"].context.span_id
    assert spans["after"].parent.span_id == spans["caller"].context.span_id


_json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=50) | st.builds(object),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=_json_like, pad=st.integers(min_value=0, max_value=MAX_ATTRIBUTE_CHARS + 50))
def test_any_value_becomes_bounded_json_text(installed, memory, args, pad):
    memory.clear()
    value = {"pad": "z" * pad, "args": args}
    hooks.before_tool_call.emit(tool_name="t", args=value, context=None)
    hooks.after_tool_call.emit(tool_name="t", args=value, result=None, context=None)
    a = _attrs(memory, "tool.call")
    text = a["mcp.tool.input_json"]
    assert len(text) <= MAX_ATTRIBUTE_CHARS
    if a.get("mcp.tool.input_json_truncated"):
        assert len(text) == MAX_ATTRIBUTE_CHARS
    else:
        decoded = json.loads(text)
        assert decoded["pad"] == "z" * pad
        assert "<unserializable: object>" in text or "object" not in repr(args)


def test_operation_without_its_after_hook_is_closed_by_its_parent(installed, provider, memory):
    from opentelemetry import trace

    hooks.before_agent_call.emit(agent=Workflow())
    hooks.before_tool_call.emit(tool_name="cancelled", args={}, context=None)  # no after/error: cancelled
    hooks.after_agent_call.emit(agent=Workflow(), result="ok")
    spans = {s.name: s for s in memory.get_finished_spans()}
    assert spans["tool.call"].status.status_code.name == "ERROR"
    assert spans["tool.call"].parent.span_id == spans["agent.call"].context.span_id
    assert not trace.get_current_span().is_recording()  # the context is back where it was


async def test_concurrent_operations_do_not_mix(installed, provider, memory):
    import asyncio

    tracer = provider.get_tracer("t")

    async def call(name: str, delay: float):
        await hooks.before_tool_call.aemit(tool_name=name, args={"n": name}, context=None)
        with tracer.start_as_current_span(f"Agent.x.call_tool.{name}"):
            await asyncio.sleep(delay)
        await hooks.after_tool_call.aemit(tool_name=name, args={}, result={"content": name}, context=None)

    with tracer.start_as_current_span("parent"):
        await asyncio.gather(call("first", 0.02), call("second", 0.0), call("third", 0.01))
    spans = memory.get_finished_spans()
    tools = {s.attributes["mcp.tool.name"]: s for s in spans if s.name == "tool.call"}
    assert sorted(tools) == ["first", "second", "third"]
    parent = next(s for s in spans if s.name == "parent")
    for name, tool in tools.items():
        assert tool.parent.span_id == parent.context.span_id
        inner = next(s for s in spans if s.name == f"Agent.x.call_tool.{name}")
        assert inner.parent.span_id == tool.context.span_id
        assert json.loads(tool.attributes["mcp.tool.output_json"])["content"] == name


def test_subscribers_come_from_explicit_tables_of_catalogue_hooks():
    from inspector_hooks.catalogue import HOOKS
    from inspector_otel._spans import OpenSpans
    from inspector_otel.subscribers import Subscribers

    subs = Subscribers(None, OpenSpans())
    table = subs.table()
    assert set(table) <= set(HOOKS)
    tables = [
        subs.session_table(),
        subs.operation_table(),
        subs.pattern_table(),
        subs.request_table(),
        subs.sampling_table(),
        subs.wire_table(),
    ]
    assert sum(len(t) for t in tables) == len(table)  # no hook in two tables
    # every handler method is in a table (a method left out would silently never run)
    listed = {fn.__func__.__name__ for t in tables for fn in t.values()}
    assert listed == {name for name in dir(subs) if name.startswith("on_")}
