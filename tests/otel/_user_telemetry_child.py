"""Child process of test_user_telemetry.py: one OpenAIAugmentedLLM generate against the fake provider, with the
user's telemetry set up one of two ways, with or without the inspector; prints the user's spans as JSON lines.

argv: setup ("mcp_agent" | "own"), inspector ("0" | "1"), work dir, fake provider base URL.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from inspector_demo.fake_provider import API_KEY
from inspector_demo.settings import demo_settings
from mcp_agent.agents.agent import Agent
from mcp_agent.app import MCPApp
from mcp_agent.config import OpenAISettings, OpenTelemetrySettings
from mcp_agent.workflows.llm.augmented_llm_openai import OpenAIAugmentedLLM


def main() -> None:
    setup, inspect, work, base_url = sys.argv[1], sys.argv[2] == "1", Path(sys.argv[3]), sys.argv[4]
    settings = demo_settings()
    settings.openai = OpenAISettings(api_key=API_KEY, base_url=f"{base_url}/v1", default_model="gpt-4o-mini")
    settings.mcp.servers = {}
    memory = None
    if setup == "mcp_agent":
        spans_file = work / "user-spans.jsonl"
        settings.otel = OpenTelemetrySettings(
            enabled=True, service_name="user-app", exporters=[{"file": {"path": str(spans_file)}}]
        )
    else:  # the user's own provider and the OpenAI SDK instrumentation, set up before the inspector
        from opentelemetry import trace
        from opentelemetry.instrumentation.openai import OpenAIInstrumentor
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        memory = InMemorySpanExporter()
        user_provider = TracerProvider()
        user_provider.add_span_processor(SimpleSpanProcessor(memory))
        trace.set_tracer_provider(user_provider)
        OpenAIInstrumentor().instrument()
    if inspect:
        import inspector_instrumentation
        import inspector_otel

        inspector_instrumentation.install()
        inspector_otel.install(work / "traces")

    async def run() -> None:
        app = MCPApp(name="user_telemetry", settings=settings)
        async with app.run():
            agent = Agent(name="poet", instruction="Answer briefly.", server_names=[])
            async with agent:
                llm = await agent.attach_llm(OpenAIAugmentedLLM)
                await llm.generate_str("say hi")

    asyncio.run(run())
    if memory is not None:
        spans = [_own(s) for s in memory.get_finished_spans()]
    else:
        spans = [_from_file(line) for line in spans_file.read_text().splitlines() if line.strip()]
    for span in spans:
        sys.stdout.write(json.dumps(span) + "\n")


def _own(span: object) -> dict[str, object]:
    ctx, parent = span.context, span.parent  # type: ignore[attr-defined]
    return {
        "name": span.name,  # type: ignore[attr-defined]
        "id": format(ctx.span_id, "016x"),
        "parent": format(parent.span_id, "016x") if parent is not None else None,
    }


def _from_file(line: str) -> dict[str, object]:
    record = json.loads(line)
    return {"name": record["name"], "id": record["context"]["span_id"], "parent": record.get("parent_id")}


if __name__ == "__main__":
    main()
