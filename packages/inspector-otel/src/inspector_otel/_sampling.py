"""Subscribers for a server's sampling requests: one ``sampling.create_message`` span per request.

The span is begun where the instrumentation emits ``before_sampling_request``: in the context of our request that
was in flight when the server asked (so under that ``tools/call``). ``mcp.llm.prompt_json`` holds the messages the
server sent (its system prompt first, as a ``system`` message), ``mcp.llm.response_json`` the message the client
answered; ``mcp.rpc.request_json``/``response_json`` the whole request params (model preferences, max tokens...) and
result. An error answer (``ErrorData``: a rejected request, a failed generation) makes it an error span.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opentelemetry.trace import SpanKind

from ._attrs import put, set_json, set_text, set_value
from ._messages import to_messages
from ._spans import Operations, describe, record_error

SAMPLING_OP = "sampling"
SAMPLING_SPAN = "sampling.create_message"
SAMPLING_METHOD = "sampling/createMessage"


class SamplingSubscribers:
    """Mixin of ``Subscribers``: needs ``self.ops``."""

    ops: Operations

    def sampling_table(self) -> dict[str, Callable[..., None]]:
        """Hook name → subscriber, for the sampling hooks."""
        return {
            "before_sampling_request": self.on_before_sampling_request,
            "after_sampling_request": self.on_after_sampling_request,
            "error_sampling_request": self.on_error_sampling_request,
        }

    def on_before_sampling_request(self, *, params: Any = None, server_name: Any = None, **extra: Any) -> None:
        span = self.ops.begin(SAMPLING_OP, SAMPLING_SPAN, kind=SpanKind.SERVER)
        put(span, "mcp.rpc.method", SAMPLING_METHOD)
        put(span, "mcp.method.name", SAMPLING_METHOD)
        put(span, "mcp.rpc.direction", "inbound")
        set_value(span, "mcp.rpc.server_name", server_name)
        set_value(span, "mcp.rpc.transport", extra.get("transport"))
        request_id = extra.get("request_id")
        if request_id is not None:
            put(span, "mcp.rpc.id", str(request_id))
        put(span, "gen_ai.operation.name", "chat")
        put(span, "openinference.span.kind", "LLM")
        set_json(span, "mcp.rpc.request_json", params)
        sent = to_messages(list(describe(params, "messages") or ()))
        system = describe(params, "systemPrompt")
        if isinstance(system, str) and system:
            sent.insert(0, {"role": "system", "content": [{"type": "text", "text": system}]})
        set_json(span, "mcp.llm.prompt_json", sent)

    def on_after_sampling_request(self, *, result: Any = None, **_: Any) -> None:
        span = self.ops.current(SAMPLING_OP)
        if span is None:
            return
        set_json(span, "mcp.rpc.response_json", result)
        if describe(result, "code") is not None and describe(result, "content") is None:  # ErrorData: no answer
            put(span, "mcp.status.code", "error")
            set_text(span, "mcp.error.code", describe(result, "code"))
            set_text(span, "mcp.error.message", describe(result, "message"))
            self.ops.end(SAMPLING_OP, error=str(describe(result, "message") or "error answer"))
            return
        set_json(span, "mcp.llm.response_json", to_messages(result, role="assistant"))
        set_value(span, "gen_ai.response.model", describe(result, "model"))
        set_value(span, "mcp.stop_reason", describe(result, "stopReason"))
        put(span, "mcp.status.code", "ok")
        self.ops.end(SAMPLING_OP)

    def on_error_sampling_request(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current(SAMPLING_OP)
        if span is None:
            return
        record_error(span, exc)
        self.ops.end(SAMPLING_OP, error=str(exc))
