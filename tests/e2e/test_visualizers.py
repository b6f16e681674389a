"""The first-party visualizers (inspector-visualizers, loaded through the public UI plugin entry point) on the demo's
pattern runs, in real Chromium: each renders its pattern's structure, and rows click through to their span."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from page_support import find_in_traces, open_span

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _pattern_span(traces: Path, workflow_type: str, key: str) -> tuple[str, dict[str, Any]]:
    """(session id, span) of a finished workflow.run of ``workflow_type`` in the demo's trace files."""

    def pick(records: list[dict[str, Any]]) -> tuple[str, dict[str, Any]] | None:
        for record in records:
            attrs = record.get("attributes") or {}
            if (
                record.get("type") == "span"
                and record.get("name") == "workflow.run"
                and attrs.get("mcp.workflow.type") == workflow_type
                and key in attrs
                and record.get("end_time")
            ):
                return records[0]["id"], record
        return None

    return find_in_traces(traces, pick, f"finished {workflow_type} run")


def _open_visualizer(page: Any, demo: Any, sid: str, span_id: str, testid: str) -> None:
    open_span(page, demo.url, sid, span_id)
    page.wait_for_selector("[data-testid=tab-visualizer]", timeout=10_000)
    page.click("[data-testid=tab-visualizer]")
    page.wait_for_selector(f"[data-testid={testid}]", timeout=10_000)


def _click_through(page: Any, row: Any) -> str:
    target = row.get_attribute("data-span-id")
    assert target
    row.click()
    page.wait_for_selector(f"[data-testid=inspector][data-span-id='{target}']", timeout=10_000)
    return str(target)


def test_plugin_is_loaded_through_its_entry_point(demo: Any, page: Any) -> None:
    page.goto(demo.url)
    page.wait_for_selector("[data-testid=sessions-page]")
    entries = page.evaluate(
        "() => JSON.parse(document.querySelector('script[type=\"application/json\"]').textContent).plugins"
    )
    assert {"name": "visualizers", "entry": entries[0]["entry"]} in entries
    assert entries[0]["entry"].endswith("/plugins/visualizers/index.js")


def test_orchestrator_plan_view(demo: Any, page: Any, screenshot: Callable[[Any, str], None]) -> None:
    sid, span = _pattern_span(demo.traces, "orchestrator", "mcp.result.plan_json")
    plan = json.loads(span["attributes"]["mcp.result.plan_json"])
    _open_visualizer(page, demo, sid, span["span_id"], "iv-plan")
    steps = page.locator("[data-testid=iv-step]")
    assert steps.count() == len(plan["steps"])
    tasks = page.locator("[data-testid=iv-task]")
    expected = [(t["agent"], t["status"]) for s in plan["steps"] for t in s["tasks"]]
    got = tasks.evaluate_all("els => els.map(e => [e.dataset.agent, e.dataset.status])")
    assert [tuple(x) for x in got] == expected
    assert all(status == "completed" for _, status in expected)
    screenshot(page, "visualizer-orchestrator-plan.png")
    first = tasks.first
    agent = first.get_attribute("data-agent")
    _click_through(page, first)
    assert page.locator("[data-testid=inspector-title]").inner_text() == "agent.call"
    page.click("[data-testid=tab-attributes]")
    assert page.locator("[data-testid=attr-row][data-key='mcp.agent.name'] td").inner_text() == agent


def test_router_scores_view(demo: Any, page: Any, screenshot: Callable[[Any, str], None]) -> None:
    sid, span = _pattern_span(demo.traces, "router", "mcp.result.router_decision_json")
    decision = json.loads(span["attributes"]["mcp.result.router_decision_json"])
    _open_visualizer(page, demo, sid, span["span_id"], "iv-router")
    rows = page.locator("[data-testid=iv-route]").evaluate_all(
        "els => els.map(e => [e.dataset.category, e.dataset.selected])"
    )
    assert sorted(c for c, _ in rows) == sorted(c["category"] for c in decision["candidates"])
    assert [c for c, selected in rows if selected == "true"] == decision["selected"]
    assert rows[0][1] == "true"  # the selected route first
    screenshot(page, "visualizer-router.png")


def test_evaluator_iterations_view(demo: Any, page: Any, screenshot: Callable[[Any, str], None]) -> None:
    sid, span = _pattern_span(demo.traces, "evaluator_optimizer", "mcp.result.evaluation_json")
    evaluation = json.loads(span["attributes"]["mcp.result.evaluation_json"])
    _open_visualizer(page, demo, sid, span["span_id"], "iv-evaluation")
    cards = page.locator("[data-testid=iv-iteration]")
    assert cards.count() == len(evaluation["iterations"]) >= 1
    ratings = cards.evaluate_all("els => els.map(e => e.dataset.rating)")
    assert ratings == [i["rating"] for i in evaluation["iterations"]]
    screenshot(page, "visualizer-evaluator.png")
    header = cards.first.locator("[data-span-id]").first
    _click_through(page, header)
    assert page.locator("[data-testid=inspector-title]").inner_text() == "agent.call"


def test_parallel_fan_out_view(demo: Any, page: Any) -> None:
    sid, span = _pattern_span(demo.traces, "parallel", "mcp.result.parallel_json")
    state = json.loads(span["attributes"]["mcp.result.parallel_json"])
    _open_visualizer(page, demo, sid, span["span_id"], "iv-parallel")
    names = page.locator("[data-testid=iv-member]").evaluate_all("els => els.map(e => e.dataset.name)")
    assert names == [m["name"] for m in state["fan_out"]]
    _click_through(page, page.locator("[data-testid=iv-fan-in]"))
    assert page.locator("[data-testid=inspector-title]").inner_text() == "agent.call"


def test_swarm_handoff_view(demo: Any, page: Any, screenshot: Callable[[Any, str], None]) -> None:
    sid, span = _pattern_span(demo.traces, "swarm", "mcp.result.handoffs_json")
    state = json.loads(span["attributes"]["mcp.result.handoffs_json"])
    _open_visualizer(page, demo, sid, span["span_id"], "iv-swarm")
    agents = page.locator("[data-testid=iv-agent]").evaluate_all("els => els.map(e => e.textContent)")
    assert agents == state["agents"]
    handoffs = page.locator("[data-testid=iv-handoff]")
    assert handoffs.count() == len(state["handoffs"]) >= 1
    screenshot(page, "visualizer-swarm.png")
    _click_through(page, handoffs.first)
    assert page.locator("[data-testid=inspector-title]").inner_text() == "tool.call"
