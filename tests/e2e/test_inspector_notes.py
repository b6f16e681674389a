"""The inspector says what it is doing when it has no record to show (Chromium on the demo): a link to a span the
trace does not hold says the record could not be read (it said "Select a span", as with nothing selected)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_link_to_a_span_not_in_the_trace_says_so(demo: Any, page: Any) -> None:
    page.goto(demo.url)
    done = page.locator("[data-testid=session-row][data-status=completed]").first
    done.wait_for(timeout=60_000)
    done.click()
    page.wait_for_selector("[data-testid=inspector][data-span-id]", timeout=15_000)  # the first span, shown
    page.evaluate("() => { location.hash = location.hash.replace(/\\/span\\/.*$/, '') + '/span/00000000deadbeef'; }")
    note = page.locator("[data-testid=inspector-note]")
    note.wait_for(timeout=15_000)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=inspector-note]')?.textContent.includes('could not be read')",
        timeout=15_000,
    )
    assert page.locator("[data-testid=span-row].selected").count() == 0
