"""The state of one mount, handed to plugins and routes."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._settings import InspectorSettings
from .events.sse import EventHub
from .security._token import LiveToken
from .sessions._live import LiveSessions
from .sessions._prices import PriceTable, load_prices
from .sessions._skeletons import Skeletons
from .sessions._tracefiles import TraceDirectory

if TYPE_CHECKING:
    import pluggy

    from .types import SearchIndex, SessionControl, SessionSource, UIAssets

__all__ = ["GatewayState", "PluginRecord"]

logger = logging.getLogger(__name__)


@dataclass
class PluginRecord:
    """A loaded or failed plugin, as shown at ``GET /plugins``."""

    name: str
    distribution: str | None = None
    version: str | None = None
    error: str | None = None


@dataclass
class GatewayState:
    """Settings, the event hub, the live registry and the trace directory of one mount, plus what plugins gave."""

    settings: InspectorSettings
    hub: EventHub
    live: LiveSessions
    traces: TraceDirectory
    pm: pluggy.PluginManager | None = None
    sources: list[SessionSource] = field(default_factory=list)
    controls: list[Any] = field(default_factory=list)  # for sessions run elsewhere (hook inspector_session_controls)
    search_index: SearchIndex | None = None
    session_control: SessionControl | None = None
    ui_assets: list[UIAssets] = field(default_factory=list)
    plugins: list[PluginRecord] = field(default_factory=list)
    failed_plugins: list[PluginRecord] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    #: token prices (the table, with ``INSPECTOR_PRICES`` over it), read once per mount
    prices: PriceTable = field(default_factory=load_prices)
    #: the skeleton sidecars of trace parts, rebuilt when missing or behind (``GET /trace/{id}/skeleton``)
    skeletons: Skeletons = field(init=False)
    #: the token accepted now (``create`` makes one that follows the traces dir's stored token)
    token: LiveToken | None = None

    def __post_init__(self) -> None:
        self.skeletons = Skeletons(self.settings.traces_dir)

    def current_token(self) -> str:
        """The API token accepted now (it changes when the stored token is rotated)."""
        return self.token.current() if self.token is not None else self.settings.token

    def close(self) -> None:
        """Stop what plugins started (a search index's background thread, when it has ``close()``); never raises."""
        close = getattr(self.search_index, "close", None)
        if callable(close):
            try:
                close()
            except Exception:
                logger.debug("closing the search index failed", exc_info=True)

    def file_scan_search(self) -> SearchIndex:
        """The built-in search over this mount's trace files (every byte, within a time budget; no index): the
        search when no index plugin is installed, and an index plugin's answer while its index is not ready."""
        from .search._filescan import FileScanSearch

        return FileScanSearch(self)

    @classmethod
    def create(cls, settings: InspectorSettings) -> GatewayState:
        hub = EventHub(
            ring_size=settings.ring_size, max_clients=settings.max_sse_clients, queue_size=settings.client_queue_size
        )
        live = LiveSessions(
            hub, heartbeat_interval=settings.heartbeat_interval, keep_finished=settings.keep_finished_sessions
        )
        traces = TraceDirectory(settings.traces_dir)
        live.on_change(traces.mark_dirty)
        token = LiveToken(settings.token, settings.token_file)
        return cls(settings=settings, hub=hub, live=live, traces=traces, token=token)
