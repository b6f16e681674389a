"""Pauses: ``Executor.wait_for_signal`` (human input and any workflow signal) and MCP elicitation from a server.

A wait on mcp-agent's internal ``cancel`` signal (every asyncio run has one) is not a pause. Every other wait made
while a session is bound emits ``session_paused(session_id, signal_name, prompt, schema)`` and, when it returns,
``session_resumed(session_id, signal_name, payload)`` (the answer; an elicitation adds ``action``: accept, decline
or cancel); it is listed for ``control.waiting``/``control.signal`` while it lasts. Elicitation
(``elicitation/create`` from a downstream server) is raced against ``control.signal`` so the inspector can answer
it; the session is the one whose tool call is in flight on that client session.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from inspector_hooks import context as session_context
from inspector_hooks import hooks

from ._patcher import Patcher, safe
from ._replay import replaying
from ._rpc import emit_in, inflight_context

__all__ = ["HUMAN_INPUT_SCHEMA", "Wait", "answerable", "current_waits", "emit_resumed", "patch_signals", "race"]

logger = logging.getLogger(__name__)

HUMAN_INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"response": {"type": "string", "title": "Response"}},
    "required": ["response"],
}

CANCEL_SIGNAL = "cancel"
ELICITATION_SIGNAL = "elicitation"


@dataclass
class Wait:
    """One wait in progress (internal; ``control.Waiting`` is the public view)."""

    session_id: str
    signal_name: str
    prompt: str | None
    schema: dict[str, Any] | None
    kind: str  # "human_input" | "signal" | "elicitation" | "approval" (a sampling approval, answered by a future)
    executor: Any = None
    workflow_id: str | None = None
    run_id: str | None = None
    signal_type: Any = None
    future: asyncio.Future[Any] | None = None


_waits: dict[str, list[Wait]] = {}


def current_waits(session_id: str) -> list[Wait]:
    return list(_waits.get(session_id, ()))


def add_wait(wait: Wait) -> None:
    _waits.setdefault(wait.session_id, []).append(wait)


def remove_wait(wait: Wait) -> None:
    waits = _waits.get(wait.session_id)
    if waits and wait in waits:
        waits.remove(wait)
        if not waits:
            del _waits[wait.session_id]


def _schema_for(signal_name: str, signal_type: Any) -> tuple[str, dict[str, Any] | None]:
    from mcp_agent.human_input.types import HUMAN_INPUT_SIGNAL_NAME, HumanInputResponse
    from pydantic import BaseModel

    if signal_type is HumanInputResponse or signal_name.startswith(HUMAN_INPUT_SIGNAL_NAME):
        return "human_input", dict(HUMAN_INPUT_SCHEMA)
    if signal_type is str or signal_type is None:
        return "signal", dict(HUMAN_INPUT_SCHEMA)
    if isinstance(signal_type, type) and issubclass(signal_type, BaseModel):
        return "signal", signal_type.model_json_schema()
    if signal_type is dict:
        return "signal", {"type": "object"}
    return "signal", None


_WAIT_PARAMS = ("signal_name", "request_id", "workflow_id", "run_id", "signal_description", "timeout_seconds")


@functools.cache
def _signature(original: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(original)


def _bind(original: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    # every workflow run waits on mcp-agent's internal "cancel" signal: the signature is read once, not per call
    bound = _signature(original).bind(None, *args, **kwargs)
    bound.apply_defaults()
    values = dict(bound.arguments)
    values.pop("self", None)
    return values


def _open_wait(executor: Any, values: dict[str, Any], sid: str) -> Wait:
    name = str(values.get("signal_name"))
    kind, schema = _schema_for(name, values.get("signal_type"))
    wait = Wait(
        session_id=sid,
        signal_name=name,
        prompt=values.get("signal_description"),
        schema=schema,
        kind=kind,
        executor=executor,
        workflow_id=values.get("workflow_id"),
        run_id=values.get("run_id"),
        signal_type=values.get("signal_type"),
    )
    add_wait(wait)
    return wait


_in_wait: Any = None  # set in patch_signals (a ContextVar guarding the AsyncioExecutor -> Executor super() call)


def _wrap_wait_for_signal(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def wait_for_signal(self: Any, *args: Any, **kwargs: Any) -> Any:
        sid = session_context.get()
        if sid is None or _in_wait.get() or replaying():
            return await original(self, *args, **kwargs)
        values = safe("bind wait_for_signal", _bind, original, args, kwargs)
        if values is None or values.get("signal_name") == CANCEL_SIGNAL:
            return await original(self, *args, **kwargs)
        wait = safe("open wait", _open_wait, self, values, sid)
        if wait is None:
            return await original(self, *args, **kwargs)
        guard = _in_wait.set(True)
        try:
            if hooks.session_paused:
                await hooks.session_paused.aemit(
                    session_id=sid, signal_name=wait.signal_name, prompt=wait.prompt, schema=wait.schema
                )
            payload = await original(self, *args, **kwargs)
        finally:
            _in_wait.reset(guard)
            remove_wait(wait)
        if hooks.session_resumed:
            await hooks.session_resumed.aemit(session_id=sid, signal_name=wait.signal_name, payload=payload)
        return payload

    return wait_for_signal


async def race(wait: Wait, answer: Awaitable[Any]) -> tuple[bool, Any]:
    """Await the host's own ``answer`` (a coroutine) against ``control.signal`` setting ``wait.future``, while
    ``wait`` is listed. Returns (True, the inspector's value) when the inspector answered first (the host's answer is
    cancelled), else (False, the host's result); the host's exception propagates."""
    add_wait(wait)
    try:
        handler = asyncio.ensure_future(answer)
        assert wait.future is not None
        try:
            await asyncio.wait({handler, wait.future}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            handler.cancel()
            raise
        if wait.future.done() and not wait.future.cancelled():
            handler.cancel()
            return True, wait.future.result()
        wait.future.cancel()
        return False, handler.result()
    finally:
        remove_wait(wait)


async def answerable(
    ctx: contextvars.Context | None,
    answer: Awaitable[Any],
    *,
    session_id: str,
    signal_name: str,
    prompt: str | None,
    schema: dict[str, Any] | None,
    kind: str,
) -> tuple[bool, Any]:
    """A host's question the inspector can answer too (an elicitation, a sampling approval): emits
    ``session_paused`` in ``ctx`` (the context of the call during which a server asks, so the event goes on its
    span), then :func:`race` s the host's ``answer`` against ``control.signal``; returns what ``race`` returns."""
    wait = Wait(
        session_id=session_id,
        signal_name=signal_name,
        prompt=prompt,
        schema=schema,
        kind=kind,
        future=asyncio.get_running_loop().create_future(),
    )
    if hooks.session_paused:
        emit_in(
            ctx,
            hooks.session_paused.emit,
            session_id=session_id,
            signal_name=signal_name,
            prompt=prompt,
            schema=schema,
        )
    return await race(wait, answer)


def emit_resumed(
    ctx: contextvars.Context | None, *, session_id: str, signal_name: str, payload: Any, action: str | None = None
) -> None:
    """``session_resumed`` in ``ctx`` for a pause opened by :func:`answerable` (``action``: an elicitation's)."""
    if hooks.session_resumed:
        emit_in(
            ctx,
            hooks.session_resumed.emit,
            session_id=session_id,
            signal_name=signal_name,
            payload=payload,
            action=action,
        )


def _wrap_elicitation(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def _handle_elicitation_callback(self: Any, request_context: Any, params: Any) -> Any:
        sid, ctx = safe("elicitation session", inflight_context, self) or (None, None)
        if sid is None:
            return await original(self, request_context, params)
        from mcp.types import ElicitResult

        schema = getattr(params, "requestedSchema", None)
        ours, result = await answerable(
            ctx,
            original(self, request_context, params),
            session_id=sid,
            signal_name=ELICITATION_SIGNAL,
            prompt=getattr(params, "message", None),
            schema=dict(schema) if isinstance(schema, dict) else None,
            kind="elicitation",
        )
        if ours:
            result = ElicitResult(action="accept", content=result)
        emit_resumed(
            ctx,
            session_id=sid,
            signal_name=ELICITATION_SIGNAL,
            payload=getattr(result, "content", None),
            action=getattr(result, "action", None),
        )
        return result

    return _handle_elicitation_callback


def patch_signals(patcher: Patcher) -> None:
    from contextvars import ContextVar

    from mcp_agent.executor.executor import AsyncioExecutor, Executor
    from mcp_agent.mcp.mcp_agent_client_session import MCPAgentClientSession

    global _in_wait
    if _in_wait is None:
        _in_wait = ContextVar("inspector_in_wait", default=False)
    patcher.patch(Executor, "wait_for_signal", _wrap_wait_for_signal)
    patcher.patch(AsyncioExecutor, "wait_for_signal", _wrap_wait_for_signal)
    patcher.patch(MCPAgentClientSession, "_handle_elicitation_callback", _wrap_elicitation)
