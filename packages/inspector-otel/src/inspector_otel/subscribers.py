"""Hook subscribers: hooks → ``mcp.*`` (and standard GenAI/OpenInference) attributes and missing spans.

Each subscriber enriches the span that is current when its hook fires (the span mcp-agent opened for the
operation), except for workflow runs and sessions, for which it opens and ends spans of its own (``_spans.py``).
Every subscriber is exception-safe on its own (the bus also logs and swallows failures).

``SUBSCRIBERS`` maps hook name → subscriber; ``install()`` registers them all.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from inspector_hooks import context as session_context

from ._attrs import MAX_ATTRIBUTE_CHARS, set_json, set_text, set_value, to_json_text
from ._messages import stop_reason, to_messages
from ._spans import OpenSpans, Operations, describe, status_of
from .exporter import TraceFileProcessor

logger = logging.getLogger(__name__)

Subscriber = Callable[..., None]
_NETWORK = {"stdio": "pipe", "sse": "tcp", "http": "tcp", "streamable_http": "tcp", "websocket": "tcp"}


def _current() -> Span | None:
    span = trace.get_current_span()
    return span if span.is_recording() else None


def _safe(fn: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(fn)
    def wrapper(**kwargs: Any) -> None:
        try:
            fn(**kwargs)
        except Exception:
            logger.warning("inspector subscriber %s failed", fn.__name__, exc_info=True)

    return wrapper


def _error(span: Span, exc: Any, *, set_status: bool = True) -> None:
    if isinstance(exc, BaseException):
        code, message = status_of(exc)
        error_type = type(exc).__qualname__
    else:
        code, message, error_type = "SERVER_ERROR", str(exc), "error"
    span.set_attribute("mcp.status.code", "error")
    span.set_attribute("mcp.error.code", code)
    set_text(span, "mcp.error.message", message)
    span.set_attribute("error.type", error_type)
    if set_status:
        span.set_status(Status(StatusCode.ERROR, message))


class Subscribers:
    """The subscriber functions, bound to one processor (sessions) and one set of open spans."""

    def __init__(self, processor: TraceFileProcessor | None, spans: OpenSpans) -> None:
        self.processor = processor
        self.spans = spans
        self.ops = Operations(spans)

    def table(self) -> dict[str, Subscriber]:
        names = [n for n in dir(self) if n.startswith("on_")]
        return {n[3:]: _safe(getattr(self, n)) for n in sorted(names)}

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
            span.set_attribute("mcp.rpc.direction", "inbound")
            set_value(span, "mcp.method.name", method)
            set_value(span, "mcp.rpc.method", method)
            set_value(span, "mcp.request_id", session_id)
        else:
            span = self.spans.begin(("session", session_id), f"session {meta.get('title') or session_id}")
            set_value(span, "gen_ai.agent.name", meta.get("app_name"))
        span.set_attribute("mcp.engine.type", engine)
        set_value(span, "mcp.session.title", meta.get("title"))
        set_value(span, "mcp.session.parent_id", meta.get("parent_session_id"))
        span.set_attribute("openinference.span.kind", "CHAIN")

    def on_session_finished(self, *, session_id: Any = None, status: Any = None, error: Any = None, **_: Any) -> None:
        span = self.spans.get(("session", session_id))
        if span is not None:
            if status == "completed":
                span.set_attribute("mcp.status.code", "ok")
                self.spans.end(("session", session_id))
            else:
                code = "CANCELLED" if status == "cancelled" else "SERVER_ERROR"
                span.set_attribute("mcp.status.code", "error")
                span.set_attribute("mcp.error.code", code)
                set_text(span, "mcp.error.message", error or status)
                self.spans.end(("session", session_id), error=str(error or status))
        if self.processor is not None and isinstance(session_id, str):
            self.processor.session_finished(session_id, status, error)

    def on_session_paused(
        self, *, session_id: Any = None, signal_name: Any = None, prompt: Any = None, **_: Any
    ) -> None:
        span = _current()
        if span is not None:
            span.add_event("session.paused", {"signal_name": str(signal_name), "prompt": str(prompt or "")})
            span.set_attribute("mcp.session.paused", True)

    def on_session_resumed(
        self, *, session_id: Any = None, signal_name: Any = None, payload: Any = None, **_: Any
    ) -> None:
        span = _current()
        if span is not None:
            text = to_json_text(payload)[:MAX_ATTRIBUTE_CHARS]
            span.add_event("session.resumed", {"signal_name": str(signal_name), "payload_json": text})
            span.set_attribute("mcp.session.paused", False)

    # ---- workflows --------------------------------------------------------------------------------------------
    def on_before_workflow_run(self, *, workflow: Any = None, context: Any = None, **extra: Any) -> None:
        wtype = type(workflow).__name__ if workflow is not None else "workflow"
        name = describe(workflow, "name") or wtype
        sid = session_context.get()
        span = self.spans.begin(("workflow", id(workflow)), "workflow.run", handoff_session=sid or None)
        span.set_attribute("mcp.workflow.type", wtype)
        span.set_attribute("gen_ai.operation.name", "invoke_workflow")
        set_value(span, "gen_ai.workflow.name", str(name))
        span.set_attribute("openinference.span.kind", "CHAIN")
        set_value(span, "mcp.workflow.id", describe(workflow, "id", "_workflow_id"))
        set_value(span, "run.id", describe(workflow, "run_id", "_run_id"))
        inputs = _first(extra, "input", "inputs", "kwargs", "args")
        if inputs is not None:
            set_json(span, "mcp.workflow.input_json", inputs)
            set_json(span, "input.value", inputs)
            span.set_attribute("input.mime_type", "application/json")

    def on_after_workflow_run(self, *, workflow: Any = None, result: Any = None, **_: Any) -> None:
        span = self.spans.get(("workflow", id(workflow)))
        if span is None:
            return
        value = describe(result, "value") if type(result).__name__ == "WorkflowResult" else result
        set_json(span, "mcp.workflow.output_json", value)
        set_json(span, "output.value", value)
        span.set_attribute("output.mime_type", "application/json")
        span.set_attribute("mcp.status.code", "ok")
        self.spans.end(("workflow", id(workflow)))

    def on_error_workflow_run(self, *, workflow: Any = None, exc: Any = None, **_: Any) -> None:
        span = self.spans.get(("workflow", id(workflow)))
        if span is None:
            return
        _error(span, exc, set_status=False)
        self.spans.end(("workflow", id(workflow)), error=str(exc) or type(exc).__name__)

    # ---- agents -----------------------------------------------------------------------------------------------
    def on_before_agent_call(self, *, agent: Any = None, **_: Any) -> None:
        span = self.ops.begin("agent", "agent.call")
        span.set_attribute("gen_ai.operation.name", "invoke_agent")
        set_value(span, "mcp.agent.name", describe(agent, "name"))
        set_value(span, "gen_ai.agent.name", describe(agent, "name"))
        span.set_attribute("mcp.agent.class", type(agent).__name__)
        span.set_attribute("openinference.span.kind", "AGENT")

    def on_after_agent_call(self, **_: Any) -> None:
        span = self.ops.current("agent")
        if span is not None:
            span.set_attribute("mcp.status.code", "ok")
            self.ops.end("agent")

    def on_error_agent_call(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current("agent")
        if span is not None:
            _error(span, exc)
            self.ops.end("agent")

    # ---- LLM --------------------------------------------------------------------------------------------------
    def on_before_llm_generate(self, *, llm: Any = None, prompt: Any = None, **_: Any) -> None:
        span = self.ops.begin("llm", "llm.generate", kind=SpanKind.CLIENT)
        set_value(span, "gen_ai.agent.name", describe(describe(llm, "agent"), "name") or describe(llm, "name"))
        set_json(span, "mcp.llm.prompt_json", to_messages(prompt))
        provider = describe(llm, "provider")
        model = describe(describe(llm, "default_request_params"), "model") or describe(llm, "model")
        set_value(span, "mcp.llm.provider", provider)
        set_value(span, "gen_ai.provider.name", provider)
        set_value(span, "llm.provider", provider)
        set_value(span, "mcp.llm.model", model)
        set_value(span, "gen_ai.request.model", model)
        set_value(span, "llm.model_name", model)
        span.set_attribute("gen_ai.operation.name", "chat")
        span.set_attribute("openinference.span.kind", "LLM")

    def on_after_llm_generate(self, *, response: Any = None, usage: Any = None, **_: Any) -> None:
        span = self.ops.current("llm")
        if span is None:
            return
        messages = to_messages(response)
        set_json(span, "mcp.llm.response_json", messages)
        reason = stop_reason(messages)
        set_value(span, "mcp.stop_reason", reason)
        if reason:
            span.set_attribute("gen_ai.response.finish_reasons", [reason])
        tokens_in = _usage(usage, "input_tokens", "prompt_tokens")
        tokens_out = _usage(usage, "output_tokens", "completion_tokens")
        if tokens_in is not None:
            span.set_attribute("gen_ai.usage.input_tokens", tokens_in)
            span.set_attribute("llm.token_count.prompt", tokens_in)
        if tokens_out is not None:
            span.set_attribute("gen_ai.usage.output_tokens", tokens_out)
            span.set_attribute("llm.token_count.completion", tokens_out)
        if tokens_in is not None and tokens_out is not None:
            span.set_attribute("llm.token_count.total", tokens_in + tokens_out)
        span.set_attribute("mcp.status.code", "ok")
        self.ops.end("llm")

    def on_error_llm_generate(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current("llm")
        if span is not None:
            _error(span, exc)
            self.ops.end("llm")

    # ---- tools ------------------------------------------------------------------------------------------------
    def on_before_tool_call(self, *, tool_name: Any = None, args: Any = None, **extra: Any) -> None:
        span = self.ops.begin("tool", "tool.call")
        set_value(span, "mcp.tool.server_name", extra.get("server_name"))
        set_value(span, "mcp.tool.name", tool_name)
        set_value(span, "gen_ai.tool.name", tool_name)
        set_value(span, "tool.name", tool_name)
        set_value(span, "gen_ai.tool.call.id", extra.get("tool_call_id"))
        span.set_attribute("gen_ai.operation.name", "execute_tool")
        span.set_attribute("openinference.span.kind", "TOOL")
        set_json(span, "mcp.tool.input_json", args if args is not None else {})
        set_json(span, "input.value", args if args is not None else {})
        span.set_attribute("input.mime_type", "application/json")
        _aggregator(span, tool_name, extra)

    def on_after_tool_call(self, *, tool_name: Any = None, result: Any = None, **extra: Any) -> None:
        span = self.ops.current("tool")
        if span is None:
            return
        is_error = bool(describe(result, "isError"))
        content = describe(result, "content")
        output = {"isError": is_error, "content": content if content is not None else result}
        set_json(span, "mcp.tool.output_json", output)
        set_json(span, "output.value", output)
        span.set_attribute("output.mime_type", "application/json")
        structured = describe(result, "structuredContent")
        if structured is not None:
            set_json(span, "mcp.tool.structured_output_json", structured)
        if is_error:
            span.set_attribute("mcp.status.code", "error")
            span.set_attribute("error.type", "tool_error")
        else:
            span.set_attribute("mcp.status.code", "ok")
        _aggregator(span, tool_name, extra)
        self.ops.end("tool", error="tool returned isError" if is_error else None)

    def on_error_tool_call(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current("tool")
        if span is not None:
            _error(span, exc)
            self.ops.end("tool")

    def on_tool_resolved(self, *, tool_name: Any = None, **extra: Any) -> None:
        span = self.ops.current("tool") or _current()
        if span is not None:
            _aggregator(span, tool_name, extra, force=True)

    # ---- resources and prompts --------------------------------------------------------------------------------
    def on_before_resource_fetch(self, *, uri: Any = None, **_: Any) -> None:
        span = self.ops.begin("resource", "resource.fetch")
        set_text(span, "mcp.resource.uri", uri)
        span.set_attribute("openinference.span.kind", "RETRIEVER")

    def on_after_resource_fetch(self, *, uri: Any = None, content: Any = None, mime_type: Any = None, **_: Any) -> None:
        span = self.ops.current("resource")
        if span is None:
            return
        set_text(span, "mcp.resource.uri", uri)
        set_value(span, "mcp.resource.mime_type", mime_type if isinstance(mime_type, str) else None)
        size = _size(content)
        if size is not None:
            span.set_attribute("mcp.resource.bytes", size)
        span.set_attribute("mcp.status.code", "ok")
        self.ops.end("resource")

    def on_error_resource_fetch(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current("resource")
        if span is not None:
            _error(span, exc)
            self.ops.end("resource")

    def on_before_prompt_apply(self, *, template_id: Any = None, parameters: Any = None, **_: Any) -> None:
        span = self.ops.begin("prompt", "prompt.apply")
        set_text(span, "mcp.prompt.template_id", template_id)
        set_text(span, "gen_ai.prompt.name", template_id)
        set_json(span, "mcp.prompt.parameters_json", parameters if parameters is not None else {})
        set_json(span, "llm.prompt_template.variables", parameters if parameters is not None else {})
        span.set_attribute("openinference.span.kind", "PROMPT")

    def on_after_prompt_apply(self, **_: Any) -> None:
        span = self.ops.current("prompt")
        if span is not None:
            span.set_attribute("mcp.status.code", "ok")
            self.ops.end("prompt")

    def on_error_prompt_apply(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current("prompt")
        if span is not None:
            _error(span, exc)
            self.ops.end("prompt")

    # ---- JSON-RPC ---------------------------------------------------------------------------------------------
    def on_before_rpc_request(self, *, envelope: Any = None, transport: Any = None, **extra: Any) -> None:
        span = _current()
        if span is None:
            return
        env = envelope if isinstance(envelope, dict) else {}
        span.set_attribute("mcp.jsonrpc.version", str(env.get("jsonrpc", "2.0")))
        method = env.get("method")
        set_value(span, "mcp.rpc.method", method)
        set_value(span, "mcp.method.name", method)
        rpc_id = env.get("id", extra.get("request_id"))
        if rpc_id is not None:
            span.set_attribute("mcp.rpc.id", str(rpc_id))
            span.set_attribute("jsonrpc.request.id", str(rpc_id))
        set_json(span, "mcp.rpc.request_json", envelope)
        if isinstance(transport, str):
            span.set_attribute("mcp.rpc.transport", transport)
            span.set_attribute("network.transport", _NETWORK.get(transport, "tcp"))
        span.set_attribute("mcp.rpc.direction", str(extra.get("direction") or "outbound"))
        set_value(span, "mcp.rpc.server_name", extra.get("server_name"))

    def on_after_rpc_response(self, *, envelope: Any = None, duration_ms: Any = None, **_: Any) -> None:
        span = _current()
        if span is None:
            return
        set_json(span, "mcp.rpc.response_json", envelope)
        if isinstance(duration_ms, (int, float)):
            span.set_attribute("mcp.rpc.duration_ms", int(duration_ms))
        span.set_attribute("mcp.transport.status", "connected")
        err = envelope.get("error") if isinstance(envelope, dict) else None
        if isinstance(err, dict):
            span.set_attribute("mcp.status.code", "error")
            set_text(span, "mcp.error.code", err.get("code"))
            set_text(span, "mcp.error.message", err.get("message"))
            set_text(span, "error.type", err.get("code"))
            set_value(span, "rpc.response.status_code", str(err.get("code")))
        else:
            span.set_attribute("mcp.status.code", "ok")

    def on_error_rpc_request(self, *, exc: Any = None, **_: Any) -> None:
        span = _current()
        if span is None:
            return
        _error(span, exc)
        text = str(exc).lower()
        lost = any(w in text for w in ("timeout", "timed out", "connection", "closed"))
        span.set_attribute("mcp.transport.status", "disconnected" if lost else "connected")

    # ---- model selection, progress, transport -----------------------------------------------------------------
    def on_before_model_select(self, *, preferences: Any = None, **_: Any) -> None:
        span = _current()
        if span is not None and preferences is not None:
            set_json(span, "mcp.model.preferences_json", preferences)

    def on_progress_update(
        self, *, operation_id: Any = None, percent: Any = None, message: Any = None, **_: Any
    ) -> None:
        span = _current()
        if span is None:
            return
        set_text(span, "mcp.progress.token", operation_id)
        attrs: dict[str, Any] = {"message": str(message or "")}
        if isinstance(percent, (int, float)):
            attrs["percent"] = float(percent)
        span.add_event("progress", attrs)

    def on_operation_cancelled(self, **_: Any) -> None:
        span = _current()
        if span is not None:
            span.set_attribute("mcp.cancellation.requested", True)

    def on_transport_connected(self, **_: Any) -> None:
        span = _current()
        if span is not None:
            span.set_attribute("mcp.transport.status", "connected")

    def on_transport_disconnected(self, **_: Any) -> None:
        span = _current()
        if span is not None:
            span.set_attribute("mcp.transport.status", "disconnected")

    def on_transport_reconnecting(self, *, attempt: Any = None, **_: Any) -> None:
        span = _current()
        if span is not None:
            span.set_attribute("mcp.transport.status", "reconnecting")
            set_value(span, "mcp.transport.reconnect_count", attempt if isinstance(attempt, int) else None)


def _first(mapping: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if mapping.get(key) is not None:
            return mapping[key]
    return None


def _usage(usage: Any, *names: str) -> int | None:
    for name in names:
        value = usage.get(name) if isinstance(usage, dict) else describe(usage, name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _size(content: Any) -> int | None:
    if isinstance(content, bytes):
        return len(content)
    if isinstance(content, str):
        return len(content.encode("utf-8"))
    contents = describe(content, "contents")
    if isinstance(contents, (list, tuple)):
        total = 0
        for item in contents:
            text = describe(item, "text", "blob")
            if isinstance(text, str):
                total += len(text.encode("utf-8"))
        return total
    return None


def _aggregator(span: Span, tool_name: Any, extra: dict[str, Any], *, force: bool = False) -> None:
    keys = ("candidates", "selected_server", "resolution_time_ms")
    if not force and not any(extra.get(k) is not None for k in keys):
        return
    set_value(span, "mcp.aggregator.tool_name", tool_name)
    candidates = extra.get("candidates")
    if isinstance(candidates, (list, tuple)):
        candidates = len(candidates)
    set_value(span, "mcp.aggregator.candidates", candidates)
    set_value(span, "mcp.aggregator.selected_server", extra.get("selected_server"))
    ms = extra.get("resolution_time_ms")
    if isinstance(ms, (int, float)):
        span.set_attribute("mcp.aggregator.resolution_time_ms", float(ms))
