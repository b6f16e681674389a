"""Human turns in the span details, in real Chromium on the demo: the span that waited shows the answer that
resumed it (an approval answered on the page; an elicitation's accepted content and its action)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from inspector_demo.humans import ELICIT_ANSWER
from page_support import find_in_traces, open_span

from inspector_otel.testing import read_trace

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ANSWER = "Teal, answered on the page"


def _resumed_span(traces: Path, wanted: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(session id, span, its session.resumed event) of a finished span whose resume event ``wanted`` accepts."""

    def pick(records: list[dict[str, Any]]) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
        for record in records:
            for event in record.get("events") or () if record.get("type") == "span" else ():
                if event["name"] == "session.resumed" and wanted(event["attributes"]):
                    return records[0]["id"], record, event
        return None

    return find_in_traces(traces, pick, "span resumed as wanted")


def _answer_shown(page: Any, demo: Any, sid: str, span: dict[str, Any]) -> str:
    open_span(page, demo.url, sid, span["span_id"])
    shown = page.locator("[data-testid=span-event][data-name='session.resumed'] [data-testid=resume-answer]")
    shown.first.wait_for(timeout=10_000)
    return str(shown.first.inner_text())


def _paused_approval(traces: Path) -> str:
    """The id of a demo ApprovalWorkflow run that waits (paused, neither resumed nor ended)."""

    def pick(records: list[dict[str, Any]]) -> str | None:
        marks = [r["type"] for r in records if r["type"] in ("session_paused", "session_resumed", "session_end")]
        if records and records[0].get("title") == "ApprovalWorkflow" and marks[-1:] == ["session_paused"]:
            return str(records[0]["id"])
        return None

    return find_in_traces(traces, pick, "paused run")


def test_the_answer_given_on_the_page_is_shown_on_the_span_that_waited(demo: Any, page: Any) -> None:
    sid = _paused_approval(demo.traces)
    page.goto(f"{demo.url}#/session/{sid}")
    panel = page.locator("[data-testid=resume-panel]")
    panel.wait_for(timeout=20_000)
    panel.locator("textarea, input[type=text]").first.fill(ANSWER)
    panel.locator("[data-testid=resume-submit]").click()
    page.wait_for_selector(".session-head [data-testid=status-badge][data-status=completed]", timeout=30_000)
    found, span, event = _resumed_span(demo.traces, lambda a: ANSWER in a.get("payload_json", ""))
    assert found == sid
    assert json.loads(event["attributes"]["payload_json"])["response"] == ANSWER
    assert _answer_shown(page, demo, sid, span) == f"answered: {ANSWER}"
    # and in the file, the session_resumed record
    resumed = [r for r in read_trace(demo.traces / f"{sid}.jsonl.gz") if r.get("type") == "session_resumed"]
    assert [r["answer"]["response"] for r in resumed] == [ANSWER]


def test_an_elicitations_content_and_action_are_shown(demo: Any, page: Any) -> None:
    sid, span, event = _resumed_span(demo.traces, lambda a: a.get("action") == "accept")
    assert span["attributes"].get("mcp.rpc.method") == "tools/call"  # the call the server asked during
    text = _answer_shown(page, demo, sid, span)
    assert text.startswith("accept")
    assert ELICIT_ANSWER in text
