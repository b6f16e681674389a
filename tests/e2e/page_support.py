"""Helpers of the e2e tests on the demo: wait for a record in the demo's trace files, open a span's page."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from inspector_hooks.tracefile import parse_part_name
from inspector_otel.testing import read_session

T = TypeVar("T")

__all__ = ["find_in_traces", "open_span"]


def find_in_traces(traces: Path, pick: Callable[[list[dict[str, Any]]], T | None], what: str, timeout: float = 60) -> T:
    """The first non-None ``pick(records)`` over the sessions in ``traces`` (one session's records at a time, every
    part joined: a part closed by the exporter, idle or at its cap, is followed by the next; sessions still
    unreadable, e.g. a part being written, are passed over), polled until ``timeout`` seconds; else the test fails
    saying ``what`` it waited for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(traces.glob("*.jsonl.gz")):
            named = parse_part_name(path.name)
            if named is None or named[1] != 0:
                continue
            try:
                records = read_session(traces, named[0])
            except Exception:
                continue
            found = pick(records)
            if found is not None:
                return found
        time.sleep(1)
    pytest.fail(f"no {what} in {traces}")


def open_span(page: Any, url: str, sid: str, span_id: str) -> None:
    """Go to the span's own link and wait until the inspector pane shows it."""
    page.goto(f"{url}#/session/{sid}/span/{span_id}")
    page.wait_for_selector(f"[data-testid=inspector][data-span-id='{span_id}']", timeout=20_000)


def select_span(page: Any, row: Any) -> str:
    """Click a span row and wait until the inspector shows that span's record (it is read on demand: the panes show
    the previous span's until it arrives); returns the span id."""
    span_id = str(row.get_attribute("data-span-id"))
    row.click()
    page.wait_for_selector(f"[data-testid=inspector][data-span-id='{span_id}']:not(.stale)", timeout=20_000)
    return span_id


def answer_resume(page: Any, text: str, timeout: float = 15_000) -> None:
    """Fill every text field of the resume panel with ``text``, send it, and check the page took the answer (the
    demo's human input is a plain text answer, {"response": ...})."""
    panel = page.locator("[data-testid=resume-panel]")
    fields = panel.locator("textarea, input[type=text]")
    assert fields.count() >= 1
    for i in range(fields.count()):
        fields.nth(i).fill(text)
    panel.locator("[data-testid=resume-submit]").click()
    page.wait_for_selector("[data-testid=resume-sent], [data-testid=resume-error]", timeout=timeout)
    errors = page.locator("[data-testid=resume-error]")
    assert errors.count() == 0, errors.inner_text()
