"""Issue 16: export a demo session from the UI; the OTLP/JSON file is read back with the official
``opentelemetry-proto`` classes and every span, id and attribute matches the trace file."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from inspector_otel.testing import read_session

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROW = "[data-testid=session-row]"


def _hex_ids_to_base64(node: Any) -> Any:
    """OTLP/JSON writes trace and span ids as hex (the OTLP specification's exception to the protobuf JSON
    mapping, which has bytes as base64); the official classes parse the protobuf mapping."""
    if isinstance(node, dict):
        return {
            k: base64.b64encode(bytes.fromhex(v)).decode()
            if k in {"traceId", "spanId", "parentSpanId"} and isinstance(v, str)
            else _hex_ids_to_base64(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_hex_ids_to_base64(v) for v in node]
    return node


def _plain(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [_plain(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: _plain(kv.value) for kv in value.kvlist_value.values}
    return getattr(value, kind) if kind else None


def _download(page: Any, testid: str, folder: Path) -> Path:
    page.click("[data-testid=export-menu] summary")
    with page.expect_download() as info:
        page.click(f"[data-testid={testid}]")
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_export_otlp_and_jsonl_from_the_ui(demo: Any, page: Any, tmp_path: Path) -> None:
    page.goto(demo.url)
    page.wait_for_selector(f"{ROW}[data-status=completed]", timeout=60_000)
    sid = page.locator(f"{ROW}[data-status=completed]").first.get_attribute("data-session-id")
    # the list says completed as soon as the run ends; its file gets session_end at the exporter's next write
    deadline = time.monotonic() + 30
    while read_session(demo.traces, sid)[-1]["type"] != "session_end":
        assert time.monotonic() < deadline, "the trace file never got its session_end"
        time.sleep(0.2)
    page.locator(f"{ROW}[data-session-id='{sid}']").click()
    page.wait_for_selector("[data-testid=span-row]", timeout=15_000)

    otlp = _download(page, "export-otlp", tmp_path)
    assert otlp.name == f"{sid}.otlp.json"
    request = json_format.Parse(
        json.dumps(_hex_ids_to_base64(json.loads(otlp.read_text()))), ExportTraceServiceRequest()
    )
    records = read_session(demo.traces, sid)
    spans = [r for r in records if r["type"] == "span"]
    exported = [s for rs in request.resource_spans for ss in rs.scope_spans for s in ss.spans]
    assert len(exported) == len(spans) > 0
    resource = {kv.key: _plain(kv.value) for kv in request.resource_spans[0].resource.attributes}
    assert resource["session.id"] == sid
    for mine, theirs in zip(spans, exported, strict=True):
        assert theirs.trace_id.hex() == mine["trace_id"]
        assert theirs.span_id.hex() == mine["span_id"]
        assert (theirs.parent_span_id.hex() or None) == mine["parent_span_id"]
        assert theirs.name == mine["name"]
        assert {kv.key: _plain(kv.value) for kv in theirs.attributes} == mine["attributes"]
        assert [e.name for e in theirs.events] == [e["name"] for e in mine["events"]]
        assert theirs.end_time_unix_nano >= theirs.start_time_unix_nano > 0

    jsonl = _download(page, "export-jsonl", tmp_path)
    assert jsonl.name == f"{sid}.jsonl"
    lines = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert lines == records
