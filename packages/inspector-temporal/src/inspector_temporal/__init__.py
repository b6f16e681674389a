"""inspector-temporal: one inspector session per Temporal workflow execution, from the client and every worker.

Usage, in the worker and in the client process (after the instrumentation and the OTel exporter)::

    import inspector_instrumentation, inspector_otel, inspector_temporal
    inspector_instrumentation.install()
    inspector_otel.install()
    inspector_temporal.install()          # mcp-agent's TemporalExecutor clients and workers are recorded

    # or, with a Temporal client of your own:
    client = await Client.connect(address, interceptors=[inspector_temporal.InspectorInterceptor()])

A session's id is the workflow id (engine ``temporal``, its run id in ``run.id``); see docs/temporal.md.
"""

from __future__ import annotations

from typing import Any

from ._ids import workflow_span_ids
from ._install import install, installed, uninstall
from ._interceptor import InspectorInterceptor

__all__ = ["InspectorInterceptor", "install", "installed", "uninstall", "workflow_span_ids"]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("inspector-temporal")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
