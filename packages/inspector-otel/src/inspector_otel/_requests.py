"""Subscribers for each provider request of a generation: an ``llm.request`` span per request, under ``llm.generate``.

``mcp.llm.prompt_json`` holds the messages sent (the system prompt first, as a ``system`` message, when the provider
takes it apart), ``mcp.llm.response_json`` the message received, ``mcp.llm.request.*`` the iteration and the tokens
of this request alone (the generation's span keeps the totals in ``gen_ai.usage.*``, so a sum over spans does not
count a token twice); the generation's model is the one its requests ask for. A request whose answer never came (the
provider failed) is ended when the next one starts or with its generation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opentelemetry.trace import SpanKind

from ._attrs import put, set_json, set_value
from ._messages import stop_reason, to_messages
from ._operations import GENERATION_MODEL_KEYS
from ._spans import Operations, describe

REQUEST_OP = "provider_request"


class RequestSubscribers:
    """Mixin of ``Subscribers``: needs ``self.ops``."""

    ops: Operations

    def request_table(self) -> dict[str, Callable[..., None]]:
        """Hook name → subscriber, for the provider-request hooks."""
        return {
            "before_provider_request": self.on_before_provider_request,
            "after_provider_request": self.on_after_provider_request,
            "error_provider_request": self.on_error_provider_request,
        }

    def on_before_provider_request(
        self, *, llm: Any = None, request: Any = None, iteration: Any = None, **_: Any
    ) -> None:
        if self.ops.current(REQUEST_OP) is not None:
            self.ops.end(REQUEST_OP, error="no answer from the provider")
        span = self.ops.begin(REQUEST_OP, "llm.request", kind=SpanKind.CLIENT)
        payload = request if isinstance(request, dict) else {}
        provider = describe(llm, "provider")
        set_value(span, "mcp.llm.provider", provider)
        set_value(span, "gen_ai.provider.name", provider)
        model = payload.get("model")
        set_value(span, "gen_ai.request.model", model)
        generation = self.ops.current("llm")
        if generation is not None and isinstance(model, str) and model:
            # the model this generation really asked for (a call's request params can override the LLM's default,
            # which is all before_llm_generate knows): its tokens are priced by it
            for key in GENERATION_MODEL_KEYS:
                set_value(generation, key, model)
        put(span, "gen_ai.operation.name", "chat")
        if isinstance(iteration, int):
            put(span, "mcp.llm.request.iteration", iteration)
        tools = payload.get("tools")
        if isinstance(tools, list):
            put(span, "mcp.llm.request.tool_count", len(tools))
        messages = list(payload.get("messages") or ())
        system = payload.get("system")
        sent = to_messages(messages)
        if isinstance(system, str) and system:
            sent.insert(0, {"role": "system", "content": [{"type": "text", "text": system}]})
        set_json(span, "mcp.llm.prompt_json", sent)

    def on_after_provider_request(self, *, response: Any = None, usage: Any = None, **_: Any) -> None:
        span = self.ops.current(REQUEST_OP)
        if span is None:
            return
        received = _response_messages(response)
        set_json(span, "mcp.llm.response_json", received)
        reason = stop_reason(received)
        set_value(span, "mcp.stop_reason", reason)
        if isinstance(usage, dict):
            for key in ("input_tokens", "output_tokens"):
                if isinstance(usage.get(key), int):
                    put(span, f"mcp.llm.request.{key}", usage[key])
        set_value(span, "gen_ai.response.model", describe(response, "model"))
        set_value(span, "gen_ai.response.id", describe(response, "id"))
        put(span, "mcp.status.code", "ok")
        self.ops.end(REQUEST_OP)

    def on_error_provider_request(self, *, exc: Any = None, **_: Any) -> None:
        if self.ops.current(REQUEST_OP) is not None:
            self.ops.end(REQUEST_OP, error=str(exc) or type(exc).__name__)


def _response_messages(response: Any) -> list[dict[str, Any]]:
    """An OpenAI ChatCompletion's first choice (with its finish reason), or an Anthropic Message."""
    choices = describe(response, "choices")
    if isinstance(choices, list) and choices:
        messages = to_messages(describe(choices[0], "message"), role="assistant")
        reason = describe(choices[0], "finish_reason")
        if messages and isinstance(reason, str):
            messages[-1]["stop_reason"] = reason
        return messages
    return to_messages(response, role="assistant")
