"""SPEC §6 attacks against a live gateway: each one is refused with a JSON error, never a 500."""

from __future__ import annotations

import httpx
import pytest
from gateway_support import header, write_trace

from inspector_gateway.errors import InvalidSessionId
from inspector_gateway.security import validate_session_id


def test_health_needs_no_token(shared):
    r = httpx.get(f"{shared.base}/health")
    assert r.status_code == 200
    assert r.json()["name"] == "mcp-agent-inspector"


@pytest.mark.parametrize("path", ["/sessions", "/events", "/trace/session-1", "/plugins", "/search?q=x"])
def test_api_without_token_is_401(shared, path):
    r = httpx.get(f"{shared.base}{path}")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"


def test_wrong_token_is_401(shared):
    r = httpx.get(f"{shared.base}/sessions", headers={"X-Inspector-Token": "b" * 64})
    assert r.status_code == 401
    r = httpx.get(f"{shared.base}/sessions", params={"token": "nope"})
    assert r.status_code == 401


def test_query_token_is_accepted(shared):
    assert httpx.get(f"{shared.base}/sessions", params={"token": shared.token}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "attacker.com:7800", "127.0.0.1.nip.io"])
def test_dns_rebinding_host_is_refused(shared, host):
    r = shared.client.get("/sessions", headers={"Host": host})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden_host"
    assert httpx.get(f"{shared.base}/health", headers={"Host": host}).status_code == 403


def test_loopback_hosts_are_accepted(shared):
    for host in (
        f"localhost:{shared.port}",
        f"127.0.0.1:{shared.port}",
        "localhost",
        f"[::1]:{shared.port}",
        "LOCALHOST",
    ):
        assert shared.client.get("/sessions", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://localhost:1", "file://x"])
def test_cross_site_post_is_refused(shared, origin):
    r = shared.client.post("/cancel/session-1", headers={"Origin": origin})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden_origin"


def test_same_origin_post_passes_the_origin_check(shared):
    r = shared.client.post("/cancel/session-1", headers={"Origin": f"http://127.0.0.1:{shared.port}"})
    assert r.status_code == 404  # unknown session: the origin was accepted


@pytest.mark.parametrize(
    "path",
    [
        "/trace/..%2F..%2Fetc%2Fpasswd",
        "/trace/../../etc/passwd",
        "/trace/short",
        "/trace/" + "a" * 129,
        "/trace/abc%00defgh",
        "/trace/abc.defgh",
        "/trace/%2e%2e%2fsecret",
        "/signal/..%2Fsecret",
        "/cancel/abc%2Fdefgh",
    ],
)
def test_traversal_and_malformed_ids_are_400(shared, path):
    (shared.gateway.settings.traces_dir.parent / "secret.jsonl.gz").write_bytes(b"secret")
    method = "POST" if path.startswith(("/signal", "/cancel")) else "GET"
    r = shared.client.request(method, path, json={"signal": "resume"} if method == "POST" else None)
    assert r.status_code in (400, 404)
    assert r.json()["error"]["code"] in ("invalid_session_id", "not_found")
    assert b"secret" not in r.content


def test_symlink_out_of_traces_dir_is_refused(live, traces_dir, tmp_path):
    outside = tmp_path / "outside.jsonl.gz"
    write_trace(outside, header("outside1", "2026-01-01T00:00:00.000000Z"))
    (traces_dir / "linked01.jsonl.gz").symlink_to(outside)
    r = live.client.get("/trace/linked01")
    assert r.status_code == 422  # listed as a broken file; its bytes are never read (tests/faults/test_trace_files.py)
    assert r.json()["error"]["code"] == "broken_trace_file"


def test_huge_body_is_413(shared):
    r = shared.client.post("/signal/session-1", content=b"{" + b" " * (1024 * 1024 + 10) + b"}")
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"


def test_invalid_json_is_400(shared):
    r = shared.client.post("/signal/session-1", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_json"


def test_unknown_route_is_json_404(shared):
    r = shared.client.get("/nope")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_wrong_method_is_json_405(shared):
    r = shared.client.delete("/sessions")
    assert r.status_code == 405
    assert "error" in r.json()


@pytest.mark.parametrize("good", ["abcdef", "A-b_c-123456", "x" * 128])
def test_validate_session_id_accepts(good):
    assert validate_session_id(good) == good


@pytest.mark.parametrize("bad", ["abcde", "x" * 129, "abc/def", "abc def", "../../x", "abcdef\n", "ábcdef"])
def test_validate_session_id_rejects(bad):
    with pytest.raises(InvalidSessionId):
        validate_session_id(bad)


@pytest.mark.parametrize("path", ["/health", "/sessions", "/ui/", "/nope"])
def test_security_headers_on_every_response(shared, path):
    r = shared.client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_huge_chunked_body_is_413(shared):
    def body():
        yield b'{"signal": "resume", "payload": {"x": "'
        for _ in range(80):
            yield b"y" * 16384
        yield b'"}}'

    r = shared.client.post("/signal/session-1", content=body())
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'"x"',
        b"{}",
        b'{"signal": 5}',
        b'{"signal": "cancel"}',
        b'{"signal": "a b"}',
        b'{"signal": "resume", "payload": 3}',
    ],
)
def test_bad_signal_bodies_are_4xx(shared, body):
    r = shared.client.post("/signal/session-1", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422)
    assert "error" in r.json()
