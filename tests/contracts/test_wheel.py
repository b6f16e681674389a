"""The gateway wheel ships the built UI: manifest, index.html and the JS assets (static/ is built, not committed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = ROOT / "packages" / "inspector-gateway"
STATIC = GATEWAY / "src" / "inspector_gateway" / "static"


def _build_wheel(out: Path) -> Path:
    uv = shutil.which("uv")
    command = (
        [uv, "build", "--wheel", "--quiet", "--out-dir", str(out), str(GATEWAY)]
        if uv
        else [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(GATEWAY)]
    )
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, timeout=300)
    [wheel] = out.glob("inspector_gateway-*.whl")
    return wheel


@pytest.mark.slow
def test_gateway_wheel_contains_the_built_ui(tmp_path):
    if not (STATIC / ".vite" / "manifest.json").exists():
        pytest.fail("the UI is not built: run scripts/build-ui (scripts/test does) before the tests")
    names = set(zipfile.ZipFile(_build_wheel(tmp_path)).namelist())
    assert "inspector_gateway/static/.vite/manifest.json" in names
    assert "inspector_gateway/static/index.html" in names
    assert any(n.startswith("inspector_gateway/static/assets/") and n.endswith(".js") for n in names)
    assert "inspector_gateway/mount.py" in names
    assert "inspector_gateway/py.typed" in names


# -- extras and entry points, from wheels in a fresh virtualenv ---------------------------------------------------
PROBE = """
import json, sys, urllib.request
from pathlib import Path

from inspector_gateway import mount
from inspector_hooks import hooks, tracefile

traces = Path(sys.argv[1])
mounted = mount(port=0, traces_dir=traces)
assert mounted.error is None, mounted.error
base = f"http://127.0.0.1:{mounted.port}/_inspector"
headers = {"X-Inspector-Token": mounted.token}

def get(path):
    with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers), timeout=10) as r:
        return r.status, json.loads(r.read())

health = get("/health")
plugins = get("/plugins")[1]
hooks.session_started.emit(session_id="wheel-000001", metadata={"title": "from a wheel"})
hooks.session_finished.emit(session_id="wheel-000001", status="completed", error=None)
mounted.stop()
print(json.dumps({
    "health": health[0],
    "plugins": sorted(p["name"] for p in plugins["plugins"]),
    "failed": plugins["failed"],
    "trace_files": [p.name for p in tracefile.trace_parts(traces, "wheel-000001")],
}))
"""


def _uv() -> str:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH")
    return uv


def _wheels(out: Path, *packages: str) -> None:
    for package in packages:
        subprocess.run(
            [_uv(), "build", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT / "packages" / package)],
            check=True,
            cwd=ROOT,
            capture_output=True,
            timeout=300,
        )


def _install(venv: Path, wheels: Path, *requirements: str) -> None:
    """Install with uv from its cache (``--offline``); when the cache lacks an index page, ask the registry."""
    command = [
        _uv(),
        "pip",
        "install",
        "--quiet",
        "--python",
        str(venv / "bin" / "python"),
        "--find-links",
        str(wheels),
    ]
    result = subprocess.run(
        [*command, "--offline", *requirements], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0 and "network was disabled" in result.stderr:
        result = subprocess.run([*command, *requirements], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def _probe(venv: Path, traces: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INSPECTOR_", "VIRTUAL_ENV", "PYTHONPATH"))}
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", PROBE, str(traces)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=traces.parent,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.slow
def test_a_fresh_venv_with_hooks_and_gateway_serves_and_an_extra_adds_its_backends(tmp_path):
    if not (STATIC / ".vite" / "manifest.json").exists():
        pytest.fail("the UI is not built: run scripts/build-ui (scripts/test does) before the tests")
    wheels = tmp_path / "wheels"
    _wheels(wheels, "inspector-hooks", "inspector-gateway", "inspector-otel", "inspector-instrumentation")
    venv = tmp_path / "venv"
    subprocess.run(
        [_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, capture_output=True, timeout=120
    )
    _install(venv, wheels, "inspector-hooks", "inspector-gateway")
    bare = _probe(venv, tmp_path / "bare")
    assert bare["health"] == 200
    assert bare["plugins"] == ["inspector_gateway._builtin"]  # no backend installed: none loaded, none failed
    assert bare["failed"] == []
    assert bare["trace_files"] == []  # no exporter: no trace file

    _install(venv, wheels, "inspector-gateway[otel]")
    full = _probe(venv, tmp_path / "full")
    assert full["health"] == 200
    assert full["plugins"] == ["inspector_gateway._builtin", "instrumentation", "otel"]
    assert full["failed"] == []
    assert full["trace_files"] == ["wheel-000001.jsonl.gz"]
