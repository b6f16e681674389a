"""Settings from mount() arguments and the environment (INSPECTOR_*, MCP_TRACES_DIR)."""

from __future__ import annotations

import httpx
from gateway_support import start_gateway

from inspector_gateway import resolve_settings


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))  # the default traces dir gets the stored token: never the real home
    for name in (
        "INSPECTOR_TOKEN",
        "INSPECTOR_PORT",
        "MCP_TRACES_DIR",
        "INSPECTOR_READ_ONLY",
        "INSPECTOR_ENABLE_PATCH",
        "INSPECTOR_DEBUG",
    ):
        monkeypatch.delenv(name, raising=False)
    s = resolve_settings()
    assert s.port == 7800
    assert s.host == "127.0.0.1"
    assert s.traces_dir == tmp_path / ".mcp_traces"
    assert (s.read_only, s.enable_patch, s.debug, s.expose) == (False, True, False, False)
    assert len(s.token) == 64
    assert resolve_settings().token == s.token  # stored for the traces dir (issue 16)


def test_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("INSPECTOR_PORT", "0")
    monkeypatch.setenv("MCP_TRACES_DIR", str(tmp_path))
    monkeypatch.setenv("INSPECTOR_READ_ONLY", "1")
    monkeypatch.setenv("INSPECTOR_ENABLE_PATCH", "0")
    monkeypatch.setenv("INSPECTOR_DEBUG", "true")
    monkeypatch.setenv("INSPECTOR_ALLOWED_HOSTS", "box.local, Other:8080")
    s = resolve_settings(port=9999)
    assert s.port == 0
    assert s.traces_dir == tmp_path
    assert (s.read_only, s.enable_patch, s.debug) == (True, False, True)
    assert s.allowed_hosts == ("box.local", "other:8080")
    assert resolve_settings(traces_dir=tmp_path / "x").traces_dir == tmp_path / "x"


def test_bad_port_env_is_ignored(monkeypatch):
    monkeypatch.setenv("INSPECTOR_PORT", "not-a-port")
    assert resolve_settings(port=1234).port == 1234


def test_expose_binds_all_interfaces():
    assert resolve_settings(expose=True).host == "0.0.0.0"


def test_allowed_hosts_extend_the_host_and_origin_checks(traces_dir, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    live = start_gateway(traces_dir, allowed_hosts=("box.local", "localhost:5173"))
    try:
        assert live.client.get("/sessions", headers={"Host": "box.local:7800"}).status_code == 200
        assert live.client.get("/sessions", headers={"Host": "evil.local"}).status_code == 403
        dev = live.client.post("/cancel/session-1", headers={"Origin": "http://localhost:5173"})
        assert dev.status_code == 404  # origin accepted, session unknown
        assert live.client.post("/cancel/session-1", headers={"Origin": "http://localhost:5174"}).status_code == 403
    finally:
        live.close()


def test_expose_without_allowed_hosts_accepts_any_host_but_still_needs_the_token(traces_dir, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    live = start_gateway(traces_dir, expose=True, host="127.0.0.1")
    try:
        assert live.client.get("/sessions", headers={"Host": "192.168.1.20:7800"}).status_code == 200
        assert httpx.get(f"{live.base}/sessions", headers={"Host": "192.168.1.20:7800"}).status_code == 401
    finally:
        live.close()
