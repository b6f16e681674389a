"""inspector_hooks.labels: the span-label rules the browser (generated labelRules.ts) and the CLI share."""

from __future__ import annotations

from inspector_hooks.labels import LABEL_MAX, SEARCH_KEYS, label_keys, span_label


def test_an_operation_span_is_labelled_by_its_own_attribute_only():
    assert span_label("tool.call", {"mcp.tool.name": "fetch", "mcp.agent.name": "finder"}) == "fetch"
    assert span_label("llm.generate", {"mcp.agent.name": "finder"}) == ""  # not by another key
    assert label_keys("agent.call") == ("mcp.agent.name",)


def test_mcp_agents_own_spans_are_labelled_by_the_first_search_key_present():
    attrs = {"gen_ai.agent.name": "finder", "gen_ai.tool.name": "filesystem_list_directory"}
    assert span_label("MCPAggregator.call_tool", attrs) == "filesystem_list_directory"
    assert span_label("Agent.finder.initialize", {"gen_ai.agent.name": "finder"}) == "finder"
    assert label_keys("Agent.finder.call_tool") == SEARCH_KEYS


def test_an_rpc_message_is_labelled_by_its_method_before_the_tool_it_calls():
    attrs = {"mcp.method.name": "tools/call", "request.params.name": "fetch"}
    assert span_label("MCPAgentClientSession.send_request", attrs) == "tools/call"
    assert span_label("MCPAgentClientSession.send_notification", {"mcp.rpc.method": "ping"}) == "ping"


def test_no_label_without_a_string_value_and_long_values_are_cut():
    assert span_label("x", None) == ""
    assert span_label("x", {"mcp.tool.name": 3, "uri": ""}) == ""
    long = span_label("tool.call", {"mcp.tool.name": "t" * 200})
    assert len(long) == LABEL_MAX
    assert long.endswith("…")
