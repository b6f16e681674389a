"""inspector-hooks declares no requirements and imports nothing outside the standard library."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import distribution

PROBE = """
import json, sys
before = set(sys.modules)
import inspector_hooks, inspector_hooks.testing, inspector_hooks.hooks, inspector_hooks.context
import inspector_hooks.tracefile
loaded = sorted(set(sys.modules) - before)
print(json.dumps(loaded))
"""


def test_distribution_declares_no_requirements():
    assert distribution("inspector-hooks").requires in (None, [])


def test_import_loads_only_the_standard_library():
    result = subprocess.run(
        [sys.executable, "-I", "-c", PROBE],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": ":".join(sys.path)},
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    outside = [
        name
        for name in loaded
        if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] != "inspector_hooks"
    ]
    assert outside == []
    assert "inspector_hooks" in loaded
