"""What the ``span_started``/``span_ended`` hooks carry about a span."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import StatusCode

from ._jsonl import iso_ns, span_ids

_STATUS_NAMES = {StatusCode.OK: "OK", StatusCode.ERROR: "ERROR"}


def started_summary(span: ReadableSpan) -> dict[str, Any]:
    """Ids, name and start time."""
    trace_id, span_id, parent_id = span_ids(span)
    return {
        "trace_id": trace_id,
        "span_id": span_id,
        "parent_span_id": parent_id,
        "name": span.name,
        "start_time": iso_ns(span.start_time or 0),
    }


def ended_summary(span: ReadableSpan) -> dict[str, Any]:
    """``started_summary`` with end time, status, duration and, for an LLM span, its ``usage``."""
    start = span.start_time or 0
    end = span.end_time or start
    summary = started_summary(span)
    summary.update(
        end_time=iso_ns(end),
        status=_STATUS_NAMES.get(span.status.status_code, "UNSET"),
        duration_ms=(end - start) / 1e6,
    )
    usage = _usage(span)
    if usage is not None:
        summary["usage"] = usage
    return summary


def _usage(span: ReadableSpan) -> dict[str, Any] | None:
    """The tokens of an ``llm.generate`` span, for live totals: ``{model, input_tokens, output_tokens}``."""
    attrs = span.attributes or {}
    if span.name != "llm.generate" or (
        "gen_ai.usage.input_tokens" not in attrs and "gen_ai.usage.output_tokens" not in attrs
    ):
        return None
    model = attrs.get("gen_ai.response.model") or attrs.get("gen_ai.request.model") or attrs.get("mcp.llm.model")
    return {
        "model": model if isinstance(model, str) else None,
        "input_tokens": attrs.get("gen_ai.usage.input_tokens"),
        "output_tokens": attrs.get("gen_ai.usage.output_tokens"),
    }
