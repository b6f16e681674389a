"""Signals and cancels for Temporal sessions, through the Temporal client: from any process that mounts the
gateway, also the gateway alone (``mcp-agent-inspector serve``), with the rules of ``POST /signal`` and ``POST
/cancel`` for asyncio runs: ``unknown_session`` (404) when Temporal has no such execution, ``not_waiting`` (409)
when it has ended or (signal) its trace file says it waits on nothing, ``invalid_payload`` (422) when the payload
fails the waiting schema. What it waits on (signal name, schema) comes from the session's ``session_paused``
record, written by the worker that runs it."""

from __future__ import annotations

import logging
from typing import Any

from ._source import TemporalSource

__all__ = ["HUMAN_INPUT_PREFIX", "TemporalControl"]

logger = logging.getLogger(__name__)

HUMAN_INPUT_PREFIX = "__human_input__"  # mcp-agent's human-input signal names start with this


def _schema_problem(schema: Any, payload: dict[str, Any]) -> str | None:
    if not isinstance(schema, dict):
        return None
    try:
        import jsonschema  # type: ignore[import-untyped]
    except ImportError:
        missing = [k for k in schema.get("required", []) if k not in payload]
        return f"missing {', '.join(missing)}" if missing else None
    try:
        jsonschema.validate(payload, schema)
    except jsonschema.ValidationError as exc:
        return str(exc.message)
    except jsonschema.SchemaError:
        return None
    return None


def _value(signal_name: str, schema: Any, payload: dict[str, Any]) -> Any:
    """What the workflow receives: mcp-agent's HumanInputResponse shape for its human-input waits, the text of
    ``response`` for a plain ``str`` wait (the schema is then ``{response: string}``), else the payload."""
    if signal_name.startswith(HUMAN_INPUT_PREFIX):
        return {"request_id": signal_name, "response": payload.get("response"), "metadata": payload.get("metadata")}
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if isinstance(properties, dict) and set(properties) == {"response"} and isinstance(payload.get("response"), str):
        return payload["response"]
    return payload


class TemporalControl:
    """The session control of one Temporal service (its client is the source's)."""

    def __init__(self, source: TemporalSource) -> None:
        self.source = source

    async def _describe(self, session_id: str) -> tuple[Any, Any]:
        from temporalio.service import RPCError, RPCStatusCode

        client = await self.source.client()
        handle = client.get_workflow_handle(session_id)
        try:
            return handle, await handle.describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return handle, None
            raise

    def _waiting(self, session_id: str) -> dict[str, Any] | None:
        traces = getattr(self.source.gateway, "traces", None)
        if traces is None:
            return None
        for meta in traces.sessions():
            if meta.id == session_id:
                return meta.waiting if isinstance(meta.waiting, dict) else None
        return None

    async def signal(self, session_id: str, signal_name: str, payload: dict[str, Any]) -> tuple[str, str]:
        handle, described = await self._describe(session_id)
        if described is None:
            return "unknown_session", f"Temporal has no workflow execution {session_id}"
        if getattr(described.status, "name", "") != "RUNNING":
            return "not_waiting", f"the run has ended ({getattr(described.status, 'name', 'closed').lower()})"
        waiting = self._waiting(session_id)
        if waiting is None:
            return "not_waiting", "the run waits on no signal (its trace file records no pause)"
        name = str(waiting.get("signal_name") or "")
        if signal_name not in ("human_input_answer", "resume", name):
            return "not_waiting", f"the run waits on {name!r}, not {signal_name!r}"
        schema = waiting.get("schema")
        problem = _schema_problem(schema, payload)
        if problem is not None:
            return "invalid_payload", f"the payload does not fit the waiting schema: {problem}"
        await handle.signal(name, _value(name, schema, payload))
        return "ok", ""

    async def cancel(self, session_id: str) -> tuple[str, str]:
        handle, described = await self._describe(session_id)
        if described is None:
            return "unknown_session", f"Temporal has no workflow execution {session_id}"
        if getattr(described.status, "name", "") != "RUNNING":
            return "not_waiting", f"the run has ended ({getattr(described.status, 'name', 'closed').lower()})"
        await handle.cancel()
        return "ok", ""
