"""The SDK ``TracerProvider`` that ``install()`` creates when the process has none, and its quieter tracers.

With mcp-agent's OTel off (its default) its spans are no-ops until the inspector sets a real provider; this one
makes them real except for those that would only repeat what is already on the page:

* the **twin** of one of our operation spans: the span mcp-agent opens right inside our ``tool.call``
  (``Agent.{name}.call_tool``), ``llm.generate`` (``{LLM}.{name}.generate``/``generate_str``/
  ``generate_structured``), ``resource.fetch`` (``Agent.{name}.read_resource``) or ``prompt.apply``
  (``Agent.{name}.get_prompt``): same call, same duration, and with OTel off no attribute of its own
  beyond its arguments' reprs;
* mcp-agent's **plumbing**: ``AsyncioExecutor.execute`` (a wrapper around each task the executor runs, whose
  attributes are object reprs) and ``MCPAggregator.get_capabilitites`` (a lookup in a dict).

Such a span is a no-op that is not even made current (the API's ``INVALID_SPAN``, yielded without ``use_span``):
the spans opened inside it hang under its parent, the attributes our subscribers put on "the current span" land
on that parent (for an LLM's model selection: our ``llm.generate``), and errors still reach the spans around it.
Leaving them out takes about 40 % of the spans of the demo's workflows off the agent's thread (each real span
costs the agent tens of microseconds there). Spans of a provider the user set up (or that mcp-agent builds with
``otel.enabled: true``) are never touched: that provider's exporters, and our files, get every span.
"""

from __future__ import annotations

import contextlib
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from ._spans import OWN_SCOPE, current_operation

__all__ = ["PLUMBING_SPANS", "TWIN_SUFFIXES", "InspectorTracerProvider"]

#: mcp-agent span names left out wherever they are opened
PLUMBING_SPANS = frozenset({"AsyncioExecutor.execute", "MCPAggregator.get_capabilitites"})
#: operation (our span) -> name endings of the mcp-agent span that repeats it when opened right inside it
TWIN_SUFFIXES: dict[str, tuple[str, ...]] = {
    "tool": (".call_tool",),
    "llm": (".generate", ".generate_str", ".generate_structured"),
    "resource": (".read_resource",),
    "prompt": (".get_prompt",),
}


class _Quiet(contextlib.ContextDecorator):
    """What ``start_as_current_span`` returns for a quiet span: yields ``INVALID_SPAN``, makes nothing current."""

    def __enter__(self) -> trace.Span:
        return trace.INVALID_SPAN

    def __exit__(self, *exc: object) -> None:
        return None


_QUIET = _Quiet()


def is_quiet(name: str) -> bool:
    """True when a span called ``name``, opened now as the current span, would repeat what is on the page."""
    if name in PLUMBING_SPANS:
        return True
    operation = current_operation()
    if operation is None:
        return False
    op, span = operation
    suffixes = TWIN_SUFFIXES.get(op)
    return suffixes is not None and name.endswith(suffixes) and trace.get_current_span() is span


class QuietTracer(trace.Tracer):
    """A tracer that opens twin and plumbing spans as no-ops (see the module docstring) and delegates the rest."""

    def __init__(self, tracer: trace.Tracer) -> None:
        self.tracer = tracer

    def start_span(self, *args: Any, **kwargs: Any) -> trace.Span:
        return self.tracer.start_span(*args, **kwargs)

    def start_as_current_span(self, name: str, context: Any = None, *args: Any, **kwargs: Any) -> Any:
        if context is None and is_quiet(name):
            return _QUIET
        return self.tracer.start_as_current_span(name, context, *args, **kwargs)


class InspectorTracerProvider(TracerProvider):
    """An SDK ``TracerProvider`` whose tracers (except ours) are :class:`QuietTracer` s.

    ``install()`` creates one and makes it the global provider when the process has no SDK provider yet; pass one
    to ``install(tracer_provider=...)`` to get the same spans with a provider of your own making.
    """

    def get_tracer(self, instrumenting_module_name: str, *args: Any, **kwargs: Any) -> trace.Tracer:
        tracer = super().get_tracer(instrumenting_module_name, *args, **kwargs)
        return tracer if instrumenting_module_name == OWN_SCOPE else QuietTracer(tracer)
