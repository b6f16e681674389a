"""Issue 14 item 5 (human turns): console human input (mcp-agent's ``__human_input__`` tool answered by its own
``console_input_callback`` on stdin) is a pause while the human thinks, listed ``paused`` with its prompt, and the
human's answer is in the ``session_resumed`` record. The program's stdout and stderr are the same with and without
the inspector.

The user's program (``console_human.py``) runs as a subprocess with its stdin a pipe: the test is the human.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from inspector_gateway.sessions import TraceDirectory, to_otlp, trace_parts
from inspector_hooks import tracefile
from inspector_otel.testing import read_session

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = Path(__file__).with_name("console_human.py")
QUESTION = "Which colour should the logo be?"


def _start(traces: Path, *flags: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "examples"), "COLUMNS": "100", "TERM": "dumb"}
    return subprocess.Popen(
        [sys.executable, str(PROGRAM), str(traces), *flags],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def _paused_session(traces: Path, proc: subprocess.Popen[str], timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the program ended before asking"
        if traces.exists():
            for session in TraceDirectory(traces).sessions():
                if session.status == "paused":
                    return session
        time.sleep(0.05)
    raise AssertionError("no session was listed paused")


def _same_run(text: str) -> str:
    return re.sub(r"__human_input___designer_[0-9a-f-]+", "<request id>", text)


def test_console_human_input_is_a_pause_resumed_with_the_humans_answer(tmp_path):
    traces = tmp_path / "traces"
    proc = _start(traces, "--inspector")
    try:
        session = _paused_session(traces, proc)
        assert session.waiting["prompt"] == QUESTION
        assert session.waiting["signal_name"].startswith("__human_input___designer_")
        assert session.waiting["schema"]["required"] == ["response"]
        out, err = proc.communicate("teal\n", timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0, err
    assert "The human answered: Human response:" in out
    assert '"response":"teal"' in out
    after = {s.id: s for s in TraceDirectory(traces).sessions()}[session.id]
    assert after.status == "completed"
    records = read_session(traces, session.id)
    marks = [r for r in records if r["type"] in ("session_paused", "session_resumed")]
    assert [r["type"] for r in marks] == ["session_paused", "session_resumed"]
    paused, resumed = marks
    assert resumed["signal_name"] == paused["signal_name"]
    assert resumed["answer"] == {"request_id": paused["signal_name"], "response": "teal", "metadata": None}
    assert resumed["action"] is None
    # the same answer on the span that waited (mcp-agent's request_human_input), as its session.resumed event
    (waited,) = [
        r for r in records if r["type"] == "span" and any(e["name"] == "session.resumed" for e in r.get("events", ()))
    ]
    (event,) = [e for e in waited["events"] if e["name"] == "session.resumed"]
    assert '"response":"teal"' in event["attributes"]["payload_json"]
    # the OTLP export (the gateway's Export menu) carries it, as that span's event
    parts = [p.path for p in trace_parts(traces, session.id) if p.path is not None]
    otlp = to_otlp(line for path in parts for line in tracefile.read_lines(path))
    exported = [
        a["value"]["stringValue"]
        for scope in otlp["resourceSpans"][0]["scopeSpans"]
        for span in scope["spans"]
        for e in span["events"]
        if e["name"] == "session.resumed"
        for a in e["attributes"]
        if a["key"] == "payload_json"
    ]
    assert len(exported) == 1
    assert '"response":"teal"' in exported[0]

    # the user's program without the inspector: the same output, the same (empty) stderr
    plain = _start(tmp_path / "plain")
    try:
        plain_out, plain_err = plain.communicate("teal\n", timeout=60)
    finally:
        plain.kill()
        plain.wait()
    assert plain.returncode == 0, plain_err
    assert (_same_run(out), err) == (_same_run(plain_out), plain_err)


def test_console_elicitation_is_a_pause_resumed_with_the_content_and_action(tmp_path):
    traces = tmp_path / "traces"
    answers = "go ahead\nyes\n"  # the two fields of the demo server's schema: answer, confident
    proc = _start(traces, "--inspector", "--elicit")
    try:
        session = _paused_session(traces, proc)
        assert session.waiting["signal_name"] == "elicitation"
        assert session.waiting["prompt"] == QUESTION
        assert session.waiting["schema"]["required"] == ["answer"]
        out, err = proc.communicate(answers, timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0, err
    assert out.strip().endswith("user said: go ahead")
    records = read_session(traces, session.id)
    (resumed,) = [r for r in records if r["type"] == "session_resumed"]
    assert resumed["answer"] == {"answer": "go ahead", "confident": True}
    assert resumed["action"] == "accept"
    # on the tools/call during which the server asked
    (rpc,) = [
        r for r in records if r["type"] == "span" and any(e["name"] == "session.resumed" for e in r.get("events", ()))
    ]
    assert rpc["attributes"]["mcp.rpc.method"] == "tools/call"

    plain = _start(tmp_path / "plain", "--elicit")
    try:
        plain_out, plain_err = plain.communicate(answers, timeout=60)
    finally:
        plain.kill()
        plain.wait()
    assert plain.returncode == 0, plain_err
    assert (out, err) == (plain_out, plain_err)
