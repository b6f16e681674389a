"""Helpers of the command-line tests (imported by name: conftest.py puts this folder on sys.path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from opentelemetry.sdk.trace import TracerProvider

from inspector_hooks import context
from inspector_otel import TraceFileProcessor


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """Run ``mcp-agent-inspector`` in a subprocess (the installed console script's module)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    if "INSPECTOR_TOKEN" not in (env or {}):
        full_env.pop("INSPECTOR_TOKEN", None)
    proc = subprocess.run(
        [sys.executable, "-m", "inspector_cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input,
        timeout=60,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def write_sessions(traces_dir: Path) -> TraceFileProcessor:
    """Three sessions through the real TraceFileProcessor: a completed run with a child, a failed one, a running one."""
    provider = TracerProvider()
    processor = TraceFileProcessor(traces_dir)
    provider.add_span_processor(processor.link())
    tracer = provider.get_tracer("tests.cli")
    processor.session_started("run-parent1", {"engine": "asyncio", "title": "Parent run", "parent_session_id": None})
    processor.session_started(
        "run-child01", {"engine": "asyncio", "title": "Child run", "parent_session_id": "run-parent1"}
    )
    with context.bind("run-parent1"), tracer.start_as_current_span("workflow.run") as outer:
        outer.set_attribute("mcp.workflow.name", "Parent")
        with tracer.start_as_current_span("tool.call") as tool:
            tool.set_attribute("mcp.tool.name", "fetch")
            tool.set_attribute("mcp.tool.input_json", '{"url": "https://example.com"}')
    with context.bind("run-child01"), tracer.start_as_current_span("llm.generate") as llm:
        llm.set_attribute("gen_ai.request.model", "gpt-4o-mini")
        llm.set_attribute("gen_ai.usage.input_tokens", 120)
        llm.set_attribute("gen_ai.usage.output_tokens", 30)
    processor.session_finished("run-child01", "completed", None)
    processor.session_finished("run-parent1", "completed", None)
    processor.session_started("run-failed1", {"engine": "asyncio", "title": "Broken run", "parent_session_id": None})
    with context.bind("run-failed1"), tracer.start_as_current_span("tool.call"):
        pass
    processor.session_finished("run-failed1", "failed", "ValueError: boom")
    processor.force_flush()
    return processor


class Served:
    """``mcp-agent-inspector serve DIR --json`` in a subprocess; ``url`` and ``port`` from its first line."""

    def __init__(self, traces: Path, port: int = 0, env: dict[str, str] | None = None) -> None:
        env = {**{k: v for k, v in os.environ.items() if k != "INSPECTOR_TOKEN"}, **(env or {})}
        env["INSPECTOR_PLUGINS_AUTOLOAD"] = "0"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "inspector_cli", "serve", str(traces), "--port", str(port), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"serve printed nothing: {self.proc.stderr.read() if self.proc.stderr else ''}")
        info = json.loads(line)
        self.traces = traces
        self.url: str = info["url"]
        self.port: int = info["port"]
        self.token: str = self.url.split("token=", 1)[1]

    def stop(self) -> int:
        self.proc.terminate()
        code = self.proc.wait(timeout=15)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code
