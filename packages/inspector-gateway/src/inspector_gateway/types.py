"""The types plugins implement or receive: session sources, search indexes, session control, UI assets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TypedDict, runtime_checkable

__all__ = [
    "ControlOutcome",
    "EventListener",
    "SearchHit",
    "SearchIndex",
    "SearchPage",
    "SearchQuery",
    "SessionControl",
    "SessionInfo",
    "SessionSource",
    "UIAssets",
]


#: what a session-control call did: "ok", or why not (each maps to an HTTP status: 404, 409, 422)
ControlOutcome = Literal["ok", "unknown_session", "not_waiting", "invalid_payload"]


class SessionControl(Protocol):
    """Signals and cancels the sessions of this process (``POST /signal``, ``POST /cancel``).

    Each call returns ``(outcome, message)``: ``("ok", "")``, or the reason it did not act with a message for the
    user. An exception means the control itself failed (answered 409 ``signal_failed``/``cancel_failed``).
    """

    async def signal(
        self, session_id: str, signal_name: str, payload: dict[str, Any]
    ) -> tuple[ControlOutcome, str]: ...

    async def cancel(self, session_id: str) -> tuple[ControlOutcome, str]: ...


class SessionInfo(TypedDict, total=False):
    """One row of ``GET /sessions`` (``id``, ``status``, ``started_at``, ``engine``, ``title`` always present)."""

    id: str
    status: str
    started_at: str | None
    engine: str
    title: str
    ended_at: str | None
    parent_session_id: str | None
    span_count: int
    error: str | None
    waiting: dict[str, Any] | None
    usage: dict[str, Any] | None
    file_error: str | None
    input_json: str
    result_json: str


class SearchHit(TypedDict, total=False):
    """One result of ``GET /search``.

    ``snippet`` is readable text (attribute values, JSON values unwrapped), ``highlights`` the ``[start, end)``
    ranges of the match in it, in Unicode code points; ``field`` the attribute (or ``name``) the snippet is from.
    """

    session_id: str
    span_id: str | None
    name: str
    snippet: str
    highlights: list[list[int]]
    field: str | None
    kind: str | None
    status: str | None
    start_time: str | None
    score: float | None


@dataclass(frozen=True)
class SearchQuery:
    """A validated ``GET /search`` request.

    :param text: the query as typed: words (all must match), ``"quoted phrases"`` and ``prefix*`` words.
    :param limit: hits per page; ``offset`` the hits skipped before the page.
    :param session_id: only spans of this session; ``kind`` (OTel span kind or OpenInference kind, any case),
        ``status`` (``OK``/``ERROR``/``UNSET``), ``since``/``until`` (RFC 3339, on the span's start time) likewise.
    """

    text: str
    limit: int = 50
    offset: int = 0
    session_id: str | None = None
    kind: str | None = None
    status: str | None = None
    since: str | None = None
    until: str | None = None


class SearchPage(TypedDict, total=False):
    """What a search index answers (the gateway adds ``query`` and ``index``).

    ``total`` is the number of matching spans (every one, not the page); ``complete`` is false when the answer
    did not look at everything (a time budget ran out, or an index is still being built), ``unread`` then says
    what was not read and ``progress`` how far an index build is; ``refused`` names files never read (links out of the
    traces folder, non-files). ``ranked`` says whether hits are ordered by
    relevance (bm25) rather than by recency; ``ranked_within`` how many of the newest matches were ranked when not
    all were.
    """

    hits: list[SearchHit]
    total: int
    offset: int
    limit: int
    ranked: bool
    ranked_within: int
    complete: bool
    stopped_early: bool
    budget_seconds: float
    elapsed_ms: float
    unread: dict[str, Any]
    progress: dict[str, Any]
    refused: list[str]
    note: str


@runtime_checkable
class SessionSource(Protocol):
    """A provider of session rows; ``name`` appears in the ``errors`` field when it fails."""

    name: str

    async def list_sessions(self) -> list[SessionInfo]:
        """Every session this source knows, newest first or in any order (the gateway sorts)."""
        ...


@runtime_checkable
class SearchIndex(Protocol):
    """Search over span names and attributes."""

    name: str

    async def search(self, query: SearchQuery) -> SearchPage:
        """The page of hits for ``query`` (best first), with the true total and what was not read."""
        ...


@dataclass(frozen=True)
class UIAssets:
    """Static files a UI plugin ships, served at ``/_inspector/plugins/<name>/``; ``entry`` is its script."""

    name: str
    directory: Path
    entry: str = "index.js"


EventListener = Callable[[dict[str, Any]], None]
"""Called with every gateway event (the SSE payload dict) right after it is published; must be cheap."""
