"""The exporter's record of sessions: which ids are valid, each running session's parent, the recently finished.

Work that starts after its session ended (an agent a workflow run created, shut down by the app's cleanup later)
belongs to the session that is still running: ``live`` maps a finished session to its nearest unfinished ancestor.
Every table is bounded.
"""

from __future__ import annotations

from typing import Any

from inspector_hooks import tracefile

MAX_VALID_IDS = 4096  # the valid-id cache is emptied past this many
MAX_REMEMBERED = 10_000  # parents of running sessions, and finished sessions, kept at most
MAX_ANCESTORS = 32  # how far ``live`` climbs


class SessionBook:
    """Session ids seen by the exporter, with their parents and whether they finished."""

    def __init__(self) -> None:
        self._valid_ids: set[str] = set()  # session ids that passed ``valid`` (checked once each)
        self._parents: dict[str, str] = {}  # running session -> its parent session
        self._finished: dict[str, str | None] = {}  # finished session -> its parent session (recent ones)

    def valid(self, session_id: str) -> bool:
        """True when ``session_id`` is a valid session id (cached)."""
        if session_id in self._valid_ids:
            return True
        if not tracefile.valid_session_id(session_id):
            return False
        if len(self._valid_ids) > MAX_VALID_IDS:
            self._valid_ids.clear()
        self._valid_ids.add(session_id)
        return True

    def started(self, session_id: str, parent: Any) -> None:
        """A session started; ``parent`` is its parent session id when it has a valid one."""
        if tracefile.valid_session_id(parent):
            self._parents[session_id] = parent
            _trim(self._parents)

    def finished(self, session_id: str) -> None:
        """A session ended: later work in it goes to its nearest unfinished ancestor (see ``live``)."""
        self._finished[session_id] = self._parents.pop(session_id, None)
        _trim(self._finished)

    def live(self, session_id: str) -> str:
        """``session_id``, or for a session already finished its nearest unfinished ancestor session."""
        finished = self._finished
        if not finished or session_id not in finished:
            return session_id
        seen = 0
        while session_id in finished and seen < MAX_ANCESTORS:
            parent = finished[session_id]
            if parent is None:
                break
            session_id, seen = parent, seen + 1
        return session_id


def _trim(table: dict[str, Any], limit: int = MAX_REMEMBERED) -> None:
    """Forget the oldest entries of a bookkeeping table past ``limit``."""
    while len(table) > limit:
        del table[next(iter(table))]
