"""A user's own workflow in Temporal's sandbox (the default ``SandboxedWorkflowRunner``) with the inspector's
interceptor: it runs unharmed (same results, same output as without the inspector) and is recorded (one session per
execution, its workflow span, each activity attempt)."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, DevServer, demo_env
from .test_host_unharmed import normalised

pytestmark = [pytest.mark.temporal, pytest.mark.slow]


def _run(server: DevServer, traces: Path, queue: str, *flags: str) -> subprocess.CompletedProcess[str]:
    env = demo_env(traces)
    env["PYTHONPATH"] = str(ROOT)  # the user's module: tests.temporal.sandboxed_app
    return subprocess.run(
        [sys.executable, "-m", "tests.temporal.sandboxed_main", server.address, queue, *flags],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
    )


def _without_inspector_frames(text: str) -> str:
    """``text`` without the traceback frames of the inspector's interceptor: a failing activity's traceback, which
    temporalio logs, passes through ``execute_activity`` of every interceptor (any interceptor's frames show: its
    own and that of temporalio's base class it delegates through)."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines():
        if line.startswith("  File "):
            skipping = "/inspector_temporal/" in line or "/temporalio/worker/_interceptor.py" in line
        elif not line.startswith("    "):
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


def _blank(text: str) -> str:
    """The queue and workflow ids, which differ between the two runs, blanked."""
    return re.sub(r"sandboxed-(\w+)-[0-9a-f]{8}", r"sandboxed-\1-<id>", re.sub(r"q-sandbox-\w+", "<queue>", text))


def _records(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt") as f:
        return [json.loads(line) for line in f if line.strip()]


def _session(traces: Path, workflow_id: str) -> list[dict[str, Any]]:
    parts = sorted(traces.glob(f"{workflow_id}*.jsonl.gz"))
    assert parts, sorted(p.name for p in traces.iterdir())
    return [r for part in parts for r in _records(part)]


def test_a_sandboxed_user_workflow_runs_unharmed_and_is_recorded(dev_server: DevServer, tmp_path: Path) -> None:
    without = _run(dev_server, tmp_path / "traces-without", "q-sandbox-without")
    assert without.returncode == 0, without.stderr[-3000:]
    with_inspector = _run(dev_server, tmp_path / "traces-with", "q-sandbox-with", "--inspector")
    assert with_inspector.returncode == 0, with_inspector.stderr[-3000:]
    results = [line.split(" result=")[1] for line in with_inspector.stdout.splitlines()]
    assert results == ["HELLO ADA!", "HELLO BOB!"]
    assert results == [line.split(" result=")[1] for line in without.stdout.splitlines()]
    assert "Traceback" in without.stderr  # temporalio logs the failed first attempt (the same with the inspector)
    assert normalised(_blank(_without_inspector_frames(with_inspector.stderr))) == normalised(_blank(without.stderr))
    assert not list((tmp_path / "traces-without").glob("*.jsonl.gz"))
    for line in with_inspector.stdout.splitlines():
        workflow_id = line.split()[0].split("=", 1)[1]
        records = _session(tmp_path / "traces-with", workflow_id)
        assert records[0]["type"] == "session"
        assert records[0]["engine"] == "temporal"
        assert records[0]["title"] == "SandboxedGreeting"
        spans = [r for r in records if r["type"] == "span"]
        workflow = [s for s in spans if s["name"] == "temporal.workflow SandboxedGreeting"]
        assert [w["attributes"]["temporal.workflow.status"] for w in workflow] == ["completed"]
        attempts = sorted(
            (s["attributes"]["temporal.activity.attempt"], s["status"]["code"] == "ERROR")
            for s in spans
            if s["name"] == "temporal.activity shout"
        )
        assert attempts == [(1, True), (2, False)], attempts  # the first attempt failed, the retry did not
        assert [r["status"] for r in records if r["type"] == "session_end"] == ["completed"]
