"""``POST /signal/{id}`` and ``POST /cancel/{id}`` through the mount's ``SessionControl`` (the plugin hook
``inspector_session_control``; the instrumentation of mcp-agent provides it), then, for a session no run of this
process has, the controls of ``inspector_session_controls`` (a Temporal service)."""

from __future__ import annotations

import logging
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import inspector_hooks
from inspector_gateway._jsonin import BadJSON, decode_body
from inspector_gateway._responses import JSON, error_response
from inspector_gateway._state import GatewayState
from inspector_gateway.errors import HTTPProblem, InvalidSessionId
from inspector_gateway.security import validate_session_id

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


_OUTCOME_STATUS = {"unknown_session": 404, "not_waiting": 409, "invalid_payload": 422}
_NO_CONTROL = "no controllable session (no session control installed: pip install 'inspector-gateway[otel]')"


def _in_another_process(state: str, action: str) -> Response:
    """404 for a run whose trace file (in this folder) says it is unfinished while no run of this process is it."""
    return error_response(
        404,
        "unknown_session",
        f"this run {state} in another process (its trace file is in the same folder): "
        f"{action} it from the inspector of the process that runs it",
    )


def _refused(outcome: str, message: str, failed_code: str) -> Response:
    """The answer to a control call that did not act (an outcome outside the protocol counts as a failure)."""
    status = _OUTCOME_STATUS.get(outcome)
    if status is None:
        return error_response(409, failed_code, f"the session control answered {outcome!r}")
    return error_response(status, outcome, message or outcome.replace("_", " "))


def _precheck(request: Request) -> tuple[GatewayState, str] | Response:
    gateway: GatewayState = request.app.state.gateway
    try:
        sid = validate_session_id(request.path_params["session_id"])
    except InvalidSessionId as exc:
        return error_response(400, "invalid_session_id", str(exc))
    if gateway.settings.read_only:
        return error_response(403, "read_only", "control endpoints are off (INSPECTOR_READ_ONLY=1)")
    return gateway, sid


async def _elsewhere(gateway: GatewayState, sid: str, action: str, *args: Any) -> Response | None:
    """Ask the controls of sessions run elsewhere (hook ``inspector_session_controls``: a Temporal service), in
    order, to act on ``sid``; None when none of them knows it."""
    for control in gateway.controls:
        try:
            outcome, message = await getattr(control, action)(sid, *args)
        except Exception as exc:
            logger.warning("%s of %s through %r failed", action, sid, control, exc_info=True)
            code = "signal_failed" if action == "signal" else "cancel_failed"
            return error_response(409, code, f"the {action} could not be delivered: {type(exc).__name__}")
        if outcome == "ok":
            if action == "signal":
                gateway.live.on_session_resumed(session_id=sid, signal_name=args[0])
                return JSON({"ok": True, "session_id": sid, "signal": args[0]})
            return JSON({"ok": True, "session_id": sid})
        if outcome != "unknown_session":
            return _refused(outcome, message, f"{action}_failed")
    return None


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
    control = gateway.session_control
    if control is None:
        return await _elsewhere(gateway, sid, "signal", signal_name, payload) or error_response(
            404, "unknown_session", _NO_CONTROL
        )
    try:
        # in the session's context: the spans mcp-agent records while delivering (its executor's signal span, with
        # the user's answer) belong to the run it resumes, not to an ``unscoped-<pid>`` session of this request
        with inspector_hooks.context.bind(sid):
            outcome, message = await control.signal(sid, signal_name, payload)
    except Exception as exc:
        logger.warning("signal to %s failed", sid, exc_info=True)
        return error_response(409, "signal_failed", f"the signal could not be delivered: {type(exc).__name__}")
    if outcome == "unknown_session":
        answered = await _elsewhere(gateway, sid, "signal", signal_name, payload)
        if answered is not None:
            return answered
    if outcome == "unknown_session" and gateway.traces.waits_elsewhere(sid):
        # its trace file says it waits, but no run of this process does: it runs in another process
        return _in_another_process("waits", "answer")
    if outcome != "ok":
        return _refused(outcome, message, "signal_failed")
    gateway.live.on_session_resumed(session_id=sid, signal_name=signal_name)
    return JSON({"ok": True, "session_id": sid, "signal": signal_name})


async def cancel_endpoint(request: Request) -> Response:
    checked = _precheck(request)
    if isinstance(checked, Response):
        return checked
    gateway, sid = checked
    control = gateway.session_control
    if control is None:
        return await _elsewhere(gateway, sid, "cancel") or error_response(404, "unknown_session", _NO_CONTROL)
    try:
        with inspector_hooks.context.bind(sid):
            outcome, message = await control.cancel(sid)
    except Exception as exc:
        logger.warning("cancel of %s failed", sid, exc_info=True)
        return error_response(409, "cancel_failed", f"the run could not be cancelled: {type(exc).__name__}")
    if outcome == "unknown_session":
        answered = await _elsewhere(gateway, sid, "cancel")
        if answered is not None:
            return answered
    if outcome == "unknown_session" and gateway.traces.unfinished_elsewhere(sid):
        return _in_another_process("runs", "cancel")
    if outcome != "ok":
        return _refused(outcome, message, "cancel_failed")
    return JSON({"ok": True, "session_id": sid})
