"""JSON responses: the error envelope ``{"error": {"code", "message"}}`` and a msgspec-encoded JSON response."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.responses import Response

__all__ = ["JSON", "error_response"]

_encoder = msgspec.json.Encoder()


class JSON(Response):
    """A JSON response encoded with msgspec (handles dataclasses, datetimes, msgspec Structs)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return _encoder.encode(content)


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """The one error shape of the API; never carries a stack trace."""
    return JSON({"error": {"code": code, "message": message}}, status_code=status, headers=headers)
