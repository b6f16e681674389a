"""inspector-hooks: the zero-dependency instrumentation hook bus of mcp-agent-inspector.

Emitters (guarded, so an unheard hook costs what ``if ():`` costs)::

    from inspector_hooks import hooks

    if hooks.before_tool_call:
        hooks.before_tool_call.emit(tool_name=name, args=args, context=ctx)          # sync site
    if hooks.after_tool_call:
        await hooks.after_tool_call.aemit(tool_name=name, args=args, result=r, context=ctx)  # async site

Subscribers (sync or async, keyword arguments, accept ``**kwargs``)::

    import inspector_hooks

    def on_tool(**kwargs): ...
    inspector_hooks.register("before_tool_call", on_tool)
    inspector_hooks.unregister("before_tool_call", on_tool)

The upstream-compatible API (``mcp_agent.core.instrument``): ``register``, ``unregister``, ``await _emit(name, **kw)``.

Backends (the instrumentation of mcp-agent, the OTel exporter...: whatever distributions are installed, chosen by
extras such as ``pip install "inspector-gateway[otel]"``) start with one call, found through the entry-point group
``mcp_agent_inspector.plugins``; a backend that fails is reported and skipped::

    inspector_hooks.backends.install(traces_dir="~/.mcp_traces")   # -> tuple of BackendRecord
"""

from __future__ import annotations

from typing import Any

from . import backends, catalogue, context, hooks
from ._bus import Hook, Subscriber, hook, register, registry, subscribers, unregister
from ._bus import _registry as _hooks
from ._bus import emit_async as _emit

__all__ = [
    # the bus
    "Hook",
    "Subscriber",
    "_emit",
    "_hooks",
    "hook",
    "register",
    "registry",
    "subscribers",
    "unregister",
    # modules
    "backends",
    "catalogue",
    "context",
    "hooks",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("inspector-hooks")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
