"""The demo's human side: the human-input callback (answers now, or leaves the run paused) and the elicitation one.

A human-input request whose ``metadata`` says ``{"auto_answer": true}`` is answered at once. Any other request is
left waiting: the run stays paused in mcp-agent's ``executor.wait_for_signal`` until someone signals it (the
inspector's ``POST /signal``, or ``executor.signal(request_id, HumanInputResponse(...))``); the callback then ends
without answering, so it never answers twice.

Elicitation (a tool asking the user through MCP ``elicitation/create``) is answered by the demo after a short pause
that keeps the in-flight tool call visible (and paused in the inspector); an answer sent from the inspector's page
during that pause wins the race, and the demo's callback is then not waited for.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from mcp.types import ElicitRequestParams, ElicitResult, ErrorData
from mcp_agent.core.context import Context
from mcp_agent.human_input.types import HumanInputRequest, HumanInputResponse

logger = logging.getLogger(__name__)

AUTO_ANSWER = "approved (auto-answered by the demo)"
ELICIT_ANSWER = "yes, go ahead"
ELICIT_DELAY_S = 0.3
_POLL_S = 0.1
_NEVER_SEEN_S = 30.0


def make_human_input_callback(get_context: Any) -> Any:
    """The ``human_input_callback`` for ``MCPApp``; ``get_context()`` returns the app's running Context."""

    async def human_input(request: HumanInputRequest) -> HumanInputResponse:
        request_id = request.request_id or ""
        if (request.metadata or {}).get("auto_answer"):
            return HumanInputResponse(request_id=request_id, response=AUTO_ANSWER)
        await _wait_until_answered_elsewhere(get_context(), request_id)
        # the wait was signalled by someone else: end this task without signalling a second answer
        raise asyncio.CancelledError

    return human_input


async def _wait_until_answered_elsewhere(context: Context, request_id: str) -> None:
    """Poll the asyncio signal bus until the wait on ``request_id`` has appeared and then gone.

    Also returns if the wait never shows up within ``_NEVER_SEEN_S`` (the run ended before it waited).
    """
    pending: dict[str, Any] = getattr(getattr(context.executor, "signal_bus", None), "_pending_signals", {})
    seen = False
    polls_left = int(_NEVER_SEEN_S / _POLL_S)
    while seen or polls_left > 0:
        waiting = request_id in pending
        if seen and not waiting:
            return
        seen = seen or waiting
        polls_left -= 1
        await asyncio.sleep(_POLL_S)


async def elicitation_callback(request: ElicitRequestParams) -> ElicitResult | ErrorData:
    """Answer every elicitation with an accepting, schema-shaped answer."""
    await asyncio.sleep(ELICIT_DELAY_S)
    content: dict[str, str | int | float | bool | list[str] | None] = {}
    schema = getattr(request, "requestedSchema", None) or {}
    for name, spec in (schema.get("properties") or {}).items():
        kind = spec.get("type") if isinstance(spec, dict) else None
        content[name] = True if kind == "boolean" else 1 if kind in ("integer", "number") else ELICIT_ANSWER
    logger.info("demo answered an elicitation: %s", content)
    return ElicitResult(action="accept", content=content)
