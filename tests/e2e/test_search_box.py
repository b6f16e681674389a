"""The search box in real Chromium: ranked hits with readable snippets and the true count, more pages, keyboard
navigation, and the jump to the span with the match marked in the inspector (gateway with the index plugin)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "gateway"))

from gateway_support import Live, header, span, start_gateway, write_trace
from trace_gen import generate_trace

import inspector_sqlite_index.plugin

pytestmark = [pytest.mark.e2e]

STATIC_INDEX = Path(__file__).parents[2] / "packages/inspector-gateway/src/inspector_gateway/static/index.html"
SPANS = 3_000
NEEDLE = "xylophonic"
FILTERED = "marimba"  # in an LLM and a tool span of the generated session, and an ERROR span of another one


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    if not STATIC_INDEX.is_file():
        pytest.skip("the UI is not built: run scripts/build-ui")
    mp = pytest.MonkeyPatch()
    mp.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    traces = tmp_path_factory.mktemp("search-box")
    generate_trace(
        traces / "boxed-session-1.jsonl.gz",
        SPANS,
        extra={SPANS - 1: f"a {NEEDLE} note", 7: NEEDLE, 100: FILTERED, 102: FILTERED},
    )
    failed = span(1, f"{FILTERED}.lookup")
    failed["status"] = {"code": "ERROR", "message": "no such instrument"}
    write_trace(traces / "other-session-2.jsonl.gz", header("other-session-2", "2026-03-02T00:00:00.000000Z"), failed)
    live = start_gateway(traces, (inspector_sqlite_index.plugin,))
    assert live.gateway.search_index.indexer.wait_idle(60)
    yield live
    live.close()
    mp.undo()


def _open(page: Any, live: Live) -> None:
    page.goto(f"{live.base}/ui/?token={live.token}")
    page.wait_for_selector("[data-testid=sessions-page]")


def test_results_are_ranked_readable_and_counted(
    gateway: Live, page: Any, screenshot: Callable[[Any, str], None]
) -> None:
    _open(page, gateway)
    page.fill("[data-testid=session-search]", "metric")
    page.press("[data-testid=session-search]", "Enter")
    page.wait_for_selector("[data-testid=search-hit]")
    total = SPANS * 3 // 10
    assert page.inner_text("[data-testid=search-count]").startswith(f"1–25 of {total:,} spans, best first")
    assert page.locator("[data-testid=search-hit]").count() == 25
    page.click("[data-testid=search-more]")
    page.wait_for_function("document.querySelectorAll('[data-testid=search-hit]').length === 50")
    assert page.inner_text("[data-testid=search-count]").startswith(f"1–50 of {total:,}")
    snippet = page.locator("[data-testid=search-snippet]").first
    assert snippet.locator("mark").first.inner_text().lower() == "metric"
    assert "\\" not in snippet.inner_text()  # readable text, not escaped JSON
    page.focus("[data-testid=search-hits]")
    page.keyboard.press("ArrowDown")
    screenshot(page, "search.png")


def test_keyboard_jumps_to_the_span_with_the_match_marked(
    gateway: Live, page: Any, screenshot: Callable[[Any, str], None]
) -> None:
    _open(page, gateway)
    page.fill("[data-testid=session-search]", NEEDLE)
    page.press("[data-testid=session-search]", "Enter")
    page.wait_for_selector("[data-testid=search-hit]")
    assert page.inner_text("[data-testid=search-count]").startswith("2 spans, best first")
    page.press("[data-testid=session-search]", "ArrowDown")  # into the results, first hit active
    page.keyboard.press("ArrowDown")
    active = page.locator("[data-testid=search-hits] li[aria-selected=true]")
    assert active.get_attribute("data-index") == "1"
    href = active.locator("[data-testid=search-hit]").get_attribute("href")
    span_id = href.split("?", 1)[0].rsplit("/", 1)[1]
    page.keyboard.press("Enter")
    page.wait_for_selector(f"[data-testid=inspector][data-span-id='{span_id}']", timeout=15_000)
    mark = page.locator("[data-testid=inspector] mark.search-mark").first
    mark.wait_for()
    assert mark.inner_text().lower() == NEEDLE
    assert mark.is_visible()
    screenshot(page, "search-jump.png")
    page.go_back()
    page.wait_for_selector("[data-testid=sessions-page]")


def test_filters_by_kind_status_and_session_from_the_keyboard(
    gateway: Live, page: Any, screenshot: Callable[[Any, str], None]
) -> None:
    _open(page, gateway)
    page.fill("[data-testid=session-search]", FILTERED)
    page.press("[data-testid=session-search]", "Enter")
    count = page.locator("[data-testid=search-count]")
    hits = page.locator("[data-testid=search-hit]")
    page.wait_for_selector("[data-testid=search-hit]")
    assert count.inner_text().startswith("3 spans")

    kind = page.locator("[data-testid=search-filter-kind]")
    kind.focus()
    page.keyboard.press("ArrowDown")  # the first kind: LLM
    assert kind.input_value() == "LLM"
    page.wait_for_function("document.querySelector('[data-testid=search-count]')?.innerText.startsWith('1 span')")
    assert hits.first.inner_text().startswith("ScriptedLLM.finder.generate")

    page.keyboard.press("Tab")  # on to the status filter
    page.keyboard.press("ArrowDown")  # Error
    page.wait_for_selector("[data-testid=search-none]")
    assert "with these filters" in page.inner_text("[data-testid=search-none]")

    page.focus("[data-testid=search-filters-clear]")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('[data-testid=search-count]')?.innerText.startsWith('3 spans')")
    page.select_option("[data-testid=search-filter-session]", "other-session-2")
    page.wait_for_function("document.querySelector('[data-testid=search-count]')?.innerText.startsWith('1 span')")
    assert "/session/other-session-2/" in (hits.first.get_attribute("href") or "")
    screenshot(page, "search-filters.png")

    page.focus("[data-testid=search-filter-session]")
    page.keyboard.press("Escape")  # from a filter, as from the hits: the results close
    page.wait_for_selector("[data-testid=search-results]", state="detached")
