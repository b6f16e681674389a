"""The UI against the real demo app (inspector mounted), in real Chromium."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from page_support import answer_resume, select_span

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROW = "[data-testid=session-row]"


def span_row(page: Any, category: str, name: str) -> Any:
    """The first span row of a category whose name is exactly ``name``."""
    rows = page.locator(f"[data-testid=span-row][data-category={category}]")
    return rows.filter(has=page.locator(".span-name", has_text=re.compile(rf"^{re.escape(name)}$"))).first


def open_sessions(page: Any, demo: Any) -> None:
    page.goto(demo.url)
    page.wait_for_selector("[data-testid=sessions-page]")
    page.wait_for_selector(ROW, timeout=30_000)


def open_paused(page: Any, demo: Any, before_click: Callable[[], None] | None = None) -> str:
    """Open a paused asyncio ApprovalWorkflow run (it waits for a human's answer) and return its id once its resume
    panel shows. Not any paused row: the demo's ToolsWorkflow pauses on an elicitation that the demo answers itself
    within moments (the panel can vanish under the test), and a Temporal run's page has no open span while it waits
    (the cause of this test's timeouts when the demo ran Temporal)."""
    deadline = time.monotonic() + 60
    while True:
        open_sessions(page, demo)
        rows = page.locator(f"{ROW}[data-status=paused]")
        rows.first.wait_for(timeout=45_000)
        found = rows.evaluate_all(
            "els => els.map(e => [e.dataset.sessionId, e.textContent || '',"
            " (e.querySelector('[data-testid=engine-tag]') || {}).textContent || ''])"
        )
        ids = [str(i) for i, text, engine in found if "ApprovalWorkflow" in text and engine.strip() != "temporal"]
        if ids:
            row = page.locator(f"{ROW}[data-session-id='{ids[0]}']")
            assert row.locator("[data-testid=status-badge]").inner_text().strip() == "PAUSED"
            if before_click is not None:
                before_click()
            row.click()
            page.locator("[data-testid=resume-panel]").wait_for(timeout=15_000)
            return ids[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"no paused asyncio ApprovalWorkflow run listed: {found}")
        time.sleep(1)


def open_session_with(page: Any, demo: Any, categories: tuple[tuple[str, str], ...]) -> str:
    """Open completed asyncio sessions until one has spans of every category given; returns its id. Not a Temporal
    run: Temporal says it completed while its worker may still be writing its last spans (its tree is then still
    growing, and a row counted here can be gone from the window when the test clicks it)."""
    deadline = time.monotonic() + 45
    tried: set[str] = set()
    while time.monotonic() < deadline:
        open_sessions(page, demo)
        ids = [
            i
            for i, engine in page.locator(f"{ROW}[data-status=completed]").evaluate_all(
                "els => els.map(e => [e.dataset.sessionId,"
                " (e.querySelector('[data-testid=engine-tag]') || {}).textContent || ''])"
            )
            if i not in tried and engine.strip() != "temporal"
        ]
        for sid in ids:
            tried.add(sid)
            page.locator(f"{ROW}[data-session-id='{sid}']").click()
            page.wait_for_selector("[data-testid=span-row]", timeout=15_000)
            page.wait_for_function("() => !document.querySelector('[data-testid=trace-loading-more]')", timeout=15_000)
            if all(span_row(page, c, n).count() for c, n in categories):
                return sid
            page.goto(demo.url)
        time.sleep(1)
    pytest.fail(f"no completed session with {categories} spans among {sorted(tried)}")


def test_session_list_and_span_details(demo: Any, page: Any, screenshot: Callable[[Any, str], None]) -> None:
    sid = open_session_with(page, demo, (("llm", "llm.generate"), ("tool", "tool.call")))
    assert page.locator("[data-testid=debugger-page]").get_attribute("data-session-id") == sid
    assert page.locator(".session-head [data-testid=status-badge]").get_attribute("data-status") == "completed"

    # an LLM span: attributes, its *_json state, and the prompt/response as a chat
    select_span(page, span_row(page, "llm", "llm.generate"))
    page.click("[data-testid=tab-attributes]")
    keys = page.locator("[data-testid=attr-row]").evaluate_all("els => els.map(e => e.dataset.key)")
    assert any(k.startswith("mcp.llm.") for k in keys), keys
    page.click("[data-testid=tab-state]")
    page.wait_for_selector("[data-testid=json-attr][data-key='mcp.llm.prompt_json']")
    assert page.locator("[data-testid=json-attr] [data-testid=json-tree]").count() >= 1
    page.click("[data-testid=tab-context]")
    page.wait_for_selector("[data-testid=context-panel][data-kind=llm]")
    roles = page.locator("[data-testid=chat-message]").evaluate_all("els => els.map(e => e.dataset.role)")
    assert len(roles) >= 2, roles  # the prompt and the response
    assert page.locator("[data-testid=context-panel] .part-text").count() >= 1
    screenshot(page, "debugger-llm-context.png")

    # a tool span: the call with its arguments and the result
    tool_row = span_row(page, "tool", "tool.call")
    span_id = select_span(page, tool_row)
    page.click("[data-testid=tab-attributes]")
    tool_name = page.locator("[data-testid=attr-row][data-key='mcp.tool.name'] td").inner_text()
    assert tool_name
    assert tool_row.locator("[data-testid=span-label]").inner_text() == tool_name  # the row says which tool
    page.fill("[data-testid=span-search]", tool_name)  # "Find span" matches labels too
    page.wait_for_selector(f"[data-testid=span-row][data-span-id='{span_id}'].match")
    # the label is what matched, so the label is marked, not the name
    assert tool_row.locator("[data-testid=span-label].hit").count() == 1
    assert tool_row.locator(".span-name.hit").count() == 0
    page.fill("[data-testid=span-search]", "")
    page.click("[data-testid=tab-state]")
    page.wait_for_selector("[data-testid=json-attr][data-key='mcp.tool.input_json']")
    screenshot(page, "debugger-tool-state.png")
    page.click("[data-testid=tab-context]")
    call = page.locator("[data-testid=part-tool-call]").first
    assert tool_name in call.inner_text()
    assert page.locator("[data-testid=part-tool-result]").count() >= 1
    screenshot(page, "debugger-tool-context.png")

    # the URL is a deep link to the span: a fresh page opens on it
    assert re.search(rf"#/session/{re.escape(sid)}/span/{span_id}$", page.url)
    page.reload()
    page.wait_for_selector(f"[data-testid=inspector][data-span-id='{span_id}']", timeout=15_000)

    # keyboard: down moves the selection, left goes to the parent
    page.click("[data-testid=span-tree-scroll]", position={"x": 5, "y": 5})
    page.keyboard.press("Home")  # the tree's first row: the root, expanded
    page.wait_for_selector("[data-testid=span-row][aria-selected=true][aria-level='1']")
    first = page.locator("[data-testid=span-row][aria-selected=true]").get_attribute("data-span-id")
    page.keyboard.press("ArrowDown")
    second = page.locator("[data-testid=span-row][aria-selected=true]").get_attribute("data-span-id")
    assert second
    assert second != first
    page.keyboard.press("ArrowUp")
    selected = page.locator("[data-testid=span-row][aria-selected=true]")
    assert selected.get_attribute("data-span-id") == first
    root = page.locator(f"[data-testid=span-row][data-span-id='{first}']")
    assert root.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowLeft")  # collapse
    page.wait_for_function(f"() => document.querySelector(\"[data-span-id='{first}']\").ariaExpanded === 'false'")
    page.keyboard.press("ArrowRight")  # expand
    page.wait_for_function(f"() => document.querySelector(\"[data-span-id='{first}']\").ariaExpanded === 'true'")
    page.keyboard.press("ArrowRight")  # to the first child
    page.wait_for_function(f"() => document.querySelector(\"[data-span-id='{second}']\").ariaSelected === 'true'")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # (collapses the child if it has children, then) back to the parent
    page.wait_for_function(f"() => document.querySelector(\"[data-span-id='{first}']\").ariaSelected === 'true'")

    # the tree stays virtualized and the dark theme applies
    assert page.locator("[data-testid=span-row]").count() <= 500
    page.click("[data-testid=theme-dark]")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    span_row(page, "llm", "llm.generate").click()
    page.click("[data-testid=tab-context]")
    screenshot(page, "debugger-dark.png")
    page.click("[data-testid=theme-system]")


def test_errors_are_shown_in_words(demo: Any, browser: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        # a wrong token: the list says what is wrong instead of staying blank
        page.goto(demo.url.split("?token=")[0] + "?token=" + "0" * 64)
        error = page.locator("[data-testid=sessions-error]")
        error.wait_for(timeout=15_000)
        assert "token" in error.inner_text().lower()
        # an unknown session: the debugger explains, with a way back
        page.goto(demo.url)
        page.wait_for_selector("[data-testid=session-row]", timeout=30_000)
        page.evaluate("location.hash = '#/session/no-such-session-000'")
        message = page.locator("[data-testid=trace-error]")
        message.wait_for(timeout=15_000)
        assert "No trace file" in message.inner_text()
        assert page.locator("[data-testid=trace-error] a[href='#/']").count() == 1
    finally:
        context.close()


def test_span_search_links_to_the_span(demo: Any, page: Any) -> None:
    open_sessions(page, demo)
    page.fill("[data-testid=session-search]", "demo_add")
    page.press("[data-testid=session-search]", "Enter")
    hit = page.locator("[data-testid=search-hit]").first
    hit.wait_for(timeout=20_000)
    href = hit.get_attribute("href")
    assert href
    assert href.startswith("#/session/")
    hit.click()
    page.wait_for_selector("[data-testid=debugger-page]")
    if "/span/" in href:
        span_id = href.split("?", 1)[0].rsplit("/", 1)[1]
        page.wait_for_selector(f"[data-testid=inspector][data-span-id='{span_id}']", timeout=15_000)


def test_paused_workflow_is_resumed_from_the_page(demo: Any, page: Any, screenshot: Callable[[Any, str], None]) -> None:
    sid = open_paused(page, demo, before_click=lambda: screenshot(page, "sessions.png"))
    # the run is live: its open spans (span_start without span) show as running
    page.wait_for_selector("[data-testid=span-row][data-status=running]", timeout=15_000)
    screenshot(page, "resume.png")
    # issue 16: select a span that is still open; once the run resumes and it ends, its pane fills by itself
    running = page.locator("[data-testid=span-row][data-status=running]").last
    waiting_span = running.get_attribute("data-span-id")
    running.click()
    page.wait_for_selector(f"[data-testid=inspector][data-span-id='{waiting_span}']")
    answer_resume(page, "Approved from the inspector e2e test", timeout=10_000)
    page.wait_for_selector(".session-head [data-testid=status-badge][data-status=completed]", timeout=30_000)
    # the live re-reads of the trace file bring the ends of the spans that were open: none is left running
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=span-row][data-status=running]')", timeout=20_000
    )
    assert page.locator("[data-testid=span-row]").count() >= 2
    page.click("[data-testid=tab-attributes]")
    page.wait_for_selector(
        f"[data-testid=inspector][data-span-id='{waiting_span}'] [data-testid=attr-row]", timeout=20_000
    )
    assert "written when the span ends" not in page.locator("[data-testid=attributes-panel]").inner_text()
    # its full record is shown (a duration, not "since <start>" of a running span), without a reload
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=inspector] .inspector-meta').textContent.includes('since ')",
        timeout=20_000,
    )
    # the sessions list agrees
    page.click("[data-testid=nav-home]")
    page.wait_for_selector(f"{ROW}[data-session-id='{sid}'][data-status=completed]", timeout=15_000)


def test_a_paused_run_is_cancelled_from_the_page(demo: Any, page: Any) -> None:
    open_paused(page, demo)
    page.click("[data-testid=cancel-session]")
    page.wait_for_selector(
        ".session-head [data-testid=status-badge][data-status=cancelled], "
        ".session-head [data-testid=status-badge][data-status=failed]",
        timeout=30_000,
    )
    assert page.locator("[data-testid=resume-panel]").count() == 0


def test_sse_reconnects_and_misses_no_event(demo: Any, page: Any) -> None:
    open_sessions(page, demo)
    status = page.locator("[data-testid=sse-status]")
    page.wait_for_selector("[data-testid=sse-status][data-state=open]")
    page.wait_for_function("() => window.__inspectorEvents.ids.length > 0", timeout=30_000)
    before = page.evaluate("() => window.__inspectorEvents.getLastId()")

    demo.proxy.refuse = True
    assert demo.proxy.drop() >= 1
    page.wait_for_selector("[data-testid=sse-status][data-state=reconnecting]", timeout=10_000)
    assert "Reconnecting" in status.inner_text()
    time.sleep(3)  # the demo keeps running: events happen while the page is cut off
    demo.proxy.refuse = False
    page.wait_for_selector("[data-testid=sse-status][data-state=open]", timeout=20_000)
    page.wait_for_function(f"() => window.__inspectorEvents.getLastId() > {before}", timeout=30_000)
    ids = page.evaluate("() => window.__inspectorEvents.ids")
    assert page.evaluate("() => window.__inspectorEvents.connections") >= 2
    assert ids == list(range(ids[0], ids[0] + len(ids))), "an event id is missing or repeated after the reconnect"


def test_a_killed_writers_session_is_shown_failed(demo: Any, page: Any, screenshot: Callable[[Any, str], None]) -> None:
    from killed_writer import kill, running_writer

    with running_writer(demo.traces, [("crashed-run-01", "asyncio", False)]) as writer:
        kill(writer)
    open_sessions(page, demo)
    row = page.locator(f"{ROW}[data-session-id=crashed-run-01]")
    row.wait_for(timeout=15_000)
    assert row.get_attribute("data-status") == "failed"
    assert "its process ended first" in row.inner_text()
    row.click()
    banner = page.locator("[data-testid=session-error]")
    banner.wait_for(timeout=15_000)
    assert "killed or crashed" in banner.inner_text()
    # the span it left open is marked unfinished and stops at the session's end instead of running on
    unfinished = page.locator("[data-testid=span-row][data-status=unfinished]")
    unfinished.wait_for(timeout=15_000)
    assert "never ended" in unfinished.inner_text()
    assert "unfinished" in unfinished.inner_text()
    assert "…" not in unfinished.inner_text()
    screenshot(page, "debugger-killed-writer.png")
