"""``POST /signal/{id}`` and ``POST /cancel/{id}`` through ``inspector_instrumentation.control``."""

from __future__ import annotations

import importlib
import logging
import re
from types import ModuleType
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import inspector_hooks

from ._jsonin import BadJSON, decode_body
from ._responses import JSON, error_response
from ._state import GatewayState
from .errors import HTTPProblem, InvalidSessionId
from .security import validate_session_id

__all__ = ["SIGNAL_NAMES", "cancel_endpoint", "read_json_body", "signal_endpoint"]

logger = logging.getLogger(__name__)

SIGNAL_NAMES = frozenset({"human_input_answer", "resume", "pause"})
_SIGNAL_RE = re.compile(r"[A-Za-z0-9_.:-]{1,128}")


async def read_json_body(request: Request, limit: int) -> Any:
    """The request's JSON body, at most ``limit`` bytes (413 beyond, 400 when not JSON)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPProblem(413, "payload_too_large", f"request bodies are limited to {limit} bytes")
    if not body:
        return None
    try:
        return decode_body(bytes(body))
    except BadJSON as exc:
        raise HTTPProblem(400, "invalid_json", str(exc)) from None


def _control() -> ModuleType | None:
    try:
        return importlib.import_module("inspector_instrumentation.control")
    except ImportError:
        return None


def _errors() -> dict[str, type[BaseException]]:
    try:
        module = importlib.import_module("inspector_instrumentation.errors")
    except ImportError:
        return {}
    names = ("UnknownSession", "NotWaiting", "InvalidPayload")
    return {n: getattr(module, n) for n in names if isinstance(getattr(module, n, None), type)}


def _map_error(exc: Exception) -> Response | None:
    table = {
        "UnknownSession": (404, "unknown_session"),
        "NotWaiting": (409, "not_waiting"),
        "InvalidPayload": (422, "invalid_payload"),
    }
    for name, cls in _errors().items():
        if isinstance(exc, cls):
            status, code = table[name]
            return error_response(status, code, str(exc) or code.replace("_", " "))
    return None


def _precheck(request: Request) -> tuple[GatewayState, str] | Response:
    gateway: GatewayState = request.app.state.gateway
    try:
        sid = validate_session_id(request.path_params["session_id"])
    except InvalidSessionId as exc:
        return error_response(400, "invalid_session_id", str(exc))
    if gateway.settings.read_only:
        return error_response(403, "read_only", "control endpoints are off (INSPECTOR_READ_ONLY=1)")
    return gateway, sid


async def signal_endpoint(request: Request) -> Response:
    checked = _precheck(request)
    if isinstance(checked, Response):
        return checked
    gateway, sid = checked
    body = await read_json_body(request, gateway.settings.max_body_bytes)
    if not isinstance(body, dict):
        return error_response(400, "invalid_body", 'expected {"signal": "...", "payload": {...}}')
    signal_name, payload = body.get("signal"), body.get("payload", {})
    if not isinstance(signal_name, str) or _SIGNAL_RE.fullmatch(signal_name) is None or signal_name == "cancel":
        return error_response(
            400, "invalid_signal", f"signal must be one of {sorted(SIGNAL_NAMES)} or the waiting signal's name"
        )
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        return error_response(422, "invalid_payload", "payload must be a JSON object")
    control = _control()
    if control is None:
        return error_response(404, "unknown_session", "no controllable session (inspector-instrumentation missing)")
    try:
        # in the session's context: the spans mcp-agent records while delivering (its executor's signal span, with
        # the user's answer) belong to the run it resumes, not to an ``unscoped-<pid>`` session of this request
        with inspector_hooks.context.bind(sid):
            await control.signal(sid, signal_name, payload)
    except Exception as exc:
        unknown = _errors().get("UnknownSession")
        if unknown is not None and isinstance(exc, unknown) and gateway.traces.waits_elsewhere(sid):
            # its trace file says it waits, but no run of this process does: it runs in another process
            return error_response(
                404,
                "unknown_session",
                "this run waits in another process (its trace file is in the same folder): "
                "answer it from the inspector of the process that runs it",
            )
        mapped = _map_error(exc)
        if mapped is None:
            logger.warning("signal to %s failed", sid, exc_info=True)
            return error_response(409, "signal_failed", f"the signal could not be delivered: {type(exc).__name__}")
        return mapped
    gateway.live.on_session_resumed(session_id=sid, signal_name=signal_name)
    return JSON({"ok": True, "session_id": sid, "signal": signal_name})


async def cancel_endpoint(request: Request) -> Response:
    checked = _precheck(request)
    if isinstance(checked, Response):
        return checked
    _gateway, sid = checked
    control = _control()
    if control is None:
        return error_response(404, "unknown_session", "no controllable session (inspector-instrumentation missing)")
    try:
        with inspector_hooks.context.bind(sid):
            await control.cancel(sid)
    except Exception as exc:
        mapped = _map_error(exc)
        if mapped is None:
            logger.warning("cancel of %s failed", sid, exc_info=True)
            return error_response(409, "cancel_failed", f"the run could not be cancelled: {type(exc).__name__}")
        return mapped
    return JSON({"ok": True, "session_id": sid})
