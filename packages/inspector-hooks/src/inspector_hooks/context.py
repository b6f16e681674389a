"""The current session id, carried by a ``ContextVar`` so that it follows asyncio tasks and hook subscribers.

Usage::

    from inspector_hooks import context

    with context.bind("run-1234"):      # the session's code runs here
        ...
    context.get()                        # -> the current session id, or None outside any session

Hooks run in the emitter's context, so a subscriber reads the session with ``get()``; subscribers never mint ids.
``bind`` also works as the upstream decorator: ``@context.bind`` passes ``session_id=get()`` to a function that has a
``session_id`` parameter and was not given one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar, Token
from typing import Any, TypeVar, overload

__all__ = ["bind", "get", "reset", "set"]

_F = TypeVar("_F", bound=Callable[..., Any])

_session_id: ContextVar[str | None] = ContextVar("inspector_session_id", default=None)


def get() -> str | None:
    """The current session id, or None outside any session."""
    return _session_id.get()


def set(session_id: str | None) -> Token[str | None]:
    """Make ``session_id`` current in this context; returns the token for ``reset``."""
    return _session_id.set(session_id)


def reset(token: Token[str | None]) -> None:
    """Restore the session id that was current before the ``set`` that returned ``token``."""
    _session_id.reset(token)


@contextmanager
def _bound(session_id: str | None) -> Iterator[str | None]:
    token = _session_id.set(session_id)
    try:
        yield session_id
    finally:
        _session_id.reset(token)


@overload
def bind(target: str | None) -> AbstractContextManager[str | None]: ...
@overload
def bind(target: _F) -> _F: ...
def bind(target: Any) -> Any:
    """``with bind(session_id):`` makes it current for the block; ``@bind`` injects ``session_id=get()``."""
    if callable(target):
        return _inject_session_id(target)
    if target is not None and not isinstance(target, str):
        raise TypeError(f"a session id must be a str or None, not {type(target).__name__}")
    return _bound(target)


def _inject_session_id(fn: _F) -> _F:
    if "session_id" not in inspect.signature(fn).parameters:
        return fn
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("session_id", _session_id.get())
            return await fn(*args, **kwargs)

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("session_id", _session_id.get())
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
