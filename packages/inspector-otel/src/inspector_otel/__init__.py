"""inspector-otel: hooks → OTel spans with ``mcp.*`` attributes → gzipped JSONL trace files (SPEC §4).

Usage::

    import inspector_otel
    inspector_otel.install()                      # traces in MCP_TRACES_DIR or ~/.mcp_traces
    inspector_otel.install(tracer_provider=mine)  # or attach to your own SDK TracerProvider
    # without a provider of yours, install() sets an InspectorTracerProvider as the global one
    ...
    inspector_otel.uninstall()                    # flushes and closes every file

    from inspector_otel import capture_state, dump_state_to_span

    @dump_state_to_span(description="plan")       # → mcp.result.plan_json on the current span
    async def make_plan(...): ...

    capture_state("router_decision", decision)    # → mcp.state.router_decision_json

Tests read files with ``inspector_otel.testing.read_trace(path)``. The attribute catalogue is
``inspector_otel.attributes.ATTRIBUTES`` (docs/telemetry.md is generated from it).
"""

from __future__ import annotations

from typing import Any

from ._attrs import MAX_ATTRIBUTE_CHARS
from ._install import install, installed, uninstall
from ._provider import InspectorTracerProvider
from ._state import capture_state, dump_state_to_span
from .errors import InspectorOtelError, InvalidSessionIdError, TraceFileError
from .exporter import FALLBACK_SESSION_PREFIX, TraceFileProcessor, default_traces_dir

__all__ = [
    # setup
    "InspectorTracerProvider",
    "default_traces_dir",
    "install",
    "installed",
    "uninstall",
    # exporter
    "FALLBACK_SESSION_PREFIX",
    "MAX_ATTRIBUTE_CHARS",
    "TraceFileProcessor",
    # state
    "capture_state",
    "dump_state_to_span",
    # errors
    "InspectorOtelError",
    "InvalidSessionIdError",
    "TraceFileError",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("inspector-otel")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
