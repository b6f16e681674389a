"""The gateway plugin of inspector-temporal (entry point ``temporal`` of ``mcp_agent_inspector.plugins``).

With ``INSPECTOR_TEMPORAL_ADDRESS`` set (``host:port`` of the Temporal service; ``INSPECTOR_TEMPORAL_NAMESPACE``,
default ``default``), ``GET /sessions`` lists the service's workflow executions beside the trace files, and
``POST /signal/{id}`` / ``POST /cancel/{id}`` reach Temporal sessions through the Temporal client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from inspector_gateway import hookimpl

from ._control import TemporalControl
from ._source import TemporalSource, source_from_env

__all__ = ["inspector_session_controls", "inspector_session_sources"]


@hookimpl
def inspector_session_sources(gateway: Any) -> Sequence[TemporalSource]:
    source = source_from_env(gateway)
    return [] if source is None else [source]


@hookimpl
def inspector_session_controls(gateway: Any) -> Sequence[TemporalControl]:
    source = next((s for s in getattr(gateway, "sources", []) if isinstance(s, TemporalSource)), None)
    return [] if source is None else [TemporalControl(source)]
