"""LLM token usage of a session, by model, read from its ``llm.generate`` spans (files and live ``span_ended``).

Only ``llm.generate`` spans are summed: they are the inspector's one span per generation and carry its total, while
a provider's own spans (and per-request spans below a generation) may repeat the same tokens. The model is the
response's (``gen_ai.response.model``) when known, else the request's. Costs come from ``_prices``.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ._prices import PriceTable

__all__ = ["LLM_SPAN", "USAGE_NEEDLE", "Usage", "usage_of_line", "usage_of_summary", "usage_row"]

LLM_SPAN = "llm.generate"
USAGE_NEEDLE = b'"gen_ai.usage.'
NAME_NEEDLE = b'"name":"llm.generate"'

#: model -> [input tokens, output tokens, calls]
Usage = dict[str, list[int]]


class _Attrs(msgspec.Struct):
    request_model: str | None = msgspec.field(default=None, name="gen_ai.request.model")
    response_model: str | None = msgspec.field(default=None, name="gen_ai.response.model")
    llm_model: str | None = msgspec.field(default=None, name="mcp.llm.model")
    input_tokens: int | None = msgspec.field(default=None, name="gen_ai.usage.input_tokens")
    output_tokens: int | None = msgspec.field(default=None, name="gen_ai.usage.output_tokens")


class _Span(msgspec.Struct):
    name: str = ""
    attributes: _Attrs = msgspec.field(default_factory=_Attrs)


_decode_span = msgspec.json.Decoder(_Span).decode


def _add(usage: Usage, model: str | None, input_tokens: int | None, output_tokens: int | None) -> None:
    if input_tokens is None and output_tokens is None:
        return
    entry = usage.setdefault(model or "unknown model", [0, 0, 0])
    entry[0] += max(0, input_tokens or 0)
    entry[1] += max(0, output_tokens or 0)
    entry[2] += 1


def usage_of_line(usage: Usage, line: bytes) -> None:
    """Add the tokens of one trace-file span line (cheap for every other line: two substring tests)."""
    if USAGE_NEEDLE not in line or NAME_NEEDLE not in line:
        return
    try:
        span = _decode_span(line)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return
    if span.name != LLM_SPAN:
        return
    a = span.attributes
    _add(usage, a.response_model or a.request_model or a.llm_model, a.input_tokens, a.output_tokens)


def usage_of_summary(usage: Usage, summary: dict[str, Any]) -> None:
    """Add the tokens a ``span_ended`` summary carries (``usage: {model, input_tokens, output_tokens}``)."""
    found = summary.get("usage")
    if summary.get("name") != LLM_SPAN or not isinstance(found, dict):
        return
    tokens = [found.get("input_tokens"), found.get("output_tokens")]
    if not all(t is None or (isinstance(t, int) and not isinstance(t, bool)) for t in tokens):
        return
    model = found.get("model")
    _add(usage, model if isinstance(model, str) else None, tokens[0], tokens[1])


def usage_row(usage: Usage | None, prices: PriceTable) -> dict[str, Any] | None:
    """The ``usage`` of a ``GET /sessions`` row: totals, cost (None when a model has no price), per model."""
    if not usage:
        return None
    models: dict[str, Any] = {}
    unpriced: list[str] = []
    total_cost = 0.0
    for model, (inp, out, calls) in sorted(usage.items()):
        cost = prices.cost(model, inp, out)
        if cost is None:
            unpriced.append(model)
        else:
            total_cost += cost
        models[model] = {"input_tokens": inp, "output_tokens": out, "calls": calls, "cost_usd": cost}
    return {
        "input_tokens": sum(u[0] for u in usage.values()),
        "output_tokens": sum(u[1] for u in usage.values()),
        "cost_usd": None if unpriced else round(total_cost, 8),
        "unpriced": unpriced,
        "models": models,
    }
