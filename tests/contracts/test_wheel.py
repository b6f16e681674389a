"""The gateway wheel ships the built UI: manifest, index.html and the JS assets (static/ is built, not committed)."""

from __future__ import annotations

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
