"""The backend and gateway plugin of inspector-temporal (entry point ``temporal``, group
``mcp_agent_inspector.plugins``).

As a backend (``inspector_hooks.backends.install()``, which ``mount()`` calls) it runs
``inspector_temporal.install()`` after the OTel exporter: mcp-agent's Temporal clients and workers are recorded.
With ``INSPECTOR_TEMPORAL_ADDRESS`` set (``host:port`` of the Temporal service; ``INSPECTOR_TEMPORAL_NAMESPACE``,
default ``default``), ``GET /sessions`` lists the service's workflow executions beside the trace files, and
``POST /signal/{id}`` / ``POST /cancel/{id}`` reach Temporal sessions through the Temporal client.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from inspector_gateway import hookimpl
from inspector_hooks.backends import Backend

from ._control import TemporalControl
from ._install import install, uninstall
from ._source import TemporalSource, source_from_env

__all__ = ["BACKEND", "inspector_session_controls", "inspector_session_sources"]


def _start(options: Mapping[str, Any]) -> bool:
    return install()


BACKEND = Backend(
    install=_start,
    uninstall=uninstall,
    order=30,
    description="Temporal: one session per workflow execution from its client and workers (interceptor)",
)


@hookimpl
def inspector_session_sources(gateway: Any) -> Sequence[TemporalSource]:
    source = source_from_env(gateway)
    return [] if source is None else [source]


@hookimpl
def inspector_session_controls(gateway: Any) -> Sequence[TemporalControl]:
    source = next((s for s in getattr(gateway, "sources", []) if isinstance(s, TemporalSource)), None)
    return [] if source is None else [TemporalControl(source)]
