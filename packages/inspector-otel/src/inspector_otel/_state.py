"""``@dump_state_to_span`` and ``capture_state``: application state as ``mcp.result.*_json`` / ``mcp.state.*_json``."""

from __future__ import annotations

import functools
import inspect
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar, overload

from opentelemetry import trace

from ._attrs import set_json

logger = logging.getLogger(__name__)

_F = TypeVar("_F", bound=Callable[..., Any])
_NON_WORD = re.compile(r"[^0-9A-Za-z_]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _key_part(description: str) -> str:
    """snake_case of a description: ``"Router decision"`` → ``router_decision``, ``planResult`` → ``plan_result``."""
    text = _CAMEL.sub("_", description.strip())
    return _NON_WORD.sub("_", text).strip("_").lower() or "value"


def _replaying() -> bool:
    import sys

    module = sys.modules.get("temporalio.workflow")  # only a process that imported Temporal can be replaying
    if module is None:
        return False
    try:
        return bool(module.unsafe.is_replaying())
    except Exception:  # not inside a Temporal workflow
        return False


def capture_state(name: str, obj: Any) -> None:
    """Set ``mcp.state.<name>_json`` on the current span to the JSON of ``obj`` (cut at 30,720 chars; never raises).

    Skipped when no span is recording and during Temporal history replay.
    """
    try:
        span = trace.get_current_span()
        if not span.is_recording() or _replaying():
            return
        set_json(span, f"mcp.state.{_key_part(name)}_json", obj)
    except Exception:
        logger.debug("capture_state(%r) failed", name, exc_info=True)


def _record_result(description: str, value: Any) -> None:
    try:
        span = trace.get_current_span()
        if span.is_recording() and not _replaying():
            set_json(span, f"mcp.result.{description}_json", value)
    except Exception:
        logger.debug("dump_state_to_span(%r) failed", description, exc_info=True)


@overload
def dump_state_to_span(fn: _F, /) -> _F: ...
@overload
def dump_state_to_span(*, description: str | None = None) -> Callable[[_F], _F]: ...
def dump_state_to_span(fn: Any = None, /, *, description: str | None = None) -> Any:
    """Record a function's return value as ``mcp.result.<description>_json`` on the current span.

    ``description`` defaults to the function's name (snake_cased). Works on sync and async functions,
    bare (``@dump_state_to_span``) or called (``@dump_state_to_span(description="plan")``).
    """

    def decorate(func: _F) -> _F:
        key = _key_part(description or func.__name__)
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                result = await func(*args, **kwargs)
                _record_result(key, result)
                return result

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = func(*args, **kwargs)
            _record_result(key, result)
            return result

        return wrapper  # type: ignore[return-value]

    if fn is not None:
        return decorate(fn)
    return decorate
