"""Issue 14 item 7: the user's own telemetry keeps every span it has without the inspector, with the same parents.

Each case runs ``_user_telemetry_child.py`` twice, in fresh processes (OTel's global provider is once per process):
a real ``OpenAIAugmentedLLM.generate_str`` against the fake provider, without and with the inspector installed, and
compares the user's spans as (name, parent's name) pairs. The cases: mcp-agent's ``otel.enabled: true`` with its
file exporter (it instruments the OpenAI SDK itself), and a provider of the user's own with the OpenAI SDK
instrumentation, set globally before the inspector.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from inspector_demo.fake_provider import FakeProvider, Reply

CHILD = Path(__file__).with_name("_user_telemetry_child.py")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def fake() -> FakeProvider:
    with FakeProvider(lambda turn: Reply(text="hi")) as provider:
        yield provider


def _start(setup: str, inspect: bool, work: Path, fake: FakeProvider) -> subprocess.Popen[str]:
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(EXAMPLES), os.environ.get("PYTHONPATH", "")])}
    args = [sys.executable, str(CHILD), setup, "1" if inspect else "0", str(work), fake.base_url]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _tree(proc: subprocess.Popen[str]) -> Counter[tuple[str, str | None]]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    spans = [json.loads(line) for line in out.splitlines()]
    by_id = {s["id"]: s["name"] for s in spans}
    # a parent the user's exporter never got (mcp-agent's app span ends after its provider shut down) is "<absent>"
    return Counter((s["name"], None if s["parent"] is None else by_id.get(s["parent"], "<absent>")) for s in spans)


@pytest.mark.parametrize("setup", ["mcp_agent", "own"])
def test_user_spans_are_the_same_with_the_inspector(setup: str, fake: FakeProvider, tmp_path: Path) -> None:
    without = _start(setup, False, tmp_path / "without", fake)
    with_inspector = _start(setup, True, tmp_path / "with", fake)
    try:
        expected, got = _tree(without), _tree(with_inspector)
    finally:
        for proc in (without, with_inspector):
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert any(name == "openai.chat" for name, _ in expected)
    assert got == expected
    assert list((tmp_path / "with" / "traces").glob("*.jsonl*")), "the inspector wrote no trace file"
