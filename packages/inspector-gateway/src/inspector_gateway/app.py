"""The Starlette app served at ``/_inspector``: routes, JSON errors, the security middleware."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from ._responses import error_response
from ._state import GatewayState
from .events.sse import EventStreamEndpoint
from .index_html import file_inside, root_redirect, ui_endpoint
from .routes._api import health_endpoint, plugins_endpoint, prices_endpoint, sessions_endpoint
from .routes._control import cancel_endpoint, signal_endpoint
from .routes._search import search_endpoint
from .routes._skeleton import skeleton_endpoint, skeleton_part_endpoint, span_endpoint, spans_endpoint
from .routes._trace import trace_endpoint
from .security import SecurityMiddleware
from .security._auth import auth_check_endpoint, auth_exchange_endpoint, auth_logout_endpoint
from .sessions._registry import registry_endpoint

__all__ = ["build_app"]

logger = logging.getLogger(__name__)


async def _http_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))
    return error_response(400, "bad_request", "bad request")


async def _problem(request: Request, exc: Exception) -> Response:
    from .errors import HTTPProblem

    if isinstance(exc, HTTPProblem):
        return error_response(exc.status, exc.code, exc.message, exc.headers)
    return error_response(400, "bad_request", "bad request")


async def _crash(request: Request, exc: Exception) -> Response:
    logger.error("inspector gateway error on %s", request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal error (see the server log)")


async def _plugin_asset(request: Request) -> Response:
    gateway: GatewayState = request.app.state.gateway
    name = request.path_params["name"]
    rel = str(request.path_params["path"])
    for assets in gateway.ui_assets:
        if assets.name == name:
            candidate = file_inside(Path(assets.directory), rel)
            if candidate is not None:
                return FileResponse(candidate)
    return error_response(404, "not_found", "no such plugin asset")


def build_app(gateway: GatewayState, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The gateway's ASGI app (mount it at ``/_inspector``)."""
    from .errors import HTTPProblem

    events = EventStreamEndpoint(gateway.hub, keepalive=gateway.settings.heartbeat_interval, on_tick=gateway.live.tick)
    routes: list[BaseRoute] = [
        Route("/", root_redirect, methods=["GET"]),
        Route("/health", health_endpoint, methods=["GET"]),
        Route("/auth", auth_check_endpoint, methods=["GET"]),
        Route("/auth", auth_exchange_endpoint, methods=["POST"]),
        Route("/auth", auth_logout_endpoint, methods=["DELETE"]),
        Route("/sessions", sessions_endpoint, methods=["GET"]),
        Route("/trace/{session_id}/skeleton", skeleton_endpoint, methods=["GET"]),
        Route("/trace/{session_id}/skeleton/{part}", skeleton_part_endpoint, methods=["GET"]),
        Route("/trace/{session_id}/span/{span_id}", span_endpoint, methods=["GET"]),
        Route("/trace/{session_id}/spans", spans_endpoint, methods=["GET"]),
        Route("/trace/{session_id:path}", trace_endpoint, methods=["GET"]),
        Route("/events", events, methods=["GET"]),
        Route("/signal/{session_id:path}", signal_endpoint, methods=["POST"]),
        Route("/cancel/{session_id:path}", cancel_endpoint, methods=["POST"]),
        Route("/search", search_endpoint, methods=["GET"]),
        Route("/plugins", plugins_endpoint, methods=["GET"]),
        Route("/prices", prices_endpoint, methods=["GET"]),
        Route("/registry", registry_endpoint, methods=["GET"]),
        Route("/plugins/{name}/{path:path}", _plugin_asset, methods=["GET"]),
        Route("/ui", root_redirect, methods=["GET"]),
        Route("/ui/{path:path}", ui_endpoint, methods=["GET"]),
        *extra_routes,
    ]
    handlers: dict[Any, Any] = {HTTPException: _http_error, HTTPProblem: _problem, Exception: _crash}
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityMiddleware, settings=gateway.settings, token=gateway.token)],
        exception_handlers=handlers,
    )
    app.state.gateway = gateway
    return app
