"""Issue 16: the protocol history, the resource/prompt registry and the comparison of two runs, in Chromium on the
demo's sessions."""

from __future__ import annotations

import time
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROW = "[data-testid=session-row]"


def _completed_pair(page: Any, demo: Any, title: str) -> tuple[str, str]:
    """Two completed sessions titled ``title`` (the demo runs the same workflows round after round)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        page.goto(demo.url)
        page.wait_for_selector(ROW, timeout=30_000)
        rows = page.locator(f"{ROW}[data-status=completed]").evaluate_all(
            "els => els.map(e => [e.dataset.sessionId, e.querySelector('.title-text').textContent,"
            " Number(e.querySelectorAll('td')[5].textContent.replace(/,/g, '')) || 0])"
        )
        by_title: dict[str, list[str]] = {}
        for sid, title, spans in rows:
            if spans >= 5:  # a workflow run with LLM and tool calls, not a one-span inbound request
                by_title.setdefault(title, []).append(sid)
        ids = by_title.get(title, [])
        if len(ids) >= 2:
            return ids[0], ids[1]
        time.sleep(2)
    pytest.fail(f"the demo made no two completed {title} sessions")


def test_protocol_history_of_a_demo_session(demo: Any, page: Any) -> None:
    page.goto(demo.url)
    page.wait_for_selector(f"{ROW}[data-status=completed]", timeout=60_000)
    found = None
    for sid in page.locator(f"{ROW}[data-status=completed]").evaluate_all("els => els.map(e => e.dataset.sessionId)"):
        page.goto(demo.url.split("?")[0] + f"#/session/{sid}/protocol")
        page.wait_for_selector("[data-testid=rpc-table], [data-testid=rpc-empty]", timeout=20_000)
        if page.locator("[data-testid=rpc-message][data-method='tools/call']").count():
            found = sid
            break
    assert found, "no demo session with a tools/call message"
    messages = page.locator("[data-testid=rpc-message]")
    kinds = messages.evaluate_all("els => els.map(e => [e.dataset.kind, e.dataset.dir, e.dataset.method])")
    calls = [k for k in kinds if k[2] == "tools/call"]
    # an agent's call goes out and its answer comes in; an inbound request (the app as an MCP server) the reverse
    request = next(k for k in calls if k[0] == "request")
    response = next(k for k in calls if k[0] == "response")
    assert {request[1], response[1]} == {"in", "out"}
    assert calls.index(request) < calls.index(response)
    times = messages.evaluate_all("els => els.map(e => e.querySelector('td').textContent)")
    assert all(t.startswith("+") for t in times)
    page.locator("[data-testid=rpc-message][data-method='tools/call'][data-kind=request]").first.click()
    assert "tools/call" in page.locator("[data-testid=rpc-body]").first.inner_text()
    page.fill("[data-testid=rpc-filter]", "tools/call")
    assert {m[2] for m in messages.evaluate_all("els => els.map(e => [0, 0, e.dataset.method])")} == {"tools/call"}


def test_registry_of_the_demo(demo: Any, page: Any) -> None:
    page.goto(demo.url)
    page.wait_for_selector(f"{ROW}[data-status=completed]", timeout=60_000)
    page.click("[data-testid=filter-cancelled]")  # issue 16: cancelled sessions have their tab
    assert page.locator("[data-testid=filter-cancelled]").get_attribute("aria-selected") == "true"
    page.click("[data-testid=filter-all]")
    page.click("[data-testid=nav-registry]")
    page.wait_for_selector("[data-testid=registry-page]")
    resource = page.locator("[data-testid=registry-resource][data-name='demo://config.json']")
    resource.wait_for(timeout=20_000)
    prompt = page.locator("[data-testid=registry-prompt][data-name$='summarize']")
    prompt.wait_for()
    span_link = resource.locator("[data-testid=registry-span]").first
    href = span_link.get_attribute("href")
    span_link.click()
    page.wait_for_selector("[data-testid=debugger-page]")
    span_id = href.rsplit("/", 1)[1]
    page.wait_for_selector(f"[data-testid=inspector][data-span-id='{span_id}']", timeout=15_000)
    assert page.locator("[data-testid=inspector-title]").inner_text() == "resource.fetch"
    page.click("[data-testid=tab-state]")
    page.wait_for_selector("[data-testid=json-attr][data-key='mcp.resource.content_json']")  # the content, here


def test_compare_two_demo_runs(demo: Any, page: Any) -> None:
    # a workflow with an LLM call (not every demo workflow has one: an embedding classifier has none)
    left, right = _completed_pair(page, demo, "ToolsWorkflow")
    page.locator(f"{ROW}[data-session-id='{left}']").click()
    page.wait_for_selector("[data-testid=span-row]", timeout=15_000)
    page.click("[data-testid=compare-menu] summary")
    page.click(f"[data-testid=compare-with][data-session-id='{right}']")
    page.wait_for_selector("[data-testid=compare-table]", timeout=30_000)
    rows = page.locator("[data-testid=compare-row]")
    sides = rows.evaluate_all("els => els.map(e => e.dataset.side)")
    assert sides[0] == "both"  # the roots align
    assert sides.count("both") >= 2
    llm = page.locator("[data-testid=compare-row][data-name='llm.generate'][data-side=both]").first
    llm.click()
    page.wait_for_selector("[data-testid=diff-item], [data-testid=diff-same]")
    summary = page.locator("[data-testid=compare-summary]").inner_text()
    assert "positions" in summary
    cells = llm.locator("td").all_inner_texts()
    assert cells[1] != "—"
    assert cells[2] != "—"
