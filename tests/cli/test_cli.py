"""The ``mcp-agent-inspector`` command against trace files written by the real exporter (subprocess, exit codes)."""

from __future__ import annotations

import gzip
import json
import os
import stat
import sys
import time
from pathlib import Path

import pytest
from cli_support import run_cli, write_sessions

from inspector_hooks import tracefile


def test_help_lists_every_command():
    result = run_cli("--help")
    assert result.code == 0
    for command in ("serve", "ls", "show", "export", "prune", "url", "token"):
        assert f"  {command} " in result.out
    for command in ("serve", "ls", "show", "export", "prune", "url", "token"):
        sub = run_cli(command, "--help")
        assert sub.code == 0, sub.err
        assert "--traces-dir" in sub.out


def test_ls_table_and_json(traces: Path):
    table = run_cli("ls", "-d", str(traces))
    assert table.code == 0, table.err
    lines = table.out.splitlines()
    assert lines[0].split()[:2] == ["ID", "STATUS"]
    assert {line.split()[0] for line in lines[1:]} == {"run-parent1", "run-child01", "run-failed1"}
    data = json.loads(run_cli("ls", "--json", "-d", str(traces)).out)
    rows = {row["id"]: row for row in data["sessions"]}
    assert rows["run-failed1"]["status"] == "failed"
    assert rows["run-failed1"]["error"] == "ValueError: boom"
    assert rows["run-child01"]["parent_session_id"] == "run-parent1"
    assert rows["run-parent1"]["span_count"] == 2
    usage = rows["run-child01"]["usage"]  # one llm.generate of gpt-4o-mini, 120 in / 30 out
    assert (usage["input_tokens"], usage["output_tokens"]) == (120, 30)
    assert usage["cost_usd"] == pytest.approx((120 * 0.15 + 30 * 0.60) / 1e6)
    child_line = next(line for line in lines if line.startswith("run-child01"))
    assert "150" in child_line.split()
    assert "<$0.0001" in child_line.split()
    assert lines[0].split()[5:8] == ["SPANS", "TOKENS", "COST"]
    starts = [row["started_at"] for row in data["sessions"]]
    assert starts == sorted(starts, reverse=True)


def test_ls_filters(traces: Path):
    def ids(*args: str) -> set[str]:
        result = run_cli("ls", "--json", "-d", str(traces), *args)
        assert result.code == 0, result.err
        return {row["id"] for row in json.loads(result.out)["sessions"]}

    assert ids("--status", "failed") == {"run-failed1"}
    assert ids("--status", "failed", "--status", "completed") == {"run-parent1", "run-child01", "run-failed1"}
    assert ids("--roots") == {"run-parent1", "run-failed1"}
    assert ids("--parent", "run-parent1") == {"run-child01"}
    assert ids("--title", "BROKEN") == {"run-failed1"}
    assert ids("--since", "1h") == {"run-parent1", "run-child01", "run-failed1"}
    assert len(ids("--limit", "1")) == 1
    assert ids("--engine", "temporal") == set()


def test_ls_running_session_of_a_live_writer(tmp_path: Path):
    from opentelemetry.sdk.trace import TracerProvider

    from inspector_hooks import context
    from inspector_otel import TraceFileProcessor

    folder = tmp_path / "live"
    processor = TraceFileProcessor(folder)
    provider = TracerProvider()
    provider.add_span_processor(processor.link())
    processor.session_started("run-live001", {"engine": "asyncio", "title": "Live", "parent_session_id": None})
    with context.bind("run-live001"), provider.get_tracer("t").start_as_current_span("still.going"):
        processor.force_flush()
        rows = json.loads(run_cli("ls", "--json", "-d", str(folder)).out)["sessions"]
        shown = run_cli("show", "run-live001", "-d", str(folder))
    processor.shutdown()
    assert rows[0]["status"] == "running"
    assert "still.going" in shown.out
    assert "(running)" in shown.out


def test_errors_and_exit_codes(traces: Path, tmp_path: Path):
    missing_dir = run_cli("ls", "-d", str(tmp_path / "nope"))
    assert missing_dir.code == 1
    assert "is not a directory" in missing_dir.err
    unknown = run_cli("show", "run-unknown", "-d", str(traces))
    assert unknown.code == 1
    assert "no session 'run-unknown'" in unknown.err
    bad_id = run_cli("export", "../../etc/passwd", "-d", str(traces))
    assert bad_id.code == 2
    assert "session id must match" in bad_id.err
    bad_duration = run_cli("prune", "--older-than", "soon", "-d", str(traces))
    assert bad_duration.code == 2
    assert "not a duration" in bad_duration.err
    assert run_cli("frobnicate").code == 2
    assert "Traceback" not in missing_dir.err + unknown.err + bad_id.err + bad_duration.err


def test_show_prints_tokens_and_cost_per_model(traces: Path):
    result = run_cli("show", "run-child01", "-d", str(traces))
    assert result.code == 0, result.err
    assert "tokens 120 in, 30 out; cost <$0.0001" in result.out
    assert "  gpt-4o-mini: 1 call(s), 120 in, 30 out, <$0.0001" in result.out
    priced = traces.parent / "prices.json"
    priced.write_text(json.dumps({"gpt-4o-mini": {"input": 1000, "output": 1000}}))
    dear = run_cli("show", "run-child01", "-d", str(traces), env={"INSPECTOR_PRICES": str(priced)})
    assert "cost $0.1500" in dear.out


def test_show_tree_and_json(traces: Path):
    result = run_cli("show", "run-parent1", "-d", str(traces))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("run-parent1  completed  asyncio  Parent run")
    tree = [line for line in lines if "[" in line]
    assert tree[0].startswith("workflow.run ")
    assert tree[1].startswith("  tool.call  fetch ")  # labelled as the page labels it (inspector_hooks.labels)
    data = json.loads(run_cli("show", "run-parent1", "--json", "-d", str(traces)).out)
    assert data["session"]["id"] == "run-parent1"
    assert [s["name"] for s in data["spans"]] == ["workflow.run", "tool.call"]
    assert data["spans"][1]["attributes"]["mcp.tool.name"] == "fetch"


def test_export_jsonl_equals_the_file(traces: Path, tmp_path: Path):
    out = tmp_path / "run.jsonl"
    result = run_cli("export", "run-parent1", "--format", "jsonl", "-o", str(out), "-d", str(traces))
    assert result.code == 0, result.err
    with gzip.open(traces / "run-parent1.jsonl.gz", "rt") as fh:
        expected = [json.loads(line) for line in fh if line.strip()]
    assert [json.loads(line) for line in out.read_text().splitlines()] == expected
    assert "wrote run-parent1" in result.err
    stdout = run_cli("export", "run-parent1", "-f", "jsonl", "-d", str(traces))
    assert [json.loads(line) for line in stdout.out.splitlines()] == expected


def test_export_otlp(traces: Path):
    result = run_cli("export", "run-child01", "-d", str(traces))
    assert result.code == 0, result.err
    body = json.loads(result.out)
    spans = body["resourceSpans"][0]["scopeSpans"][0]["spans"]
    assert [s["name"] for s in spans] == ["llm.generate"]
    attrs = {a["key"]: a["value"] for a in spans[0]["attributes"]}
    assert attrs["gen_ai.usage.input_tokens"] == {"intValue": "120"}


def test_prune(tmp_path: Path):
    folder = tmp_path / "traces"
    write_sessions(folder).shutdown()
    kept = run_cli("prune", "--older-than", "1h", "--yes", "-d", str(folder))
    assert kept.code == 0, kept.err
    assert "deleted 0 session(s)" in kept.err
    time.sleep(1.2)
    dry = json.loads(run_cli("prune", "--older-than", "1s", "--dry-run", "--json", "-d", str(folder)).out)
    assert sorted(dry["deleted"]) == ["run-child01", "run-failed1", "run-parent1"]
    assert len(list(folder.glob("*.jsonl.gz"))) == 3
    assert len(list((folder / tracefile.SIDECARS_DIR).glob("run-*.0.*"))) == 9  # skeleton, locators and summary of each
    refused = run_cli("prune", "--older-than", "1s", "-d", str(folder), input="n\n")
    assert refused.code == 1  # click's Abort
    assert len(list(folder.glob("*.jsonl.gz"))) == 3
    done = json.loads(run_cli("prune", "--older-than", "1s", "--json", "-d", str(folder)).out)
    assert sorted(done["deleted"]) == ["run-child01", "run-failed1", "run-parent1"]
    assert done["freed_bytes"] > 0
    assert list(folder.glob("*.jsonl.gz")) == []
    assert list((folder / tracefile.SIDECARS_DIR).iterdir()) == []  # their sidecars went with them


def test_prune_keeps_running_sessions(tmp_path: Path):
    from opentelemetry.sdk.trace import TracerProvider

    from inspector_hooks import context
    from inspector_otel import TraceFileProcessor

    folder = tmp_path / "live"
    processor = TraceFileProcessor(folder)
    provider = TracerProvider()
    provider.add_span_processor(processor.link())
    processor.session_started("run-live002", {"engine": "asyncio", "title": "Live", "parent_session_id": None})
    with context.bind("run-live002"), provider.get_tracer("t").start_as_current_span("going"):
        processor.force_flush()
        time.sleep(1.2)
        result = json.loads(run_cli("prune", "--older-than", "1s", "--json", "-d", str(folder)).out)
    processor.shutdown()
    assert result["deleted"] == []
    assert (folder / "run-live002.jsonl.gz").exists()


def test_prune_default_retention_from_env(traces: Path):
    result = run_cli("prune", "--dry-run", "-d", str(traces), env={"INSPECTOR_RETENTION_DAYS": "3"})
    assert result.code == 0
    assert "would delete 0 session(s)" in result.err
    assert "INSPECTOR_RETENTION_DAYS" in run_cli("prune", "--help").out


def test_token_is_stored_for_the_user_only_and_stable(tmp_path: Path):
    folder = tmp_path / "traces"
    first = run_cli("token", "-d", str(folder))
    assert first.code == 0, first.err
    token = first.out.strip()
    assert len(token) == 64
    path = folder / ".inspector-token"
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert run_cli("token", "-d", str(folder)).out.strip() == token
    link = run_cli("url", "run-parent1", "--span", "00ff", "--port", "7811", "-d", str(folder)).out.strip()
    assert link == f"http://127.0.0.1:7811/_inspector/ui/?token={token}#/session/run-parent1/span/00ff"
    assert run_cli("token", "-d", str(folder), env={"INSPECTOR_TOKEN": "x" * 20}).out.strip() == "x" * 20
    rotated = run_cli("token", "--rotate", "-d", str(folder)).out.strip()
    assert rotated != token
    assert len(rotated) == 64


def test_token_file_shared_with_others_is_replaced(tmp_path: Path):
    folder = tmp_path / "traces"
    folder.mkdir()
    path = folder / ".inspector-token"
    path.write_text("b" * 64)
    os.chmod(path, 0o644)
    token = run_cli("token", "-d", str(folder)).out.strip()
    assert token != "b" * 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
