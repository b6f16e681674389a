"""Errors raised by ``inspector_instrumentation`` (all under ``InstrumentationError``)."""

from __future__ import annotations

__all__ = ["InstrumentationError", "InvalidPayload", "NotWaiting", "UnknownSession"]


class InstrumentationError(Exception):
    """Base class of every error this package raises."""


class UnknownSession(InstrumentationError, LookupError):
    """No live session with this id is known to this process."""


class NotWaiting(InstrumentationError):
    """The session is live but not waiting for this signal (or for any signal)."""


class InvalidPayload(InstrumentationError, ValueError):
    """The signal payload does not match the schema the session is waiting for."""
