"""``install()``: record every Temporal client and worker that mcp-agent's ``TemporalExecutor`` builds."""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

from . import _record
from ._ids import unwrap
from ._interceptor import SPAN_IDS, InspectorInterceptor

__all__ = ["install", "installed", "uninstall"]

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_original: Any = None


def _with_interceptor(client: Any) -> Any:
    """``client`` again, connected the same way, with the inspector's interceptor last (a no-op if it has one)."""
    from temporalio.client import Client

    config = client.config()
    interceptors = list(config.get("interceptors") or [])
    if any(isinstance(i, InspectorInterceptor) for i in interceptors):
        return client
    config["interceptors"] = [*interceptors, InspectorInterceptor()]
    return Client(**config)


def _wrap_ensure_client(original: Any) -> Any:
    @functools.wraps(original)
    async def ensure_client(self: Any) -> Any:
        client = await original(self)
        try:
            wrapped = _with_interceptor(client)
        except Exception:
            logger.debug("inspector_temporal: client not intercepted", exc_info=True)
            return client
        self.client = wrapped
        return wrapped

    return ensure_client


def install() -> bool:
    """Record mcp-agent's Temporal runs: its executor's client (and so the worker built on it, see
    ``create_temporal_worker_for_app``) gets :class:`InspectorInterceptor`, the OTel exporter of
    ``inspector_otel`` (install it first) writes nothing while a worker replays history, and spans started in
    workflow code get computed ids (a retried workflow task writes the same spans again, not new ones).
    Idempotent; returns True when in place. Never raises: without mcp-agent's Temporal extra it logs and returns
    False."""
    global _original
    with _lock:
        if _original is not None:
            _suppress_replays()
            _computed_ids()
            return True
        try:
            from mcp_agent.executor.temporal import TemporalExecutor
        except Exception:
            logger.info("mcp-agent's Temporal executor is not importable; inspector_temporal not installed")
            return False
        _original = TemporalExecutor.ensure_client
        TemporalExecutor.ensure_client = _wrap_ensure_client(_original)  # type: ignore[method-assign]
        _suppress_replays()
        _computed_ids()
        return True


def _id_generator() -> Any:
    from opentelemetry import trace

    return getattr(trace.get_tracer_provider(), "id_generator", None)


def _computed_ids() -> None:
    """Spans started in workflow code get ids computed from their run and place (see ``_ids``), in the global SDK
    provider (the one mcp-agent's and the inspector's spans go to unless mcp-agent's ``otel.enabled`` is on)."""
    generator = _id_generator()
    if generator is not None:
        try:
            SPAN_IDS.wrap(generator)
        except Exception:
            logger.debug("inspector_temporal: span ids not computed in workflow code", exc_info=True)


def _suppress_replays() -> None:
    try:
        import inspector_otel

        processor = inspector_otel.installed()
    except Exception:
        return
    if processor is not None:
        processor.suppress = _record.replaying


def uninstall() -> None:
    global _original
    with _lock:
        if _original is None:
            return
        from mcp_agent.executor.temporal import TemporalExecutor

        TemporalExecutor.ensure_client = _original  # type: ignore[method-assign]
        _original = None
        generator = _id_generator()
        if generator is not None:
            unwrap(generator)


def installed() -> bool:
    return _original is not None
