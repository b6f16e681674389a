"""scripts/demo leaves no process behind, however it is stopped (issue 12 item 8): the stdio demo server runs in its
own process group (mcp's stdio client starts it with ``start_new_session``), so stopping the demo's group never
reached it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize(
    ("how", "sig"),
    [
        ("ctrl-c", signal.SIGINT),  # the terminal's whole group
        ("group SIGKILL", signal.SIGKILL),  # the stdio server, in its own session, ends at the end of its stdin
        ("SIGKILL", signal.SIGKILL),  # `uv run` alone: the demo and its server used to stay (a group SIGTERM and a
        # SIGTERM of `uv` alone, which uv forwards, were checked by hand the same way)
    ],
)
def test_stopping_the_demo_leaves_no_process(tmp_path, how, sig):
    env = {**os.environ, "MCP_TRACES_DIR": str(tmp_path / "traces"), "HOME": str(tmp_path)}
    demo = subprocess.Popen(
        [str(ROOT / "scripts" / "demo"), "--port", "0", "--pause", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group, as a terminal runs it
    )
    servers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not servers:
            servers = {p for p in _descendants(demo.pid) if "demo_server" in _cmdline(p)}
            time.sleep(0.2)
        assert servers, "the demo never started its stdio server"
        everything = _descendants(demo.pid)
        if how.startswith(("group", "ctrl")):
            os.killpg(demo.pid, sig)
        else:
            os.kill(demo.pid, sig)  # the script's own process only (a supervisor, or `kill <pid>`)
        demo.wait(timeout=20)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in everything):
            time.sleep(0.1)
        left = {p: _cmdline(p) for p in everything if _alive(p)}
        assert left == {}, f"left running after {how}: {left}"
    finally:
        for pid in _descendants(demo.pid) | servers:
            if _alive(pid) and "demo" in _cmdline(pid):
                os.kill(pid, signal.SIGKILL)
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
