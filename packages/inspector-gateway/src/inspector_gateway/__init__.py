"""The embedded HTTP/SSE gateway and UI of mcp-agent-inspector.

Usage::

    from inspector_gateway import mount

    mounted = mount()            # standalone on 127.0.0.1:7800 (INSPECTOR_PORT), in a background thread
    print(mounted.url)           # http://127.0.0.1:7800/_inspector/ui/?token=...
    mount(fastapi_app)           # or: add /_inspector to your Starlette/FastAPI app

Plugins implement the specs of ``inspector_gateway.hookspecs`` with ``@hookimpl`` and register under the
entry-point group ``mcp_agent_inspector.plugins``.

Layout: assembly at the top (``mount``, ``app``, ``plugins``, ``hookspecs``, ``types``, ``errors``, settings and
state); ``routes/`` the HTTP endpoints; ``sessions/`` the live registry, the trace directory and its files, the
session sources, writer liveness, OTLP, tokens and cost (its public names read a traces directory without a
gateway); ``events/`` the SSE hub and stream; ``search/`` the query syntax, snippets
and the file scan; ``security/`` id and path checks, the middleware, cookie auth, the API token.
"""

from typing import Any

from ._settings import DEFAULT_PORT, MOUNT_PATH, InspectorSettings, default_traces_dir, resolve_settings
from ._state import GatewayState, PluginRecord
from .errors import HTTPProblem, InspectorGatewayError, InvalidSessionId, PluginLoadError
from .hookspecs import hookimpl, hookspec
from .mount import Mounted, create_gateway, mount, serve
from .plugins import DEFAULT_PLUGINS, ENTRY_POINT_GROUP
from .types import (
    ControlOutcome,
    EventListener,
    SearchHit,
    SearchIndex,
    SearchPage,
    SearchQuery,
    SessionControl,
    SessionInfo,
    SessionSource,
    UIAssets,
)

__all__ = [
    # plugin assembly
    "DEFAULT_PLUGINS",
    # settings
    "DEFAULT_PORT",
    "MOUNT_PATH",
    "ENTRY_POINT_GROUP",
    # errors
    "HTTPProblem",
    "InspectorGatewayError",
    "InvalidSessionId",
    "PluginLoadError",
    # types
    "ControlOutcome",
    "EventListener",
    "GatewayState",
    "InspectorSettings",
    "Mounted",
    "PluginRecord",
    "SearchHit",
    "SearchIndex",
    "SearchPage",
    "SearchQuery",
    "SessionControl",
    "SessionInfo",
    "SessionSource",
    "UIAssets",
    # functions
    "create_gateway",
    "default_traces_dir",
    "hookimpl",
    "hookspec",
    "mount",
    "resolve_settings",
    "serve",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .routes._api import gateway_version

        return gateway_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
