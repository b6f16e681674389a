"""Temporal end to end: worker, client and gateway in separate processes sharing only the traces dir and the dev
server. Each workflow execution is one ``temporal`` session (id = workflow id) joined from the client's and the
workers' parts; a worker restarted mid-run replays the history without writing anything twice."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from inspector_temporal import workflow_span_ids

from .conftest import DevServer, Proc, demo_env, run_client, worker

pytestmark = [pytest.mark.temporal, pytest.mark.slow]

QUEUE = "q-sessions"


@pytest.fixture(scope="module")
def env(traces: Path) -> dict[str, str]:
    return demo_env(traces)


@pytest.fixture(scope="module")
def temporal_worker(
    dev_server: DevServer, env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Proc]:
    proc = worker(dev_server, QUEUE, env, tmp_path_factory.mktemp("logs"), "worker", "--inspector")
    try:
        yield proc
    finally:
        proc.stop()


def _start(server: DevServer, env: dict[str, str], logs: Path, kind: str, *flags: str) -> tuple[str, Proc]:
    client = run_client(
        server, env, logs, f"client-{kind}", "start", "--task-queue", QUEUE, "--kind", kind, *flags, "--inspector"
    )
    assert client.process.returncode == 0, client.stderr()[-3000:]
    lines = [line for line in client.stdout().splitlines() if line.startswith("workflow_id=")]
    assert lines, client.stdout()
    return lines[0].split("=", 1)[1], client


def _spans(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == "span"]


def test_agent_workflow_is_one_completed_temporal_session(dev_server, env, gateway, temporal_worker, tmp_path):
    sid, client = _start(dev_server, env, tmp_path, "agent", "--wait")
    assert '"value": "tool result was: 5"' in client.stdout()
    row = gateway.wait_status(sid, "completed")
    assert row["engine"] == "temporal"
    assert row["title"] == "TemporalAgentWorkflow"
    assert row.get("parent_session_id"), row  # the client's app session
    assert gateway.session(row["parent_session_id"])["title"] == "inspector_demo_temporal"  # not a worker's
    records = gateway.ended_records(sid)
    assert records[0]["type"] == "session"
    assert records[0]["engine"] == "temporal"
    spans = _spans(records)
    by_name = Counter(s["name"] for s in spans)
    workflow = [s for s in spans if s["name"] == "temporal.workflow TemporalAgentWorkflow"]
    assert len(workflow) == 1
    run_id = workflow[0]["attributes"]["temporal.run.id"]
    assert workflow[0]["attributes"]["run.id"] == run_id
    trace_id, span_id = workflow_span_ids(sid, run_id)
    assert workflow[0]["span_id"] == f"{span_id:016x}"
    assert {s["trace_id"] for s in spans} == {f"{trace_id:032x}"}  # one trace: workflow code and activities
    activities = [s for s in spans if s["name"].startswith("temporal.activity ")]
    assert any(s["name"].endswith("call_tool_task") for s in activities), by_name
    for activity in activities:
        assert activity["parent_span_id"] == f"{span_id:016x}"
        assert activity["attributes"]["temporal.activity.attempt"] == 1
    assert by_name["tool.call"] == 1
    assert by_name["llm.generate"] == 1
    assert len({s["span_id"] for s in spans}) == len(spans)
    # one end, completed; not necessarily the last record: the parts of several writers are joined in part order,
    # and the client's part may hold a span it wrote after the worker's part ended the session
    ends = [r for r in records if r["type"] == "session_end"]
    assert [e["status"] for e in ends] == ["completed"], ends
    # the client's start is a span in the client's own session
    parent = gateway.records(row["parent_session_id"])
    starts = [s for s in _spans(parent) if s["name"] == "temporal.start_workflow TemporalAgentWorkflow"]
    assert [s["attributes"]["temporal.workflow.id"] for s in starts] == [sid]


def test_the_workers_app_session_is_titled_as_the_worker_it_is(gateway, temporal_worker):
    """create_temporal_worker_for_app runs the app for the worker's lifetime: that session says it is the worker."""
    title = f"inspector_demo_temporal · Temporal worker ({QUEUE})"
    deadline = time.monotonic() + 30
    while True:
        rows = [r for r in gateway.client.get("/sessions").json()["sessions"] if r["title"] == title]
        if rows or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [r["status"] for r in rows] == ["running"], rows


def test_a_waiting_mcp_agent_run_is_cancelled_from_the_gateway_alone(
    dev_server, env, gateway, temporal_worker, tmp_path
):
    """An mcp-agent workflow on the TemporalExecutor (worker with the inspector), waiting on its signal, is cancelled
    by ``POST /cancel`` sent to the gateway-only process: Temporal cancels it in the worker, the worker ends the
    session ``cancelled`` in the file, and the list says ``cancelled``."""
    sid, _ = _start(dev_server, env, tmp_path, "approval")
    gateway.wait_status(sid, "paused")
    cancelled = gateway.client.post(f"/cancel/{sid}")
    assert cancelled.status_code == 200, cancelled.text
    row = gateway.wait_status(sid, "cancelled")
    assert row["ended_at"]
    records = gateway.ended_records(sid)
    ends = [r for r in records if r["type"] == "session_end"]
    assert [e["status"] for e in ends] == ["cancelled"], ends
    workflow = [s for s in _spans(records) if s["name"] == "temporal.workflow TemporalApprovalWorkflow"]
    assert [s["attributes"]["temporal.workflow.status"] for s in workflow] == ["cancelled"]
    described = subprocess.run(
        [
            str(Path(sys.executable).parent / "temporal"),
            "workflow",
            "describe",
            "--address",
            dev_server.address,
            "--workflow-id",
            sid,
            "-o",
            "json",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert json.loads(described.stdout)["workflowExecutionInfo"]["status"] == "WORKFLOW_EXECUTION_STATUS_CANCELED"
    assert gateway.client.post(f"/cancel/{sid}").status_code == 409  # ended
    assert temporal_worker.process.poll() is None  # the worker runs on


def _signal(server: DevServer, sid: str, value: str) -> None:
    temporal = Path(sys.executable).parent / "temporal"
    subprocess.run(
        [
            str(temporal),
            "workflow",
            "signal",
            "--address",
            server.address,
            "--workflow-id",
            sid,
            "--name",
            "approve",
            "--input",
            json.dumps(value),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )


def _cli(server: DevServer, *args: str) -> None:
    temporal = Path(sys.executable).parent / "temporal"
    subprocess.run([str(temporal), *args, "--address", server.address], check=True, capture_output=True, timeout=30)


def test_a_run_started_by_temporal_cli_shows_its_input_and_result_from_history(dev_server, gateway, temporal_worker):
    """No inspector in the program that starts it (Temporal's CLI): the row has the input and result that the
    execution's history holds, read after a listing without slowing it down."""
    sid = "cli-agent-run-1"
    _cli(
        dev_server,
        "workflow",
        "start",
        "--type",
        "TemporalAgentWorkflow",
        "--task-queue",
        QUEUE,
        "--workflow-id",
        sid,
        "--input",
        "5",
    )
    gateway.wait_status(sid, "completed")
    row = gateway.wait_field(sid, "result_json")
    assert row["input_json"] == "[5]"
    assert json.loads(row["result_json"])["value"] == "tool result was: 8", row["result_json"]
    started = time.monotonic()
    assert gateway.client.get("/sessions").status_code == 200
    assert time.monotonic() - started < 2.0


def _span_names(records: list[dict[str, Any]]) -> Counter[str]:
    """Span name -> how many distinct spans (ids) the records describe, ended or not."""
    names: dict[str, str] = {}
    for r in records:
        if r["type"] in ("span", "span_start"):
            names[r["span_id"]] = r["name"]
    return Counter(names.values())


def test_a_retried_workflow_task_records_no_span_twice(dev_server, env, gateway, temporal_worker, tmp_path):
    """A bug in workflow code fails a workflow task once; Temporal retries it and the retry runs that code again
    live. Its spans get the ids they had the first time: the run has exactly the spans of a run without the bug."""
    plain, _ = _start(dev_server, env, tmp_path, "flaky", "--input-json", "false")
    gateway.wait_status(plain, "completed")
    flaky, _ = _start(dev_server, env, tmp_path, "flaky")
    gateway.wait_status(flaky, "completed", timeout=120)
    assert "a bug in workflow code" in temporal_worker.stderr()  # the task did fail (temporalio logs it)
    expected = _span_names(gateway.ended_records(plain))
    records = gateway.ended_records(flaky)
    got = _span_names(records)
    assert expected["llm.generate"] == 2
    assert got == expected, (got - expected, expected - got)
    # the failed task is no end of the run: one completed workflow span, one completed end
    workflow = [r for r in _spans(records) if r["name"] == "temporal.workflow TemporalFlakyWorkflow"]
    assert [w["attributes"]["temporal.workflow.status"] for w in workflow] == ["completed"]
    assert [r["status"] for r in records if r["type"] == "session_end"] == ["completed"]


def test_signal_wait_is_paused_and_a_worker_restart_writes_nothing_twice(
    dev_server, env, gateway, temporal_worker, tmp_path
):
    sid, _ = _start(dev_server, env, tmp_path, "approval")
    row = gateway.wait_status(sid, "paused")
    assert row["waiting"]["signal_name"] == "approve"
    assert row["waiting"]["prompt"] == "Approve the Temporal demo report? Any answer resumes the run."
    assert row["waiting"]["schema"]["required"] == ["response"]
    before = gateway.records(sid)
    # a new worker takes over: it replays the history up to the wait, then runs on when the signal comes
    temporal_worker.stop()
    second = worker(dev_server, QUEUE, env, tmp_path, "worker-2", "--inspector")
    try:
        bad = gateway.client.post(f"/signal/{sid}", json={"signal": "human_input_answer", "payload": {"nope": 1}})
        assert bad.status_code == 422, bad.text
        wrong = gateway.client.post(f"/signal/{sid}", json={"signal": "other", "payload": {"response": "yes"}})
        assert wrong.status_code == 409, wrong.text
        answered = gateway.client.post(
            f"/signal/{sid}", json={"signal": "human_input_answer", "payload": {"response": "yes"}}
        )
        assert answered.status_code == 200, answered.text
        gateway.wait_status(sid, "completed")
    finally:
        assert second.stop() == 0
    records = gateway.records(sid)
    ended = {r["span_id"] for r in records if r["type"] == "span"}
    ids_by_key: dict[tuple[str, Any], set[str]] = {}
    for r in records:
        if r["type"] == "span" or (r["type"] == "span_start" and r["span_id"] not in ended):
            key = (r["name"], r.get("attributes", {}).get("mcp.method.name"))
            ids_by_key.setdefault(key, set()).add(r["span_id"])
    duplicates = {key: ids for key, ids in ids_by_key.items() if len(ids) > 1}
    assert not duplicates, duplicates
    assert ("llm.generate", None) in ids_by_key  # the agent's work before the wait was recorded (once)
    pauses = [r for r in records if r["type"] == "session_paused"]
    assert len(pauses) == 1, [r["type"] for r in records]
    assert pauses[0]["prompt"] == "Approve the Temporal demo report? Any answer resumes the run."
    assert len(before) < len(records)
    result = run_client(dev_server, env, tmp_path, "result", "result", "--workflow-id", sid)
    assert "approved: yes (tool result was: 7)" in result.stdout(), result.stdout()[-2000:]
    ended = gateway.client.post(f"/signal/{sid}", json={"signal": "human_input_answer", "payload": {"response": "x"}})
    assert ended.status_code == 409
    assert gateway.client.post("/signal/NoSuchWorkflow-123", json={"signal": "resume"}).status_code == 404
    assert gateway.client.post("/cancel/NoSuchWorkflow-123").status_code == 404


def test_an_execution_started_without_the_inspector_is_listed_and_cancelled(dev_server, gateway):
    """Started by Temporal's own CLI on a queue no worker polls: no trace file, only what Temporal knows."""
    temporal = Path(sys.executable).parent / "temporal"
    sid = "plain-cli-run-1"
    subprocess.run(
        [
            str(temporal),
            "workflow",
            "start",
            "--address",
            dev_server.address,
            "--type",
            "PlainWorkflow",
            "--task-queue",
            "nobody-polls",
            "--workflow-id",
            sid,
            "--input",
            '"hello"',
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    row = gateway.wait_status(sid, "running")
    assert row["engine"] == "temporal"
    assert row["title"] == "PlainWorkflow"
    assert row["started_at"].endswith("Z")
    assert gateway.wait_field(sid, "input_json")["input_json"] == '["hello"]'  # from the history, read lazily
    assert gateway.client.post(f"/signal/{sid}", json={"signal": "resume"}).status_code == 409  # waits on nothing
    cancelled = gateway.client.post(f"/cancel/{sid}")
    assert cancelled.status_code == 200, cancelled.text
    # nothing runs it, so Temporal records the request; terminate to end it as a real cancel would
    subprocess.run(
        [str(temporal), "workflow", "terminate", "--address", dev_server.address, "--workflow-id", sid],
        check=True,
        capture_output=True,
        timeout=30,
    )
    row = gateway.wait_status(sid, "cancelled")
    assert row["ended_at"]
    assert "result_json" not in row
    assert gateway.client.post(f"/cancel/{sid}").status_code == 409


def test_temporal_down_still_lists_local_sessions_within_2_s(dev_server, gateway, temporal_worker):
    """Runs last in this module: it stops the module's dev server."""
    before = gateway.client.get("/sessions").json()
    assert "temporal_error" not in before
    local = {row["id"] for row in before["sessions"]}
    temporal_worker.stop()
    dev_server.stop()
    started = time.monotonic()
    response = gateway.client.get("/sessions")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    body = response.json()
    assert body["temporal_error"]
    assert elapsed < 2.0, elapsed
    files = {row["id"] for row in body["sessions"]}
    assert files, body
    assert files <= local
