"""The exporter's storage hooks (``storage_error``/``storage_recovered``), emitted on the event loop.

The writer thread notices storage failing and recovering; subscribers expect hooks on the event loop, so each is
handed to the loop that last started a span or session (remembered by ``remember_loop``), else emitted from the
calling thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any

from inspector_hooks import hooks


class StorageHooks:
    """Emits the storage hooks on the remembered event loop."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None

    def remember_loop(self) -> None:
        """Remember the running event loop (none running: keep the last one)."""
        with contextlib.suppress(RuntimeError):
            self.loop = asyncio.get_running_loop()

    def error(self, path: str, message: str, exc: BaseException) -> None:
        if hooks.storage_error:
            self._call_in_loop(hooks.storage_error.emit, path=path, message=message, exc=exc)

    def recovered(self, path: str) -> None:
        if hooks.storage_recovered:
            self._call_in_loop(hooks.storage_recovered.emit, path=path)

    def _call_in_loop(self, fn: Any, **kwargs: Any) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed() and threading.current_thread() is not threading.main_thread():
            try:
                loop.call_soon_threadsafe(lambda: fn(**kwargs))
                return
            except RuntimeError:
                pass
        fn(**kwargs)
