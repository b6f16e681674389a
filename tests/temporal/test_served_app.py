"""The app served as an MCP server on Temporal (issue 13): a real MCP client calls the served app's
``workflows-TemporalAgentWorkflow-run`` tool over stdio; its handler starts the run with ``run_async`` on the
TemporalExecutor, and a worker in its own process runs it. The run is one ``temporal`` session, child of the inbound
request's session, holding the served app's ``workflow.run`` span and the worker's spans, ended once by the worker."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import TextContent

from .conftest import ROOT, DevServer, Gateway, Proc, demo_env, worker
from .test_sessions import _spans

pytestmark = [pytest.mark.temporal, pytest.mark.slow]

QUEUE = "q-served"


@pytest.fixture(scope="module")
def served_worker(dev_server: DevServer, traces: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    proc = worker(dev_server, QUEUE, demo_env(traces), tmp_path_factory.mktemp("logs"), "worker", "--inspector")
    try:
        yield proc
    finally:
        proc.stop()


async def _call_tool(
    server: DevServer, traces: Path, errlog: Path, tool: str, arguments: dict[str, Any], *flags: str
) -> Any:
    env = demo_env(traces)
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "inspector_demo.temporal_app", "serve", "--address", server.address, "--task-queue", QUEUE, *flags],
        env=env,
        cwd=str(ROOT),
    )
    with open(errlog, "w") as err:
        async with stdio_client(params, errlog=err) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool(tool, {"run_parameters": arguments})
            assert not result.isError, result
            text = "".join(c.text for c in result.content if isinstance(c, TextContent))
            started = json.loads(text)
            # the served app waits for the run's result (its workflow.run span ends then): keep it up till the run ends
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                status = await session.call_tool("workflows-get_status", {"run_id": started["run_id"]})
                body = json.loads("".join(c.text for c in status.content if isinstance(c, TextContent)))
                if body.get("status") in ("completed", "error", "cancelled") and not body.get("running"):
                    break
                await anyio.sleep(0.25)
            return started


_TIME = re.compile(r"\[\d\d/\d\d/\d\d [\d:]+\]")
# a piece of an id: with a digit, or a whole word of hex letters (rich wraps ids anywhere, e.g. a lone "bc")
_ID_PIECE = re.compile(r"[0-9a-f-]*\d[0-9a-f-]*|\b[a-f-]{2,}\b")


def _lines(text: str) -> set[str]:
    """The distinct lines of a served app's log with times and (pieces of) ids blanked, indentation dropped (rich
    leaves out a time equal to the line before's, so the same record starts with the time or with spaces)."""
    return {_ID_PIECE.sub("<id>", _TIME.sub("", line)).strip() for line in text.splitlines()}


def test_run_async_from_a_served_tool_is_a_temporal_session_child_of_the_inbound_request(
    dev_server: DevServer, traces: Path, gateway: Gateway, served_worker: Proc, tmp_path: Path
) -> None:
    tool = "workflows-TemporalAgentWorkflow-run"
    started = anyio.run(_call_tool, dev_server, traces, tmp_path / "served.err", tool, {"a": 6}, "--inspector")
    sid = started["workflow_id"]
    row = gateway.wait_status(sid, "completed")
    assert row["engine"] == "temporal"
    inbound_id = row.get("parent_session_id")
    assert inbound_id, row
    inbound = gateway.session(inbound_id)
    assert inbound is not None
    assert inbound["engine"] == "mcp-inbound", inbound
    records = gateway.ended_records(sid)
    assert records[0]["type"] == "session"
    assert records[0]["parent_session_id"] == inbound_id
    spans = _spans(records)
    names = [s["name"] for s in spans]
    runs = [s for s in spans if s["name"] == "workflow.run"]
    assert len(runs) == 1, names  # the served app's run_async, in the run's own session
    assert runs[0]["attributes"]["mcp.workflow.id"] == sid
    assert runs[0]["attributes"]["run.id"] == started["run_id"]
    assert "tool result was: 9" in runs[0]["attributes"]["mcp.workflow.output_json"]
    assert names.count("temporal.workflow TemporalAgentWorkflow") == 1
    assert names.count("llm.generate") == 1, names
    assert names.count("tool.call") == 1, names
    assert [r["status"] for r in records if r["type"] == "session_end"] == ["completed"]
    # the inbound request's session holds the tool call and the client's start, not the run's spans
    inbound_spans = _spans(gateway.records(inbound_id))
    inbound_names = [s["name"] for s in inbound_spans]
    assert "workflow.run" not in inbound_names, inbound_names
    assert "temporal.start_workflow TemporalAgentWorkflow" in inbound_names, inbound_names
    # the served app's own output is the same without the inspector (a second run of the same call)
    anyio.run(_call_tool, dev_server, tmp_path / "traces-without", tmp_path / "plain.err", tool, {"a": 6})
    err = (tmp_path / "served.err").read_text(errors="replace")
    plain = (tmp_path / "plain.err").read_text(errors="replace")
    # the same lines (how often the status poll logs depends on timing; rich wraps ids across lines)
    assert _lines(err) == _lines(plain), (_lines(err) - _lines(plain), _lines(plain) - _lines(err))
    assert "Traceback" not in err, err[-3000:]
