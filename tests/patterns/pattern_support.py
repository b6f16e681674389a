"""Helpers of the pattern tests: the fake provider's answers in the worker agents' names, and reading a pattern's
``workflow.run`` spans and their ``mcp.result.<name>_json`` from the trace file."""

from __future__ import annotations

import json

from inspector_demo.fake_provider import Reply
from mcp_agent.agents.agent import Agent

__all__ = ["agent_of", "descendants", "result_of", "weather_then_text", "workers", "workflow_runs"]


def agent_of(turn) -> str:
    """The worker agents' instructions start with 'You are <name>.'; the fake answers in their name."""
    first = turn.system.split(".")[0]
    return first.removeprefix("You are ").strip() if first.startswith("You are ") else "model"


def weather_then_text(turn) -> Reply:
    if "demo_lookup_weather" in turn.tools and not turn.after_tool:
        return Reply(tool_calls=(("demo_lookup_weather", {"city": "Paris"}),))
    return Reply(text=f"{agent_of(turn)} says: {turn.last_text[:80]}")


def workflow_runs(spans, workflow_type):
    return [
        s for s in spans if s["name"] == "workflow.run" and s["attributes"].get("mcp.workflow.type") == workflow_type
    ]


def result_of(span, name):
    return json.loads(span["attributes"][f"mcp.result.{name}_json"])


def descendants(spans, root):
    by_parent: dict[str, list[dict]] = {}
    for s in spans:
        by_parent.setdefault(s.get("parent_span_id") or "", []).append(s)
    found, todo = [], [root["span_id"]]
    while todo:
        for child in by_parent.get(todo.pop(), []):
            found.append(child)
            todo.append(child["span_id"])
    return found


def workers():
    return [
        Agent(name="finder", instruction="You are finder. Find facts with tools.", server_names=["demo"]),
        Agent(name="writer", instruction="You are writer. Write short reports."),
    ]
