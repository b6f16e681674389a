"""A session written by another process (a Temporal worker, an app whose files ``serve`` shows) sends the page no
span events: the open page still follows its file until the file says the session ended."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider

from inspector_hooks import context
from inspector_otel import TraceFileProcessor

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "cli"))

from cli_support import Served  # noqa: E402
from inspector_demo.temporal_side import free_port  # noqa: E402

pytestmark = pytest.mark.e2e

SID = "other-proc-01"


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[tuple[Path, TraceFileProcessor, Any]]:
    folder = tmp_path / "traces"
    processor = TraceFileProcessor(folder)
    provider = TracerProvider()
    provider.add_span_processor(processor.link())
    yield folder, processor, provider.get_tracer("tests.e2e.live")
    processor.shutdown()


def _spans(processor: TraceFileProcessor, tracer: Any, names: list[str]) -> None:
    with context.bind(SID):
        for name in names:
            with tracer.start_as_current_span("tool.call") as span:
                span.set_attribute("mcp.tool.name", name)
    processor.force_flush()


def test_the_page_follows_a_file_another_process_writes(writer: tuple[Path, TraceFileProcessor, Any], page: Any):
    folder, processor, tracer = writer
    processor.session_started(SID, {"engine": "asyncio", "title": "Elsewhere", "parent_session_id": None})
    _spans(processor, tracer, ["first_tool"])
    served = Served(folder)
    try:
        page.goto(served.url)  # its token link sets the cookie
        page.wait_for_selector("[data-testid=session-row]")
        page.goto(served.url.split("?")[0] + f"#/session/{SID}")
        page.wait_for_selector("[data-testid=span-row]")
        assert page.locator("[data-testid=span-row]").count() == 1
        _spans(processor, tracer, ["second_tool", "third_tool"])  # the served gateway hears nothing of these
        page.wait_for_function("() => document.querySelectorAll('[data-testid=span-row]').length === 3", timeout=30_000)
        processor.session_finished(SID, "completed", None)
        processor.force_flush()
        # once a read finds the file's session_end, the page stops reading this trace
        last = [time.monotonic()]
        page.on("request", lambda r: last.__setitem__(0, time.monotonic()) if f"/trace/{SID}" in r.url else None)
        deadline = time.monotonic() + 60
        while time.monotonic() - last[0] < 20:  # longer than the longest wait between reads (POLL_MAX_MS)
            assert time.monotonic() < deadline, "the page kept reading a trace whose file says it ended"
            page.wait_for_timeout(500)
    finally:
        served.stop()


def test_the_list_follows_sessions_another_process_writes(writer: tuple[Path, TraceFileProcessor, Any], page: Any):
    """No event reaches the served gateway's page for them: a new session shows up in the list, its span count and
    its end follow, without a reload."""
    folder, processor, tracer = writer
    processor.session_started(SID, {"engine": "asyncio", "title": "Elsewhere", "parent_session_id": None})
    _spans(processor, tracer, ["first_tool"])
    served = Served(folder)
    try:
        page.goto(served.url)
        page.wait_for_selector(f"[data-testid=session-row][data-session-id='{SID}']")
        later = "other-proc-02"
        processor.session_started(later, {"engine": "asyncio", "title": "Started later", "parent_session_id": None})
        with context.bind(later), tracer.start_as_current_span("tool.call"):
            pass
        processor.force_flush()
        row = page.locator(f"[data-testid=session-row][data-session-id='{later}']")
        row.wait_for(timeout=30_000)
        processor.session_finished(later, "completed", None)
        processor.force_flush()
        page.locator(f"[data-testid=session-row][data-session-id='{later}'][data-status=completed]").wait_for(
            timeout=40_000
        )
    finally:
        served.stop()


def test_a_rejected_token_stops_the_reads_until_the_page_is_accepted(
    writer: tuple[Path, TraceFileProcessor, Any], page: Any
):
    """The gateway restarted with another token while a live trace is open: the page sends no read that gets a 401
    every few seconds (at most the one that learns it), and reads again once a fresh link is pasted."""
    folder, processor, tracer = writer
    processor.session_started(SID, {"engine": "asyncio", "title": "Elsewhere", "parent_session_id": None})
    _spans(processor, tracer, ["first_tool"])
    port = free_port()
    served = Served(folder, port=port)
    try:
        page.goto(served.url)
        page.wait_for_selector(f"[data-testid=session-row][data-session-id='{SID}']")
        page.goto(served.url.split("?")[0] + f"#/session/{SID}")
        page.wait_for_selector("[data-testid=span-row]")
    finally:
        served.stop()
    other = Served(folder, port=port, env={"INSPECTOR_TOKEN": "another-token-0123456789"})
    try:
        _spans(processor, tracer, ["second_tool"])  # the file grows: a page that reads it would ask again and again
        page.wait_for_selector("[data-testid=auth-banner]", timeout=40_000)
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if "/_inspector/" in r.url and "/ui/" not in r.url else None)
        page.wait_for_timeout(34_000)  # over twice the longest wait between reads of a live trace (16 s)
        assert len(asked) <= 1, asked
        page.fill("[data-testid=auth-token-input]", other.url)
        page.click("[data-testid=auth-token-submit]")
        page.wait_for_function("() => document.querySelectorAll('[data-testid=span-row]').length === 2", timeout=30_000)
    finally:
        other.stop()
