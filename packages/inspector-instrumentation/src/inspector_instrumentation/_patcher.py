"""Reversible attribute replacement: every patch remembers what it replaced so ``uninstall`` can restore it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Patcher", "safe"]

logger = logging.getLogger(__name__)

_MISSING = object()


@dataclass
class _Patch:
    owner: Any
    name: str
    original: Any  # the value found in owner.__dict__, or _MISSING


class Patcher:
    """Replaces attributes on classes and restores them, newest first."""

    def __init__(self) -> None:
        self._patches: list[_Patch] = []
        self._keys: set[tuple[int, str]] = set()

    def patch(self, owner: Any, name: str, make: Callable[[Any], Any], *, inherit: bool = False) -> bool:
        """Set ``owner.name = make(original)``; ``original`` is the attribute as found in ``owner.__dict__``.

        When ``owner`` does not define it itself, ``original`` is None, or with ``inherit=True`` the inherited
        attribute (``getattr(owner, name)``); ``uninstall`` then deletes our attribute again.

        Returns False (and changes nothing) when this owner/name is already patched.
        """
        key = (id(owner), name)
        if key in self._keys:
            return False
        original = owner.__dict__.get(name, _MISSING)
        found = (getattr(owner, name) if inherit else None) if original is _MISSING else original
        replacement = make(found)
        setattr(owner, name, replacement)
        self._patches.append(_Patch(owner, name, original))
        self._keys.add(key)
        return True

    def is_patched(self, owner: Any, name: str) -> bool:
        return (id(owner), name) in self._keys

    def restore_all(self) -> None:
        """Put every original back (newest patch first); a failure to restore one is logged, not raised."""
        while self._patches:
            entry = self._patches.pop()
            try:
                if entry.original is _MISSING:
                    delattr(entry.owner, entry.name)
                else:
                    setattr(entry.owner, entry.name, entry.original)
            except Exception:
                logger.exception("could not restore %r.%s", entry.owner, entry.name)
        self._keys.clear()

    def __len__(self) -> int:
        return len(self._patches)


def safe(what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call our own helper ``fn``; if it fails, log and return None so the host's code still runs."""
    try:
        return fn(*args, **kwargs)
    except Exception:
        logger.warning("inspector instrumentation failed in %s; ignored", what, exc_info=True)
        return None
