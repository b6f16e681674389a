"""``GET /search``: the query parameters validated into a ``SearchQuery``, answered by the search index in use.

Bad parameters are 400s; an index that fails answers 200 with ``error`` (the UI shows it), never a 500.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from inspector_gateway._responses import JSON, error_response
from inspector_gateway._state import GatewayState
from inspector_gateway.errors import InvalidSessionId
from inspector_gateway.search import parse_query
from inspector_gateway.security import validate_session_id
from inspector_gateway.types import SearchQuery

__all__ = ["MAX_OFFSET", "parse_search_query", "search_endpoint"]

logger = logging.getLogger(__name__)

MAX_OFFSET = 10_000
_STATUSES = ("OK", "ERROR", "UNSET")
# the same rule as docs/openapi.yaml's pattern for `kind` (ASCII only: str.isalnum() let other scripts through and
# refused "_", which the contract allows)
_KIND = re.compile(r"[A-Za-z0-9_]{1,32}")


class _BadParam(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _int(params: Any, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _BadParam(f"invalid_{name}", f"{name} must be an integer") from None
    if not low <= value <= high:
        raise _BadParam(f"invalid_{name}", f"{name} must be within {low}-{high}")
    return value


def _time(params: Any, name: str) -> str | None:
    """An RFC 3339 time, normalised to the trace files' form (UTC, microseconds, ``Z``) so strings compare."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        parsed = datetime.fromisoformat(raw.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    except (ValueError, OverflowError):  # OverflowError: a valid time whose UTC falls outside years 1-9999
        raise _BadParam(f"invalid_{name}", f"{name} must be an RFC 3339 time") from None


def parse_search_query(params: Any) -> SearchQuery:
    """The ``SearchQuery`` of a request's query parameters; raises ``ValueError`` (with ``code``) on bad input."""
    text = params.get("q", "")
    if not text or len(text) > 256:
        raise _BadParam("invalid_query", "q must be 1-256 characters")
    session = params.get("session") or None
    if session is not None:
        try:
            session = validate_session_id(session)
        except InvalidSessionId as exc:
            raise _BadParam("invalid_session_id", str(exc)) from None
    kind = params.get("kind") or None
    if kind is not None and not _KIND.fullmatch(kind):
        raise _BadParam("invalid_kind", "kind must be a span kind (e.g. CLIENT, LLM, TOOL)")
    status = params.get("status") or None
    if status is not None:
        status = status.upper()
        if status not in _STATUSES:
            raise _BadParam("invalid_status", "status must be OK, ERROR or UNSET")
    query = SearchQuery(
        text=text.strip(),
        limit=_int(params, "limit", 50, 1, 500),
        offset=_int(params, "offset", 0, 0, MAX_OFFSET),
        session_id=session,
        kind=kind,
        status=status,
        since=_time(params, "since"),
        until=_time(params, "until"),
    )
    return query


async def search_endpoint(request: Request) -> Response:
    gateway: GatewayState = request.app.state.gateway
    try:
        query = parse_search_query(request.query_params)
    except _BadParam as exc:
        return error_response(400, exc.code, str(exc))
    index = gateway.search_index
    name = getattr(index, "name", None)
    empty: dict[str, Any] = {"query": query.text, "hits": [], "total": 0, "offset": query.offset, "limit": query.limit}
    if index is None or not parse_query(query.text):
        return JSON({**empty, "index": name, "complete": True})
    try:
        page = await index.search(query)
    except Exception as exc:
        logger.debug("search index %r failed", name, exc_info=True)
        return JSON({**empty, "index": name, "complete": False, "error": f"{type(exc).__name__}: {exc}"})
    return JSON({"query": query.text, "index": name, **page})
