"""Subscribers for operations: agent calls, LLM generations, tool calls, resource reads and prompt gets.

Each ``before_*`` opens a span of ours (``agent.call``, ``llm.generate``, ``tool.call``, ``resource.fetch``,
``prompt.apply``) and makes it current, so the span mcp-agent opens for the operation becomes its child; the
matching ``after_*``/``error_*`` fills in the results and ends it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opentelemetry.trace import Span, SpanKind

from ._attrs import put, set_json, set_text, set_value
from ._messages import stop_reason, to_messages
from ._spans import Operations, current_span, describe, record_error

GENERATION_MODEL_KEYS = ("mcp.llm.model", "gen_ai.request.model", "llm.model_name")
"""The model of an ``llm.generate`` span, under each convention's key (set again by its provider requests)."""


class OperationSubscribers:
    """Mixin of ``Subscribers``: needs ``self.ops``."""

    ops: Operations

    def note_member(self, kind: str, name: Any, span: Span) -> None:
        """A span of an agent call or function tool began (the pattern subscribers link pattern rows to it)."""

    def operation_table(self) -> dict[str, Callable[..., None]]:
        """Hook name → subscriber, for the agent, LLM, tool, resource and prompt hooks."""
        return {
            "before_agent_call": self.on_before_agent_call,
            "after_agent_call": self.on_after_agent_call,
            "error_agent_call": self.on_error_agent_call,
            "before_llm_generate": self.on_before_llm_generate,
            "after_llm_generate": self.on_after_llm_generate,
            "error_llm_generate": self.on_error_llm_generate,
            "before_tool_call": self.on_before_tool_call,
            "after_tool_call": self.on_after_tool_call,
            "error_tool_call": self.on_error_tool_call,
            "tool_resolved": self.on_tool_resolved,
            "before_resource_fetch": self.on_before_resource_fetch,
            "after_resource_fetch": self.on_after_resource_fetch,
            "error_resource_fetch": self.on_error_resource_fetch,
            "before_prompt_apply": self.on_before_prompt_apply,
            "after_prompt_apply": self.on_after_prompt_apply,
            "error_prompt_apply": self.on_error_prompt_apply,
        }

    # ---- agents -----------------------------------------------------------------------------------------------
    def on_before_agent_call(self, *, agent: Any = None, **_: Any) -> None:
        span = self.ops.begin("agent", "agent.call")
        put(span, "gen_ai.operation.name", "invoke_agent")
        set_value(span, "mcp.agent.name", describe(agent, "name"))
        set_value(span, "gen_ai.agent.name", describe(agent, "name"))
        put(span, "mcp.agent.class", type(agent).__name__)
        put(span, "openinference.span.kind", "AGENT")
        self.note_member("agent", describe(agent, "name"), span)

    def on_after_agent_call(self, **_: Any) -> None:
        span = self.ops.current("agent")
        if span is not None:
            put(span, "mcp.status.code", "ok")
            self.ops.end("agent")

    def on_error_agent_call(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current("agent")
        if span is not None:
            record_error(span, exc)
            self.ops.end("agent")

    # ---- LLM --------------------------------------------------------------------------------------------------
    def on_before_llm_generate(self, *, llm: Any = None, prompt: Any = None, **_: Any) -> None:
        span = self.ops.begin("llm", "llm.generate", kind=SpanKind.CLIENT)
        set_value(span, "gen_ai.agent.name", describe(describe(llm, "agent"), "name") or describe(llm, "name"))
        provider = describe(llm, "provider")
        model = describe(describe(llm, "default_request_params"), "model") or describe(llm, "model")
        set_value(span, "mcp.llm.provider", provider)
        set_value(span, "gen_ai.provider.name", provider)
        set_value(span, "llm.provider", provider)
        for key in GENERATION_MODEL_KEYS:
            set_value(span, key, model)
        put(span, "gen_ai.operation.name", "chat")
        put(span, "openinference.span.kind", "LLM")
        # last: the short keys come first in the file, where a reader scanning the line finds them sooner
        set_json(span, "mcp.llm.prompt_json", to_messages(prompt))

    def on_after_llm_generate(self, *, response: Any = None, usage: Any = None, **_: Any) -> None:
        span = self.ops.current("llm")
        if span is None:
            return
        messages = to_messages(response, role="assistant")
        set_json(span, "mcp.llm.response_json", messages)
        reason = stop_reason(messages)
        set_value(span, "mcp.stop_reason", reason)
        if reason:
            put(span, "gen_ai.response.finish_reasons", [reason])
        tokens_in = _usage(usage, "input_tokens", "prompt_tokens")
        tokens_out = _usage(usage, "output_tokens", "completion_tokens")
        if tokens_in is not None:
            put(span, "gen_ai.usage.input_tokens", tokens_in)
            put(span, "llm.token_count.prompt", tokens_in)
        if tokens_out is not None:
            put(span, "gen_ai.usage.output_tokens", tokens_out)
            put(span, "llm.token_count.completion", tokens_out)
        if tokens_in is not None and tokens_out is not None:
            put(span, "llm.token_count.total", tokens_in + tokens_out)
        put(span, "mcp.status.code", "ok")
        self.ops.end("llm")

    def on_error_llm_generate(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current("llm")
        if span is not None:
            record_error(span, exc)
            self.ops.end("llm")

    # ---- tools ------------------------------------------------------------------------------------------------
    def on_before_tool_call(self, *, tool_name: Any = None, args: Any = None, **extra: Any) -> None:
        span = self.ops.begin("tool", "tool.call")
        set_value(span, "mcp.tool.server_name", extra.get("server_name"))
        set_value(span, "mcp.tool.kind", extra.get("tool_kind"))
        set_value(span, "mcp.agent.name", describe(extra.get("agent"), "name"))
        set_value(span, "mcp.tool.name", tool_name)
        set_value(span, "gen_ai.tool.name", tool_name)
        set_value(span, "tool.name", tool_name)
        set_value(span, "gen_ai.tool.call.id", extra.get("tool_call_id"))
        put(span, "gen_ai.operation.name", "execute_tool")
        put(span, "openinference.span.kind", "TOOL")
        set_json(span, "mcp.tool.input_json", args if args is not None else {}, also=("input.value",))
        put(span, "input.mime_type", "application/json")
        _aggregator(span, tool_name, extra)
        if extra.get("tool_kind") == "function":
            self.note_member("function", tool_name, span)

    def on_after_tool_call(self, *, tool_name: Any = None, result: Any = None, **extra: Any) -> None:
        span = self.ops.current("tool")
        if span is None:
            return
        is_error = bool(describe(result, "isError"))
        content = describe(result, "content")
        output = {"isError": is_error, "content": content if content is not None else result}
        set_json(span, "mcp.tool.output_json", output, also=("output.value",))
        put(span, "output.mime_type", "application/json")
        structured = describe(result, "structuredContent")
        if structured is not None:
            set_json(span, "mcp.tool.structured_output_json", structured)
        if is_error:
            put(span, "mcp.status.code", "error")
            put(span, "error.type", "tool_error")
        else:
            put(span, "mcp.status.code", "ok")
        _aggregator(span, tool_name, extra)
        self.ops.end("tool", error="tool returned isError" if is_error else None)

    def on_error_tool_call(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current("tool")
        if span is not None:
            record_error(span, exc)
            self.ops.end("tool")

    def on_tool_resolved(self, *, tool_name: Any = None, **extra: Any) -> None:
        span = self.ops.current("tool") or current_span()
        if span is not None:
            _aggregator(span, tool_name, extra, force=True)

    # ---- resources and prompts --------------------------------------------------------------------------------
    def on_before_resource_fetch(self, *, uri: Any = None, **_: Any) -> None:
        span = self.ops.begin("resource", "resource.fetch")
        set_text(span, "mcp.resource.uri", uri)
        put(span, "openinference.span.kind", "RETRIEVER")

    def on_after_resource_fetch(self, *, uri: Any = None, content: Any = None, mime_type: Any = None, **_: Any) -> None:
        span = self.ops.current("resource")
        if span is None:
            return
        set_text(span, "mcp.resource.uri", uri)
        set_value(span, "mcp.resource.mime_type", mime_type if isinstance(mime_type, str) else None)
        size = _size(content)
        if size is not None:
            put(span, "mcp.resource.bytes", size)
        if content is not None:  # the content on the fetch span itself, not only on its child RPC span (issue 16)
            set_json(span, "mcp.resource.content_json", content, also=("output.value",))
        put(span, "mcp.status.code", "ok")
        self.ops.end("resource")

    def on_error_resource_fetch(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current("resource")
        if span is not None:
            record_error(span, exc)
            self.ops.end("resource")

    def on_before_prompt_apply(self, *, template_id: Any = None, parameters: Any = None, **_: Any) -> None:
        span = self.ops.begin("prompt", "prompt.apply")
        set_text(span, "mcp.prompt.template_id", template_id)
        set_text(span, "gen_ai.prompt.name", template_id)
        set_json(
            span,
            "mcp.prompt.parameters_json",
            parameters if parameters is not None else {},
            also=("llm.prompt_template.variables",),
        )
        put(span, "openinference.span.kind", "PROMPT")

    def on_after_prompt_apply(self, **_: Any) -> None:
        span = self.ops.current("prompt")
        if span is not None:
            put(span, "mcp.status.code", "ok")
            self.ops.end("prompt")

    def on_error_prompt_apply(self, *, exc: Any = None, **_: Any) -> None:
        span = self.ops.current("prompt")
        if span is not None:
            record_error(span, exc)
            self.ops.end("prompt")


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
        put(span, "mcp.aggregator.resolution_time_ms", float(ms))
