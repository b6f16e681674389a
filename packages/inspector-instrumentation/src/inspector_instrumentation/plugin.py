"""The instrumentation as a plugin (entry point ``instrumentation`` in group ``mcp_agent_inspector.plugins``).

``BACKEND`` starts it from ``inspector_hooks.backends.install()`` (what ``mount()`` calls), and, when the gateway is
installed, ``inspector_session_control`` gives the gateway's ``POST /signal`` and ``POST /cancel`` this process's
sessions, answering with the gateway's outcomes instead of this package's exceptions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from inspector_hooks.backends import Backend

from . import control
from ._install import install, uninstall
from .errors import InvalidPayload, NotWaiting, UnknownSession

__all__ = ["BACKEND", "SessionControl", "inspector_session_control"]

logger = logging.getLogger(__name__)

_F = TypeVar("_F", bound=Callable[..., Any])

_marker: Any
try:  # the gateway's hook marker; without the gateway only BACKEND is used
    from inspector_gateway.hookspecs import hookimpl as _marker
except ImportError:
    _marker = None


def hookimpl(function: _F) -> _F:
    """Mark ``function`` as a gateway hook implementation (unchanged when the gateway is not installed)."""
    marked: _F = _marker(function) if _marker is not None else function
    return marked


def _start(options: Mapping[str, Any]) -> bool:
    if not options.get("enable_patch", True):
        return False
    return install()


BACKEND = Backend(
    install=_start,
    uninstall=uninstall,
    order=10,
    description="makes mcp-agent emit the hook catalogue; signals and cancels its sessions",
)


class SessionControl:
    """``inspector_gateway.types.SessionControl`` over ``control``: outcomes, not exceptions."""

    async def signal(self, session_id: str, signal_name: str, payload: dict[str, Any]) -> tuple[str, str]:
        try:
            await control.signal(session_id, signal_name, payload)
        except (UnknownSession, NotWaiting, InvalidPayload) as exc:
            return _outcome(exc), str(exc)
        return "ok", ""

    async def cancel(self, session_id: str) -> tuple[str, str]:
        try:
            await control.cancel(session_id)
        except (UnknownSession, NotWaiting, InvalidPayload) as exc:
            return _outcome(exc), str(exc)
        return "ok", ""


def _outcome(exc: Exception) -> str:
    if isinstance(exc, UnknownSession):
        return "unknown_session"
    if isinstance(exc, NotWaiting):
        return "not_waiting"
    return "invalid_payload"


_CONTROL = SessionControl()


@hookimpl
def inspector_session_control(gateway: Any) -> SessionControl:
    return _CONTROL
