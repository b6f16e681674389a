"""The types plugins implement or receive: session sources, search indexes, UI assets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypedDict, runtime_checkable

__all__ = ["EventListener", "SearchHit", "SearchIndex", "SessionInfo", "SessionSource", "UIAssets"]


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
    file_error: str | None


class SearchHit(TypedDict, total=False):
    """One result of ``GET /search``."""

    session_id: str
    span_id: str | None
    name: str
    snippet: str
    score: float


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

    async def search(self, query: str, *, limit: int) -> list[SearchHit]:
        """At most ``limit`` hits for ``query``, best first."""
        ...


@dataclass(frozen=True)
class UIAssets:
    """Static files a UI plugin ships, served at ``/_inspector/plugins/<name>/``; ``entry`` is its script."""

    name: str
    directory: Path
    entry: str = "index.js"


EventListener = Callable[[dict[str, Any]], None]
"""Called with every gateway event (the SSE payload dict) right after it is published; must be cheap."""
