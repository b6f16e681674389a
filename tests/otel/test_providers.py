"""mcp-agent's otel.enabled on and off: our files get the spans, the user's exporters too (fresh processes:
both paths set the process-global tracer provider, which can only be set once)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from inspector_otel.testing import read_session

_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys, warnings
    warnings.simplefilter("ignore")
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from mcp_agent.agents.agent import Agent
    from mcp_agent.app import MCPApp
    from mcp_agent.config import OpenTelemetrySettings
    from inspector_demo.settings import demo_settings
    import inspector_instrumentation, inspector_otel

    mode, traces = sys.argv[1], sys.argv[2]
    memory = InMemorySpanExporter()
    if mode == "user-global":  # the user set up OTel before the inspector
        user = TracerProvider()
        user.add_span_processor(SimpleSpanProcessor(memory))
        trace.set_tracer_provider(user)
    inspector_instrumentation.install()
    processor = inspector_otel.install(traces)
    settings = demo_settings()
    if mode == "otel-enabled":
        settings.otel = OpenTelemetrySettings(enabled=True, exporters=[])

    async def main():
        app = MCPApp(name="prov_app", settings=settings)
        async with app.run() as running:
            if mode == "otel-enabled":
                running._tracer_provider.add_span_processor(SimpleSpanProcessor(memory))
            agent = Agent(name="adder", server_names=["demo"], context=running.context)
            async with agent:
                await agent.call_tool("demo_add", {"a": 1, "b": 1})
            return running.session_id

    sid = asyncio.run(main())
    processor.force_flush()
    print(json.dumps({"session": sid, "user_spans": sorted({s.name for s in memory.get_finished_spans()})}))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["otel-enabled"])  # default and user-global paths: test_demo_attributes.py
def test_spans_reach_the_files(tmp_path, mode):
    import json

    examples = Path(__file__).resolve().parents[2] / "examples"
    env = dict(os.environ, PYTHONPATH=str(examples))
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, mode, str(tmp_path)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    names = {r["name"] for r in read_session(tmp_path, out["session"]) if r["type"] == "span"}
    assert "tool.call" in names
    assert any(n.startswith("Agent.adder.") for n in names), names  # mcp-agent's own spans
    if mode != "otel-disabled":
        assert "tool.call" in out["user_spans"]
        assert any(n.startswith("Agent.adder.") for n in out["user_spans"])
