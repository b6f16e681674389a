"""Issue 16: the URL token exchanged for an HttpOnly, SameSite=Strict cookie; the SPEC §6 checks stay as strict
for cookie-authenticated requests (Host, Origin, wrong credentials)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest

from inspector_gateway import create_gateway, resolve_settings, serve
from inspector_gateway.security import LiveToken
from inspector_gateway.security._auth import cookie_name, cookie_value


def _exchange(shared) -> httpx.Response:
    return httpx.post(f"{shared.base}/auth", headers={"X-Inspector-Token": shared.token}, timeout=10)


def test_exchange_sets_a_strict_http_only_cookie_scoped_to_the_mount(shared):
    response = _exchange(shared)
    assert response.status_code == 200
    assert response.json()["authenticated"] is True
    header = response.headers["set-cookie"]
    name = cookie_name(shared.token)
    assert header.startswith(f"{name}={cookie_value(shared.token)};")
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert {"httponly", "path", "samesite", "max-age"} <= attributes
    assert "samesite=strict" in header.lower()
    assert "path=/_inspector" in header.lower()
    assert "secure" not in attributes  # plain http on loopback; https gets Secure
    assert shared.token not in header  # a derived value, never the token


def test_cookie_alone_authenticates_reads(shared):
    cookies = {cookie_name(shared.token): cookie_value(shared.token)}
    assert httpx.get(f"{shared.base}/sessions", cookies=cookies, timeout=10).status_code == 200
    assert httpx.get(f"{shared.base}/auth", cookies=cookies, timeout=10).status_code == 200
    assert httpx.get(f"{shared.base}/auth", timeout=10).status_code == 401


@pytest.mark.parametrize(
    "cookies",
    [
        {"mcp_inspector_0000000000000000": "x"},
        {"placeholder": ""},  # replaced below by the right name with a wrong value
        {"unrelated": "1"},
    ],
)
def test_wrong_cookie_is_401(shared, cookies):
    if "placeholder" in cookies:
        cookies = {cookie_name(shared.token): cookie_value("b" * 64)}
    response = httpx.get(f"{shared.base}/sessions", cookies=cookies, timeout=10)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_wrong_header_is_not_rescued_by_the_cookie(shared):
    cookies = {cookie_name(shared.token): cookie_value(shared.token)}
    response = httpx.get(f"{shared.base}/sessions", cookies=cookies, headers={"X-Inspector-Token": "0" * 64})
    assert response.status_code == 401


def test_cookie_does_not_bypass_the_host_check(shared):
    cookies = {cookie_name(shared.token): cookie_value(shared.token)}
    response = httpx.get(f"{shared.base}/sessions", cookies=cookies, headers={"Host": "evil.example:80"}, timeout=10)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden_host"


def test_cookie_post_needs_a_same_origin_origin(shared):
    cookies = {cookie_name(shared.token): cookie_value(shared.token)}
    url = f"{shared.base}/cancel/run-000001"
    no_origin = httpx.post(url, cookies=cookies, json={}, timeout=10)
    assert no_origin.status_code == 403
    assert no_origin.json()["error"]["code"] == "forbidden_origin"
    cross = httpx.post(url, cookies=cookies, json={}, headers={"Origin": "http://evil.example"}, timeout=10)
    assert cross.status_code == 403
    same = httpx.post(url, cookies=cookies, json={}, headers={"Origin": f"http://127.0.0.1:{shared.port}"})
    assert same.status_code == 404  # past every check: the session is unknown
    with_token = httpx.post(url, headers={"X-Inspector-Token": shared.token}, json={}, timeout=10)
    assert with_token.status_code == 404  # scripts without Origin still pass with the token


def test_exchange_is_refused_without_the_token_or_cross_site(shared):
    assert httpx.post(f"{shared.base}/auth", timeout=10).status_code == 401
    wrong = httpx.post(f"{shared.base}/auth", headers={"X-Inspector-Token": "c" * 64}, timeout=10)
    assert wrong.status_code == 401
    assert "set-cookie" not in wrong.headers
    cross = httpx.post(
        f"{shared.base}/auth", headers={"X-Inspector-Token": shared.token, "Origin": "http://evil.example"}, timeout=10
    )
    assert cross.status_code == 403
    assert "set-cookie" not in cross.headers


def test_cookies_of_two_tokens_have_different_names():
    assert cookie_name("a" * 64) != cookie_name("b" * 64)
    assert cookie_value("a" * 64) != cookie_value("b" * 64)


def test_logout_clears_the_cookie_and_keeps_the_checks(shared):
    origin = {"Origin": f"http://127.0.0.1:{shared.port}"}
    with httpx.Client(base_url=shared.base, timeout=10) as browser:  # a cookie jar, as a browser keeps one
        assert browser.post("/auth", headers={"X-Inspector-Token": shared.token}).status_code == 200
        assert browser.get("/sessions").status_code == 200
        assert browser.delete("/auth").status_code == 403  # by cookie, without Origin: refused (CSRF)
        assert browser.delete("/auth", headers={"Origin": "http://evil.example"}).status_code == 403
        assert browser.get("/sessions").status_code == 200  # still signed in
        response = browser.delete("/auth", headers=origin)
        assert response.status_code == 200
        assert response.json() == {"authenticated": False}
        header = response.headers["set-cookie"].lower()
        assert header.startswith(f"{cookie_name(shared.token)}=")
        assert "max-age=0" in header
        assert "path=/_inspector" in header
        assert "httponly" in header
        assert "samesite=strict" in header
        assert not browser.cookies  # the browser dropped it
        assert browser.get("/sessions").status_code == 401
        assert browser.delete("/auth", headers=origin).status_code == 401
    assert httpx.get(f"{shared.base}/sessions", headers={"X-Inspector-Token": shared.token}).status_code == 200


def _until(check, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_token_rotated_on_disk_is_honoured_without_a_restart(tmp_path, monkeypatch):
    """`mcp-agent-inspector token --rotate` (a real subprocess) while a gateway serves the dir: the new token and its
    cookie are accepted, the old token and cookie no longer, no restart; a token set by INSPECTOR_TOKEN is fixed."""
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    monkeypatch.delenv("INSPECTOR_TOKEN", raising=False)
    monkeypatch.delenv("INSPECTOR_PORT", raising=False)
    settings = resolve_settings(traces_dir=tmp_path, port=0)
    assert settings.token_file == tmp_path / ".inspector-token"
    mounted = serve(*create_gateway(settings, ()))
    base = f"http://127.0.0.1:{mounted.port}/_inspector"
    old = settings.token

    def status(token: str | None = None, cookies: dict[str, str] | None = None) -> int:
        headers = {"X-Inspector-Token": token} if token else {}
        return httpx.get(f"{base}/sessions", headers=headers, cookies=cookies, timeout=10).status_code

    try:
        assert status(old) == 200
        old_cookie = {cookie_name(old): cookie_value(old)}
        assert status(cookies=old_cookie) == 200
        rotated = subprocess.run(
            [sys.executable, "-m", "inspector_cli", "token", "--rotate", "--json", "-d", str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
            env={k: v for k, v in os.environ.items() if k != "INSPECTOR_TOKEN"},
        )
        new = json.loads(rotated.stdout)["token"]
        assert new != old
        assert _until(lambda: status(new) == 200), "the rotated token was never accepted"
        assert status(old) == 401
        assert status(cookies=old_cookie) == 401
        assert status(cookies={cookie_name(new): cookie_value(new)}) == 200
        exchanged = httpx.post(f"{base}/auth", headers={"X-Inspector-Token": new}, timeout=10)
        assert exchanged.headers["set-cookie"].startswith(f"{cookie_name(new)}={cookie_value(new)};")
        (tmp_path / ".inspector-token").unlink()  # gone: the last good token stays
        time.sleep(1.2)
        assert status(new) == 200
    finally:
        mounted.stop()
        mounted.gateway.live.unsubscribe()


def test_a_given_token_is_fixed(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_TOKEN", "e" * 40)
    settings = resolve_settings(traces_dir=tmp_path)
    assert (settings.token, settings.token_file) == ("e" * 40, None)
    (tmp_path / ".inspector-token").write_text("f" * 40)
    os.chmod(tmp_path / ".inspector-token", 0o600)
    token = LiveToken(settings.token, settings.token_file, interval=0)
    assert token.current() == "e" * 40
    followed = LiveToken("a" * 40, tmp_path / ".inspector-token", interval=0)
    assert followed.current() == "a" * 40  # the file was there when it started: changes after that count
    os.utime(tmp_path / ".inspector-token", ns=(1, 1))
    assert followed.current() == "f" * 40
