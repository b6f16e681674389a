"""inspector-instrumentation: makes released mcp-agent 0.2.6 emit the inspector hook catalogue.

Usage::

    import inspector_instrumentation

    inspector_instrumentation.install()      # idempotent; INSPECTOR_ENABLE_PATCH=0 makes it a logged no-op
    ...                                      # run mcp-agent as usual: hooks fire, sessions are bound
    inspector_instrumentation.uninstall()    # restores every original attribute

    from inspector_instrumentation import control
    control.waiting(session_id)              # Waiting | None
    await control.signal(session_id, "human_input_answer", {"response": "yes"})
    await control.cancel(session_id)

    inspector_instrumentation.SITES["before_tool_call"]   # the 0.2.6 emit site of each hook
"""

from __future__ import annotations

from typing import Any

from . import control, errors
from ._agent import TOOL_RESOLVED
from ._event_bus import heal as heal_event_bus
from ._event_bus import stop_event_bus
from ._install import ENV_ENABLE_PATCH, install, installed, uninstall
from ._sites import NO_SITE, SITES
from .control import Waiting
from .errors import InstrumentationError, InvalidPayload, NotWaiting, UnknownSession

__all__ = [
    # install
    "ENV_ENABLE_PATCH",
    "install",
    "installed",
    "uninstall",
    # sites
    "NO_SITE",
    "SITES",
    "TOOL_RESOLVED",
    # control and errors
    "InstrumentationError",
    "InvalidPayload",
    "NotWaiting",
    "UnknownSession",
    "Waiting",
    "control",
    "errors",
    # fixes
    "heal_event_bus",
    "stop_event_bus",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("inspector-instrumentation")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
