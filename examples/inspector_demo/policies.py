"""The scripts the demo's LLMs follow: which tools each agent calls and what it says then."""

from __future__ import annotations

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
        return Text("Report: " + " | ".join(turn.tool_results))

    return policy


def demo_policy(turn: Turn) -> Reply:
    """Shared by the pattern workflows: agents with weather or sums in their task use the tools once, others talk."""
    if turn.response_model is not None:
        return default_policy(turn)
    if turn.tool_results or turn.iteration > 0:
        return Text(f"{turn.llm_name}: " + "; ".join(turn.tool_results))
    request = turn.last_user_text
    has_tools = any(name.startswith("demo_") for name in turn.tool_names)
    numbers = _NUMBERS.search(request)
    if has_tools and numbers:
        return ToolCall("demo_add", {"a": float(numbers.group(1)), "b": float(numbers.group(2))})
    city = _CITY.search(request) or _CITY.search(turn.instruction or "")
    if has_tools and city and "weather" in (request + (turn.instruction or "")).lower():
        return ToolCall("demo_lookup_weather", {"city": city.group(1).title()})
    return default_policy(turn)
