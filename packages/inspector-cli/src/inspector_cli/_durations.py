"""Durations and times as the command line writes them: ``7d``, ``12h``, ``30m``, ``2w``, ``90s``."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import click

__all__ = ["DurationType", "format_duration", "parse_duration", "parse_time"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", re.IGNORECASE)


def parse_duration(text: str) -> timedelta:
    """``7d`` -> 7 days; raises ``ValueError`` for anything else."""
    match = _DURATION_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration like 30m, 12h, 7d or 2w")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2).lower()])


def parse_time(value: str | None) -> datetime | None:
    """An RFC 3339 time of a trace file (``...Z``, any fraction) as an aware datetime, None when absent or bad."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    if "." in text:  # Python 3.10's fromisoformat takes 3 or 6 fraction digits only
        head, rest = text.split(".", 1)
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = f"{head}.{rest[:digits][:6].ljust(6, '0')}{rest[digits:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def format_duration(seconds: float | None) -> str:
    """``1.2s``, ``350ms``, ``4m05s``, ``2h03m``; ``-`` when unknown."""
    if seconds is None or seconds < 0:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    if seconds < 60:
        return f"{seconds:.1f}s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m{int(seconds % 60):02d}s"
    return f"{int(seconds // 3600)}h{int(seconds % 3600 // 60):02d}m"


class DurationType(click.ParamType[timedelta]):
    """A click parameter type for ``7d``-style durations."""

    name = "duration"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> timedelta:
        if isinstance(value, timedelta):
            return value
        try:
            return parse_duration(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
