"""Each provider request of a generation: ``before/after_provider_request``.

A provider's ``generate`` loops: request, tool calls, request again... mcp-agent 0.2.6's OpenAI and Anthropic classes
(and their subclasses) call ``_annotate_span_for_completion_request(span, request, i)`` right before each request goes
to the executor and ``_annotate_span_for_completion_response(span, response, i)`` right after its answer: wrapping
those two (sync) methods reports every request with what was sent, what came back and its token usage, without
touching the request itself. A request whose answer is an exception never reaches the second method; the subscriber
closes it when the generation ends.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from inspector_hooks import hooks

from ._patcher import Patcher, safe
from ._replay import replaying

__all__ = ["REQUEST_METHODS", "patch_requests"]

REQUEST_METHODS = ("_annotate_span_for_completion_request", "_annotate_span_for_completion_response")


def _payload(request: Any) -> Any:
    """What goes to the provider: the request's payload (model, messages, system, tools...)."""
    payload = getattr(request, "payload", None)
    return payload if payload is not None else request


def _usage(response: Any) -> dict[str, int] | None:
    usage = getattr(response, "usage", None)
    if usage is None:
        return None
    tokens_in = getattr(usage, "input_tokens", None)
    tokens_out = getattr(usage, "output_tokens", None)
    if tokens_in is None:
        tokens_in = getattr(usage, "prompt_tokens", None)
    if tokens_out is None:
        tokens_out = getattr(usage, "completion_tokens", None)
    found = {k: v for k, v in (("input_tokens", tokens_in), ("output_tokens", tokens_out)) if isinstance(v, int)}
    return found or None


def _wrap_request(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def annotate_request(self: Any, span: Any, request: Any, turn: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, span, request, turn, *args, **kwargs)
        if hooks.before_provider_request and not replaying():
            hooks.before_provider_request.emit(
                llm=self, request=safe("request payload", _payload, request), iteration=turn
            )
        return result

    return annotate_request


def _wrap_response(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def annotate_response(self: Any, span: Any, response: Any, turn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, span, response, turn, *args, **kwargs)
        finally:
            if hooks.after_provider_request and not replaying():
                hooks.after_provider_request.emit(
                    llm=self, request=None, response=response, usage=safe("usage", _usage, response), iteration=turn
                )

    return annotate_response


def patch_requests(patcher: Patcher, cls: type) -> None:
    """Wrap the two annotate methods where ``cls`` defines them itself (called for every AugmentedLLM subclass)."""
    for name, wrap in zip(REQUEST_METHODS, (_wrap_request, _wrap_response), strict=True):
        if callable(cls.__dict__.get(name)):
            patcher.patch(cls, name, wrap)
