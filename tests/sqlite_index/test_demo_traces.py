"""The index on real trace files: the demo app (mcp-agent 0.2.6, real stdio MCP server) run with the exporter,
the gateway and the index plugin; the index follows the files as the spans are exported."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from gateway_support import Live, demo_stack
from inspector_demo import runner
from inspector_demo.workflows import ToolsWorkflow
from mcp_agent.app import MCPApp

import inspector_otel
import inspector_sqlite_index.plugin
from inspector_gateway import SearchQuery
from inspector_gateway.search import parse_query
from inspector_gateway.search._filescan import FileScanSearch
from inspector_otel.testing import read_session


@pytest.fixture
async def stack(tmp_path: Path, monkeypatch) -> AsyncIterator[tuple[MCPApp, Live, Path]]:
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    traces_dir = tmp_path / "traces"
    traces_dir.mkdir()
    async with demo_stack(tmp_path, traces_dir, "sqlite_index_demo_test", (inspector_sqlite_index.plugin,)) as (
        app,
        server,
    ):
        yield app, server, traces_dir


def _tool_span(records: list[dict]) -> tuple[dict, str]:
    """A tool span of the trace and a word of its output that the query syntax keeps."""
    for record in records:
        attributes = record.get("attributes") or {}
        output = attributes.get("mcp.tool.output_json")
        if record.get("type") == "span" and output:
            texts = [c.get("text", "") for c in json.loads(output).get("content", []) if isinstance(c, dict)]
            words = [w.strip(".,:;()[]{}\"'") for text in texts for w in text.split()]
            words = [w for w in words if len(w) >= 5 and w.isalpha()]
            if words:
                return record, max(words, key=len)
    raise AssertionError("no tool span with text output in the demo trace")


async def test_every_span_of_a_demo_run_is_indexed_and_found(stack):
    app, live, traces_dir = stack
    sid = await runner.start(app, ToolsWorkflow, elicit=False)
    final = await runner.wait(app, sid)
    assert final["status"] == "completed"
    inspector_otel.uninstall()  # flushes and closes the trace file
    records = read_session(traces_dir, sid)
    tool, word = _tool_span(records)
    spans = [r for r in records if r.get("type") == "span"]
    index = live.gateway.search_index

    def indexed_spans() -> int:
        with sqlite3.connect(index.indexer.path) as db:
            return int(db.execute("SELECT count(*) FROM spans WHERE session_id = ?", (sid,)).fetchone()[0])

    deadline = time.monotonic() + 20
    while indexed_spans() < len(spans) and time.monotonic() < deadline:
        index.indexer.wait_idle(2)
    assert indexed_spans() == len(spans)

    body = live.client.get("/search", params={"q": word, "session": sid}).json()
    assert body["index"] == "sqlite_fts5"
    assert tool["span_id"] in [h["span_id"] for h in body["hits"]]
    hit = next(h for h in body["hits"] if h["span_id"] == tool["span_id"])
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() == word.lower()
    assert "\\" not in hit["snippet"]

    by_name = live.client.get("/search", params={"q": tool["name"], "session": sid, "limit": 500}).json()
    assert tool["span_id"] in [h["span_id"] for h in by_name["hits"]]

    # the file scan answers the same spans for a word query
    scan = await FileScanSearch(live.gateway).search(SearchQuery(word, session_id=sid, limit=500))
    indexed = live.client.get("/search", params={"q": word, "session": sid, "limit": 500}).json()
    assert parse_query(word)
    assert {h["span_id"] for h in indexed["hits"]} <= {h["span_id"] for h in scan["hits"]}
