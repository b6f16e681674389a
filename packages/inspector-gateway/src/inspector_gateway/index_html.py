"""Serving the built UI: ``index.html`` with an injected config blob, assets, SPA fallback, "not built" page."""

from __future__ import annotations

import html
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ._responses import error_response
from ._state import GatewayState

__all__ = ["STATIC_DIR", "file_inside", "render_index", "root_redirect", "ui_endpoint"]

STATIC_DIR = Path(__file__).parent / "static"

_NOT_BUILT = """<!doctype html><html><head><meta charset="utf-8"><title>mcp-agent-inspector</title></head>
<body><h1>mcp-agent-inspector</h1><p>The UI is not built (no <code>static/index.html</code>).
Run <code>scripts/build-ui</code>. The API is up: <code>{base}/sessions</code>.</p></body></html>"""


def file_inside(root: Path, rel: str) -> Path | None:
    """``root / rel`` when it is a regular file inside ``root``; None for anything else, including names the OS
    refuses (too long, NUL bytes, undecodable)."""
    try:
        base = root.resolve()
        candidate = (base / rel).resolve()
        if candidate.is_relative_to(base) and candidate.is_file():
            return candidate
    except (OSError, ValueError):
        pass
    return None


def render_index(index_html: str, base_path: str, gateway: GatewayState) -> str:
    """Insert ``<script type="application/json" id="inspector-config">`` (no token) before ``</head>``."""
    config = {
        "basePath": base_path,
        "apiBase": base_path,
        "readOnly": gateway.settings.read_only,
        "plugins": [{"name": a.name, "entry": f"{base_path}/plugins/{a.name}/{a.entry}"} for a in gateway.ui_assets],
    }
    blob = json.dumps(config).replace("<", "\\u003c")
    tag = f'<script type="application/json" id="inspector-config">{blob}</script>'
    if "</head>" in index_html:
        return index_html.replace("</head>", tag + "</head>", 1)
    return tag + index_html


def _base_path(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


async def root_redirect(request: Request) -> Response:
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{_base_path(request)}/ui/{query}", status_code=307)


async def ui_endpoint(request: Request) -> Response:
    gateway: GatewayState = request.app.state.gateway
    static_dir: Path = gateway.extra.get("static_dir", STATIC_DIR)
    rel = str(request.path_params.get("path", "")).lstrip("/")
    base = _base_path(request)
    index = static_dir / "index.html"
    if not index.is_file():
        if rel.startswith("assets/"):
            return error_response(404, "not_found", "the UI is not built")
        return HTMLResponse(_NOT_BUILT.format(base=html.escape(base)), status_code=200)
    if rel and not rel.endswith("/"):
        candidate = file_inside(static_dir, rel)
        if candidate is not None:
            cache = "public, max-age=31536000, immutable" if rel.startswith("assets/") else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        at = rel.find("/assets/")
        alias = file_inside(static_dir, rel[at + 1 :]) if at > 0 else None
        if alias is not None:  # a relative asset URL resolved against a deep SPA path (base "./")
            return FileResponse(alias, headers={"Cache-Control": "public, max-age=31536000, immutable"})
        if rel.startswith(("assets/", ".well-known/", "api/")) or at > 0:
            return error_response(404, "not_found", "no such asset")
    page = render_index(index.read_text(encoding="utf-8"), base, gateway)
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})
