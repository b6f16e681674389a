"""Tool, resource and prompt hooks on ``Agent``, and tool resolution in ``MCPAggregator``.

Tool resolution is reported with the inspector hook ``tool_resolved(tool_name, candidates, selected_server,
resolution_time_ms)`` (a name outside the upstream catalogue, on the same bus): ``candidates`` is the number of servers
the aggregator considers (its ``server_names``), ``selected_server`` is None when nothing matched.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import inspector_hooks
from inspector_hooks import hooks

from ._patcher import Patcher
from ._replay import replaying

__all__ = ["TOOL_RESOLVED", "patch_agents", "tool_kind", "tool_resolved"]

TOOL_RESOLVED = "tool_resolved"
tool_resolved = inspector_hooks.hook(TOOL_RESOLVED)


HUMAN_INPUT_TOOL = "__human_input__"

_in_call: ContextVar[frozenset[tuple[int, str]]] = ContextVar("inspector_tool_calls", default=frozenset())


def tool_kind(agent: Any, name: str) -> str:
    """``function`` (a local Python function given to the agent), ``human_input`` or ``mcp`` (a server's tool)."""
    if name == HUMAN_INPUT_TOOL:
        return "human_input"
    functions = getattr(agent, "_function_tool_map", None)
    return "function" if isinstance(functions, dict) and name in functions else "mcp"


def _wrap_call_tool(original: Callable[..., Any]) -> Callable[..., Any]:
    """``Agent.call_tool`` and overrides of it (``SwarmAgent.call_tool`` runs function tools itself and hands the
    rest to ``Agent.call_tool``): the outermost call of one agent and tool name is the one reported."""

    @functools.wraps(original)
    async def call_tool(self: Any, name: str, arguments: dict[str, Any] | None = None, *args: Any, **kw: Any) -> Any:
        if not (hooks.before_tool_call or hooks.after_tool_call or hooks.error_tool_call) or replaying():
            return await original(self, name, arguments, *args, **kw)
        active = _in_call.get()
        key = (id(self), name)
        if key in active:
            return await original(self, name, arguments, *args, **kw)
        token = _in_call.set(active | {key})
        try:
            return await _reported_call(original, self, name, arguments, *args, **kw)
        finally:
            _in_call.reset(token)

    return call_tool


async def _reported_call(
    original: Callable[..., Any], agent: Any, name: str, arguments: dict[str, Any] | None, *args: Any, **kw: Any
) -> Any:
    ctx = getattr(agent, "context", None)
    server_name = kw.get("server_name", args[0] if args else None)
    kind = tool_kind(agent, name)
    if hooks.before_tool_call:
        await hooks.before_tool_call.aemit(
            tool_name=name, args=arguments, context=ctx, server_name=server_name, tool_kind=kind, agent=agent
        )
    try:
        result = await original(agent, name, arguments, *args, **kw)
    except Exception as exc:
        if hooks.error_tool_call:
            await hooks.error_tool_call.aemit(
                tool_name=name,
                args=arguments,
                exc=exc,
                context=ctx,
                server_name=server_name,
                tool_kind=kind,
                agent=agent,
            )
        raise
    if hooks.after_tool_call:
        await hooks.after_tool_call.aemit(
            tool_name=name,
            args=arguments,
            result=result,
            context=ctx,
            server_name=server_name,
            tool_kind=kind,
            agent=agent,
        )
    return result


def _resource_content(result: Any) -> tuple[Any, str | None]:
    contents = list(getattr(result, "contents", None) or [])
    values = [getattr(c, "text", None) if hasattr(c, "text") else getattr(c, "blob", None) for c in contents]
    mime = next((getattr(c, "mimeType", None) for c in contents if getattr(c, "mimeType", None)), None)
    return (values[0] if len(values) == 1 else values), mime


def _wrap_read_resource(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def read_resource(self: Any, uri: Any, *args: Any, **kw: Any) -> Any:
        if not (hooks.before_resource_fetch or hooks.after_resource_fetch or hooks.error_resource_fetch) or replaying():
            return await original(self, uri, *args, **kw)
        ctx = getattr(self, "context", None)
        if hooks.before_resource_fetch:
            await hooks.before_resource_fetch.aemit(uri=str(uri), context=ctx)
        try:
            result = await original(self, uri, *args, **kw)
        except Exception as exc:
            if hooks.error_resource_fetch:
                await hooks.error_resource_fetch.aemit(uri=str(uri), exc=exc, context=ctx)
            raise
        if hooks.after_resource_fetch:
            try:
                content, mime = _resource_content(result)
            except Exception:
                content, mime = None, None
            await hooks.after_resource_fetch.aemit(
                uri=str(uri), content=content, mime_type=mime, context=ctx, result=result
            )
        return result

    return read_resource


def _wrap_get_prompt(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def get_prompt(self: Any, name: str, arguments: dict[str, str] | None = None, *args: Any, **kw: Any) -> Any:
        if not (hooks.before_prompt_apply or hooks.after_prompt_apply or hooks.error_prompt_apply) or replaying():
            return await original(self, name, arguments, *args, **kw)
        ctx = getattr(self, "context", None)
        if hooks.before_prompt_apply:
            await hooks.before_prompt_apply.aemit(template_id=name, parameters=arguments, context=ctx)
        try:
            result = await original(self, name, arguments, *args, **kw)
        except Exception as exc:
            if hooks.error_prompt_apply:
                await hooks.error_prompt_apply.aemit(template_id=name, parameters=arguments, exc=exc, context=ctx)
            raise
        if getattr(result, "isError", False):
            # mcp-agent reports a failed prompt as a result with isError instead of raising.
            if hooks.error_prompt_apply:
                failure = RuntimeError(getattr(result, "description", None) or f"prompt {name!r} failed")
                await hooks.error_prompt_apply.aemit(template_id=name, parameters=arguments, exc=failure, context=ctx)
        elif hooks.after_prompt_apply:
            await hooks.after_prompt_apply.aemit(template_id=name, rendered=result, context=ctx)
        return result

    return get_prompt


def _wrap_parse_capability(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def _parse_capability_name(self: Any, name: str, capability: str) -> Any:
        if capability != "tool" or not tool_resolved:
            return await original(self, name, capability)
        started = time.perf_counter()
        parsed = await original(self, name, capability)
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        server = parsed[0] if isinstance(parsed, tuple) and parsed else None
        await tool_resolved.aemit(
            tool_name=name,
            candidates=len(getattr(self, "server_names", None) or ()),
            selected_server=server,
            resolution_time_ms=elapsed_ms,
        )
        return parsed

    return _parse_capability_name


def patch_agents(patcher: Patcher) -> None:
    from mcp_agent.agents.agent import Agent
    from mcp_agent.mcp.mcp_aggregator import MCPAggregator
    from mcp_agent.workflows.swarm.swarm import SwarmAgent

    patcher.patch(Agent, "call_tool", _wrap_call_tool)
    patcher.patch(SwarmAgent, "call_tool", _wrap_call_tool)
    patcher.patch(Agent, "read_resource", _wrap_read_resource)
    patcher.patch(Agent, "get_prompt", _wrap_get_prompt)
    patcher.patch(MCPAggregator, "_parse_capability_name", _wrap_parse_capability)
