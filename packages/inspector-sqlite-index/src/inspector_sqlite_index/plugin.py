"""The gateway plugin (entry point ``sqlite_index`` in group ``mcp_agent_inspector.plugins``).

It offers the search index (asked before the built-in file scan, which stays its fallback) and an event listener
that wakes the indexer when spans end. The indexer starts here, in its own thread, and stops with the gateway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from inspector_gateway import hookimpl

from .index import SqliteSearchIndex

if TYPE_CHECKING:
    from inspector_gateway import EventListener, GatewayState, SearchIndex

__all__ = ["inspector_event_listeners", "inspector_search_index"]

_KEY = "inspector_sqlite_index"


def _index(gateway: GatewayState) -> SqliteSearchIndex:
    index = gateway.extra.get(_KEY)
    if not isinstance(index, SqliteSearchIndex):
        index = gateway.extra[_KEY] = SqliteSearchIndex.for_gateway(gateway)
    return index


@hookimpl
def inspector_search_index(gateway: GatewayState) -> SearchIndex | None:
    index = _index(gateway)
    index.start()
    return index


@hookimpl
def inspector_event_listeners(gateway: GatewayState) -> Sequence[EventListener]:
    return [_index(gateway).on_event]
