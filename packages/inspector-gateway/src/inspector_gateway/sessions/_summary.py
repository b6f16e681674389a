"""The fields every session source knows about a session, and how they become a ``GET /sessions`` row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspector_gateway.types import SessionInfo

__all__ = ["SessionSummary"]


@dataclass
class SessionSummary:
    """One session as a source sees it (SPEC §3); sources subclass it with what only they know."""

    id: str
    engine: str = "asyncio"
    title: str = ""
    started_at: str | None = None
    parent_session_id: str | None = None
    status: str = "running"
    ended_at: str | None = None
    error: str | None = None
    span_count: int = 0
    #: LLM tokens of its llm.generate spans: model -> [input, output, calls] (see ``_usage``)
    usage: dict[str, list[int]] | None = None

    def row(self, waiting: dict[str, Any] | None = None) -> SessionInfo:
        """The unified ``GET /sessions`` row; optional fields only when set."""
        row: SessionInfo = {
            "id": self.id,
            "status": self.status,
            "started_at": self.started_at,
            "engine": self.engine,
            "title": self.title or self.id,
            "span_count": self.span_count,
        }
        if self.ended_at:
            row["ended_at"] = self.ended_at
        if self.parent_session_id:
            row["parent_session_id"] = self.parent_session_id
        if self.error:
            row["error"] = self.error
        if waiting:
            row["waiting"] = waiting
        if self.usage:
            # raw here; GET /sessions prices it (``_usage.usage_row``)
            row["usage"] = {model: list(counts) for model, counts in self.usage.items()}
        return row
