"""Ending SSE streams when the host's uvicorn shuts down.

uvicorn waits for open responses before it stops, and an event stream never ends by itself: a host app with an
inspector mounted would hang on Ctrl-C while a browser tab is open. ``watch_uvicorn_exit`` wraps
``uvicorn.Server.handle_exit`` (once, only when ``mount(app)`` is called, never at import) so that a shutdown
signal also ends every stream of every live hub. The same idea as sse-starlette's ``AppStatus``.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any

from .sse import EventHub

__all__ = ["watch_uvicorn_exit"]

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_hubs: weakref.WeakSet[EventHub] = weakref.WeakSet()
_patched = False


def _close_all() -> None:
    for hub in list(_hubs):
        try:
            hub.close_all()
        except Exception:
            logger.debug("closing SSE streams failed", exc_info=True)


def watch_uvicorn_exit(hub: EventHub) -> None:
    """Close ``hub``'s streams when any uvicorn server in this process handles an exit signal."""
    global _patched
    with _lock:
        _hubs.add(hub)
        if _patched:
            return
        try:
            from uvicorn.server import Server
        except ImportError:
            return
        original = Server.handle_exit

        def handle_exit(self: Any, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            _close_all()

        handle_exit.__wrapped__ = original  # type: ignore[attr-defined]
        Server.handle_exit = handle_exit  # type: ignore[method-assign]
        _patched = True
