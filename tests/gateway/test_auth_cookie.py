"""Issue 16: the URL token exchanged for an HttpOnly, SameSite=Strict cookie; the SPEC §6 checks stay as strict
for cookie-authenticated requests (Host, Origin, wrong credentials)."""

from __future__ import annotations

import httpx
import pytest

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
