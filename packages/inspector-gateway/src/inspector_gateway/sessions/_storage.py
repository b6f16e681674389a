"""The current state of trace storage, as the ``storage_error`` / ``storage_recovered`` hooks last told it.

The ``StorageError`` event is sent once, when writing starts failing; a page opened after it left the event ring
could not know that spans are not being saved. So the state is also kept here and carried by ``GET /sessions``
(``storage``) until a ``storage_recovered`` hook says the writer writes again.
"""

from __future__ import annotations

import threading
from typing import Any

from inspector_hooks import tracefile

__all__ = ["StorageState"]


class StorageState:
    """``ok`` until a storage error; then ``failing`` with its path, message and since when. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failing: dict[str, Any] | None = None

    def failed(self, path: str | None, message: str) -> None:
        with self._lock:
            since = self._failing["since"] if self._failing else tracefile.utc_now()
            self._failing = {"state": "failing", "path": path, "message": message, "since": since}

    def recovered(self) -> None:
        with self._lock:
            self._failing = None

    def current(self) -> dict[str, Any]:
        """``{"state": "ok"}`` or ``{"state": "failing", "path", "message", "since"}``."""
        with self._lock:
            return dict(self._failing) if self._failing else {"state": "ok"}
