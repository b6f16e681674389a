"""The resource and prompt registry (architecture §2 ``ResourcePromptRegistry``): every resource URI and prompt
template used across the trace files, with the sessions and spans that used them. ``GET /registry``.

Read with the sessions' metadata (``_tracefiles``): a span line is decoded only when it names a resource or a
prompt (two substring tests otherwise), so the registry costs what the files grew by.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio.to_thread
import msgspec
from starlette.requests import Request
from starlette.responses import Response

from inspector_gateway._responses import JSON
from inspector_hooks import tracefile

if TYPE_CHECKING:
    from inspector_gateway._state import GatewayState

    from ._tracefiles import FileSession

__all__ = ["NEEDLES", "Uses", "registry_endpoint", "uses_of_line"]

#: kind -> name -> span ids (at most ``MAX_SPANS`` per name and session)
Uses = dict[str, dict[str, list[str]]]
MAX_SPANS = tracefile.MAX_USES  # the same cap as the trace files' summaries
NEEDLES = (b'"mcp.resource.uri"', b'"mcp.prompt.template_id"')


class _Attrs(msgspec.Struct):
    uri: str | None = msgspec.field(default=None, name="mcp.resource.uri")
    template: str | None = msgspec.field(default=None, name="mcp.prompt.template_id")


class _Span(msgspec.Struct):
    span_id: str = ""
    attributes: _Attrs = msgspec.field(default_factory=_Attrs)


_decode = msgspec.json.Decoder(_Span).decode


def uses_of_line(uses: Uses, line: bytes) -> None:
    """Record the resource URI / prompt template a span line names (call only when a needle is in the line)."""
    try:
        span = _decode(line)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return
    for kind, name in (("resource", span.attributes.uri), ("prompt", span.attributes.template)):
        if name:
            spans = uses.setdefault(kind, {}).setdefault(name, [])
            if len(spans) < MAX_SPANS and span.span_id not in spans:
                spans.append(span.span_id)


def build_registry(sessions: list[FileSession]) -> dict[str, Any]:
    """``{"resources": [...], "prompts": [...]}``, each entry ``{name, uses, sessions: [{id, title, started_at,
    status, spans}]}``, most used first; sessions newest first."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {"resource": {}, "prompt": {}}
    for session in sorted(sessions, key=lambda s: s.started_at or "", reverse=True):
        for kind, names in (session.uses or {}).items():
            for name, spans in names.items():
                found.setdefault(kind, {}).setdefault(name, []).append(
                    {
                        "id": session.id,
                        "title": session.title or session.id,
                        "started_at": session.started_at,
                        "status": session.status,
                        "spans": list(spans),
                    }
                )

    def entries(kind: str) -> list[dict[str, Any]]:
        rows = [
            {"name": name, "uses": sum(len(s["spans"]) for s in used), "sessions": used}
            for name, used in found.get(kind, {}).items()
        ]
        return sorted(rows, key=lambda r: (-r["uses"], r["name"]))

    return {"resources": entries("resource"), "prompts": entries("prompt")}


async def registry_endpoint(request: Request) -> Response:
    gateway: GatewayState = request.app.state.gateway
    sessions = await anyio.to_thread.run_sync(gateway.traces.sessions)
    return JSON(build_registry(sessions))
