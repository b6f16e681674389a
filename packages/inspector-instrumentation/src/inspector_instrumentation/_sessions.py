"""Session bookkeeping: ids, metadata, the live-session table, and the session_started/finished emits (SPEC §3)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from inspector_hooks import hooks, tracefile

__all__ = [
    "RunningSession",
    "afinish_session",
    "astart_session",
    "finish_session",
    "live_session",
    "live_sessions",
    "new_session_id",
    "outcome_of",
    "start_session",
    "valid_session_id",
]

logger = logging.getLogger(__name__)


@dataclass
class RunningSession:
    """A session that has started and not finished in this process."""

    session_id: str
    metadata: dict[str, Any]
    workflow: Any = None  # the mcp-agent Workflow for workflow-run sessions
    executor: Any = None  # the executor that runs it (for signals)
    cancel: Callable[[], Any] | None = None  # set while the run waits on mcp-agent's internal "cancel" signal
    extra: dict[str, Any] = field(default_factory=dict)


_live: dict[str, RunningSession] = {}


valid_session_id = tracefile.valid_session_id


def new_session_id() -> str:
    return uuid.uuid4().hex


def live_session(session_id: str) -> RunningSession | None:
    return _live.get(session_id)


def live_sessions() -> dict[str, RunningSession]:
    """A snapshot of the live sessions by id."""
    return dict(_live)


def start_session(
    session_id: str,
    *,
    engine: str,
    title: str,
    parent_session_id: str | None,
    app_name: str,
    extra: dict[str, Any] | None = None,
    workflow: Any = None,
    executor: Any = None,
    emit: bool = True,
) -> RunningSession:
    """Record a live session and emit ``session_started`` (sync emit: async subscribers are scheduled)."""
    metadata: dict[str, Any] = {
        "engine": engine,
        "title": title,
        "started_at": tracefile.utc_now(),
        "parent_session_id": parent_session_id,
        "app_name": app_name,
    }
    if extra:
        metadata.update({k: v for k, v in extra.items() if v is not None})
    record = RunningSession(session_id, metadata, workflow=workflow, executor=executor)
    _live[session_id] = record
    if emit and hooks.session_started:
        hooks.session_started.emit(session_id=session_id, metadata=dict(metadata))
    return record


async def astart_session(session_id: str, **kwargs: Any) -> RunningSession | None:
    """``start_session`` for async sites: async subscribers of ``session_started`` are awaited in order."""
    try:
        record = start_session(session_id, emit=False, **kwargs)
    except Exception:
        logger.warning("could not record session %s; ignored", session_id, exc_info=True)
        return None
    if hooks.session_started:
        await hooks.session_started.aemit(session_id=session_id, metadata=dict(record.metadata))
    return record


def finish_session(session_id: str, status: str, error: str | None) -> None:
    """Forget the live session and emit ``session_finished``; a second finish of one id is a no-op."""
    if _live.pop(session_id, None) is None:
        return
    if hooks.session_finished:
        hooks.session_finished.emit(session_id=session_id, status=status, error=error)


async def afinish_session(session_id: str, status: str, error: str | None) -> None:
    """``finish_session`` for async sites."""
    if _live.pop(session_id, None) is None:
        return
    if hooks.session_finished:
        await hooks.session_finished.aemit(session_id=session_id, status=status, error=error)


def outcome_of(exc: BaseException | None) -> tuple[str, str | None]:
    """Map how a run ended to a session status and error text."""
    if exc is None:
        return "completed", None
    if isinstance(exc, (asyncio.CancelledError, concurrent.futures.CancelledError)):
        return "cancelled", None
    text = str(exc)
    return "failed", f"{type(exc).__name__}: {text}" if text else type(exc).__name__
