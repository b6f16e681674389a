"""Subscribers for the wire: JSON-RPC requests and responses, transport state, progress, model preferences.

They enrich the span current when the hook fires (for ``tools/call`` that is inside our ``tool.call``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._attrs import put, set_json, set_text, set_value
from ._spans import current_span, record_error

_NETWORK = {"stdio": "pipe", "sse": "tcp", "http": "tcp", "streamable_http": "tcp", "websocket": "tcp"}


class WireSubscribers:
    """Mixin of ``Subscribers``."""

    def wire_table(self) -> dict[str, Callable[..., None]]:
        """Hook name → subscriber, for the JSON-RPC, model-selection, progress and transport hooks."""
        return {
            "before_rpc_request": self.on_before_rpc_request,
            "after_rpc_response": self.on_after_rpc_response,
            "error_rpc_request": self.on_error_rpc_request,
            "before_model_select": self.on_before_model_select,
            "progress_update": self.on_progress_update,
            "operation_cancelled": self.on_operation_cancelled,
            "transport_connected": self.on_transport_connected,
            "transport_disconnected": self.on_transport_disconnected,
            "transport_reconnecting": self.on_transport_reconnecting,
        }

    # ---- JSON-RPC ---------------------------------------------------------------------------------------------
    def on_before_rpc_request(self, *, envelope: Any = None, transport: Any = None, **extra: Any) -> None:
        span = current_span()
        if span is None:
            return
        env = envelope if isinstance(envelope, dict) else {}
        put(span, "mcp.jsonrpc.version", str(env.get("jsonrpc", "2.0")))
        method = env.get("method")
        set_value(span, "mcp.rpc.method", method)
        set_value(span, "mcp.method.name", method)
        rpc_id = env.get("id", extra.get("request_id"))
        if rpc_id is not None:
            put(span, "mcp.rpc.id", str(rpc_id))
            put(span, "jsonrpc.request.id", str(rpc_id))
        set_json(span, "mcp.rpc.request_json", envelope)
        if isinstance(transport, str):
            put(span, "mcp.rpc.transport", transport)
            put(span, "network.transport", _NETWORK.get(transport, "tcp"))
        put(span, "mcp.rpc.direction", str(extra.get("direction") or "outbound"))
        set_value(span, "mcp.rpc.server_name", extra.get("server_name"))

    def on_after_rpc_response(self, *, envelope: Any = None, duration_ms: Any = None, **_: Any) -> None:
        span = current_span()
        if span is None:
            return
        set_json(span, "mcp.rpc.response_json", envelope)
        if isinstance(duration_ms, (int, float)):
            put(span, "mcp.rpc.duration_ms", int(duration_ms))
        put(span, "mcp.transport.status", "connected")
        err = envelope.get("error") if isinstance(envelope, dict) else None
        if isinstance(err, dict):
            put(span, "mcp.status.code", "error")
            set_text(span, "mcp.error.code", err.get("code"))
            set_text(span, "mcp.error.message", err.get("message"))
            set_text(span, "error.type", err.get("code"))
            set_value(span, "rpc.response.status_code", str(err.get("code")))
        else:
            put(span, "mcp.status.code", "ok")

    def on_error_rpc_request(self, *, exc: Any = None, **_: Any) -> None:
        span = current_span()
        if span is None:
            return
        record_error(span, exc)
        text = str(exc).lower()
        lost = any(w in text for w in ("timeout", "timed out", "connection", "closed"))
        put(span, "mcp.transport.status", "disconnected" if lost else "connected")

    # ---- model selection, progress, transport -----------------------------------------------------------------
    def on_before_model_select(self, *, preferences: Any = None, **_: Any) -> None:
        span = current_span()
        if span is not None and preferences is not None:
            set_json(span, "mcp.model.preferences_json", preferences)

    def on_progress_update(
        self, *, operation_id: Any = None, percent: Any = None, message: Any = None, **_: Any
    ) -> None:
        span = current_span()
        if span is None:
            return
        set_text(span, "mcp.progress.token", operation_id)
        attrs: dict[str, Any] = {"message": str(message or "")}
        if isinstance(percent, (int, float)):
            attrs["percent"] = float(percent)
        span.add_event("progress", attrs)

    def on_operation_cancelled(self, **_: Any) -> None:
        span = current_span()
        if span is not None:
            put(span, "mcp.cancellation.requested", True)

    def on_transport_connected(self, **_: Any) -> None:
        span = current_span()
        if span is not None:
            put(span, "mcp.transport.status", "connected")

    def on_transport_disconnected(self, **_: Any) -> None:
        span = current_span()
        if span is not None:
            put(span, "mcp.transport.status", "disconnected")

    def on_transport_reconnecting(self, *, attempt: Any = None, **_: Any) -> None:
        span = current_span()
        if span is not None:
            put(span, "mcp.transport.status", "reconnecting")
            set_value(span, "mcp.transport.reconnect_count", attempt if isinstance(attempt, int) else None)
