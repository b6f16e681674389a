"""``GET /health``, ``GET /sessions``, ``GET /plugins``."""

from __future__ import annotations

import asyncio
import logging
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from inspector_gateway._responses import JSON
from inspector_gateway._state import GatewayState
from inspector_gateway.sessions._prices import PriceTable
from inspector_gateway.sessions._usage import usage_row
from inspector_gateway.types import SessionInfo

__all__ = [
    "gateway_version",
    "health_endpoint",
    "merge_sessions",
    "plugins_endpoint",
    "prices_endpoint",
    "sessions_endpoint",
]

logger = logging.getLogger(__name__)


def gateway_version() -> str:
    try:
        return version("inspector-gateway")
    except PackageNotFoundError:
        return "0.0.0"


async def health_endpoint(request: Request) -> Response:
    return JSON({"name": "mcp-agent-inspector", "version": gateway_version()})


def merge_sessions(rows: list[list[SessionInfo]]) -> list[SessionInfo]:
    """One row per id: a live (non-file) source's status and names win; the larger span count wins."""
    merged: dict[str, SessionInfo] = {}
    copied: set[str] = set()
    for batch in rows:
        for row in batch:
            sid = row.get("id")
            if not sid:
                continue
            known = merged.get(sid)
            if known is None:
                merged[sid] = row  # not copied: most ids come from one source only
                continue
            if sid not in copied:  # never mutate a source's own dict
                known = merged[sid] = dict(known)  # type: ignore[assignment]
                copied.add(sid)
            spans = max(int(known.get("span_count") or 0), int(row.get("span_count") or 0))
            usage = max((known.get("usage"), row.get("usage")), key=_tokens)
            for key, value in row.items():
                if value is not None and (key not in known or known.get(key) in (None, "") or key == "status"):
                    known[key] = value  # type: ignore[literal-required]
            known["span_count"] = spans
            if usage:
                known["usage"] = usage
    return sorted(merged.values(), key=_newest_first, reverse=True)


def _tokens(usage: Any) -> int:
    """Total tokens of a raw usage (model -> [input, output, calls]); the source that saw more wins."""
    if not isinstance(usage, dict):
        return -1
    return sum(int(c[0]) + int(c[1]) for c in usage.values() if isinstance(c, list) and len(c) >= 2)


def _priced(rows: list[SessionInfo], prices: PriceTable) -> list[SessionInfo]:
    """Rows with their raw ``usage`` replaced by totals and costs (copies; a source's own dicts stay as they are)."""
    out: list[SessionInfo] = []
    for row in rows:
        raw = row.get("usage")
        if isinstance(raw, dict) and raw and "models" not in raw:
            row = {**row, "usage": usage_row(raw, prices)}
        out.append(row)
    return out


def _newest_first(row: SessionInfo) -> tuple[str, str]:
    return row.get("started_at") or "", row.get("id", "")


async def sessions_endpoint(request: Request) -> Response:
    gateway: GatewayState = request.app.state.gateway
    results = await asyncio.gather(*(s.list_sessions() for s in gateway.sources), return_exceptions=True)
    batches: list[list[SessionInfo]] = []
    errors: dict[str, str] = {}
    # file sources first so that live sources (later) override their status
    for source, result in sorted(zip(gateway.sources, results, strict=False), key=lambda p: p[0].name != "trace_files"):
        if isinstance(result, BaseException):
            logger.warning("session source %r failed: %r", source.name, result)
            errors[source.name] = f"{type(result).__name__}: {result}"
        else:
            batches.append(result)
    body: dict[str, Any] = {
        "sessions": _priced(merge_sessions(batches), gateway.prices),
        "storage": gateway.live.storage.current(),
    }
    if errors:
        body["errors"] = errors
        body["error"] = "; ".join(f"{k}: {v}" for k, v in errors.items())
        if "temporal" in errors:
            body["temporal_error"] = errors["temporal"]
    return JSON(body)


async def prices_endpoint(request: Request) -> Response:
    gateway: GatewayState = request.app.state.gateway
    return JSON(gateway.prices.as_json())


async def plugins_endpoint(request: Request) -> Response:
    gateway: GatewayState = request.app.state.gateway
    return JSON(
        {
            "plugins": [vars(p) for p in gateway.plugins],
            "failed": [vars(p) for p in gateway.failed_plugins],
            "search_index": getattr(gateway.search_index, "name", None),
            "ui_assets": [{"name": a.name, "entry": a.entry} for a in gateway.ui_assets],
        }
    )
