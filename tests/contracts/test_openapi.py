"""docs/openapi.yaml and the gateway's routes list the same paths and methods; docs/api.md covers every operation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from starlette.routing import Route

from inspector_gateway import InspectorSettings, create_gateway

ROOT = Path(__file__).parents[2]
METHODS = {"get", "post", "put", "patch", "delete"}


def spec() -> dict:
    return yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8"))


def documented() -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, item in spec()["paths"].items() for method in item if method in METHODS}


def served(tmp_path) -> set[tuple[str, str]]:
    gateway, app = create_gateway(InspectorSettings(traces_dir=tmp_path))
    try:
        found = set()
        for route in app.routes:
            assert isinstance(route, Route)
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
            found |= {(path, m) for m in (route.methods or ()) if m != "HEAD"}
        return found
    finally:
        gateway.live.unsubscribe()


def test_openapi_is_3_1():
    assert spec()["openapi"].startswith("3.1")


def test_openapi_paths_match_the_routes(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    assert documented() == served(tmp_path)


def test_api_md_documents_every_operation():
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### `(GET|POST|DELETE) (/\S*)`", text, re.MULTILINE))
    assert {(p, m) for m, p in headings} == documented()
