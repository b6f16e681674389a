"""Acting on live asyncio sessions through mcp-agent's own executor (what the gateway's /signal and /cancel use).

Usage::

    from inspector_instrumentation import control, errors

    w = control.waiting(session_id)          # Waiting(signal_name, prompt, schema) or None
    await control.signal(session_id, "human_input_answer", {"response": "approved"})
    await control.cancel(session_id)

``signal_name`` is the waiting signal's own name, or one of the aliases ``"human_input_answer"`` and ``"resume"``,
which address whatever the session waits for. Payloads: human input and ``str`` signals take
``{"response": str}`` (mapped to mcp-agent's ``HumanInputResponse`` / the string); a pydantic ``signal_type`` takes a
dict validated by that model; elicitation takes the content dict, validated against the server's requested schema;
a sampling approval takes ``{"response": str}`` (``approve`` approves, anything else is the reason for rejecting).
Delivery uses ``executor.signal(name, payload, workflow_id, run_id)``; note that mcp-agent's asyncio signal bus wakes
every waiter of that name (human input names are unique per request). ``cancel`` wakes only this run's internal
``cancel`` wait (mcp-agent's own ``Workflow.cancel`` would wake every run's), so the run ends as ``cancelled``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from . import _sessions, _signals
from .errors import InvalidPayload, NotWaiting, UnknownSession

__all__ = ["ALIASES", "Waiting", "cancel", "signal", "waiting"]

logger = logging.getLogger(__name__)

ALIASES = frozenset({"human_input_answer", "resume"})


@dataclass(frozen=True)
class Waiting:
    """What a paused session waits for."""

    session_id: str
    signal_name: str
    prompt: str | None
    schema: dict[str, Any] | None
    kind: str  # "human_input" | "signal" | "elicitation" | "approval"


def _check_id(session_id: object) -> str:
    if not _sessions.valid_session_id(session_id):
        raise UnknownSession(f"not a session id: {session_id!r}")
    return str(session_id)


def waiting(session_id: str) -> Waiting | None:
    """The oldest wait of a session, or None when it does not wait (or is unknown)."""
    if not _sessions.valid_session_id(session_id):
        return None
    waits = _signals.current_waits(session_id)
    if not waits:
        return None
    w = waits[0]
    return Waiting(w.session_id, w.signal_name, w.prompt, w.schema, w.kind)


def _pick(session_id: str, signal_name: str) -> _signals.Wait:
    waits = _signals.current_waits(session_id)
    if not waits:
        if _sessions.live_session(session_id) is None:
            raise UnknownSession(f"no live session {session_id!r}")
        raise NotWaiting(f"session {session_id!r} is not waiting for a signal")
    for w in waits:
        if w.signal_name == signal_name:
            return w
    if signal_name in ALIASES:
        return waits[0]
    raise NotWaiting(f"session {session_id!r} waits for {waits[0].signal_name!r}, not {signal_name!r}")


def _response_text(payload: Any) -> str:
    if not isinstance(payload, dict) or not isinstance(payload.get("response"), str):
        raise InvalidPayload('the payload must be an object {"response": <string>}')
    return str(payload["response"])


def _convert(wait: _signals.Wait, payload: Any) -> Any:
    from mcp_agent.human_input.types import HumanInputResponse
    from pydantic import BaseModel, ValidationError

    if wait.kind == "human_input":
        return HumanInputResponse(request_id=wait.signal_name, response=_response_text(payload))
    if wait.kind == "approval":
        return _response_text(payload)
    if wait.kind == "elicitation":
        if not isinstance(payload, dict):
            raise InvalidPayload("the elicitation payload must be an object")
        _validate_schema(payload, wait.schema)
        return payload
    signal_type = wait.signal_type
    if signal_type is str or signal_type is None:
        return _response_text(payload)
    if isinstance(signal_type, type) and issubclass(signal_type, BaseModel):
        try:
            return signal_type.model_validate(payload)
        except ValidationError as exc:
            raise InvalidPayload(
                f"the payload does not match {signal_type.__name__}: {exc.error_count()} error(s)"
            ) from exc
    if signal_type is dict and not isinstance(payload, dict):
        raise InvalidPayload("the payload must be an object")
    return payload


def _validate_schema(payload: dict[str, Any], schema: dict[str, Any] | None) -> None:
    if not schema:
        return
    import jsonschema  # type: ignore[import-untyped]

    try:
        jsonschema.validate(payload, schema)
    except jsonschema.ValidationError as exc:
        raise InvalidPayload(f"the payload does not match the requested schema: {exc.message}") from exc
    except jsonschema.SchemaError:
        logger.warning("the requested elicitation schema is not a valid JSON schema; payload not checked")


async def signal(session_id: str, signal_name: str, payload: Any) -> None:
    """Resume a waiting session. Raises ``UnknownSession``, ``NotWaiting`` or ``InvalidPayload``."""
    sid = _check_id(session_id)
    wait = _pick(sid, signal_name)
    value = _convert(wait, payload)
    if wait.future is not None:  # elicitation, sampling approval: the inspector's answer wins the race
        if wait.future.done():
            raise NotWaiting(f"session {sid!r} is no longer waiting")
        wait.future.set_result(value)
        return
    await wait.executor.signal(wait.signal_name, payload=value, workflow_id=wait.workflow_id, run_id=wait.run_id)


async def cancel(session_id: str) -> None:
    """Cancel a live workflow run. Raises ``UnknownSession``, or ``NotWaiting`` for a session that is not a run."""
    sid = _check_id(session_id)
    record = _sessions.live_session(sid)
    if record is None:
        raise UnknownSession(f"no live session {sid!r}")
    workflow = record.workflow
    if workflow is None:
        raise NotWaiting(f"session {sid!r} is not a workflow run and cannot be cancelled")
    engine = record.metadata.get("engine")
    if engine == "temporal":
        registry: Any = getattr(getattr(workflow, "context", None), "workflow_registry", None)
        await registry.cancel_workflow(run_id=getattr(workflow, "_run_id", None), workflow_id=workflow.id)
        return
    if _wake_cancel_wait(workflow):
        return
    task = getattr(workflow, "_run_task", None)
    if task is None or task.done():
        raise NotWaiting(f"session {sid!r} has no running task")
    logger.info("run %s has no pending cancel wait; cancelling its task", sid)
    task.cancel()


def _wake_cancel_wait(workflow: Any) -> bool:
    """Wake the pending ``cancel`` wait registered by this run only (AsyncioSignalHandler internals)."""
    bus = getattr(getattr(workflow, "executor", None), "signal_bus", None)
    pending = getattr(bus, "_pending_signals", None)
    if not isinstance(pending, dict):
        return False
    woke = False
    for entry in list(pending.get(_signals.CANCEL_SIGNAL, ())):
        registration = getattr(entry, "registration", None)
        if getattr(registration, "run_id", None) == workflow.run_id:
            entry.value = None
            entry.event.set()
            woke = True
    return woke
