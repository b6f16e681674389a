"""The pluggy hook specifications of the gateway (project name ``mcp_agent_inspector``).

Plugins are found through the entry-point group ``mcp_agent_inspector.plugins``; built-in parts are plugins too
(``inspector_gateway.plugins.DEFAULT_PLUGINS``). Every hook receives the ``gateway`` (``GatewayState``) by keyword.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from ._state import GatewayState
    from .types import EventListener, SearchIndex, SessionControl, SessionSource, UIAssets

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "mcp_agent_inspector"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def inspector_session_sources(gateway: GatewayState) -> Sequence[SessionSource]:
    """Return the session sources this plugin provides (may be empty).

    :param gateway: the state of this mount (settings, live registry, trace directory, event hub).
    Called once per mount(), after every plugin is registered; the results of all plugins are merged into
    ``GET /sessions``. A source that raises at request time is reported in the response's ``errors``.
    .. versionadded:: 0.1
    """
    raise NotImplementedError


@hookspec
def inspector_session_controls(gateway: GatewayState) -> Sequence[Any]:
    """Return controls for sessions that run elsewhere (a Temporal service), asked in order by ``POST /signal`` and
    ``POST /cancel`` when this process's own runs do not include the session.

    Each has ``async signal(session_id, signal_name, payload) -> (outcome, message)`` and ``async
    cancel(session_id) -> (outcome, message)``; ``outcome`` is ``ok``, ``unknown_session`` (the next control is
    asked), ``not_waiting`` or ``invalid_payload``. An exception is answered 409.

    :param gateway: the state of this mount.
    .. versionadded:: 0.1
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def inspector_search_index(gateway: GatewayState) -> SearchIndex | None:
    """Return the search index ``GET /search`` delegates to, or None to pass.

    :param gateway: the state of this mount.
    Called once per mount(), after every plugin is registered; the first non-None wins (plugins registered
    later are asked first, so an installed index plugin, such as inspector-sqlite-index, beats the built-in file
    scan). The index's ``search(SearchQuery) -> SearchPage`` answers each request; its ``close()``, when it has
    one, is called when the gateway stops.
    .. versionadded:: 0.1
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def inspector_session_control(gateway: GatewayState) -> SessionControl | None:
    """Return what signals and cancels this process's sessions (``POST /signal``, ``POST /cancel``), or None.

    :param gateway: the state of this mount.
    Called once per mount(), after every plugin is registered; the first non-None wins (the instrumentation of
    mcp-agent, ``inspector_instrumentation.plugin``, answers it). Without one, both endpoints answer 404.
    .. versionadded:: 0.1
    """
    raise NotImplementedError


@hookspec
def inspector_ui_assets(gateway: GatewayState) -> UIAssets | None:
    """Return the static assets of a UI plugin, or None.

    :param gateway: the state of this mount.
    Called once per mount(); each result is served at ``/_inspector/plugins/<name>/`` and listed in the UI's
    config blob so the SPA loads its entry script.
    .. versionadded:: 0.1
    """
    raise NotImplementedError


@hookspec
def inspector_event_listeners(gateway: GatewayState) -> Sequence[EventListener]:
    """Return callables to call with every gateway event (the SSE payload dicts).

    :param gateway: the state of this mount.
    Called once per mount(); listeners run on the publishing thread, must be cheap, and their exceptions are
    logged and ignored.
    .. versionadded:: 0.1
    """
    raise NotImplementedError


@hookspec
def inspector_routes(gateway: GatewayState) -> Sequence[BaseRoute]:
    """Return extra Starlette routes to add under ``/_inspector``.

    :param gateway: the state of this mount.
    Called once per mount(), before the app is built; the routes sit behind the same token, Host and Origin
    checks as the built-in ones.
    .. versionadded:: 0.1
    """
    raise NotImplementedError
