"""The counts of recent searches, kept while the index is unchanged.

A query's true total (and, past the rank window, the rowid where its window starts) takes one pass over every
match: ~40 ms for a word in a third of a million spans. Paging through the hits, or asking again, repeats the same
query on the same index, so the pass is done once per index state. The state is the index's ``instance`` (a random
id given when the database is created) and its ``writes`` counter (bumped by every indexer transaction), both in
the ``meta`` table; an index without them (never the case for one this version made) is not cached.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

__all__ = ["STATE_SQL", "CountCache"]

#: the index state: one row per key, ``instance`` and ``writes``
STATE_SQL = "SELECT key, value FROM meta WHERE key IN ('instance', 'writes')"


class CountCache:
    """``(total, bound)`` of up to ``size`` queries, for one index state at a time (a new state empties it)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._state: Hashable = None
        self._entries: OrderedDict[Hashable, tuple[int, int]] = OrderedDict()

    def state(self, rows: list[tuple[str, str]]) -> Hashable:
        """The state of the ``STATE_SQL`` rows (None: not cacheable); a state other than the last empties it."""
        values = dict(rows)
        state = (values["instance"], values.get("writes", "0")) if "instance" in values else None
        if state != self._state:
            self._entries.clear()
            self._state = state
        return state

    def get(self, state: Hashable, key: Hashable) -> tuple[int, int] | None:
        if state is None or state != self._state:
            return None
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, state: Hashable, key: Hashable, value: tuple[int, int]) -> None:
        if state is None or state != self._state:
            return
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()
        self._state = None
