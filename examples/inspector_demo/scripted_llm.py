"""An offline LLM for mcp-agent 0.2.6: a real ``AugmentedLLM`` whose provider round-trip is a deterministic policy.

Everything but the provider call is mcp-agent's own code: tool calls go
``AugmentedLLM.call_tool -> Agent.call_tool -> executor -> MCPAggregator -> MCP JSON-RPC``, the span names are the
providers' (``ScriptedLLM.<name>.generate``...), token usage goes to ``context.token_counter`` through
``@track_tokens`` and ``record_usage``, and the conversation is kept in ``llm.history``.

Usage::

    from inspector_demo.scripted_llm import ScriptPolicy, ScriptedLLM, ToolCall, scripted_factory

    llm = await agent.attach_llm(scripted_factory(ScriptPolicy([ToolCall("demo_add", {"a": 2, "b": 3})])))
    text = await llm.generate_str("add 2 and 3")          # "tool result was: 5"

    orchestrator = Orchestrator(llm_factory=scripted_factory(), available_agents=[...], context=app.context)
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from mcp.types import CallToolRequest, CallToolRequestParams, CallToolResult, PromptMessage, TextContent
from mcp_agent.executor.executor import AsyncioExecutor
from mcp_agent.tracing.telemetry import get_tracer
from mcp_agent.tracing.token_tracking_decorator import track_tokens
from mcp_agent.workflows.llm.augmented_llm import AugmentedLLM, MessageTypes, RequestParams
from pydantic import BaseModel

from inspector_demo._policy import (
    ChatMessage,
    Message,
    Policy,
    Reply,
    ScriptPolicy,
    Structured,
    Text,
    ToolCall,
    ToolCalls,
    Turn,
    build_structured,
    default_policy,
    normalise,
    structured_json,
)

__all__ = [
    "Message",
    "Policy",
    "Reply",
    "ScriptPolicy",
    "ScriptedLLM",
    "Structured",
    "Text",
    "ToolCall",
    "ToolCalls",
    "Turn",
    "default_policy",
    "scripted_factory",
]

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)
DEFAULT_MODEL = "scripted-1"


class ScriptedLLM(AugmentedLLM[Message, Message]):
    """An ``AugmentedLLM`` that asks ``policy`` instead of a provider; every other step is mcp-agent's."""

    provider = "scripted"

    def __init__(self, *args: Any, policy: Policy | None = None, model: str = DEFAULT_MODEL, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy: Policy = policy or default_policy
        self.model = model
        self.calls = 0
        """Number of generate calls so far (structured and string ones included)."""

    @track_tokens()
    async def generate(self, message: MessageTypes, request_params: RequestParams | None = None) -> list[Message]:
        """Run the scripted tool-call loop and return the assistant messages it produced."""
        return await self._loop(message, request_params, None)

    async def generate_str(self, message: MessageTypes, request_params: RequestParams | None = None) -> str:
        """Like ``generate``, returning the text of the last assistant message."""
        with get_tracer(self.context).start_as_current_span(f"{type(self).__name__}.{self.name}.generate_str") as span:
            responses = await self.generate(message, request_params)
            text = self.message_str(responses[-1]) if responses else ""
            span.set_attribute("response", text)
            return text

    async def generate_structured(  # type: ignore[override]
        self, message: MessageTypes, response_model: type[ModelT], request_params: RequestParams | None = None
    ) -> ModelT:
        """Ask the policy for an object of ``response_model`` (tool calls first if it wants) and validate it."""
        with get_tracer(self.context).start_as_current_span(
            f"{type(self).__name__}.{self.name}.generate_structured"
        ) as span:
            span.set_attribute("response_model", response_model.__name__)
            responses = await self._generate_for_model(message, request_params, response_model)
            text = self.message_str(responses[-1]) if responses else "{}"
            try:
                return response_model.model_validate_json(text)
            except ValueError:
                logger.warning("scripted reply for %s did not validate; using a built one", response_model.__name__)
                return response_model.model_validate(build_structured(response_model, self._turn([], 0, None)))

    @track_tokens()
    async def _generate_for_model(
        self, message: MessageTypes, request_params: RequestParams | None, model: type[BaseModel]
    ) -> list[Message]:
        return await self._loop(message, request_params, model)

    async def _loop(
        self, message: MessageTypes, request_params: RequestParams | None, response_model: type[BaseModel] | None
    ) -> list[Message]:
        tracer = get_tracer(self.context)
        with tracer.start_as_current_span(f"{type(self).__name__}.{self.name}.generate") as span:
            span.set_attribute("gen_ai.agent.name", self.agent.name)
            self._annotate_span_for_generation_message(span, cast(Any, message))
            params = self.get_request_params(request_params)
            model = params.model or self.model
            span.set_attribute("gen_ai.request.model", model)
            messages: list[Message] = list(self.history.get()) if params.use_history else []
            system = self.instruction or params.systemPrompt
            if system and not any(m.get("role") == "system" for m in messages):
                messages.insert(0, {"role": "system", "content": str(system)})
            messages.extend(_to_messages(message))
            tools = await self.agent.list_tools(tool_filter=params.tool_filter)
            tool_names = tuple(tool.name for tool in tools.tools)
            responses: list[Message] = []
            usage_in = usage_out = 0
            call_index = self.calls
            self.calls += 1
            for iteration in range(max(params.max_iterations, 1)):
                turn = self._turn(messages, iteration, response_model, tool_names, call_index)
                reply = await self._ask(turn)
                assistant = _assistant_message(reply, f"call_{call_index}_{iteration}")
                tokens_in = _tokens(json.dumps(messages, default=str))
                tokens_out = _tokens(json.dumps(assistant, default=str))
                usage_in, usage_out = usage_in + tokens_in, usage_out + tokens_out
                if self.context.token_counter:
                    await self.context.token_counter.record_usage(
                        input_tokens=tokens_in, output_tokens=tokens_out, model_name=model, provider=self.provider
                    )
                messages.append(assistant)
                responses.append(assistant)
                if not isinstance(reply, ToolCalls):
                    break
                for n, call in enumerate(reply.calls):
                    call_id = assistant["tool_calls"][n]["id"]
                    result = await self._call(call, call_id)
                    messages.append({"role": "tool", "tool_call_id": call_id, "content": _result_text(result)})
            if params.use_history:
                self.history.set(messages)
            span.set_attribute("gen_ai.usage.input_tokens", usage_in)
            span.set_attribute("gen_ai.usage.output_tokens", usage_out)
            return responses

    def _turn(
        self,
        messages: list[Message],
        iteration: int,
        response_model: type[BaseModel] | None,
        tool_names: tuple[str, ...] = (),
        call_index: int = 0,
    ) -> Turn:
        return Turn(
            llm_name=self.name,
            instruction=self.instruction if isinstance(self.instruction, str) else None,
            messages=tuple(dict(m) for m in messages),
            tool_names=tool_names,
            response_model=response_model,
            iteration=iteration,
            call_index=call_index,
        )

    async def _ask(self, turn: Turn) -> Text | ToolCalls | Structured:
        """The stand-in for the provider round-trip (run as an executor task on the asyncio engine)."""

        async def provider_round_trip(turn: Turn) -> Text | ToolCalls | Structured:
            reply = self.policy(turn)
            if inspect.isawaitable(reply):
                reply = await reply
            if turn.response_model is not None and isinstance(reply, Text):
                return Structured(reply.text)
            return normalise(reply)

        if isinstance(self.executor, AsyncioExecutor):
            result = await self.executor.execute(provider_round_trip, turn)
            if isinstance(result, BaseException):
                raise result
            return cast("Text | ToolCalls | Structured", result)
        return await provider_round_trip(turn)

    async def _call(self, call: ToolCall, call_id: str) -> CallToolResult:
        request = CallToolRequest(
            method="tools/call", params=CallToolRequestParams(name=call.name, arguments=call.arguments)
        )
        return await self.call_tool(request, tool_call_id=call_id)

    def message_param_str(self, message: Message) -> str:
        """The text of an input message."""
        return str(message.get("content") or "")

    def message_str(self, message: Message, content_only: bool = False) -> str:
        """The text of an output message."""
        return str(message.get("content") or "")


def scripted_factory(policy: Policy | None = None, **options: Any) -> Callable[..., ScriptedLLM]:
    """An ``llm_factory`` for Agent.attach_llm and the workflow classes; every LLM it makes shares ``policy``.

    Accepts the call shapes mcp-agent uses: ``factory(agent)``, ``factory(agent=..., instruction=..., context=...)``.
    """

    def factory(agent: Any = None, **kwargs: Any) -> ScriptedLLM:
        merged = {**options, **kwargs}
        if merged.get("context") is None:
            merged.pop("context", None)
            agent_context = getattr(agent, "context", None)
            if agent_context is not None:
                merged["context"] = agent_context
        return ScriptedLLM(agent=agent, policy=policy, **merged)

    return factory


def _to_messages(message: MessageTypes) -> list[Message]:
    items: Iterable[Any] = message if isinstance(message, list) else [message]
    out: list[Message] = []
    for item in items:
        if isinstance(item, str):
            out.append({"role": "user", "content": item})
        elif isinstance(item, PromptMessage):
            content = item.content.text if isinstance(item.content, TextContent) else str(item.content)
            out.append({"role": item.role, "content": content})
        elif isinstance(item, dict):
            out.append(dict(item))
        else:
            out.append({"role": "user", "content": str(item)})
    return out


def _assistant_message(reply: Text | ToolCalls | Structured, id_prefix: str) -> Message:
    if isinstance(reply, ToolCalls):
        calls = [
            {
                "id": f"{id_prefix}_{n}",
                "type": "function",
                "function": {"name": c.name, "arguments": json.dumps(c.arguments, default=str)},
            }
            for n, c in enumerate(reply.calls)
        ]
        return ChatMessage(role="assistant", content=None, tool_calls=calls)
    if isinstance(reply, Structured):
        return ChatMessage(role="assistant", content=structured_json(reply.value))
    return ChatMessage(role="assistant", content=reply.text)


def _result_text(result: CallToolResult) -> str:
    parts = [c.text if isinstance(c, TextContent) else c.model_dump_json() for c in result.content]
    text = "\n".join(parts)
    return f"ERROR: {text}" if result.isError else text


def _tokens(text: str) -> int:
    """A rough, deterministic token count (4 characters a token)."""
    return max(1, len(text) // 4)
