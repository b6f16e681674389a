"""JSON responses: the error envelope ``{"error": {"code", "message"}}`` and a msgspec-encoded JSON response."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.responses import Response

__all__ = ["JSON", "error_response", "fallback"]


def fallback(obj: Any) -> Any:
    """msgspec ``enc_hook``: anything it cannot encode becomes its (bounded) ``repr``, never an exception."""
    try:
        text = repr(obj)
    except Exception:
        text = f"<{type(obj).__name__}>"
    return text[:1000]


_encoder = msgspec.json.Encoder(enc_hook=fallback)


class JSON(Response):
    """A JSON response encoded with msgspec (handles dataclasses, datetimes, msgspec Structs)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return _encoder.encode(content)


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """The one error shape of the API; never carries a stack trace."""
    return JSON({"error": {"code": code, "message": message}}, status_code=status, headers=headers)
