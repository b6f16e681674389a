"""``mcp-agent-inspector url`` links to where a real gateway serves the dir, and never to a dead one."""

from __future__ import annotations

import signal
import socket
import stat
import sys
from pathlib import Path

import pytest
from cli_support import Served, run_cli

ADDRESS = ".inspector-address"


def _busy_port() -> socket.socket:
    """A listening socket on a free port (what a busy 7800 looks like to the gateway)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    return sock


def test_url_follows_the_running_gateway_and_not_a_stopped_one(traces: Path):
    busy = _busy_port()
    try:
        taken = busy.getsockname()[1]
        served = Served(traces, port=taken)  # the port is busy: the gateway falls back to a free one, as mount() does
        try:
            assert served.port != taken
            if sys.platform != "win32":
                assert stat.S_IMODE((traces / ADDRESS).stat().st_mode) == 0o600
            link = run_cli("url", "run-parent1", "-d", str(traces), env={"INSPECTOR_PORT": str(taken)})
            assert link.code == 0, link.err
            assert link.out.strip() == f"{served.url}#/session/run-parent1"
            assert link.err == ""
            explicit = run_cli("url", "-p", "7811", "-d", str(traces)).out.strip()
            assert explicit.startswith("http://127.0.0.1:7811/_inspector/ui/?token=")
        finally:
            served.stop()
    finally:
        busy.close()
    assert not (traces / ADDRESS).exists()  # a clean stop removes the record
    after = run_cli("url", "-d", str(traces), env={"INSPECTOR_PORT": "7812"})
    assert after.code == 0
    assert after.out.strip() == f"http://127.0.0.1:7812/_inspector/ui/?token={served.token}"
    assert "no inspector is running" in after.err


@pytest.mark.skipif(sys.platform == "win32", reason="no flock: a record is trusted while it exists")
def test_a_killed_gateways_record_is_recognised_as_stale(traces: Path):
    served = Served(traces)
    try:
        assert run_cli("url", "-d", str(traces)).out.strip() == served.url
    finally:
        served.proc.send_signal(signal.SIGKILL)
        served.stop()
    assert (traces / ADDRESS).exists()  # nothing could remove it
    after = run_cli("url", "-d", str(traces), env={"INSPECTOR_PORT": "7813"})
    assert after.out.strip() == f"http://127.0.0.1:7813/_inspector/ui/?token={served.token}"
    assert "no inspector is running" in after.err


def test_an_unsafe_record_is_not_trusted(traces: Path):
    path = traces / ADDRESS
    path.write_text('{"host": "127.0.0.1", "port": 7814, "pid": 1}\n')
    path.chmod(0o644)  # readable by others: not written by a gateway
    after = run_cli("url", "-d", str(traces), env={"INSPECTOR_PORT": "7815"})
    assert ":7815/" in after.out
    assert "no inspector is running" in after.err
