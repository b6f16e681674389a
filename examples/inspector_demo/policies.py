"""The scripts the demo's LLMs follow: which tools each agent calls and what it says then."""

from __future__ import annotations

import json
import re

from inspector_demo._policy import Policy, Reply, Text, ToolCall, ToolCalls, Turn, default_policy

_CITY = re.compile(r"\b(paris|lagos|lima|osaka)\b", re.IGNORECASE)
_NUMBERS = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:\+|plus|and)\s*(-?\d+(?:\.\d+)?)")


def tools_policy(*, elicit: bool = True) -> Policy:
    """The analyst's script: add + weather, then a slow echo and a failing tool, then (optionally) ask the user."""

    def policy(turn: Turn) -> Reply:
        if turn.response_model is not None:
            return default_policy(turn)
        if turn.iteration == 0:
            return ToolCalls(
                (ToolCall("demo_add", {"a": 2, "b": 3}), ToolCall("demo_lookup_weather", {"city": "Paris"}))
            )
        if turn.iteration == 1:
            return ToolCalls(
                (
                    ToolCall("demo_slow_echo", {"text": "still here", "delay_ms": 150}),
                    ToolCall("demo_always_fails", {"reason": "this tool always fails (on purpose)"}),
                )
            )
        if turn.iteration == 2 and elicit:
            return ToolCall("demo_ask_user", {"question": "Shall I publish the report?"})
        return Text("Report: " + " | ".join(brief_result(r) for r in turn.tool_results))

    return policy


def demo_policy(turn: Turn) -> Reply:
    """Shared by the pattern workflows: agents with weather or sums in their task use the tools once, others talk."""
    if turn.response_model is not None:
        return default_policy(turn)
    if turn.tool_results or turn.iteration > 0:
        return Text(f"{turn.llm_name}: " + "; ".join(brief_result(r) for r in turn.tool_results))
    request = turn.last_user_text
    has_tools = any(name.startswith("demo_") for name in turn.tool_names)
    numbers = _NUMBERS.search(request)
    if has_tools and numbers:
        return ToolCall("demo_add", {"a": float(numbers.group(1)), "b": float(numbers.group(2))})
    city = _CITY.search(request) or _CITY.search(turn.instruction or "")
    if has_tools and city and "weather" in (request + (turn.instruction or "")).lower():
        return ToolCall("demo_lookup_weather", {"city": city.group(1).title()})
    return Text(_compose(turn.llm_name, request))


def brief_result(text: str) -> str:
    """One line for a tool result: the weather as words, other JSON compacted."""
    try:
        value = json.loads(text)
    except ValueError:
        return " ".join(text.split())
    if isinstance(value, dict) and {"city", "temperature_c", "sky"} <= value.keys():
        return f"{value['city']} {value['temperature_c']}°C, {value['sky']}"
    return json.dumps(value, separators=(",", ":"))


def _compose(name: str, request: str) -> str:
    """A short, readable answer built from what the workflow classes put in the prompt."""
    results = [line.split(":", 1)[1].strip() for line in request.splitlines() if line.startswith("Result:")]
    if results:  # the orchestrator's synthesizer
        return "Summary: " + " / ".join(r[:100] for r in results)
    agents = [line.strip() for line in request.splitlines() if line.startswith("Agent ") and ": calls " not in line]
    if "Aggregated responses" in request and agents:  # ParallelLLM's fan-in
        return "Merged: " + " / ".join(a[:100] for a in agents)
    if "Improve your previous response" in request:  # EvaluatorOptimizer's refinement
        return "Clouds drift over Paris, / fourteen degrees of patience: / rain waits for the night."
    return f"[{name}] Grey sky over Paris today, 14°C: a light jacket will do."
