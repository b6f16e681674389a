"""A thread-safe least-recently-used map bounded by the sizes of its values (the gateway's in-memory caches)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["SizedLru"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SizedLru(Generic[K, V]):
    """Values with their sizes, at most ``max_size`` in all (the least recently used go first; the latest put stays
    even when it alone is larger). Each call holds the map's lock only for the map operation."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._lock = threading.Lock()
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._total = 0

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V, size: int) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._total -= old[1]
            self._items[key] = (value, size)
            self._total += size
            while self._total > self.max_size and len(self._items) > 1:
                _, (_, gone) = self._items.popitem(last=False)
                self._total -= gone

    def pop(self, key: K) -> V | None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is None:
                return None
            self._total -= old[1]
            return old[0]

    @property
    def total(self) -> int:
        """The sum of the sizes kept."""
        return self._total
