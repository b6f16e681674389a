"""Exceptions of inspector_gateway, all under ``InspectorGatewayError``."""

from __future__ import annotations

__all__ = ["HTTPProblem", "InspectorGatewayError", "InvalidSessionId", "PluginLoadError"]


class InspectorGatewayError(Exception):
    """Base class of every exception this package raises."""


class InvalidSessionId(InspectorGatewayError, ValueError):
    """A session id does not match ``^[A-Za-z0-9_-]{6,128}$``."""


class PluginLoadError(InspectorGatewayError):
    """A plugin could not be loaded (recorded, never raised into the host)."""


class HTTPProblem(InspectorGatewayError):
    """An error answered to the client as ``{"error": {"code", "message"}}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
