"""JSON that comes from outside (request bodies, trace-file lines): the errors a decode may raise, and a depth cap.

msgspec raises ``DecodeError`` for bad syntax, ``UnicodeDecodeError`` (a ``ValueError``) for invalid UTF-8 inside a
string and ``RecursionError`` past its own nesting limit; all three mean "not usable JSON". A body that decodes
is still refused past ``MAX_DEPTH`` levels: the payload of a signal travels on into the host's workflow, and later
into recursive encoders (``json.dumps``) that a deeper value would break there.
"""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["DECODE_ERRORS", "MAX_DEPTH", "BadJSON", "decode_body"]

MAX_DEPTH = 64
DECODE_ERRORS: tuple[type[BaseException], ...] = (msgspec.DecodeError, ValueError, RecursionError)


class BadJSON(ValueError):
    """The bytes are not JSON the gateway accepts; the message says why (for a 400 answer)."""


def depth(value: Any, limit: int) -> int:
    """The nesting depth of a decoded value (a scalar is 0), counting no further than ``limit + 1``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level) for child in children)
    return deepest


def decode_body(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value of ``data``; ``BadJSON`` when it is not JSON, not UTF-8, or nested deeper than ``max_depth``."""
    try:
        value = msgspec.json.decode(data)
    except RecursionError:
        raise BadJSON(f"the body is JSON nested deeper than {max_depth} levels") from None
    except DECODE_ERRORS as exc:
        reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else "not valid JSON"
        raise BadJSON(f"the body is {reason}") from None
    if depth(value, max_depth) > max_depth:
        raise BadJSON(f"the body is JSON nested deeper than {max_depth} levels")
    return value
