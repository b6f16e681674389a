"""inspector_hooks.backends: the entry-point group starts every installed backend in order, reports the failed ones
and never raises. Each case runs in a fresh interpreter with fake distributions on its path (the workspace's own
backends blocked), so the process-wide state of the test session is untouched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

OWN = "otel,instrumentation,sqlite_index,temporal"  # the workspace's real entry points, blocked in these cases

GOOD = """
from inspector_hooks.backends import Backend
import good_log

def _install(options):
    good_log.events.append(("install", "{name}", options.get("traces_dir")))
    return "{name}-result"

def _uninstall():
    good_log.events.append(("uninstall", "{name}"))

BACKEND = Backend(install=_install, uninstall=_uninstall, order={order}, description="{name} backend")
"""


def _dist(site: Path, dist: str, entries: dict[str, str], modules: dict[str, str]) -> None:
    info = site / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    lines = "\n".join(f"{name} = {target}" for name, target in entries.items())
    (info / "entry_points.txt").write_text(f"[mcp_agent_inspector.plugins]\n{lines}\n")
    for name, source in modules.items():
        (site / f"{name}.py").write_text(textwrap.dedent(source))


def _run(site: Path, code: str, block: str = OWN) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path]), "INSPECTOR_PLUGINS_BLOCK": block}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


REPORT = """
import json, good_log
import inspector_hooks

report = inspector_hooks.backends.install(traces_dir="/t")
again = inspector_hooks.backends.install(traces_dir="/elsewhere")
rows = [[r.name, r.distribution, r.version, r.description, r.result, r.error] for r in report]
inspector_hooks.backends.uninstall()
print(json.dumps({"rows": rows, "same": again is report, "events": good_log.events,
                  "after": len(inspector_hooks.backends.installed())}))
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    path = tmp_path / "site"
    path.mkdir()
    (path / "good_log.py").write_text("events = []\n")
    return path


def test_backends_start_in_order_once_and_stop_newest_first(site):
    _dist(site, "late-backend", {"late": "late_mod"}, {"late_mod": GOOD.format(name="late", order=30)})
    _dist(site, "early-backend", {"early": "early_mod"}, {"early_mod": GOOD.format(name="early", order=5)})
    _dist(site, "ui-only", {"ui_only": "ui_mod"}, {"ui_mod": "X = 1\n"})  # a gateway plugin: no BACKEND
    out = _run(site, REPORT)
    assert out["rows"] == [
        ["early", "early-backend", "1.0", "early backend", "early-result", None],
        ["late", "late-backend", "1.0", "late backend", "late-result", None],
    ]
    assert out["same"] is True  # once per process
    assert out["events"] == [
        ["install", "early", "/t"],
        ["install", "late", "/t"],
        ["uninstall", "late"],
        ["uninstall", "early"],
    ]
    assert out["after"] == 0


def test_a_backend_that_fails_is_reported_and_the_others_start(site):
    _dist(site, "good-backend", {"good": "good_mod"}, {"good_mod": GOOD.format(name="good", order=50)})
    _dist(site, "missing-backend", {"missing": "not_there_at_all"}, {})
    _dist(
        site,
        "failing-backend",
        {"failing": "failing_mod"},
        {
            "failing_mod": """
            from inspector_hooks.backends import Backend
            def _install(options):
                raise RuntimeError("no disk")
            BACKEND = Backend(install=_install)
            """,
            "wrong_mod": "BACKEND = object()\n",
        },
    )
    _dist(site, "wrong-backend", {"wrong": "wrong_mod"}, {})
    out = _run(site, REPORT)
    rows = {row[0]: row for row in out["rows"]}
    assert rows["good"][5] is None
    assert "install failed: RuntimeError('no disk')" in rows["failing"][5]
    assert "import failed" in rows["missing"][5]
    assert "not_there_at_all" in rows["missing"][5]
    assert "not an inspector_hooks.backends.Backend" in rows["wrong"][5]
    assert out["events"] == [["install", "good", "/t"], ["uninstall", "good"]]


def test_blocked_backends_are_not_started(site):
    _dist(site, "good-backend", {"good": "good_mod"}, {"good_mod": GOOD.format(name="good", order=50)})
    out = _run(site, REPORT, block=f"{OWN},good")
    assert out["rows"] == []
    assert out["events"] == []


def test_only_inspector_hooks_gets_the_installed_backends(tmp_path):
    """A program importing only inspector_hooks starts the workspace's real backends and writes a trace file."""
    traces = tmp_path / "traces"
    code = f"""
    import json, sys
    import inspector_hooks
    from inspector_hooks import hooks
    report = inspector_hooks.backends.install(traces_dir={str(traces)!r})
    hooks.session_started.emit(session_id="only-hooks-1", metadata={{"title": "t"}})
    hooks.session_finished.emit(session_id="only-hooks-1", status="completed", error=None)
    inspector_hooks.backends.uninstall()
    print(json.dumps({{"started": sorted(r.name for r in report if r.error is None)}}))
    """
    out = _run(tmp_path, code, block="sqlite_index")
    assert out["started"] == ["instrumentation", "otel", "temporal"]
    from inspector_hooks import tracefile

    records = [
        tracefile.decode_record(x)
        for p in tracefile.trace_parts(traces, "only-hooks-1")
        for x in tracefile.read_lines(p)
    ]
    assert [r["type"] for r in records][0] == "session"
    assert records[-1]["type"] == "session_end"
