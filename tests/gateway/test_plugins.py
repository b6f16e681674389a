"""Plugin assembly: each hookspec works end to end, failures are recorded at GET /plugins, docs match the specs."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import httpx
from gateway_support import emit, header, span, start_gateway, write_trace
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from inspector_gateway import UIAssets, hookimpl, hookspecs

ROOT = Path(__file__).parents[2]


def spec_names() -> list[str]:
    return sorted(n for n in dir(hookspecs) if n.startswith("inspector_"))


def test_fewer_than_ten_specs_each_documented_with_its_exact_signature():
    names = spec_names()
    assert 0 < len(names) < 10
    text = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for name in names:
        fn = getattr(hookspecs, name)
        assert fn.__doc__
        assert ":param gateway:" in fn.__doc__
        assert "versionadded" in fn.__doc__
        signature = f"def {name}{inspect.signature(fn)}".replace("'", "")
        assert signature in text, signature
    documented = set(re.findall(r"^def (inspector_\w+)\(", text, re.MULTILINE))
    assert documented == set(names)


def test_every_hookspec_has_a_test():
    here = {n for n in globals() if n.startswith("test_hook_")}
    assert {f"test_hook_{n}" for n in spec_names()} <= here


class _Source:
    name = "extra"

    async def list_sessions(self):
        return [
            {
                "id": "plugin-001",
                "status": "running",
                "started_at": "2030-01-01T00:00:00.000000Z",
                "engine": "temporal",
                "title": "from a plugin",
            }
        ]


class _Index:
    name = "fancy"

    async def search(self, query):
        hit = {"session_id": "plugin-001", "span_id": None, "name": query.text, "snippet": "", "score": 1.0}
        return {"hits": [hit], "total": 1, "ranked": True, "complete": True}


class FullPlugin:
    def __init__(self, asset_dir: Path) -> None:
        self.asset_dir = asset_dir
        self.events: list[dict] = []

    @hookimpl
    def inspector_session_sources(self, gateway):
        return [_Source()]

    @hookimpl
    def inspector_search_index(self, gateway):
        return _Index()

    @hookimpl
    def inspector_ui_assets(self, gateway):
        return UIAssets(name="viz", directory=self.asset_dir, entry="viz.js")

    @hookimpl
    def inspector_event_listeners(self, gateway):
        return [self.events.append]

    @hookimpl
    def inspector_routes(self, gateway):
        async def hello(request):
            return PlainTextResponse("hello")

        return [Route("/hello", hello)]


def _start(traces_dir, tmp_path, monkeypatch, *plugins):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    return start_gateway(traces_dir, plugins)


def test_hook_inspector_session_sources(traces_dir, tmp_path, monkeypatch):
    write_trace(traces_dir / "file-0001.jsonl.gz", header("file-0001", "2026-01-01T00:00:00.000000Z"), span(1))
    live = _start(traces_dir, tmp_path, monkeypatch, FullPlugin(tmp_path))
    try:
        rows = live.client.get("/sessions").json()["sessions"]
    finally:
        live.close()
    assert [r["id"] for r in rows] == ["plugin-001", "file-0001"]


class _Elsewhere:
    """A control for sessions run elsewhere: knows ctl-0001 (waiting), ctl-0002 (ended); ctl-0003 breaks."""

    def __init__(self):
        self.calls = []

    async def signal(self, session_id, signal_name, payload):
        self.calls.append(("signal", session_id, signal_name, payload))
        if session_id == "ctl-0003":
            raise RuntimeError("service down")
        if session_id == "ctl-0002":
            return "not_waiting", "the run has ended"
        if session_id != "ctl-0001":
            return "unknown_session", "not here"
        return ("invalid_payload", "no answer") if "answer" not in payload else ("ok", "")

    async def cancel(self, session_id):
        self.calls.append(("cancel", session_id))
        return ("ok", "") if session_id == "ctl-0001" else ("unknown_session", "not here")


class _ControlPlugin:
    def __init__(self):
        self.control = _Elsewhere()

    @hookimpl
    def inspector_session_controls(self, gateway):
        return [self.control]


def test_hook_inspector_session_controls(traces_dir, tmp_path, monkeypatch):
    plugin = _ControlPlugin()
    live = _start(traces_dir, tmp_path, monkeypatch, plugin)
    try:
        ok = live.client.post("/signal/ctl-0001", json={"signal": "resume", "payload": {"answer": "yes"}})
        bad = live.client.post("/signal/ctl-0001", json={"signal": "resume", "payload": {}})
        ended = live.client.post("/signal/ctl-0002", json={"signal": "resume", "payload": {}})
        broken = live.client.post("/signal/ctl-0003", json={"signal": "resume", "payload": {}})
        unknown = live.client.post("/signal/ctl-0009", json={"signal": "resume", "payload": {}})
        cancelled = live.client.post("/cancel/ctl-0001")
        cancel_unknown = live.client.post("/cancel/ctl-0009")
    finally:
        live.close()
    assert ok.status_code == 200
    assert ok.json() == {"ok": True, "session_id": "ctl-0001", "signal": "resume"}
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_payload")
    assert (ended.status_code, ended.json()["error"]["code"]) == (409, "not_waiting")
    assert (broken.status_code, broken.json()["error"]["code"]) == (409, "signal_failed")
    assert unknown.status_code == 404
    assert cancelled.status_code == 200
    assert cancel_unknown.status_code == 404
    assert plugin.control.calls[0] == ("signal", "ctl-0001", "resume", {"answer": "yes"})


def test_hook_inspector_search_index(traces_dir, tmp_path, monkeypatch):
    live = _start(traces_dir, tmp_path, monkeypatch, FullPlugin(tmp_path))
    try:
        body = live.client.get("/search", params={"q": "needle"}).json()
    finally:
        live.close()
    assert body["index"] == "fancy"
    assert body["hits"][0]["name"] == "needle"


def test_builtin_search_scans_files(live, traces_dir):
    write_trace(
        traces_dir / "srch-0001.jsonl.gz",
        header("srch-0001", "2026-01-01T00:00:00.000000Z"),
        span(1, "weather.lookup", city="Paris"),
        span(2, "other"),
    )
    body = live.client.get("/search", params={"q": "paris"}).json()
    assert body["index"] == "file_scan"
    assert [(h["session_id"], h["name"]) for h in body["hits"]] == [("srch-0001", "weather.lookup")]
    assert live.client.get("/search").status_code == 400
    assert live.client.get("/search", params={"q": "x", "limit": "0"}).status_code == 400


def test_hook_inspector_ui_assets(traces_dir, tmp_path, monkeypatch):
    (tmp_path / "viz.js").write_text("console.log('viz')")
    live = _start(traces_dir, tmp_path, monkeypatch, FullPlugin(tmp_path))
    try:
        asset = httpx.get(f"{live.base}/plugins/viz/viz.js")  # no token: a <script src> cannot send one
        escape = live.client.get("/plugins/viz/..%2F..%2Fetc%2Fpasswd")
        listed = live.client.get("/plugins").json()["ui_assets"]
    finally:
        live.close()
    assert asset.status_code == 200
    assert asset.text == "console.log('viz')"
    assert escape.status_code == 404
    assert listed == [{"name": "viz", "entry": "viz.js"}]


def test_hook_inspector_event_listeners(traces_dir, tmp_path, monkeypatch):
    plugin = FullPlugin(tmp_path)
    live = _start(traces_dir, tmp_path, monkeypatch, plugin)
    try:
        emit("session_finished", session_id="lst-0001", status="completed", error=None)
    finally:
        live.close()
    assert [e["type"] for e in plugin.events] == ["SessionFinished"]


def test_hook_inspector_routes(traces_dir, tmp_path, monkeypatch):
    live = _start(traces_dir, tmp_path, monkeypatch, FullPlugin(tmp_path))
    try:
        ok = live.client.get("/hello")
        no_token = live.client.get("/hello", headers={"X-Inspector-Token": "wrong"})
    finally:
        live.close()
    assert ok.text == "hello"
    assert no_token.status_code == 401


class RaisingPlugin:
    @hookimpl
    def inspector_session_sources(self, gateway):
        raise RuntimeError("source setup failed")


class MisspeltPlugin:
    @hookimpl
    def inspector_sesion_sources(self, gateway):
        return []


def test_failures_are_recorded_and_served(traces_dir, tmp_path, monkeypatch):
    live = _start(traces_dir, tmp_path, monkeypatch, RaisingPlugin(), MisspeltPlugin())
    try:
        report = live.client.get("/plugins").json()
        sessions = live.client.get("/sessions")
    finally:
        live.close()
    errors = " ".join(f["error"] for f in report["failed"])
    assert "source setup failed" in errors
    assert "inspector_sesion_sources" in errors
    assert sessions.status_code == 200
    assert "inspector_gateway._builtin" in [p["name"] for p in report["plugins"]]


def test_a_broken_entry_point_is_recorded(traces_dir, tmp_path, monkeypatch):
    dist = tmp_path / "site" / "broken_plugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[mcp_agent_inspector.plugins]\nbroken = broken_plugin_missing.plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "1")
    live = start_gateway(traces_dir)
    try:
        report = live.client.get("/plugins").json()
    finally:
        live.close()
    (failed,) = [f for f in report["failed"] if f["name"] == "broken"]
    assert failed["distribution"] == "broken-plugin"
    assert failed["version"] == "1.0"
    assert "broken_plugin_missing" in failed["error"]


def test_blocked_entry_point_is_skipped(traces_dir, tmp_path, monkeypatch):
    dist = tmp_path / "site" / "broken_plugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[mcp_agent_inspector.plugins]\nbroken = broken_plugin_missing.plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "1")
    monkeypatch.setenv("INSPECTOR_PLUGINS_BLOCK", "broken")
    live = start_gateway(traces_dir)
    try:
        report = live.client.get("/plugins").json()
    finally:
        live.close()
    assert not [f for f in report["failed"] if f["name"] == "broken"]


def test_trace_plugins_logs_hook_calls(traces_dir, tmp_path, monkeypatch, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="inspector_gateway.plugins")
    monkeypatch.setenv("INSPECTOR_TRACE_PLUGINS", "1")
    live = _start(traces_dir, tmp_path, monkeypatch, FullPlugin(tmp_path))
    live.close()
    assert "hook inspector_session_sources: calling inspector_gateway._builtin" in caplog.text
    assert "inspector_search_index" in caplog.text


class ControlPlugin:
    """A session control answering each outcome of the protocol (and one that raises)."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    async def signal(self, session_id, signal_name, payload):
        self.calls.append(("signal", session_id, signal_name, payload))
        answers = {
            "ok-000001": ("ok", ""),
            "gone-000001": ("unknown_session", "no such run"),
            "busy-000001": ("not_waiting", "it is not waiting"),
            "odd-000001": ("invalid_payload", "response must be a string"),
            "weird-000001": ("sideways", "not an outcome"),
        }
        if session_id == "boom-000001":
            raise RuntimeError("control broke")
        return answers[session_id]

    async def cancel(self, session_id):
        self.calls.append(("cancel", session_id))
        return ("ok", "") if session_id == "ok-000001" else ("unknown_session", "")

    @hookimpl
    def inspector_session_control(self, gateway):
        return self


def test_hook_inspector_session_control(traces_dir, tmp_path, monkeypatch):
    control = ControlPlugin()
    live = _start(traces_dir, tmp_path, monkeypatch, control)
    try:
        answers = {
            sid: live.client.post(f"/signal/{sid}", json={"signal": "human_input_answer", "payload": {"response": 1}})
            for sid in ("ok-000001", "gone-000001", "busy-000001", "odd-000001", "weird-000001", "boom-000001")
        }
        cancelled = live.client.post("/cancel/ok-000001")
        unknown = live.client.post("/cancel/gone-000001")
    finally:
        live.close()
    codes = {sid: (r.status_code, r.json().get("error", {}).get("code")) for sid, r in answers.items()}
    assert codes == {
        "ok-000001": (200, None),
        "gone-000001": (404, "unknown_session"),
        "busy-000001": (409, "not_waiting"),
        "odd-000001": (422, "invalid_payload"),
        "weird-000001": (409, "signal_failed"),
        "boom-000001": (409, "signal_failed"),
    }
    assert answers["odd-000001"].json()["error"]["message"] == "response must be a string"
    assert (cancelled.status_code, unknown.status_code) == (200, 404)
    assert control.calls[0] == ("signal", "ok-000001", "human_input_answer", {"response": 1})


def test_without_a_session_control_signal_and_cancel_answer_404(traces_dir, tmp_path, monkeypatch):
    from gateway_support import TOKEN, Live

    from inspector_gateway import InspectorSettings, create_gateway, serve

    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    gateway, app = create_gateway(InspectorSettings(traces_dir=traces_dir, token=TOKEN, port=0))
    live = Live(serve(gateway, app))
    try:
        signal = live.client.post("/signal/ok-000001", json={"signal": "resume", "payload": {}})
        cancel = live.client.post("/cancel/ok-000001")
    finally:
        live.close()
    assert (signal.status_code, cancel.status_code) == (404, 404)
    assert "no session control installed" in signal.json()["error"]["message"]
