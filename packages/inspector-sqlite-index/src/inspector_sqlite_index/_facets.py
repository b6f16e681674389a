"""Facet tokens: a span's session, kind and status as single words of the ``facets`` FTS5 column, so that filters
are part of the MATCH (intersected in the full-text index) instead of a check of every matching row.

A token is a fixed prefix and the value with everything but ``a-z0-9`` dropped, so ``unicode61`` keeps it one word.
Session ids may collide that way (``ab-c1234`` / ``abc-1234``); the session filter is checked exactly as well.
"""

from __future__ import annotations

import re

__all__ = ["facet_filter", "facets_of"]

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _token(kind: str, value: str) -> str:
    return f"xf{kind}{_NOT_WORD.sub('', value.lower())}"


def facets_of(session_id: str, kind: str | None, category: str | None, status: str | None) -> str:
    """The ``facets`` text of one span."""
    parts = [_token("session", session_id), _token("status", status or "unset")]
    if kind:
        parts.append(_token("kind", kind))
    if category:
        parts.append(_token("cat", category))
    return " ".join(parts)


def facet_filter(*, session_id: str | None, kind: str | None, status: str | None) -> str:
    """FTS5 conditions on the ``facets`` column for the given filters (empty when none)."""
    parts: list[str] = []
    if session_id is not None:
        parts.append(f"facets : {_token('session', session_id)}")
    if kind is not None:
        parts.append(f"facets : ({_token('kind', kind)} OR {_token('cat', kind)})")
    if status is not None:
        parts.append(f"facets : {_token('status', status)}")
    return "".join(f" AND {part}" for part in parts)
