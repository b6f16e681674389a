"""Sampling: a server's ``sampling/createMessage`` request and the client's answer.

``MCPAgentClientSession._handle_sampling_callback`` answers it (through the upstream client when the app is served
as an MCP server, else mcp-agent's ``SamplingHandler``: human approval, then an LLM). Around it the inspector emits
``before_sampling_request(params, server_name)`` and ``after_sampling_request(params, result, server_name)`` (or
``error_sampling_request``), with ``request_id`` (the server's JSON-RPC id) and ``transport``. The server asks while
one of our requests to it is in flight (a ``tools/call``); the hooks are emitted in a copy of that request's context
(its session and its span), so the recorded answer sits under the call during which the server asked. The callback
itself runs as before, in the client session's own task.

The human approvals of local sampling (``SamplingHandler._human_approve_request``/``_human_approve_response`` call
the app's human-input callback directly, not through ``wait_for_signal``) are pauses too: ``session_paused`` with
the question and ``session_resumed`` with the answer (``approve``, or the human's reason for rejecting), in the same
session and span. Like elicitation, each is raced against ``control.signal``, so the inspector can answer it.
"""

from __future__ import annotations

import contextvars
import functools
import uuid
from collections.abc import Callable
from typing import Any

from inspector_hooks import hooks

from ._patcher import Patcher, safe
from ._rpc import emit_in, inflight_context, server_info
from ._signals import HUMAN_INPUT_SCHEMA, answerable, emit_resumed

_asking: contextvars.ContextVar[tuple[str | None, contextvars.Context | None, str | None]] = contextvars.ContextVar(
    "inspector_sampling_request", default=(None, None, None)
)
"""(session, context, server name) of the sampling request being answered in this task, for its approvals."""

APPROVE = "approve"  # the answer mcp-agent's SamplingHandler takes as yes (any other text is the reason for no)

__all__ = ["patch_sampling"]


def _wrap_sampling(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def _handle_sampling_callback(self: Any, request_context: Any, params: Any) -> Any:
        sid, ctx = safe("sampling context", inflight_context, self) or (None, None)
        server_name, transport, _ = safe("sampling server", server_info, self) or (None, "stdio", None)
        request_id = getattr(request_context, "request_id", None)

        token = _asking.set((sid, ctx, server_name))
        if hooks.before_sampling_request:
            emit_in(
                ctx,
                hooks.before_sampling_request.emit,
                params=params,
                server_name=server_name,
                request_id=request_id,
                transport=transport,
            )
        try:
            result = await original(self, request_context, params)
        except BaseException as exc:
            _asking.reset(token)
            if hooks.error_sampling_request:
                emit_in(
                    ctx,
                    hooks.error_sampling_request.emit,
                    params=params,
                    exc=exc,
                    server_name=server_name,
                    request_id=request_id,
                    transport=transport,
                )
            raise
        _asking.reset(token)
        if hooks.after_sampling_request:
            emit_in(
                ctx,
                hooks.after_sampling_request.emit,
                params=params,
                result=result,
                server_name=server_name,
                request_id=request_id,
                transport=transport,
            )
        return result

    return _handle_sampling_callback


def _question(kind: str, subject: Any, server_name: str | None) -> str:
    from mcp_agent.mcp import sampling_handler

    if kind == "request":
        asked = f"MCP server {server_name or ''} requests LLM sampling.".replace("  ", " ")
        summary = sampling_handler._format_sampling_request_for_human(subject)
    else:
        asked = "The LLM has answered the sampling request; send its response?"
        summary = sampling_handler._format_sampling_response_for_human(subject)
    return f"{asked} Answer 'approve' to go on; anything else rejects it (your answer is the reason).\n\n{summary}"


def _wrap_approval(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        async def approve(self: Any, subject: Any) -> Any:
            sid, ctx, server_name = _asking.get()
            if sid is None or not getattr(self.context, "human_input_handler", None):
                return await original(self, subject)
            signal_name = f"sampling_{kind}_approval_{uuid.uuid4().hex[:12]}"
            ours, result = await answerable(
                ctx,
                original(self, subject),
                session_id=sid,
                signal_name=signal_name,
                prompt=safe("sampling question", _question, kind, subject, server_name),
                schema=dict(HUMAN_INPUT_SCHEMA),
                kind="approval",
            )
            if ours:
                answer = str(result)
                result = (subject, "") if answer.strip().lower() == APPROVE else (None, answer or "rejected")
            else:
                answer = APPROVE if result[0] is not None else str(result[1])
            emit_resumed(ctx, session_id=sid, signal_name=signal_name, payload=answer)
            return result

        return approve

    return wrap


def patch_sampling(patcher: Patcher) -> None:
    from mcp_agent.mcp.mcp_agent_client_session import MCPAgentClientSession
    from mcp_agent.mcp.sampling_handler import SamplingHandler

    patcher.patch(MCPAgentClientSession, "_handle_sampling_callback", _wrap_sampling)
    patcher.patch(SamplingHandler, "_human_approve_request", _wrap_approval("request"))
    patcher.patch(SamplingHandler, "_human_approve_response", _wrap_approval("response"))
