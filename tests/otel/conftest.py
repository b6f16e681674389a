"""Fixtures for inspector_otel tests: a private SDK TracerProvider with an in-memory exporter, and install()."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import inspector_otel


@pytest.fixture
def memory() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def provider(memory: InMemorySpanExporter) -> Iterator[TracerProvider]:
    tp = TracerProvider()
    tp.add_span_processor(SimpleSpanProcessor(memory))
    yield tp
    tp.shutdown()


@pytest.fixture
def traces_dir(tmp_path: Path) -> Path:
    return tmp_path / "traces"


@pytest.fixture
def installed(traces_dir: Path, provider: TracerProvider) -> Iterator[inspector_otel.TraceFileProcessor]:
    processor = inspector_otel.install(traces_dir, tracer_provider=provider)
    yield processor
    inspector_otel.uninstall()
