"""Run the demo workflows (every pattern, a human-input pause answered, inbound MCP) with the instrumentation and
inspector_otel installed as a user would, in a fresh process: with the user's own global SDK provider and exporter
set up first, and without (install() then sets an InspectorTracerProvider, as in the demo). Then check the written
files: every attribute docs/telemetry.md marks ``implemented`` really appears, every file follows SPEC §4, and the
user's exporter received every span the files hold."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from inspector_otel._provider import PLUMBING_SPANS, TWIN_SUFFIXES
from inspector_otel.attributes import ATTRIBUTES
from inspector_otel.testing import read_session

_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys, warnings
    warnings.simplefilter("ignore")
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    import inspector_instrumentation, inspector_otel
    from inspector_demo.app import build_app, run_round, stop_inbound

    user_exporter = InMemorySpanExporter()
    if sys.argv[2] == "user-global":
        # the user set up OTel before the inspector: their exporter must keep receiving every span
        user_provider = TracerProvider()
        user_provider.add_span_processor(SimpleSpanProcessor(user_exporter))
        trace.set_tracer_provider(user_provider)
    inspector_instrumentation.install()
    processor = inspector_otel.install(sys.argv[1])

    async def main():
        app = build_app()
        async with app.run() as running:
            summary = await run_round(app, auto_answer=True)
            await stop_inbound(app)
            return summary, running.session_id

    summary, app_session = asyncio.run(main())
    if sys.argv[2] == "default":
        assert isinstance(trace.get_tracer_provider(), inspector_otel.InspectorTracerProvider)
    inspector_otel.uninstall()
    user_spans = sorted({f"{s.context.span_id:016x}" for s in user_exporter.get_finished_spans()})
    print(json.dumps({"ok": summary["ok"], "app_session": app_session, "user_spans": user_spans}))
    """
)


@pytest.fixture(scope="module", params=["user-global", "default"])
def demo_traces(request, tmp_path_factory) -> tuple[Path, dict]:
    traces = tmp_path_factory.mktemp("demo_traces")
    examples = Path(__file__).resolve().parents[2] / "examples"
    env = dict(os.environ, PYTHONPATH=str(examples))
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(traces), request.param],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return traces, {**json.loads(done.stdout.strip().splitlines()[-1]), "mode": request.param}


def _sessions(traces: Path) -> list[str]:
    return sorted({p.name.split(".")[0] for p in traces.glob("*.jsonl.gz")})


@pytest.mark.slow
def test_implemented_attributes_appear(demo_traces):
    traces, out = demo_traces
    assert out["ok"]
    seen: set[str] = set()
    for sid in _sessions(traces):
        for record in read_session(traces, sid):
            if record["type"] == "span":
                seen.update(record["attributes"])
    missing = [a.name for a in ATTRIBUTES if a.status == "implemented" and a.name not in seen]
    assert not missing, f"marked implemented but absent from the demo's trace files: {missing}"


@pytest.mark.slow
def test_demo_files_follow_the_format(demo_traces):
    traces, out = demo_traces
    sessions = _sessions(traces)
    assert out["app_session"] in sessions
    engines = set()
    for sid in sessions:
        records = read_session(traces, sid)
        assert records[0]["type"] == "session", sid
        assert records[0]["id"] == sid
        assert sum(r["type"] == "session" for r in records) == 1
        engines.add(records[0]["engine"])
        assert records[-1]["type"] == "session_end", sid
        position = {}
        for i, r in enumerate(records):
            if r["type"] in ("span_start", "span"):
                assert (r["type"], r["span_id"]) not in position, sid  # each record once
                position[(r["type"], r["span_id"])] = i
        for (kind, span_id), i in position.items():
            if kind == "span_start" and ("span", span_id) in position:
                assert i < position[("span", span_id)], sid  # a span_start comes before its span
        for r in records:
            if r["type"] == "span":
                assert r["attributes"]["session.id"] == sid
    assert {"asyncio", "mcp-inbound"} <= engines
    workflow_types = set()
    for sid in sessions:
        for r in read_session(traces, sid):
            if r["type"] == "span" and r["name"] == "workflow.run":
                workflow_types.add(r["attributes"]["mcp.workflow.type"])
    assert len(workflow_types) >= 5, workflow_types


@pytest.mark.slow
def test_user_exporter_receives_every_span(demo_traces):
    """With a provider of the user's, their exporter gets every span; with ours, the files hold no twin of our
    operation spans and no executor plumbing (inspector_otel._provider)."""
    traces, out = demo_traces
    spans = [r for sid in _sessions(traces) for r in read_session(traces, sid) if r["type"] == "span"]
    assert spans
    if out["mode"] == "user-global":
        # their exporter (set before mount) gets every span but ours, which it never sees (issue 14 item 7)
        ours = {"session", "agent.call", "llm.generate", "llm.request", "tool.call", "workflow.run"}
        ours |= {"resource.fetch", "prompt.apply", "tools/call", "tools/list"}  # the inbound server's too
        unseen = {r["name"].split(" ")[0] for r in spans if r["span_id"] not in set(out["user_spans"])}
        assert unseen
        assert unseen <= ours, unseen - ours
        assert any(r["name"] in PLUMBING_SPANS for r in spans)
        return
    names = {r["span_id"]: r["name"] for r in spans}
    ops = {"tool.call": "tool", "llm.generate": "llm", "resource.fetch": "resource", "prompt.apply": "prompt"}
    for r in spans:
        assert r["name"] not in PLUMBING_SPANS, r["name"]
        op = ops.get(names.get(r["parent_span_id"], ""))
        assert not (op and r["name"].endswith(TWIN_SUFFIXES[op])), (r["name"], names[r["parent_span_id"]])
