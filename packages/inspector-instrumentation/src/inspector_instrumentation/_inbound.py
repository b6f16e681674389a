"""Inbound JSON-RPC when the app serves MCP (``mcp.server.lowlevel.Server._handle_request``), as sessions.

Each request that reaches a handler is one ``mcp-inbound`` session: id = the ``X-MCP-Request-Id`` header when sent and
valid and not already used by an earlier request of this process (clients often send one header on every request),
else a new uuid4 hex (the header then shows as ``metadata["requested_id"]``). The session context is bound while the
handler runs, so a workflow run it starts records it as its parent. Hooks:
``before_rpc_request``/``after_rpc_response``/``error_rpc_request`` with the inbound envelope, ``transport`` ("http"
for streamable HTTP, "sse", or "stdio"), ``duration_ms``, and the extras ``direction="inbound"``, ``request_id`` (the
JSON-RPC id) and ``mcp_session_id`` (the ``mcp-session-id`` header, None on stdio).
``initialize`` and ``ping`` are answered by the SDK's ``ServerSession`` before any handler and are not sessions.
"""

from __future__ import annotations

import functools
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from inspector_hooks import context as session_context
from inspector_hooks import hooks

from . import _sessions
from ._patcher import Patcher, safe

__all__ = ["patch_inbound"]

_USED_IDS_KEPT = 10_000
_used_ids: OrderedDict[str, None] = OrderedDict()


def _claim(header_id: object) -> str | None:
    """Use the header's id for this session unless it is invalid or was used before (bounded memory)."""
    if not _sessions.valid_session_id(header_id):
        return None
    sid = str(header_id)
    if sid in _used_ids:
        return None
    _used_ids[sid] = None
    if len(_used_ids) > _USED_IDS_KEPT:
        _used_ids.popitem(last=False)
    return sid


_pending: ContextVar[dict[str, Any] | None] = ContextVar("inspector_inbound_request", default=None)


def _request_facts(message: Any, req: Any) -> dict[str, Any]:
    metadata = getattr(message, "message_metadata", None)
    http = getattr(metadata, "request_context", None)
    headers = getattr(http, "headers", None)
    header_id = headers.get("x-mcp-request-id") if headers is not None else None
    mcp_session_id = headers.get("mcp-session-id") if headers is not None else None
    if http is None:
        transport = "stdio"
    else:
        path = str(getattr(getattr(http, "url", None), "path", "") or "")
        transport = "sse" if "/messages" in path else "http"
    params = getattr(req, "params", None)
    envelope: dict[str, Any] = {"jsonrpc": "2.0", "id": getattr(message, "request_id", None), "method": req.method}
    if params is not None:
        envelope["params"] = params.model_dump(by_alias=True, mode="json", exclude_none=True)
    claimed = _claim(header_id)
    return {
        "session_id": claimed or _sessions.new_session_id(),
        "requested_id": header_id if claimed is None else None,
        "transport": transport,
        "mcp_session_id": mcp_session_id,
        "envelope": envelope,
        "method": req.method,
    }


def _title(method: Any, params: Any) -> str:
    """What a reader knows the request by: the tool called, the prompt or resource asked for; else the method."""
    given = params if isinstance(params, dict) else {}
    if method == "tools/call" and given.get("name"):
        return str(given["name"])
    if method == "prompts/get" and given.get("name"):
        return f"prompt {given['name']}"
    if method == "resources/read" and given.get("uri"):
        return f"resource {given['uri']}"
    return str(method)


def _wrap_handle_request(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def _handle_request(self: Any, message: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
        facts = safe("inbound request facts", _request_facts, message, req)
        if facts is None:
            return await original(self, message, req, *args, **kwargs)
        sid = facts["session_id"]
        request_id = facts["envelope"]["id"]
        extra = {"direction": "inbound", "request_id": request_id, "mcp_session_id": facts["mcp_session_id"]}
        parent = session_context.get()
        token = session_context.set(sid)
        state: dict[str, Any] = {"request_id": request_id, "response": None}
        state_token = _pending.set(state)
        await _sessions.astart_session(
            sid,
            engine="mcp-inbound",
            title=_title(facts["method"], facts["envelope"].get("params")),
            parent_session_id=parent,
            app_name=str(getattr(self, "name", None) or "mcp-agent"),
            extra={"request_method": facts["method"], "request_id": request_id, "requested_id": facts["requested_id"]},
        )
        error: BaseException | None = None
        started = time.perf_counter()
        try:
            if hooks.before_rpc_request:
                await hooks.before_rpc_request.aemit(envelope=facts["envelope"], transport=facts["transport"], **extra)
            return await original(self, message, req, *args, **kwargs)
        except BaseException as exc:
            error = exc
            raise
        finally:
            duration_ms = (time.perf_counter() - started) * 1000.0
            response = state["response"]
            failure = error
            if failure is None and response is not None and hasattr(response, "code") and hasattr(response, "message"):
                failure = RuntimeError(f"JSON-RPC error {response.code}: {response.message}")
            if failure is None:
                if hooks.after_rpc_response:
                    envelope = {"jsonrpc": "2.0", "id": request_id, "result": safe("dump", _dump, response)}
                    await hooks.after_rpc_response.aemit(
                        envelope=envelope, transport=facts["transport"], duration_ms=duration_ms, **extra
                    )
            elif hooks.error_rpc_request:
                await hooks.error_rpc_request.aemit(
                    envelope=facts["envelope"],
                    transport=facts["transport"],
                    exc=failure,
                    duration_ms=duration_ms,
                    **extra,
                )
            status, text = _sessions.outcome_of(failure)
            await _sessions.afinish_session(sid, status, text)
            _pending.reset(state_token)
            session_context.reset(token)

    return _handle_request


def _dump(response: Any) -> Any:
    dump = getattr(response, "model_dump", None)
    return dump(by_alias=True, mode="json", exclude_none=True) if dump is not None else response


def _wrap_send_response(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def _send_response(self: Any, request_id: Any, response: Any) -> Any:
        state = _pending.get()
        if state is not None and state.get("request_id") == request_id:
            state["response"] = response
        return await original(self, request_id, response)

    return _send_response


def patch_inbound(patcher: Patcher) -> None:
    from mcp.server.lowlevel.server import Server
    from mcp.server.session import ServerSession

    patcher.patch(Server, "_handle_request", _wrap_handle_request)
    patcher.patch(ServerSession, "_send_response", _wrap_send_response, inherit=True)
