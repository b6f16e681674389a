"""Lifecycle spans: the set-up and tear-down mcp-agent traces around the work (an agent's ``initialize``,
``list_tools``, ``shutdown``; the aggregator loading its servers), which both search backends rank below the rest.

A run of the demo's RouterWorkflow opens and closes an agent named ``weather`` many times, so a search for ``weather``
found 25 identical ``Agent.weather.shutdown`` before the tool call that fetched the weather: a span name weighs 4
times the attribute text, and these names are short. Their names therefore do not count towards their rank (their
attribute text still does): they are still found, after the tool calls, generations and requests that match.

The table holds the method a span is named after, the last dot-separated part of its name, as mcp-agent 0.2.6 names
them (``Agent.{name}.{method}``, ``MCPAggregator.{method}``, ``temporal.activity ...AgentTasks.{method}``).
"""

from __future__ import annotations

__all__ = ["LIFECYCLE_METHODS", "is_lifecycle"]

#: the methods whose spans are lifecycle, not work (mcp-agent 0.2.6: agents/agent.py, mcp/mcp_aggregator.py)
LIFECYCLE_METHODS: frozenset[str] = frozenset(
    {
        # Agent / SwarmAgent spans: Agent.{name}.{method}
        "attach_llm",
        "get_capabilities",
        "get_server_session",
        "initialize",
        "list_prompts",
        "list_resources",
        "list_tools",
        "shutdown",
        # MCPAggregator.{method}
        "close",
        "load_server",
        "load_servers",
        # Temporal activities of AgentTasks
        "get_capabilities_task",
        "initialize_aggregator_task",
        "list_prompts_task",
        "list_resources_task",
        "list_tools_task",
        "shutdown_aggregator_task",
    }
)


def is_lifecycle(name: str) -> bool:
    """True when the span called ``name`` is set-up or tear-down (its method is in ``LIFECYCLE_METHODS``)."""
    return name.rpartition(".")[2] in LIFECYCLE_METHODS
