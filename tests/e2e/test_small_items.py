"""Issue 16's smaller items in Chromium on the demo: an inbound request's header does not count "0 tool", and the
children of a session are listed newest first."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROW = "[data-testid=session-row]"


def test_inbound_session_header_does_not_say_zero(demo: Any, page: Any) -> None:
    page.goto(demo.url)
    inbound = page.locator(f"{ROW}[data-status=completed]").filter(
        has=page.locator("[data-testid=engine-tag]", has_text="mcp-inbound")
    )
    inbound.first.wait_for(timeout=60_000)
    inbound.first.click()
    page.wait_for_selector("[data-testid=span-row]", timeout=15_000)
    stats = page.locator("[data-testid=session-stats]").inner_text()
    assert "0 tool" not in stats
    assert "0 LLM" not in stats


def test_children_are_listed_newest_first(demo: Any, page: Any) -> None:
    page.goto(demo.url)
    page.wait_for_selector(ROW, timeout=60_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=session-row] .child-mark')].length >= 2", timeout=60_000
    )
    rows = page.locator(ROW).evaluate_all(
        "els => els.map(e => [parseInt(e.querySelector('.session-title').style.paddingLeft || '0', 10),"
        " e.querySelector('.col-start').getAttribute('title')])"
    )
    siblings: dict[tuple[int, int], list[str]] = {}  # (parent row, depth) -> started_at of its children, in order
    parents: list[int] = []  # the row index of the latest row at each depth
    for i, (indent, started) in enumerate(rows):
        depth = indent // 18
        parents[depth:] = [i]
        if depth > 0:
            siblings.setdefault((parents[depth - 1], depth), []).append(started)
    groups = [g for g in siblings.values() if len(g) >= 2]
    assert groups, "no parent with two children in the demo's list"
    for group in groups:
        assert group == sorted(group, reverse=True)
