"""The OTel subscribers and the trace-file exporter as a backend (entry point ``otel`` in group
``mcp_agent_inspector.plugins``): ``inspector_hooks.backends.install(traces_dir=...)`` calls ``install()``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inspector_hooks.backends import Backend

from ._install import install, uninstall
from .exporter import TraceFileProcessor

__all__ = ["BACKEND"]


def _start(options: Mapping[str, Any]) -> TraceFileProcessor:
    return install(traces_dir=options.get("traces_dir"))


BACKEND = Backend(
    install=_start,
    uninstall=uninstall,
    order=20,
    description="hook subscribers enriching OpenTelemetry spans, and the gzipped JSONL trace-file exporter",
)
