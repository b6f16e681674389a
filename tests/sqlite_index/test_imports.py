"""The index plugin uses only the public names of the packages it builds on (no ``_private`` module or name)."""

from __future__ import annotations

import ast
from pathlib import Path

import inspector_sqlite_index

SOURCES = Path(inspector_sqlite_index.__file__).parent


def _foreign_private_imports(source: str) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules, names = [node.module], [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            modules, names = [alias.name for alias in node.names], []
        else:
            continue
        for module in modules:
            top = module.split(".")[0]
            if not top.startswith("inspector_") or top == "inspector_sqlite_index":  # the project's other packages
                continue
            private = [part for part in module.split(".") if part.startswith("_")]
            private += [name for name in names if name.startswith("_")]
            if private:
                found.append(f"{module}: {', '.join(private)}")
    return found


def test_the_check_finds_a_private_import() -> None:
    assert _foreign_private_imports("from inspector_gateway.search._filescan import FileScanSearch")
    assert _foreign_private_imports("from inspector_gateway import _state")
    assert not _foreign_private_imports("from inspector_gateway.search import parse_query")


def test_no_private_import_of_another_package() -> None:
    found = {
        path.name: bad
        for path in sorted(SOURCES.glob("*.py"))
        if (bad := _foreign_private_imports(path.read_text(encoding="utf-8")))
    }
    assert found == {}
