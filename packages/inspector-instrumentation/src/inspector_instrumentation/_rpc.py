"""Outbound JSON-RPC (``MCPAgentClientSession.send_request``/``send_notification``) and the client transport hooks.

The RPC hooks are emitted from ``mcp.client.session.ClientSession.send_request``/``send_notification`` (inherited
from ``BaseSession``) for ``MCPAgentClientSession`` instances only (any other session passes straight through):
mcp-agent's own ``send_request``/``send_notification`` open their span, one per request, then call these through
``super()``, so the hooks fire inside that span and a subscriber that enriches the current span describes exactly
one request (wrapped outside, the three list requests of ``MCPAggregator.load_server`` overwrote each other on it).

Envelopes are plain dicts: requests ``{"jsonrpc": "2.0", "id", "method", "params"}`` with the real JSON-RPC id (read
from ``self._request_id`` just before the SDK assigns it), responses ``{"jsonrpc": "2.0", "id", "result"}``,
notifications without ``id``. Extra kwargs beside the catalogue's: ``server_name``, ``request_id``.
``transport`` is the server's configured transport (``stdio``, ``sse``, ``streamable_http``, ``websocket``).
"""

from __future__ import annotations

import contextvars
import functools
import time
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from inspector_hooks import context as session_context
from inspector_hooks import hooks

from ._patcher import Patcher, safe

__all__ = ["emit_in", "inflight_context", "patch_rpc", "server_info"]


_started: weakref.WeakKeyDictionary[Any, tuple[str, Any]] = weakref.WeakKeyDictionary()
"""Sessions opened by ``ServerRegistry.start_server`` (``gen_client``, non-persistent agents) → (server name, its
settings): mcp-agent sets ``server_config`` only on the sessions of persistent connections, and setting it ourselves
would change what the session does (its roots answer reads it)."""


def server_info(session: Any) -> tuple[str | None, str, str | None]:
    """(server name, transport, uri) of a client session."""
    config = getattr(session, "server_config", None)
    name = getattr(config, "name", None)
    if config is None:
        try:
            name, config = _started.get(session) or (None, None)
        except TypeError:  # not weak-referenceable
            name, config = None, None
    if config is None:
        return None, "stdio", None
    transport = str(getattr(config, "transport", None) or "stdio")
    uri = getattr(config, "url", None)
    if not uri and getattr(config, "command", None):
        uri = " ".join([str(config.command), *[str(a) for a in (getattr(config, "args", None) or [])]])
    return getattr(config, "name", None) or name, transport, uri


def _wrap_start_server(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    @asynccontextmanager
    async def start_server(self: Any, server_name: str, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async with original(self, server_name, *args, **kwargs) as session:
            safe("note the server of a session", _note_server, self, server_name, session)
            yield session

    return start_server


def _note_server(registry: Any, server_name: str, session: Any) -> None:
    config = registry.get_server_config(server_name)
    if config is not None:
        _started[session] = (server_name, config)


def _dump(model: Any) -> Any:
    if model is None:
        return None
    dump = getattr(model, "model_dump", None)
    if dump is None:
        return model
    return dump(by_alias=True, mode="json", exclude_none=True)


def _request_envelope(request: Any, request_id: Any) -> dict[str, Any]:
    root = getattr(request, "root", request)
    envelope: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": getattr(root, "method", None)}
    params = _dump(getattr(root, "params", None))
    if params is not None:
        envelope["params"] = params
    return envelope


def _track_inflight(session: Any, request_id: Any, add: bool) -> None:
    inflight = session.__dict__.setdefault("_inspector_inflight", {})
    if add:
        # the caller's context (its session, its current span): a request the server sends back while this one is
        # in flight (elicitation, sampling) is recorded there
        inflight[request_id] = (session_context.get(), contextvars.copy_context())
    else:
        inflight.pop(request_id, None)


def inflight_context(session: Any) -> tuple[str | None, contextvars.Context | None]:
    """(session id, a copy of the caller's context) of the newest request in flight on a client session with a
    session bound, else (the current session, None). A server that asks the client something (elicitation,
    sampling) does so while serving one of our requests; with several in flight, the newest is taken."""
    inflight = session.__dict__.get("_inspector_inflight") or {}
    for sid, ctx in reversed(list(inflight.values())):
        if sid is not None:
            return str(sid), ctx.copy()
    return session_context.get(), None


def emit_in(ctx: contextvars.Context | None, emitter: Callable[..., None], **kwargs: Any) -> None:
    """``emitter(**kwargs)``, run in ``ctx`` when there is one (the hook's subscribers see its session and span)."""
    if ctx is None:
        emitter(**kwargs)
    else:
        ctx.run(emitter, **kwargs)


def _wrap_send_request(original: Callable[..., Any], only: type) -> Callable[..., Any]:
    @functools.wraps(original)
    async def send_request(self: Any, request: Any, result_type: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(self, only):
            return await original(self, request, result_type, *args, **kwargs)
        request_id = getattr(self, "_request_id", None)
        safe("track in-flight request", _track_inflight, self, request_id, True)
        try:
            if not (hooks.before_rpc_request or hooks.after_rpc_response or hooks.error_rpc_request):
                return await original(self, request, result_type, *args, **kwargs)
            server_name, transport, _ = server_info(self)
            envelope = safe("request envelope", _request_envelope, request, request_id) or {}
            if hooks.before_rpc_request:
                # a sync emit: nothing may run between reading the id and the SDK assigning it
                hooks.before_rpc_request.emit(
                    envelope=envelope, transport=transport, server_name=server_name, request_id=request_id
                )
            started = time.perf_counter()
            try:
                result = await original(self, request, result_type, *args, **kwargs)
            except Exception as exc:
                if hooks.error_rpc_request:
                    await hooks.error_rpc_request.aemit(
                        envelope=envelope,
                        transport=transport,
                        exc=exc,
                        server_name=server_name,
                        request_id=request_id,
                        duration_ms=(time.perf_counter() - started) * 1000.0,
                    )
                raise
            if hooks.after_rpc_response:
                response = {"jsonrpc": "2.0", "id": request_id, "result": safe("response envelope", _dump, result)}
                await hooks.after_rpc_response.aemit(
                    envelope=response,
                    transport=transport,
                    duration_ms=(time.perf_counter() - started) * 1000.0,
                    server_name=server_name,
                    request_id=request_id,
                    request=envelope,
                )
            return result
        finally:
            safe("untrack in-flight request", _track_inflight, self, request_id, False)

    return send_request


def _wrap_send_notification(original: Callable[..., Any], only: type) -> Callable[..., Any]:
    @functools.wraps(original)
    async def send_notification(self: Any, notification: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(self, only) or not (
            hooks.before_rpc_request or hooks.after_rpc_response or hooks.error_rpc_request
        ):
            return await original(self, notification, *args, **kwargs)
        server_name, transport, _ = server_info(self)
        envelope = safe("notification envelope", _request_envelope, notification, None) or {}
        envelope.pop("id", None)
        if hooks.before_rpc_request:
            await hooks.before_rpc_request.aemit(
                envelope=envelope, transport=transport, server_name=server_name, request_id=None
            )
        started = time.perf_counter()
        try:
            result = await original(self, notification, *args, **kwargs)
        except Exception as exc:
            if hooks.error_rpc_request:
                await hooks.error_rpc_request.aemit(
                    envelope=envelope, transport=transport, exc=exc, server_name=server_name, request_id=None
                )
            raise
        if hooks.after_rpc_response:
            await hooks.after_rpc_response.aemit(
                envelope={"jsonrpc": "2.0"},
                transport=transport,
                duration_ms=(time.perf_counter() - started) * 1000.0,
                server_name=server_name,
                request_id=None,
                request=envelope,
            )
        return result

    return send_notification


def _wrap_initialize(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def initialize(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = await original(self, *args, **kwargs)
        self.__dict__["_inspector_connected"] = True
        if hooks.transport_connected:
            server_name, transport, uri = server_info(self)
            await hooks.transport_connected.aemit(transport_type=transport, uri=uri, server_name=server_name)
        return result

    return initialize


def _wrap_aexit(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def __aexit__(self: Any, exc_type: Any, exc: Any, tb: Any) -> Any:
        try:
            return await original(self, exc_type, exc, tb)
        finally:
            if hooks.transport_disconnected and self.__dict__.pop("_inspector_connected", False):
                server_name, transport, uri = server_info(self)
                await hooks.transport_disconnected.aemit(
                    transport_type=transport,
                    uri=uri,
                    reason=None if exc is None else f"{type(exc).__name__}: {exc}",
                    server_name=server_name,
                )

    return __aexit__


def _progress_facts(notification: Any) -> dict[str, Any] | None:
    root = getattr(notification, "root", notification)
    if getattr(root, "method", None) != "notifications/progress":
        return None
    params = root.params
    total = getattr(params, "total", None)
    return {
        "operation_id": params.progressToken,
        "percent": params.progress * 100.0 / total if total else None,
        "message": getattr(params, "message", None),
        "progress": params.progress,
        "total": total,
    }


def _wrap_received_notification(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def _received_notification(self: Any, notification: Any) -> Any:
        if hooks.progress_update:
            facts = safe("progress notification", _progress_facts, notification)
            if facts is not None:
                await hooks.progress_update.aemit(
                    operation_id=facts["operation_id"],
                    percent=facts["percent"],
                    message=facts["message"],
                    context=getattr(self, "context", None),
                    progress=facts["progress"],
                    total=facts["total"],
                )
        return await original(self, notification)

    return _received_notification


def patch_rpc(patcher: Patcher) -> None:
    from mcp.client.session import ClientSession
    from mcp_agent.mcp.mcp_agent_client_session import MCPAgentClientSession

    # what MCPAgentClientSession.send_request/send_notification call through super(), inside their own span
    only = MCPAgentClientSession
    patcher.patch(ClientSession, "send_request", lambda f: _wrap_send_request(f, only), inherit=True)
    patcher.patch(ClientSession, "send_notification", lambda f: _wrap_send_notification(f, only), inherit=True)
    patcher.patch(MCPAgentClientSession, "initialize", _wrap_initialize, inherit=True)
    patcher.patch(MCPAgentClientSession, "__aexit__", _wrap_aexit, inherit=True)
    patcher.patch(MCPAgentClientSession, "_received_notification", _wrap_received_notification, inherit=True)
    from mcp_agent.mcp.mcp_server_registry import ServerRegistry

    patcher.patch(ServerRegistry, "start_server", _wrap_start_server)
