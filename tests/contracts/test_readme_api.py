"""The README's API table lists exactly the operations of docs/openapi.yaml, with their summaries."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
METHODS = {"get", "post", "put", "patch", "delete"}


def _readme_rows() -> set[tuple[str, str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- api-table:start -->", 1)[1].split("<!-- api-table:end -->", 1)[0]
    rows = set()
    for line in table.splitlines():
        match = re.match(r"\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| (.+) \|$", line.strip())
        if match:
            rows.add((match.group(1), match.group(2), match.group(3)))
    return rows


def test_readme_api_table_matches_openapi():
    spec = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
    expected = {
        (method.upper(), path, operation.get("summary", ""))
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
    }
    assert _readme_rows() == expected
