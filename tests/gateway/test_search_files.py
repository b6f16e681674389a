"""GET /search without the index plugin: every byte of every file within a time budget, honest totals."""

from __future__ import annotations

import json

from gateway_support import header, span, write_trace
from trace_gen import generate_trace

from inspector_gateway import SearchQuery
from inspector_gateway.search._filescan import scan_files
from inspector_gateway.sessions._tracefiles import trace_parts

SPANS = 20_000  # about 10 MB of gzip: more than the 8 MiB the scan used to stop at


def test_the_last_span_of_a_large_file_is_found(live, traces_dir):
    path = generate_trace(traces_dir / "large-0001.jsonl.gz", SPANS, extra={SPANS - 1: "a capybara"})
    assert path.stat().st_size > 8 << 20
    body = live.client.get("/search", params={"q": "capybara"}).json()
    assert body["index"] == "file_scan"
    assert body["complete"] is True
    assert body["stopped_early"] is False
    assert body["total"] == 1
    hit = body["hits"][0]
    assert hit["span_id"] == f"{SPANS:016x}"
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == "capybara"
    # a true total, not the page size
    page = live.client.get("/search", params={"q": "tools call", "limit": 10}).json()
    assert page["total"] == SPANS * 6 // 10
    assert len(page["hits"]) == 10


def test_snippets_are_readable_and_filters_apply(live, traces_dir):
    output = json.dumps({"content": [{"type": "text", "text": 'It is "sunny" in Lyon\ntoday'}]})
    write_trace(
        traces_dir / "read-0001.jsonl.gz",
        header("read-0001", "2026-01-01T00:00:00.000000Z"),
        span(1, "tool.call", **{"mcp.tool.output_json": output}),
        {**span(2, "lyon.other"), "status": {"code": "ERROR", "message": "Lyon is closed"}},
    )
    body = live.client.get("/search", params={"q": '"in lyon"'}).json()
    assert [h["snippet"] for h in body["hits"]] == ['text It is "sunny" in Lyon today']
    assert body["hits"][0]["field"] == "mcp.tool.output_json"
    errors = live.client.get("/search", params={"q": "lyon", "status": "ERROR"}).json()
    assert [h["span_id"] for h in errors["hits"]] == [f"{3:016x}"]
    assert (errors["hits"][0]["field"], errors["hits"][0]["snippet"]) == ("status.message", "Lyon is closed")
    other = live.client.get("/search", params={"q": "lyon", "session": "another-1"}).json()
    assert other["total"] == 0


def test_a_spent_budget_says_what_was_not_read(traces_dir):
    for i in range(3):
        generate_trace(traces_dir / f"budget-{i:04d}.jsonl.gz", 2_000)
    sessions = [(f"budget-{i:04d}", [p.path for p in trace_parts(traces_dir, f"budget-{i:04d}")]) for i in range(3)]
    page = scan_files(sessions, SearchQuery("metric"), budget=0.0)
    assert page["stopped_early"] is True
    assert page["complete"] is False
    assert page["unread"]["sessions"] == 3
    assert page["unread"]["bytes"] == sum(p.stat().st_size for _, parts in sessions for p in parts)
    assert page["total"] == 0
    assert "stopped" in page["note"]
    full = scan_files(sessions, SearchQuery("metric"), budget=60.0)
    assert full["complete"] is True
    assert full["total"] == 3 * 2_000 * 3 // 10
