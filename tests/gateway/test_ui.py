"""GET /ui/: index.html with the config blob (no token), assets, SPA fallback, the not-built page, redirects."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from inspector_gateway.index_html import STATIC_DIR

INDEX = """<!doctype html><html><head><title>t</title>
<script type="module" src="./assets/app.js"></script></head><body><div id="root"></div></body></html>"""


@pytest.fixture
def static(live, tmp_path):
    root = tmp_path / "static"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "assets" / "app.js").write_text("console.log(1)")
    live.gateway.extra["static_dir"] = root
    return root


def config_of(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="inspector-config">(.*?)</script>', html)
    assert match, html
    return json.loads(match.group(1))


def test_index_has_the_config_blob_without_the_token(live, static):
    r = httpx.get(f"{live.base}/ui/", params={"token": live.token})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    cfg = config_of(r.text)
    assert cfg["basePath"] == "/_inspector"
    assert cfg["readOnly"] is False
    assert live.token not in r.text
    assert r.text.index("inspector-config") < r.text.index("</head>")


def test_assets_and_spa_fallback(live, static):
    asset = httpx.get(f"{live.base}/ui/assets/app.js")
    assert asset.status_code == 200
    assert asset.text == "console.log(1)"
    assert "immutable" in asset.headers["cache-control"]
    deep = httpx.get(f"{live.base}/ui/sessions/abc/spans/def")
    assert deep.status_code == 200
    assert "inspector-config" in deep.text
    nested_asset = httpx.get(f"{live.base}/ui/sessions/assets/app.js")
    assert nested_asset.text == "console.log(1)"
    missing = httpx.get(f"{live.base}/ui/assets/nope.js")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    escape = httpx.get(f"{live.base}/ui/..%2F..%2Fsecret.txt")
    assert escape.status_code == 200
    assert "inspector-config" in escape.text  # the SPA, never a file outside static/


def test_ui_not_built_page_keeps_the_api_up(live, tmp_path):
    live.gateway.extra["static_dir"] = tmp_path / "nothing-here"
    r = httpx.get(f"{live.base}/ui/")
    assert r.status_code == 200
    assert "not built" in r.text
    assert live.client.get("/sessions").status_code == 200


def test_redirects_keep_the_token(live):
    r = httpx.get(f"{live.base}/", params={"token": live.token})
    assert r.status_code == 307
    assert r.headers["location"] == f"/_inspector/ui/?token={live.token}"
    r = httpx.get(f"{live.base}/ui")
    assert r.status_code == 307
    assert r.headers["location"] == "/_inspector/ui/"
    top = httpx.get(f"http://127.0.0.1:{live.port}/", params={"token": "t"})
    assert top.status_code == 307
    assert top.headers["location"] == "/_inspector/ui/?token=t"


def test_read_only_shows_in_the_config(traces_dir, monkeypatch, tmp_path):
    from gateway_support import start_gateway

    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    server = start_gateway(traces_dir, read_only=True)
    try:
        root = tmp_path / "static"
        root.mkdir()
        (root / "index.html").write_text(INDEX)
        server.gateway.extra["static_dir"] = root
        assert config_of(httpx.get(f"{server.base}/ui/").text)["readOnly"] is True
        assert server.client.post("/signal/session-1", json={"signal": "resume"}).status_code == 403
        assert server.client.post("/cancel/session-1").json()["error"]["code"] == "read_only"
    finally:
        server.close()


@pytest.mark.skipif(not (STATIC_DIR / "index.html").is_file(), reason="the UI is not built (scripts/build-ui)")
def test_the_built_ui_is_served(live):
    page = httpx.get(f"{live.base}/ui/")
    assert "inspector-config" in page.text
    scripts = re.findall(r'src="\./(assets/[^"]+\.js)"', page.text)
    assert scripts
    for script in scripts:
        r = httpx.get(f"{live.base}/ui/{script}")
        assert r.status_code == 200
        assert len(r.content) > 100
    assert Path(STATIC_DIR / scripts[0]).is_file()


@pytest.mark.parametrize("name", ["a" * 5000, "x" * 300 + "/y", "%00abc", "%ff%fe"])
def test_hostile_ui_paths_never_500(live, static, name):
    r = httpx.get(f"{live.base}/ui/{name}")
    assert r.status_code in (200, 404)
    r = httpx.get(f"{live.base}/ui/assets/{name}")
    assert r.status_code in (200, 404)
