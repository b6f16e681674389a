"""Issue 16: tokens and cost in Chromium: per session in the list, per model in the session's header, per span;
"unknown" without a price (the demo's scripted model), a price from INSPECTOR_PRICES when the user gives one."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "cli"))

from cli_support import Served, write_sessions  # noqa: E402

pytestmark = pytest.mark.e2e

ROW = "[data-testid=session-row]"


@pytest.mark.slow
def test_demo_tokens_are_shown_and_an_unpriced_model_costs_unknown(demo: Any, page: Any) -> None:
    page.goto(demo.url)
    page.wait_for_selector(f"{ROW}[data-status=completed]", timeout=60_000)
    with_tokens = page.locator(f"{ROW}[data-status=completed]").filter(
        has=page.locator("[data-testid=session-tokens]", has_text="1")
    )
    with_tokens.first.wait_for(timeout=30_000)
    row = with_tokens.first
    assert row.locator("[data-testid=session-cost]").inner_text() == "unknown"  # scripted-1 has no price
    row.click()
    page.wait_for_selector("[data-testid=span-row]", timeout=15_000)
    page.click("[data-testid=session-usage] summary")
    model = page.locator("[data-testid=usage-model-row]").first
    assert model.get_attribute("data-model") == "scripted-1"
    assert model.locator("td").last.inner_text() == "unknown"
    llm_rows = page.locator("[data-testid=span-row][data-category=llm]")
    llm_rows.filter(has=page.locator(".span-name", has_text=re.compile(r"^llm\.generate$"))).first.click()
    usage = page.locator("[data-testid=span-usage]")
    usage.wait_for()
    assert " in · " in usage.inner_text()
    assert usage.locator("[data-testid=span-cost]").inner_text() == "unknown"


def test_priced_tokens_with_user_prices(tmp_path: Path, page: Any) -> None:
    traces = tmp_path / "traces"
    write_sessions(traces).shutdown()
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"gpt-4o-mini": {"input": 1000, "output": 1000}}))
    served = Served(traces, env={"INSPECTOR_PRICES": str(prices)})
    try:
        page.goto(served.url)
        row = page.locator(f"{ROW}[data-session-id=run-child01]")
        row.wait_for()
        assert row.locator("[data-testid=session-tokens]").inner_text() == "150"
        assert row.locator("[data-testid=session-cost]").inner_text() == "$0.1500"  # (120 + 30) x $1000 / 1M
        assert page.locator(f"{ROW}[data-session-id=run-failed1] [data-testid=session-cost]").inner_text() == "–"
        row.click()
        page.locator("[data-testid=span-row]").first.click()
        page.wait_for_selector("[data-testid=span-usage]")
        assert page.locator("[data-testid=span-cost]").inner_text() == "$0.1500"
        assert page.locator("[data-testid=session-usage-cost]").inner_text() == "$0.1500"
    finally:
        served.stop()
