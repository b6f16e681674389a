"""Issue 16: links that keep working. The token is exchanged for a cookie, so a link without ``?token=`` opens in a
new tab and in a browser reopened with its cookies; an open tab reconnects after a real restart; a changed token
is told apart from a stopped server, and the page stops asking until it is given a fresh link."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "cli"))

from cli_support import Served, write_sessions  # noqa: E402

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def traces(tmp_path: Path) -> Path:
    folder = tmp_path / "traces"
    write_sessions(folder).shutdown()
    return folder


def _open(context: Any, url: str) -> Any:
    page = context.new_page()
    page.goto(url)
    return page


def _span_link(served: Served) -> tuple[str, str]:
    import json
    import subprocess

    shown = subprocess.run(
        [sys.executable, "-m", "inspector_cli", "show", "run-parent1", "--json", "-d", str(served.traces)],
        capture_output=True,
        text=True,
        check=True,
    )
    span_id = json.loads(shown.stdout)["spans"][1]["span_id"]
    return served.url.split("?")[0] + f"#/session/run-parent1/span/{span_id}", span_id


def test_a_link_without_token_opens_after_the_cookie_exchange(traces: Path, browser: Any) -> None:
    served = Served(traces)
    try:
        first = browser.new_context()
        page = _open(first, served.url)
        page.wait_for_selector("[data-testid=session-row]")
        page.wait_for_function("() => !location.search.includes('token')")  # dropped from the address bar
        cookies = first.cookies()
        assert len(cookies) == 1
        cookie = cookies[0]
        assert cookie["httpOnly"] is True
        assert cookie["sameSite"] == "Strict"
        assert cookie["path"] == "/_inspector"
        assert cookie["expires"] > time.time() + 86400  # survives closing the browser
        assert served.token not in cookie["value"]
        assert page.evaluate("document.cookie") == ""  # HttpOnly: not readable by scripts

        link, span_id = _span_link(served)
        tab = _open(first, link)  # a new tab of the same browser: no token in the link, no sessionStorage
        tab.wait_for_selector(f"[data-testid=inspector][data-span-id='{span_id}']", timeout=15_000)
        tab.wait_for_selector("[data-testid=sse-status][data-state=open]")

        reopened = browser.new_context(storage_state=first.storage_state())  # the browser reopened with its cookies
        again = _open(reopened, link)
        again.wait_for_selector(f"[data-testid=inspector][data-span-id='{span_id}']", timeout=15_000)
        assert again.locator("[data-testid=auth-banner]").count() == 0
        reopened.close()

        stranger = browser.new_context()  # another browser (a teammate): no cookie, the link alone is not enough
        other = _open(stranger, link)
        other.wait_for_selector("[data-testid=auth-banner]")
        other.wait_for_selector("[data-testid=sse-status][data-state=unauthorized]")
        assert "mcp-agent-inspector url" in other.locator("[data-testid=auth-banner]").inner_text()
        stranger.close()
        first.close()
    finally:
        served.stop()


def test_an_open_tab_reconnects_after_a_restart(traces: Path, page: Any) -> None:
    port = free_port()
    served = Served(traces, port=port)
    page.goto(served.url)
    page.wait_for_selector("[data-testid=sse-status][data-state=open]")
    served.stop()
    page.wait_for_selector(
        "[data-testid=sse-status][data-state=offline], [data-testid=sse-status][data-state=reconnecting]"
    )
    time.sleep(1.0)
    assert page.locator("[data-testid=auth-banner]").count() == 0  # a stopped server is not a rejected token
    processor = write_sessions(traces / "more")  # a run made while the server was down, moved into the dir
    processor.shutdown()
    (traces / "more" / "run-failed1.jsonl.gz").rename(traces / "run-new0001.jsonl.gz")
    restarted = Served(traces, port=port)
    try:
        page.wait_for_selector("[data-testid=sse-status][data-state=open]", timeout=20_000)
        page.wait_for_selector("[data-testid=session-row][data-session-id=run-new0001]")  # listed again on reconnect
        assert page.locator("[data-testid=auth-banner]").count() == 0
    finally:
        restarted.stop()


def test_a_changed_token_is_told_apart_and_not_hammered(traces: Path, page: Any) -> None:
    port = free_port()
    served = Served(traces, port=port)
    page.goto(served.url)
    page.wait_for_selector("[data-testid=sse-status][data-state=open]")
    served.stop()
    other = Served(traces, port=port, env={"INSPECTOR_TOKEN": "another-token-0123456789"})
    try:
        page.wait_for_selector("[data-testid=sse-status][data-state=unauthorized]", timeout=20_000)
        page.wait_for_selector("[data-testid=auth-banner]")
        seen: list[str] = []
        page.on("request", lambda r: seen.append(r.url))
        time.sleep(6)
        assert seen == []  # no retry loop of 401s
        page.fill("[data-testid=auth-token-input]", other.url)
        page.click("[data-testid=auth-token-submit]")
        page.wait_for_selector("[data-testid=sse-status][data-state=open]", timeout=15_000)
        page.wait_for_selector("[data-testid=auth-banner]", state="detached")
        page.wait_for_selector("[data-testid=session-row]")
    finally:
        other.stop()


def test_sign_out_then_a_rotated_token_works_without_restarting_serve(traces: Path, browser: Any) -> None:
    """ "Sign out" clears the HttpOnly cookie (DELETE /auth); `token --rotate` while `serve` runs: the new token's
    link works at once and the old one is refused, with no restart."""
    import json
    import subprocess

    served = Served(traces)
    try:
        context = browser.new_context()
        page = _open(context, served.url)
        page.wait_for_selector("[data-testid=session-row]")
        page.wait_for_selector("[data-testid=sse-status][data-state=open]")
        assert len(context.cookies()) == 1
        page.click("[data-testid=sign-out]")
        page.wait_for_selector("[data-testid=auth-banner][data-state=signed-out]")
        assert "Signed out" in page.locator("[data-testid=auth-banner]").inner_text()
        assert context.cookies() == []  # the HttpOnly cookie is gone, not only this tab's token
        assert page.locator("[data-testid=sign-out]").count() == 0
        page.wait_for_selector("[data-testid=sse-status][data-state=unauthorized]")  # the stream is closed
        bare = served.url.split("?")[0]
        tab = _open(context, bare)  # a new tab without the token: nothing holds one now
        tab.wait_for_selector("[data-testid=auth-banner][data-state=rejected]")
        tab.close()

        rotated = subprocess.run(
            [sys.executable, "-m", "inspector_cli", "token", "--rotate", "--json", "-d", str(traces)],
            capture_output=True,
            text=True,
            check=True,
        )
        new = json.loads(rotated.stdout)["token"]
        assert new != served.token
        import httpx

        deadline = time.monotonic() + 10  # serve reads the stored token again within a second
        while time.monotonic() < deadline:
            if httpx.get(f"{bare[: -len('/ui/')]}/auth", headers={"X-Inspector-Token": new}).status_code == 200:
                break
            time.sleep(0.1)
        page.fill("[data-testid=auth-token-input]", f"{bare}?token={new}")
        page.click("[data-testid=auth-token-submit]")  # serve was not restarted
        page.wait_for_selector("[data-testid=sse-status][data-state=open]", timeout=15_000)
        page.wait_for_selector("[data-testid=auth-banner]", state="detached")
        page.wait_for_selector("[data-testid=session-row]")
        assert len(context.cookies()) == 1
        context.close()

        stale = browser.new_context()
        old = _open(stale, served.url)  # the link printed before the rotation
        old.wait_for_selector("[data-testid=auth-banner][data-state=rejected]")
        old.wait_for_selector("[data-testid=sse-status][data-state=unauthorized]")
        stale.close()
    finally:
        served.stop()
