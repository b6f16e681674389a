"""Hook subscribers: hooks → ``mcp.*`` (and standard GenAI/OpenInference) attributes and the spans mcp-agent lacks.

``Subscribers(processor, spans).table()`` maps hook name → subscriber; ``install()`` registers them all. This
module holds the session and workflow subscribers; operations (agent, LLM, tool, resource, prompt) are in
``_operations.py``, the wire (JSON-RPC, transport, progress, model selection) in ``_wire.py``. Every subscriber
is exception-safe on its own (the bus also logs and swallows failures).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from opentelemetry.trace import SpanKind

from inspector_hooks import context as session_context

from ._attrs import cut, put, set_json, set_text, set_value, to_json_text
from ._operations import OperationSubscribers
from ._patterns import PatternSubscribers
from ._requests import RequestSubscribers
from ._sampling import SamplingSubscribers
from ._spans import OpenSpans, Operations, current_span, describe, record_error
from ._wire import WireSubscribers
from .exporter import TraceFileProcessor

logger = logging.getLogger(__name__)

Subscriber = Callable[..., None]

#: mcp-agent's own waits (every workflow run waits on "cancel"): not a pause a reader of the file should see
INTERNAL_SIGNALS = frozenset({"cancel"})


def _safe(fn: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(fn)
    def wrapper(**kwargs: Any) -> None:
        try:
            fn(**kwargs)
        except Exception:
            logger.warning("inspector subscriber %s failed", fn.__name__, exc_info=True)

    return wrapper


class Subscribers(PatternSubscribers, OperationSubscribers, RequestSubscribers, SamplingSubscribers, WireSubscribers):
    """The subscriber functions, bound to one processor (sessions) and one set of open spans."""

    def __init__(self, processor: TraceFileProcessor | None, spans: OpenSpans) -> None:
        self.processor = processor
        self.spans = spans
        self.ops = Operations(spans)

    def table(self) -> dict[str, Subscriber]:
        """Hook name → exception-safe subscriber: the explicit tables of sessions/workflows, operations and wire."""
        found = {
            **self.session_table(),
            **self.operation_table(),
            **self.pattern_table(),
            **self.request_table(),
            **self.sampling_table(),
            **self.wire_table(),
        }
        return {name: _safe(fn) for name, fn in sorted(found.items())}

    def session_table(self) -> dict[str, Subscriber]:
        """Hook name → subscriber, for the session and workflow-run hooks."""
        return {
            "session_started": self.on_session_started,
            "session_finished": self.on_session_finished,
            "session_paused": self.on_session_paused,
            "session_resumed": self.on_session_resumed,
            "before_workflow_run": self.on_before_workflow_run,
            "after_workflow_run": self.on_after_workflow_run,
            "error_workflow_run": self.on_error_workflow_run,
        }

    # ---- sessions ---------------------------------------------------------------------------------------------
    def on_session_started(self, *, session_id: Any = None, metadata: Any = None, **_: Any) -> None:
        meta = metadata if isinstance(metadata, dict) else {}
        if self.processor is not None and isinstance(session_id, str):
            self.processor.session_started(session_id, meta)
        if meta.get("workflow_type") or not isinstance(session_id, str):
            return  # a workflow run: its span comes from before_workflow_run
        engine = str(meta.get("engine") or "asyncio")
        if engine == "mcp-inbound":
            method = meta.get("request_method")
            span = self.spans.begin(("session", session_id), str(method or "mcp.inbound"), kind=SpanKind.SERVER)
            put(span, "mcp.rpc.direction", "inbound")
            set_value(span, "mcp.method.name", method)
            set_value(span, "mcp.rpc.method", method)
            set_value(span, "mcp.request_id", session_id)
        else:
            span = self.spans.begin(("session", session_id), f"session {meta.get('title') or session_id}")
            set_value(span, "gen_ai.agent.name", meta.get("app_name"))
        put(span, "mcp.engine.type", engine)
        set_value(span, "mcp.session.title", meta.get("title"))
        set_value(span, "mcp.session.parent_id", meta.get("parent_session_id"))
        put(span, "openinference.span.kind", "CHAIN")

    def on_session_finished(self, *, session_id: Any = None, status: Any = None, error: Any = None, **_: Any) -> None:
        span = self.spans.get(("session", session_id))
        if span is not None:
            if status == "completed":
                put(span, "mcp.status.code", "ok")
                self.spans.end(("session", session_id))
            else:
                code = "CANCELLED" if status == "cancelled" else "SERVER_ERROR"
                put(span, "mcp.status.code", "error")
                put(span, "mcp.error.code", code)
                set_text(span, "mcp.error.message", error or status)
                self.spans.end(("session", session_id), error=str(error or status))
        if self.processor is not None and isinstance(session_id, str):
            self.processor.session_finished(session_id, status, error)

    def on_session_paused(
        self, *, session_id: Any = None, signal_name: Any = None, prompt: Any = None, schema: Any = None, **_: Any
    ) -> None:
        span = current_span()
        if span is not None:
            span.add_event("session.paused", {"signal_name": str(signal_name), "prompt": str(prompt or "")})
            put(span, "mcp.session.paused", True)
        if self.processor is not None and isinstance(session_id, str) and signal_name not in INTERNAL_SIGNALS:
            self.processor.session_paused(
                session_id,
                signal_name if isinstance(signal_name, str) else None,
                prompt if isinstance(prompt, str) else None,
                schema if isinstance(schema, dict) else None,
            )

    def on_session_resumed(
        self, *, session_id: Any = None, signal_name: Any = None, payload: Any = None, action: Any = None, **_: Any
    ) -> None:
        text, truncated = cut(to_json_text(payload))
        action = action if isinstance(action, str) else None
        span = current_span()
        if span is not None:
            event = {"signal_name": str(signal_name), "payload_json": text}
            if action is not None:
                event["action"] = action
            span.add_event("session.resumed", event)
            put(span, "mcp.session.paused", False)
        if self.processor is not None and isinstance(session_id, str) and signal_name not in INTERNAL_SIGNALS:
            answer = text if truncated else json.loads(text)
            name = signal_name if isinstance(signal_name, str) else None
            self.processor.session_resumed(session_id, name, answer, action)

    # ---- workflows --------------------------------------------------------------------------------------------
    def on_before_workflow_run(self, *, workflow: Any = None, context: Any = None, **extra: Any) -> None:
        if isinstance(extra.get("workflow_type"), str):
            self.begin_pattern(workflow, extra["workflow_type"], extra.get("input"))
            return
        wtype = type(workflow).__name__ if workflow is not None else "workflow"
        name = describe(workflow, "name") or wtype
        sid = session_context.get()
        span = self.spans.begin(("workflow", id(workflow)), "workflow.run", handoff_session=sid or None)
        put(span, "mcp.workflow.type", wtype)
        put(span, "gen_ai.operation.name", "invoke_workflow")
        set_value(span, "gen_ai.workflow.name", str(name))
        put(span, "openinference.span.kind", "CHAIN")
        set_value(span, "mcp.workflow.id", extra.get("workflow_id") or describe(workflow, "id", "_workflow_id"))
        set_value(span, "run.id", describe(workflow, "run_id", "_run_id"))
        inputs = _first(extra, "input", "inputs", "kwargs", "args")
        if inputs is not None:
            set_json(span, "mcp.workflow.input_json", inputs, also=("input.value",))
            put(span, "input.mime_type", "application/json")

    def on_after_workflow_run(self, *, workflow: Any = None, result: Any = None, **extra: Any) -> None:
        if isinstance(extra.get("workflow_type"), str):
            self.end_pattern(result=result)
            return
        span = self.spans.get(("workflow", id(workflow)))
        if span is None:
            return
        value = describe(result, "value") if type(result).__name__ == "WorkflowResult" else result
        set_json(span, "mcp.workflow.output_json", value, also=("output.value",))
        put(span, "output.mime_type", "application/json")
        put(span, "mcp.status.code", "ok")
        self.spans.end(("workflow", id(workflow)))

    def on_error_workflow_run(self, *, workflow: Any = None, exc: Any = None, **extra: Any) -> None:
        if isinstance(extra.get("workflow_type"), str):
            self.end_pattern(exc=exc)
            return
        span = self.spans.get(("workflow", id(workflow)))
        if span is None:
            return
        record_error(span, exc, set_status=False)
        self.spans.end(("workflow", id(workflow)), error=str(exc) or type(exc).__name__)


def _first(mapping: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if mapping.get(key) is not None:
            return mapping[key]
    return None
