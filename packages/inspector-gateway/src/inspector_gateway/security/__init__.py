"""Security of the gateway (SPEC §6): id validation, and an ASGI middleware for Host, token, Origin and body size.

The lesson is CVE-2025-49596 (the official MCP Inspector's proxy answered any web page): a token on every API
route but ``/health`` (or the auth cookie it was exchanged for, see ``_auth``), a ``Host`` check against DNS
rebinding, an ``Origin`` check on state-changing requests, and a loopback bind by default.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inspector_gateway._responses import error_response
from inspector_gateway.errors import InvalidSessionId
from inspector_hooks import tracefile

from ._address import ADDRESS_FILE, ServedAddress, served_address
from ._auth import cookie_name, cookie_value
from ._token import TOKEN_ENV, TOKEN_FILE, LiveToken, resolve_token, rotate_token

if TYPE_CHECKING:  # _settings imports ._token, which loads this package first
    from inspector_gateway._settings import InspectorSettings

__all__ = [
    "ADDRESS_FILE",
    "SECURITY_HEADERS",
    "LiveToken",
    "SecurityMiddleware",
    "ServedAddress",
    "TOKEN_ENV",
    "TOKEN_FILE",
    "TOKEN_HEADER",
    "relative_path",
    "resolve_token",
    "rotate_token",
    "safe_trace_path",
    "served_address",
    "validate_session_id",
]

TOKEN_HEADER = "x-inspector-token"
logger = logging.getLogger(__name__)
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_PUBLIC_PATHS = ("/health",)
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# sent on every response: no MIME sniffing, no framing (clickjacking of the resume form), no token in Referer
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
)


def validate_session_id(session_id: str) -> str:
    """Return ``session_id`` when it matches ``^[A-Za-z0-9_-]{6,128}$``, else raise ``InvalidSessionId``."""
    if not tracefile.valid_session_id(session_id):
        raise InvalidSessionId(f"session id must match ^{tracefile.SESSION_ID_PATTERN}$")
    return session_id


def safe_trace_path(traces_dir: Path, name: str) -> Path:
    """``traces_dir / name`` resolved, refusing anything outside ``traces_dir`` (symlinks included): the one rule,
    ``inspector_hooks.tracefile.resolve_inside``."""
    real = tracefile.resolve_inside(traces_dir, name)
    if real is None:
        raise InvalidSessionId("path escapes the traces directory")
    return real


def relative_path(scope: Scope) -> str:
    """The request path below the mount point (``/sessions`` for ``/_inspector/sessions``)."""
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return path or "/"


# a whole Host value: a bracketed IPv6 address or a name, then an optional numeric port; nothing else after
_HOST_RE = re.compile(r"(\[[0-9a-f:.%a-z]*\]|[^:\[\]]*)(?::[0-9]{1,5})?")


def _host_name(value: str) -> str:
    """The name part of a ``Host`` header value; the whole value (matching no allowed name) when it is malformed."""
    value = value.strip().lower()
    if ":" in value and "[" not in value and value.count(":") > 1:
        return value  # a bare IPv6 address
    match = _HOST_RE.fullmatch(value)
    return match.group(1) if match is not None else value


def _header(scope: Scope, name: bytes) -> str | None:
    for key, val in scope.get("headers", ()):
        if key == name:
            return bytes(val).decode("latin-1")
    return None


class SecurityMiddleware:
    """Refuses requests before any route runs: bad ``Host`` (403), missing/wrong token (401), cross-site ``Origin``
    on a state-changing request (403), announced bodies over the cap (413)."""

    def __init__(self, app: ASGIApp, settings: InspectorSettings, token: LiveToken | None = None) -> None:
        self.app = app
        self.settings = settings
        #: the accepted token (followed when it is the traces dir's stored one: a rotation needs no restart)
        self.token = token if token is not None else LiveToken(settings.token)
        self._for = ""
        self._token = b""
        self._cookie_name = ""
        self._cookie_value = b""
        self._hosts = LOOPBACK_HOSTS | set(settings.allowed_hosts)

    def _credentials(self) -> None:
        """The token, cookie name and cookie value accepted now (derived again when the token changed)."""
        token = self.token.current()
        if token != self._for:
            self._token = token.encode()
            self._cookie_name = cookie_name(token)
            self._cookie_value = cookie_value(token).encode()
            self._for = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *SECURITY_HEADERS]
            await send(message)

        problem = self._check(scope)
        if problem is not None:
            status, code, message = problem
            await error_response(status, code, message)(scope, receive, send_with_headers)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception:
            # a bug of ours: answered here (with the headers above) rather than by Starlette's outer error
            # middleware (which sends without them), logged once, never re-raised into the server
            logger.exception("inspector gateway error on %s", relative_path(scope))
            if not started:
                response = error_response(500, "internal_error", "internal error (see the server log)")
                await response(scope, receive, send_with_headers)

    def host_allowed(self, host: str | None) -> bool:
        if self.settings.expose and not self.settings.allowed_hosts:
            return True
        return host is not None and _host_name(host) in self._hosts

    def _check(self, scope: Scope) -> tuple[int, str, str] | None:
        host = _header(scope, b"host")
        if not self.host_allowed(host):
            return 403, "forbidden_host", "Host header is not a loopback or configured name"
        path = relative_path(scope)
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.settings.max_body_bytes
            except ValueError:
                return 400, "bad_request", "invalid Content-Length"
            if too_big:
                return 413, "payload_too_large", f"request bodies are limited to {self.settings.max_body_bytes} bytes"
        if path in _PUBLIC_PATHS or path == "/" or path == "/ui" or path.startswith(("/ui/", "/plugins/")):
            return None  # static files (the SPA, UI plugin scripts loaded by <script src>) hold no data
        via = self._authenticated_by(scope)
        if via is None:
            return 401, "unauthorized", "missing or wrong token (X-Inspector-Token header, ?token= or the auth cookie)"
        if scope.get("method", "GET") in _UNSAFE_METHODS and not self._origin_ok(scope, host, via == "cookie"):
            return 403, "forbidden_origin", "Origin does not match this inspector"
        return None

    def _authenticated_by(self, scope: Scope) -> str | None:
        """``header``, ``query`` or ``cookie``: the first credential supplied that is right; None when none is."""
        self._credentials()
        supplied = _header(scope, TOKEN_HEADER.encode())
        if supplied is not None:
            return "header" if hmac.compare_digest(supplied.encode("utf-8", "replace"), self._token) else None
        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        values = parse_qs(query).get("token")
        if values:
            return "query" if hmac.compare_digest(values[0].encode("utf-8", "replace"), self._token) else None
        cookies = _header(scope, b"cookie")
        if cookies is not None:
            found = cookie_parser(cookies).get(self._cookie_name)
            if found is not None and hmac.compare_digest(found.encode("utf-8", "replace"), self._cookie_value):
                return "cookie"
        return None

    def _origin_ok(self, scope: Scope, host: str | None, by_cookie: bool) -> bool:
        origin = _header(scope, b"origin")
        if origin is None:
            # not a browser: the token proved the caller; a cookie comes from a browser, which always sends Origin
            return not by_cookie
        parts = urlsplit(origin.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            return False
        netloc = parts.netloc.lower()
        return netloc in _origin_candidates(host, self.settings.allowed_hosts)


def _origin_candidates(host: str | None, allowed: Iterable[str]) -> set[str]:
    found = {h.lower() for h in allowed}
    if host:
        found.add(host.strip().lower())
    return found
