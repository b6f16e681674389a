"""``install()`` / ``uninstall()``: register the subscribers and attach the trace file processor to providers.

Where spans come from in mcp-agent 0.2.6 (``mcp_agent.tracing``):

* ``otel.enabled: false`` (the default): mcp-agent's spans go to the **global** provider
  (``trace.get_tracer("mcp-agent")``). If the global provider is the API's proxy (nobody set one), we set an
  ``InspectorTracerProvider`` (an SDK provider that leaves out mcp-agent's spans that only repeat ours, see
  ``_provider.py``) as global; if the user already set an SDK provider, we add our processor to it, and their
  processors see exactly their spans, as without us (``_user_view.py``).
* ``otel.enabled: true``: ``TracingConfig.configure`` builds one SDK provider **per app** (global only if none was
  set yet). We wrap ``TracingConfig.configure`` so every provider it builds also gets our processor (its exporters
  see none of our spans), and the spans we create go to the latest such provider. If our provider holds the
  global slot, we hand it to mcp-agent for the call, so its app provider becomes global and gets the SDK
  instrumentation's spans (``openai.chat``...) as it does without us. The app's cleanup shuts its
  provider down; our link only flushes then, the files stay open.
* ``install(tracer_provider=p)``: our processor is added to ``p`` (and ``p`` is used for the spans we create);
  ``p``'s processors see our spans too (it was handed to us, not found).
"""

from __future__ import annotations

import atexit
import functools
import logging
import os
import threading
from pathlib import Path
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

import inspector_hooks

from ._provider import InspectorTracerProvider
from ._spans import OpenSpans
from ._user_view import UserView
from .exporter import TraceFileProcessor
from .subscribers import Subscribers

logger = logging.getLogger(__name__)

_lock = threading.RLock()


class _State:
    processor: TraceFileProcessor | None = None
    spans: OpenSpans | None = None
    table: dict[str, Any] = {}
    linked: list[TracerProvider] = []
    patched: tuple[Any, Any] | None = None  # (TracingConfig, original configure)


def install(
    traces_dir: str | os.PathLike[str] | None = None, *, tracer_provider: TracerProvider | None = None
) -> TraceFileProcessor:
    """Register the subscribers and start writing trace files; a second call returns the same processor.

    :param traces_dir: where trace files go (default ``MCP_TRACES_DIR`` or ``~/.mcp_traces``).
    :param tracer_provider: the user's SDK provider to attach to (default: the global one, created if unset).
    """
    with _lock:
        if _State.processor is not None:
            wanted = Path(traces_dir).expanduser() if traces_dir is not None else None
            if wanted is not None and wanted != _State.processor.traces_dir:
                logger.warning(
                    "inspector_otel is already installed writing to %s; ignoring traces_dir=%s",
                    _State.processor.traces_dir,
                    wanted,
                )
            if tracer_provider is not None:
                _link(tracer_provider, hide=False)
            return _State.processor
        processor = TraceFileProcessor(traces_dir)
        spans = OpenSpans()
        _State.processor, _State.spans = processor, spans
        provider = tracer_provider or _global_sdk_provider()
        _link(provider, hide=tracer_provider is None)
        spans.tracer_provider = provider
        processor.adopt = spans.adopt
        processor.set_resource(dict(provider.resource.attributes))
        _patch_mcp_agent()
        _State.table = Subscribers(processor, spans).table()
        for name, fn in _State.table.items():
            inspector_hooks.register(name, fn)
        logger.info("inspector_otel installed; traces in %s", processor.traces_dir)
        return processor


def uninstall() -> None:
    """Unregister the subscribers, unwrap mcp-agent, flush and close every trace file (idempotent)."""
    with _lock:
        processor, spans = _State.processor, _State.spans
        if processor is None:
            return
        for name, fn in _State.table.items():
            inspector_hooks.unregister(name, fn)
        _State.table = {}
        if spans is not None:
            spans.end_all()
        _unpatch_mcp_agent()
        for provider in _State.linked:
            _unlink(provider, processor)
        _State.linked = []
        _State.processor = _State.spans = None
        processor.shutdown()


def installed() -> TraceFileProcessor | None:
    """The processor of the current install, or None."""
    return _State.processor


@atexit.register
def _at_exit() -> None:
    processor, spans = _State.processor, _State.spans
    if spans is not None:
        spans.end_all()  # sessions and runs still open: their spans are written as they are
    if processor is not None:
        processor.shutdown()


def _global_sdk_provider() -> TracerProvider:
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = InspectorTracerProvider(resource=Resource.create({"service.name": "mcp-agent"}))
    trace.set_tracer_provider(provider)
    if trace.get_tracer_provider() is not provider:  # someone set a non-SDK provider first; ours stays private
        logger.warning("global tracer provider is not an SDK provider; mcp-agent spans may not reach trace files")
    return provider


def _link(provider: TracerProvider, *, hide: bool) -> None:
    """Add our processor to ``provider``; ``hide``: keep our spans from the processors it has (a provider found
    global or built by mcp-agent; one passed as ``install(tracer_provider=...)`` is given to us and sees them)."""
    processor = _State.processor
    if processor is None or any(p is provider for p in _State.linked):
        return
    if hide:
        _hide_own_spans(provider)
    provider.add_span_processor(processor.link())
    _State.linked.append(provider)


def _processors(provider: TracerProvider) -> tuple[Any, Any, Any] | None:
    """The provider's multi processor, its processor tuple and its lock (the SDK has no public API for them)."""
    multi = getattr(provider, "_active_span_processor", None)
    procs = getattr(multi, "_span_processors", None)
    lock = getattr(multi, "_lock", None)
    if multi is None or not isinstance(procs, tuple) or lock is None:
        return None
    return multi, procs, lock


def _hide_own_spans(provider: TracerProvider) -> None:
    """Wrap the processors the provider has so far in a :class:`UserView` (see ``_user_view.py``)."""
    found = _processors(provider)
    if found is None:
        return
    multi, procs, lock = found
    with lock:
        if multi._span_processors:
            multi._span_processors = (UserView(multi._span_processors),)


def _unlink(provider: TracerProvider, processor: TraceFileProcessor) -> None:
    # the SDK has no remove_span_processor: rebuild the provider's processor tuple without our links and views
    found = _processors(provider)
    if found is None:
        return
    multi, _, lock = found
    with lock:
        kept: list[Any] = []
        for p in multi._span_processors:
            if isinstance(p, UserView):
                kept.extend(p.inner)
            elif getattr(p, "target", None) is not processor:
                kept.append(p)
        multi._span_processors = tuple(kept)


def _patch_mcp_agent() -> None:
    try:
        from mcp_agent.tracing.tracer import TracingConfig
    except Exception:  # mcp-agent absent or broken: nothing to wrap
        return
    cls, original = TracingConfig, TracingConfig.configure

    @functools.wraps(original)
    async def configure(self: Any, *args: Any, **kwargs: Any) -> Any:
        handed = _hand_over_global(cls)
        try:
            result = await original(self, *args, **kwargs)
        finally:
            if handed is not None:
                _take_back_global(handed)
        try:
            provider = getattr(self, "_tracer_provider", None)
            if isinstance(provider, TracerProvider):
                _link(provider, hide=True)
                if _State.spans is not None:  # our spans go where the app's spans go (the latest app wins)
                    _State.spans.tracer_provider = provider
        except Exception:
            logger.warning("could not attach the trace file processor to mcp-agent's provider", exc_info=True)
        return result

    TracingConfig.configure = configure  # type: ignore[method-assign]
    _State.patched = (TracingConfig, original)


def _hand_over_global(config_cls: Any) -> TracerProvider | None:
    """Give the global provider slot back to mcp-agent before its ``configure`` runs, if we took it.

    Without us, the first app with ``otel.enabled: true`` makes its provider the global one (it checks for the
    API's proxy) and then instruments the OpenAI/Anthropic SDKs against the global provider, so their spans
    (``openai.chat``...) reach the app's exporters. Our ``InspectorTracerProvider`` in that slot would keep both
    from happening; so we empty the slot for the call, and put ours back if mcp-agent did not fill it.
    """
    current = trace.get_tracer_provider()
    if not isinstance(current, InspectorTracerProvider) or getattr(config_cls, "_global_provider_set", True):
        return None
    once = getattr(trace, "_TRACER_PROVIDER_SET_ONCE", None)
    if once is None or not hasattr(once, "_done") or not hasattr(trace, "_TRACER_PROVIDER"):
        return None  # an API without the slot we know: leave it as it is
    with once._lock:
        if trace._TRACER_PROVIDER is not current:
            return None
        trace._TRACER_PROVIDER = None
        once._done = False
    return current


def _take_back_global(ours: TracerProvider) -> None:
    once = trace._TRACER_PROVIDER_SET_ONCE
    with once._lock:
        if trace._TRACER_PROVIDER is None:  # mcp-agent did not set one (OTel off, already configured, an error)
            trace._TRACER_PROVIDER = ours
            once._done = True


def _unpatch_mcp_agent() -> None:
    if _State.patched is not None:
        cls, original = _State.patched
        cls.configure = original
        _State.patched = None
