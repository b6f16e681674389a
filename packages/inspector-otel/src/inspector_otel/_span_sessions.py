"""Which session each open span belongs to (the exporter's span -> session resolution).

A span starts in the session bound in ``inspector_hooks.context``, else in its parent's. A span with neither
waits: it joins the session of the first child that starts in one (with its waiting ancestors), else at its end
it takes the resource's ``session.id`` or the process's fallback session.
"""

from __future__ import annotations

from opentelemetry.sdk.trace import ReadableSpan, Span

from inspector_hooks import context as session_context

from ._session_book import SessionBook


class SpanSessions:
    """The session of every open span, and the open spans still waiting for one."""

    def __init__(self, book: SessionBook, fallback_session_id: str) -> None:
        self.book = book
        self.fallback_session_id = fallback_session_id
        self.fallback_used = False  # a span went to the fallback session (it ends with the process)
        self._sessions: dict[int, str | None] = {}  # open span id -> its session (None: waiting)
        self._waiting: dict[int, tuple[int | None, Span]] = {}  # span id -> (parent span id, span)

    def has_open_spans(self, session_id: str) -> bool:
        """True while a span started in ``session_id`` has not ended (read by the writer thread)."""
        return session_id in list(self._sessions.values())

    def at_start(self, parent_id: int | None) -> str | None:
        """The session a span starting now under ``parent_id`` belongs to; None when it must wait for one."""
        sid = session_context.get()
        if not (sid and self.book.valid(sid)):
            sid = self._sessions.get(parent_id) if parent_id is not None else None
        if sid is None:
            return None
        return self.book.live(sid)

    def wait(self, span_id: int, parent_id: int | None, span: Span) -> None:
        """A span without a session yet: decided when a child starts in a session, else at its end."""
        self._sessions[span_id] = None
        self._waiting[span_id] = (parent_id, span)

    def join(self, span_id: int, parent_id: int | None, session_id: str) -> list[Span]:
        """The span is in ``session_id``; returns its waiting ancestors, nearest first, now in that session too."""
        self._sessions[span_id] = session_id
        joined: list[Span] = []
        waiting = self._waiting
        while parent_id is not None and parent_id in waiting:
            grandparent_id, span = waiting.pop(parent_id)
            self._sessions[parent_id] = session_id
            joined.append(span)
            parent_id = grandparent_id
        return joined

    def ended(self, span_id: int) -> str | None:
        """The session of a span ending now, forgotten; None when it never joined one (see ``at_end``)."""
        sid = self._sessions.pop(span_id, None)
        if sid is None:
            self._waiting.pop(span_id, None)
        return sid

    def at_end(self, span: ReadableSpan) -> str:
        """The session of a span that ends without one: the bound one, the resource's, else the fallback."""
        sid = session_context.get()
        if sid and self.book.valid(sid):
            return sid
        rsid = span.resource.attributes.get("session.id")
        if isinstance(rsid, str) and self.book.valid(rsid):
            return rsid
        self.fallback_used = True
        return self.fallback_session_id
