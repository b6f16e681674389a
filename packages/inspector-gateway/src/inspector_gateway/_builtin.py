"""The built-in plugin: trace-file and live session sources, and the file-scan search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .hookspecs import hookimpl
from .sessions._sources import LiveSource, TraceFileSource

if TYPE_CHECKING:
    from ._state import GatewayState
    from .types import SearchIndex, SessionSource

__all__ = ["inspector_search_index", "inspector_session_sources"]


@hookimpl
def inspector_session_sources(gateway: GatewayState) -> Sequence[SessionSource]:
    return [TraceFileSource(gateway), LiveSource(gateway)]


@hookimpl(trylast=True)
def inspector_search_index(gateway: GatewayState) -> SearchIndex | None:
    return gateway.file_scan_search()
