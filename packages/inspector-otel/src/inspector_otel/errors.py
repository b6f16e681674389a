"""Exceptions of inspector_otel, all under one base class.

Nothing here is ever raised into the user's agent: the exporter and the subscribers log and report
failures through the ``storage_error`` hook. These types are for callers of the explicit API.
"""

from __future__ import annotations

__all__ = ["InspectorOtelError", "InvalidSessionIdError", "TraceFileError"]


class InspectorOtelError(Exception):
    """Base class of every inspector_otel error."""


class InvalidSessionIdError(InspectorOtelError, ValueError):
    """A session id does not match ``^[A-Za-z0-9_-]{6,128}$`` and cannot name a trace file."""


class TraceFileError(InspectorOtelError, OSError):
    """A trace file could not be read (used by :mod:`inspector_otel.testing`)."""
