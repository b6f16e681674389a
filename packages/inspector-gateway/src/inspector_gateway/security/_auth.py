"""The auth cookie (SPEC §6): the URL token exchanged for an HttpOnly, SameSite=Strict cookie scoped to the mount.

So links and new tabs of the same browser work without ``?token=``. The cookie carries values derived from the
token with HMAC-SHA256, never the token itself; its name is derived too, so inspectors on other ports of the same
host (cookies ignore ports) keep their cookies apart. Since the token is stable for a traces dir, the cookie
outlives a restart; a new token (``mcp-agent-inspector token --rotate``, another ``INSPECTOR_TOKEN``) voids it.

``POST /auth`` (token in the header, or a valid cookie) sets the cookie; ``GET /auth`` answers 200 to an
authenticated caller, so a page can tell "token rejected" (401) from "server not reachable" (no answer);
``DELETE /auth`` (logout) clears the cookie: that browser needs a link with the token again.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from inspector_gateway._responses import JSON

if TYPE_CHECKING:  # security.py imports this module, and _state imports security (through _tracefiles)
    from inspector_gateway._state import GatewayState

__all__ = [
    "COOKIE_MAX_AGE",
    "auth_check_endpoint",
    "auth_exchange_endpoint",
    "auth_logout_endpoint",
    "cookie_name",
    "cookie_value",
]

COOKIE_MAX_AGE = 30 * 24 * 3600


def _derive(token: str, purpose: bytes) -> str:
    return hmac.new(token.encode("utf-8"), purpose, hashlib.sha256).hexdigest()


def cookie_name(token: str) -> str:
    """``mcp_inspector_<16 hex>``: one name per token, so two inspectors on one host do not overwrite each other."""
    return "mcp_inspector_" + _derive(token, b"mcp-agent-inspector cookie name")[:16]


def cookie_value(token: str) -> str:
    return _derive(token, b"mcp-agent-inspector cookie value")


async def auth_exchange_endpoint(request: Request) -> Response:
    """Set the cookie (the security middleware has checked the token and the Origin already)."""
    gateway: GatewayState = request.app.state.gateway
    token = gateway.current_token()
    path = _cookie_path(request)
    response = JSON({"authenticated": True, "cookie_path": path, "max_age": COOKIE_MAX_AGE})
    response.set_cookie(
        cookie_name(token),
        cookie_value(token),
        max_age=COOKIE_MAX_AGE,
        path=path,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


async def auth_logout_endpoint(request: Request) -> Response:
    """Clear the cookie (the middleware has checked the credentials and, for a cookie, the Origin): the browser
    must open a link with the token again. The token itself stays valid (``token --rotate`` voids it)."""
    gateway: GatewayState = request.app.state.gateway
    response = JSON({"authenticated": False})
    response.delete_cookie(
        cookie_name(gateway.current_token()),
        path=_cookie_path(request),
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


def _cookie_path(request: Request) -> str:
    gateway: GatewayState = request.app.state.gateway
    return str(request.scope.get("root_path") or gateway.settings.mount_path)


async def auth_check_endpoint(request: Request) -> Response:
    """200 when the caller is authenticated (the middleware answers 401 otherwise)."""
    return JSON({"authenticated": True})
