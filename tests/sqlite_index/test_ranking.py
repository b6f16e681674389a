"""Lifecycle spans (an agent's initialize/list_tools/shutdown) rank below the work that matches, in both backends.

The demo's RouterWorkflow opens and closes an agent named ``weather`` in every run: a search for ``weather`` used to
list its ``Agent.weather.shutdown`` spans (a short name, weighing 4 times the text) before the tool call and the
generation that were about the weather.
"""

from __future__ import annotations

import json

import pytest
from gateway_support import header, span, write_trace
from search_support import wait_indexed

from inspector_gateway import SearchQuery
from inspector_gateway.search import is_lifecycle
from inspector_gateway.search._filescan import scan_files
from inspector_gateway.sessions._tracefiles import trace_parts
from inspector_sqlite_index import SqliteSearchIndex

T0 = "2026-01-01T00:00:00.000000Z"
SESSION = "router-0001"
LIFECYCLE = ("Agent.weather.initialize", "Agent.weather.list_tools", "Agent.weather.shutdown")


def sid(n: int) -> str:
    return "%016x" % (n + 1)


def _write(traces_dir):
    spans = []
    for run in range(8):  # the lifecycle spans of every run first: they are the oldest
        spans += [span(10 + 3 * run + i, name) for i, name in enumerate(LIFECYCLE)]
    output = json.dumps({"content": [{"type": "text", "text": "21 C and sunny in Paris"}]})
    spans.append(
        span(1, "Agent.weather.call_tool", **{"mcp.tool.name": "get_forecast", "mcp.tool.output_json": output})
    )
    prompt = "a long prompt about many things " * 20 + "and the weather in Paris"
    spans.append(span(2, "llm.generate", **{"gen_ai.prompt": prompt}))
    write_trace(traces_dir / f"{SESSION}.jsonl.gz", header(SESSION, T0), *spans)


def test_the_table_names_lifecycle_methods_not_work():
    assert all(is_lifecycle(name) for name in LIFECYCLE)
    assert is_lifecycle("MCPAggregator.load_servers")
    assert is_lifecycle("temporal.activity mcp_agent.agents.agent.AgentTasks.shutdown_aggregator_task")
    for work in ("Agent.weather.call_tool", "llm.generate", "MCPAgentClientSession.send_request", "shutdown.tool"):
        assert not is_lifecycle(work)


@pytest.mark.parametrize("session", [None, SESSION])
async def test_index_ranks_work_before_lifecycle_spans(tmp_path, session):
    traces_dir = tmp_path / "traces"
    traces_dir.mkdir()
    _write(traces_dir)
    index = SqliteSearchIndex(traces_dir, poll=0.1)
    try:
        index.start()
        wait_indexed(index)
        page = await index.search(SearchQuery("weather", session_id=session, limit=5))
    finally:
        index.close()
    assert page["total"] == 2 + 8 * 3  # lifecycle spans are still found
    assert [h["span_id"] for h in page["hits"][:2]] == [sid(1), sid(2)]
    rest = page["hits"][2:]
    assert [h["name"] for h in rest] == [
        "Agent.weather.shutdown",
        "Agent.weather.list_tools",
        "Agent.weather.initialize",
    ]
    assert [h["span_id"] for h in rest] == [sid(33), sid(32), sid(31)]  # among equals, the newest first
    assert rest[0]["field"] == "name"
    start, end = rest[0]["highlights"][0]
    assert rest[0]["snippet"][start:end] == "weather"


def test_file_scan_ranks_work_before_lifecycle_spans(tmp_path):
    traces_dir = tmp_path / "traces"
    traces_dir.mkdir()
    _write(traces_dir)
    sessions = [(SESSION, [p.path for p in trace_parts(traces_dir, SESSION)])]
    page = scan_files(sessions, SearchQuery("weather", limit=5), budget=30.0)
    assert page["total"] == 2 + 8 * 3
    assert {h["span_id"] for h in page["hits"][:2]} == {sid(1), sid(2)}
    assert all(is_lifecycle(h["name"]) for h in page["hits"][2:])
