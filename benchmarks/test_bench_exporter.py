"""Trace export per span: our gzip JSONL processor vs mcp-agent 0.2.6's own FileSpanExporter, same spans, one run.

Each benchmark call exports BATCH realistic finished spans (per 10: one LLM span with a 2 KB prompt JSON,
three tool calls with an event, six JSON-RPC requests; 9-13 attributes each) and waits until they are on disk.
Ours: ``on_end`` for each span, then ``force_flush()`` (queue, writer thread, msgspec, zlib, Z_SYNC_FLUSH,
file flush). Baseline: ``FileSpanExporter.export(batch)`` (``span.to_json()``, plain text, a flush per span).
Time per call / BATCH is the cost per span.
"""

from __future__ import annotations

import json
import warnings

import pytest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from inspector_hooks import context
from inspector_otel import TraceFileProcessor
from inspector_otel.testing import read_session

with warnings.catch_warnings():
    # mcp-agent 0.2.6's config module trips a pydantic 2.12 deprecation at import time
    warnings.simplefilter("ignore", DeprecationWarning)
    from mcp_agent.tracing.file_span_exporter import FileSpanExporter

BATCH = 500
GROUP = "exporter: serialize + compress + write one span"


def _llm(s, i, prompt):
    s.set_attributes(
        {
            "gen_ai.agent.name": "finder",
            "gen_ai.request.model": "scripted-1",
            "gen_ai.provider.name": "scripted",
            "mcp.llm.prompt_json": prompt,
            "mcp.llm.response_json": json.dumps([{"role": "assistant", "content": [{"type": "text", "text": "ok"}]}]),
            "gen_ai.usage.input_tokens": 120 + i,
            "gen_ai.usage.output_tokens": 30,
            "openinference.span.kind": "LLM",
            "session.id": "bench-session",
        }
    )


def _tool(s, i):
    s.set_attributes(
        {
            "gen_ai.agent.name": "finder",
            "gen_ai.tool.name": "demo_lookup_weather",
            "mcp.tool.name": "demo_lookup_weather",
            "mcp.tool.input_json": json.dumps({"city": f"city-{i}", "units": "metric"}),
            "mcp.tool.output_json": json.dumps({"isError": False, "content": [{"type": "text", "text": "21 C"}]}),
            "initialized": True,
            "arguments.city": f"city-{i}",
            "result.isError": False,
            "result.content.0.type": "text",
            "result.content.0.text": "21 C",
            "mcp.status.code": "ok",
            "openinference.span.kind": "TOOL",
            "session.id": "bench-session",
        }
    )
    s.add_event("request_tool_call", {"tool": "demo_lookup_weather"})


def _rpc(s, i):
    s.set_attributes(
        {
            "mcp.method.name": "tools/call",
            "mcp.session.id": "unknown",
            "mcp.rpc.method": "tools/call",
            "mcp.rpc.id": str(i),
            "mcp.rpc.request_json": json.dumps({"jsonrpc": "2.0", "id": i, "method": "tools/call"}),
            "mcp.rpc.duration_ms": 3,
            "mcp.rpc.transport": "stdio",
            "network.transport": "pipe",
            "mcp.status.code": "ok",
            "session.id": "bench-session",
        }
    )


@pytest.fixture(scope="module")
def spans():
    """A realistic mix per 10 spans: 1 LLM generation (2 KB prompt JSON), 3 tool calls, 6 JSON-RPC requests."""
    memory = InMemorySpanExporter()
    provider = TracerProvider(
        resource=Resource.create({"service.name": "mcp-agent", "session.id": "bench-session", "service.version": "0"})
    )
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracer = provider.get_tracer("mcp-agent")
    prompt = json.dumps(
        [
            {"role": "user", "content": [{"type": "text", "text": f"question {i}: " + "lorem ipsum " * 12}]}
            for i in range(12)
        ]
    )
    with tracer.start_as_current_span("workflow.run"):
        for i in range(BATCH):
            kind = i % 10
            if kind == 0:
                with tracer.start_as_current_span("ScriptedLLM.finder.generate") as s:
                    _llm(s, i, prompt)
            elif kind <= 3:
                with tracer.start_as_current_span("Agent.finder.call_tool") as s:
                    _tool(s, i)
            else:
                with tracer.start_as_current_span("MCPAgentClientSession.send_request") as s:
                    _rpc(s, i)
    finished = [s for s in memory.get_finished_spans() if s.name != "workflow.run"]
    provider.shutdown()
    assert len(finished) == BATCH
    return finished


def test_mcp_agent_file_span_exporter(benchmark, spans, tmp_path):
    exporter = FileSpanExporter(custom_path=str(tmp_path / "trace.jsonl"))
    benchmark.group = GROUP
    benchmark.extra_info.update(ops=BATCH, baseline=None, target="baseline: mcp-agent 0.2.6 FileSpanExporter")
    benchmark(exporter.export, spans)
    with open(tmp_path / "trace.jsonl", encoding="utf-8") as f:
        assert json.loads(f.readline())["name"] == "ScriptedLLM.finder.generate"


def test_inspector_trace_file_processor(benchmark, spans, tmp_path):
    processor = TraceFileProcessor(tmp_path)  # default linger: the batch is written when force_flush asks

    def export():
        on_end = processor.on_end
        for span in spans:
            on_end(span)
        processor.force_flush()

    benchmark.group = GROUP
    benchmark.extra_info.update(
        ops=BATCH,
        baseline="test_mcp_agent_file_span_exporter",
        max_ratio=0.1,
        target="at least 10x faster per span than mcp-agent's FileSpanExporter (gzip, sync-flushed, SPEC §4 lines)",
    )
    with context.bind("bench-session"):
        benchmark(export)
    processor.shutdown()
    records = read_session(tmp_path, "bench-session")
    assert records[0]["type"] == "session"
    assert records[1]["type"] == "span"  # started and ended within one batch: no span_start record
    assert records[1]["name"] == "ScriptedLLM.finder.generate"
