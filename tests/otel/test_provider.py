"""InspectorTracerProvider: mcp-agent's spans that repeat one of ours, and its executor plumbing, are left out; the
spans inside them hang under their parent; a provider of the user's keeps every span."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import inspector_otel
from inspector_hooks import hooks


@pytest.fixture
def quiet_provider(memory: InMemorySpanExporter) -> Iterator[TracerProvider]:
    tp = inspector_otel.InspectorTracerProvider()
    tp.add_span_processor(SimpleSpanProcessor(memory))
    yield tp
    tp.shutdown()


@pytest.fixture
def quiet_installed(traces_dir, quiet_provider) -> Iterator[inspector_otel.TraceFileProcessor]:
    processor = inspector_otel.install(traces_dir, tracer_provider=quiet_provider)
    yield processor
    inspector_otel.uninstall()


def _tool_call(tracer: trace.Tracer) -> None:
    """A tool call as mcp-agent 0.2.6 makes it, inside the hooks the instrumentation emits around Agent.call_tool."""
    hooks.before_tool_call.emit(tool_name="add", args={"a": 1}, server_name="demo")
    with (
        tracer.start_as_current_span("Agent.a.call_tool"),
        tracer.start_as_current_span("AsyncioExecutor.execute"),
        tracer.start_as_current_span("MCPAggregator.call_tool"),
        tracer.start_as_current_span("MCPAgentClientSession.send_request"),  # the RPC hooks fire inside it
    ):
        hooks.before_rpc_request.emit(envelope={"jsonrpc": "2.0", "id": 3, "method": "tools/call"}, transport="stdio")
        hooks.after_rpc_response.emit(envelope={"jsonrpc": "2.0", "id": 3, "result": {}}, duration_ms=1)
    hooks.after_tool_call.emit(tool_name="add", result={"content": []})


def _tree(memory: InMemorySpanExporter) -> dict[str, str | None]:
    spans = memory.get_finished_spans()
    names = {s.context.span_id: s.name for s in spans}
    return {s.name: (names.get(s.parent.span_id) if s.parent else None) for s in spans}


def test_twins_and_plumbing_are_left_out(quiet_installed, quiet_provider, memory):
    _tool_call(quiet_provider.get_tracer("mcp-agent"))
    # the request's span hangs under tool.call
    assert _tree(memory) == {"MCPAgentClientSession.send_request": "tool.call", "tool.call": None}
    spans = {s.name: s for s in memory.get_finished_spans()}
    assert spans["MCPAgentClientSession.send_request"].attributes["mcp.rpc.method"] == "tools/call"
    assert spans["tool.call"].attributes["mcp.tool.name"] == "add"


def test_a_users_provider_keeps_every_span(installed, provider, memory):
    _tool_call(provider.get_tracer("mcp-agent"))
    assert _tree(memory) == {
        "MCPAgentClientSession.send_request": "MCPAggregator.call_tool",
        "MCPAggregator.call_tool": "AsyncioExecutor.execute",
        "AsyncioExecutor.execute": "Agent.a.call_tool",
        "Agent.a.call_tool": "tool.call",
        "tool.call": None,
    }


def test_only_a_span_right_inside_our_operation_is_its_twin(quiet_installed, quiet_provider, memory):
    tracer = quiet_provider.get_tracer("mcp-agent")
    hooks.before_llm_generate.emit(llm=None, prompt="hi")
    with (
        tracer.start_as_current_span("ScriptedLLM.a.generate_str"),  # twin: left out
        tracer.start_as_current_span("ScriptedLLM.a.generate"),  # still right inside llm.generate: left out
    ):
        with (
            tracer.start_as_current_span("ScriptedLLM.a.call_tool"),  # another operation: kept
            tracer.start_as_current_span("Other.generate"),  # not right inside llm.generate: kept
        ):
            pass
        with tracer.start_as_current_span("Agent.a.call_tool"):  # a tool's name, but no tool.call open: kept
            pass
    hooks.after_llm_generate.emit(llm=None, prompt="hi", response="ok")
    with tracer.start_as_current_span("ScriptedLLM.a.generate"):  # no operation of ours open: kept
        pass
    assert _tree(memory) == {
        "Other.generate": "ScriptedLLM.a.call_tool",
        "ScriptedLLM.a.call_tool": "llm.generate",
        "Agent.a.call_tool": "llm.generate",
        "llm.generate": None,
        "ScriptedLLM.a.generate": None,
    }


def test_errors_in_a_quiet_span_reach_the_spans_around_it(quiet_installed, quiet_provider, memory):
    tracer = quiet_provider.get_tracer("mcp-agent")

    def call_tool() -> None:
        with tracer.start_as_current_span("Agent.a.call_tool") as span:
            assert not span.is_recording()
            span.set_attribute("ignored", 1)  # what mcp-agent does with its span: harmless
            raise RuntimeError("boom")

    hooks.before_tool_call.emit(tool_name="boom", args={})
    with pytest.raises(RuntimeError, match="boom"):
        call_tool()
    hooks.error_tool_call.emit(tool_name="boom", args={}, exc=RuntimeError("boom"))
    (tool,) = memory.get_finished_spans()
    assert tool.name == "tool.call"
    assert tool.status.status_code.name == "ERROR"
    assert tool.attributes["mcp.error.message"] == "boom"


def test_a_quiet_span_as_a_decorator(quiet_installed, quiet_provider, memory):
    tracer = quiet_provider.get_tracer("mcp-agent")

    @tracer.start_as_current_span("AsyncioExecutor.execute")
    def work() -> int:
        with tracer.start_as_current_span("inner"):
            return 42

    with tracer.start_as_current_span("outer"):
        assert work() == 42
    assert _tree(memory) == {"inner": "outer", "outer": None}


def test_our_own_spans_and_explicit_parents_are_never_left_out(quiet_provider, memory):
    ours = quiet_provider.get_tracer("inspector_otel")
    theirs = quiet_provider.get_tracer("mcp-agent")
    with ours.start_as_current_span("AsyncioExecutor.execute"):
        pass
    parent = trace.set_span_in_context(theirs.start_span("root"))
    with theirs.start_as_current_span("AsyncioExecutor.execute", context=parent):  # an explicit context: kept
        pass
    theirs.start_span("MCPAggregator.get_capabilitites").end()  # start_span (not made current): kept
    names = sorted(s.name for s in memory.get_finished_spans())
    assert names == ["AsyncioExecutor.execute", "AsyncioExecutor.execute", "MCPAggregator.get_capabilitites"]
