"""Fixtures for the pattern tests: one fake OpenAI/Anthropic server per module (``provider``; each test sets its
``responder``), mcp-agent settings pointing at it, and the inspector writing trace files into the test's tmp dir.

Everything is real except the model: mcp-agent 0.2.6's pattern and provider classes, the OpenAI/Anthropic SDKs over
HTTP, the stdio demo MCP server, the instrumentation and the trace exporter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from inspector_demo.fake_provider import FakeProvider, Reply, Turn
from inspector_demo.settings import demo_settings
from mcp_agent.app import MCPApp
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import inspector_instrumentation
import inspector_otel
from inspector_otel.testing import read_session


def _unscripted(turn: Turn) -> Reply:
    raise AssertionError(f"no responder set for this test (got {turn.api} {turn.schema or turn.last_text[:60]!r})")


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeProvider]:
    with FakeProvider(_unscripted) as fake:
        yield fake


@pytest.fixture
def fake(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProvider]:
    """The module's provider with a fresh log, its environment set, and the responder reset after the test."""
    for key, value in provider.environ().items():
        monkeypatch.setenv(key, value)
    provider.log.turns.clear()
    provider.log.embeddings.clear()
    yield provider
    provider.responder = _unscripted


@pytest.fixture
def memory() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracer_provider(memory: InMemorySpanExporter) -> Iterator[TracerProvider]:
    tp = TracerProvider()
    tp.add_span_processor(SimpleSpanProcessor(memory))
    yield tp
    tp.shutdown()


@pytest.fixture
def traces_dir(tmp_path: Path) -> Path:
    return tmp_path / "traces"


@pytest.fixture
async def inspector(
    traces_dir: Path, tracer_provider: TracerProvider
) -> AsyncIterator[inspector_otel.TraceFileProcessor]:
    was_installed = inspector_instrumentation.installed()
    assert inspector_instrumentation.install()
    processor = inspector_otel.install(traces_dir, tracer_provider=tracer_provider)
    yield processor
    inspector_otel.uninstall()
    inspector_instrumentation.uninstall()
    if was_installed:
        inspector_instrumentation.install()
    await inspector_instrumentation.stop_event_bus()


@pytest.fixture
def make_app(fake: FakeProvider, tmp_path: Path, tracer_provider: TracerProvider):
    """An MCPApp on the fake provider and the stdio demo server; mcp-agent's spans go to the test's provider."""

    def build(**kwargs: Any) -> MCPApp:
        settings = demo_settings(log_path=tmp_path / "mcp-agent.jsonl")
        settings.openai = fake.openai_settings()
        settings.anthropic = fake.anthropic_settings()
        kwargs.setdefault("name", "patterns_test")
        return MCPApp(settings=settings, **kwargs)

    return build


def use_tracer(tracer_provider: TracerProvider, running: MCPApp) -> None:
    """Point mcp-agent (otel disabled) at the test's provider instead of the process-global one."""
    running.context.tracer = tracer_provider.get_tracer("mcp-agent")


def spans_of(traces_dir: Path, session_id: str) -> list[dict[str, Any]]:
    return [r for r in read_session(traces_dir, session_id) if r["type"] == "span"]
