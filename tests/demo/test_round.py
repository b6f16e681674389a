"""A whole demo round, the approval pause, and the command line."""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from inspector_demo import app as demo_app_module
from inspector_demo import runner
from inspector_demo.app import run_round
from inspector_demo.workflows import ApprovalWorkflow, register_workflows, waiting_request_id
from mcp_agent.human_input.types import HumanInputResponse

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(demo_app):
    register_workflows(demo_app)
    return demo_app


@pytest.mark.slow
async def test_round_with_auto_answer_completes(app, monkeypatch):
    monkeypatch.setattr(demo_app_module, "KEEP_FINISHED", 3)
    summary = await run_round(app, auto_answer=True)
    assert summary["ok"], summary
    assert summary["paused"] == []
    statuses = {name: run["status"] for name, run in summary["runs"].items()}
    assert statuses == {
        "ToolsWorkflow": "completed",
        "OrchestratorWorkflow": "completed",
        "RouterWorkflow": "completed",
        "ParallelWorkflow": "completed",
        "EvaluatorOptimizerWorkflow": "completed",
        "SwarmWorkflow": "completed",
        "ClassifyWorkflow": "completed",
        "ApprovalWorkflow": "completed",
        "inbound": "completed",
    }
    assert summary["runs"]["ApprovalWorkflow"]["result"].startswith("approved: approved (auto")
    assert summary["runs"]["inbound"]["via"] == "streamable-http"
    # mcp-agent never forgets a run; the demo unregisters finished ones beyond KEEP_FINISHED
    remaining = {s["run_id"] for s in await app.context.workflow_registry.list_workflow_statuses()}
    assert remaining == {
        summary["runs"][name]["run_id"] for name in ("ClassifyWorkflow", "ApprovalWorkflow", "inbound")
    }


async def test_approval_stays_paused_until_signalled_through_the_executor(app):
    run_id = await runner.start(app, ApprovalWorkflow)
    registry = app.context.workflow_registry
    workflow = await registry.get_workflow(run_id=run_id)
    for _ in range(200):
        if waiting_request_id(app, workflow):
            break
        await asyncio.sleep(0.01)
    request_id = waiting_request_id(app, workflow)
    assert request_id is not None
    assert request_id.startswith("__human_input__")

    await asyncio.sleep(0.5)  # nothing answers it: still waiting
    assert (await runner.status(app, run_id))["status"] == "running"
    assert waiting_request_id(app, workflow) == request_id

    # resume the way the inspector does: mcp-agent's own executor signal with a HumanInputResponse
    await app.context.executor.signal(request_id, payload=HumanInputResponse(request_id=request_id, response="ship it"))
    final = await runner.wait(app, run_id, timeout=10)
    assert final["status"] == "completed"
    assert runner.result_value(final) == "approved: ship it"


@pytest.mark.slow
def test_command_line_one_round_exits_zero(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "examples"),
        "MCP_TRACES_DIR": str(tmp_path),
        "INSPECTOR_PORT": "0",
        "INSPECTOR_PLUGINS_AUTOLOAD": "0",
    }
    done = subprocess.run(
        [sys.executable, "-m", "inspector_demo", "--rounds", "1", "--port", "0"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "round 1" in done.stdout
    assert "ApprovalWorkflow=paused" in done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "options"),
    [
        (signal.SIGINT, ["--no-inspector"]),  # Ctrl-C
        (signal.SIGTERM, []),  # kill, timeout, a service manager: with the inspector's own server running too
    ],
    ids=["sigint", "sigterm-with-inspector"],
)
def test_ctrl_c_stops_the_endless_demo_cleanly(tmp_path, signum, options):
    if not options:
        options = ["--port", str(_free_port())]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "examples"),
        "MCP_TRACES_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    seen: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-m", "inspector_demo", *options, "--pause", "0.1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)
        reader.start()
        deadline = time.monotonic() + 90
        try:
            while not any("serves MCP at" in line for line in seen):
                assert time.monotonic() < deadline, "".join(seen)
                with contextlib.suppress(queue.Empty):
                    seen.append(lines.get(timeout=1))
            time.sleep(1.0)  # Ctrl-C in the middle of the first round: workflows, stdio server and HTTP are all busy
            process.send_signal(signum)
            returncode = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        reader.join(timeout=5)
    while not lines.empty():
        seen.append(lines.get())
    assert returncode == 0, "".join(seen)
    assert "stopped" in "".join(seen)
    assert "Traceback" not in "".join(seen)
    assert "ERROR" not in "".join(seen)
