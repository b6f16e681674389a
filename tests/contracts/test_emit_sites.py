"""Every emit site in the packages passes only kwargs the hook catalogue lists (``kwargs`` or ``extra``).

The sites are read from the source (AST), not run: ``hooks.<name>.emit(...)``/``.aemit(...)``, a module-level alias
of a hook (``x = inspector_hooks.hook(NAME)`` or ``x = hooks.<name>``), and an emitter handed to a call
(``call_in_loop(hooks.<name>.emit, path=...)``). A ``**mapping`` must be a dict literal assigned in the same
function; anything the test cannot read fails it, so no site escapes the catalogue.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from inspector_hooks.catalogue import HOOKS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for p in (ROOT / "packages").glob("*/src/**/*.py") if p.name != "_bus.py")


class _Site:
    def __init__(self, path: Path, line: int, hook: str | None, kwargs: set[str], unreadable: str | None) -> None:
        self.where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}:{line}"
        self.hook, self.kwargs, self.unreadable = hook, kwargs, unreadable


def _module_strings(tree: ast.Module) -> dict[str, str]:
    return {
        t.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for t in node.targets
        if isinstance(t, ast.Name)
    }


def _hook_of(expr: ast.expr, aliases: dict[str, str], strings: dict[str, str]) -> str | None:
    """The hook name an expression denotes: ``hooks.x``, ``inspector_hooks.hook("x")``/``hook(NAME)``, an alias."""
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "hooks":
        return expr.attr
    if (
        isinstance(expr, ast.Call)
        and expr.args
        and (
            (isinstance(expr.func, ast.Attribute) and expr.func.attr == "hook")
            or (isinstance(expr.func, ast.Name) and expr.func.id == "hook")
        )
    ):
        arg = expr.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
        if isinstance(arg, ast.Name):
            return strings.get(arg.id)
    if isinstance(expr, ast.Name):
        return aliases.get(expr.id)
    return None


def _dict_literal_keys(function: ast.AST | None, name: str) -> set[str] | None:
    if function is None:
        return None
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Dict)
            and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.value.keys)
        ):
            return {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
    return None


def _sites(paths: list[Path]) -> list[_Site]:
    sites: list[_Site] = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        strings = _module_strings(tree)
        aliases: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign):
                found = _hook_of(node.value, {}, strings)
                for t in node.targets:
                    if found and isinstance(t, ast.Name):
                        aliases[t.id] = found
        parents: dict[ast.AST, ast.AST] = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}

        def function_of(node: ast.AST, parents: dict[ast.AST, ast.AST] = parents) -> ast.AST | None:
            while node in parents:
                node = parents[node]
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    return node
            return None

        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            emitter: ast.expr | None = None
            if isinstance(node.func, ast.Attribute) and node.func.attr in {"emit", "aemit"}:
                emitter = node.func.value
            else:  # an emitter handed to a helper with the kwargs: helper(hooks.x.emit, k=v)
                for arg in node.args:
                    if isinstance(arg, ast.Attribute) and arg.attr in {"emit", "aemit"}:
                        emitter = arg.value
            if emitter is None:
                continue
            hook = _hook_of(emitter, aliases, strings)
            kwargs: set[str] = set()
            unreadable = None if hook else f"cannot tell which hook {ast.unparse(emitter)!r} is"
            for kw in node.keywords:
                if kw.arg is not None:
                    kwargs.add(kw.arg)
                    continue
                keys = _dict_literal_keys(function_of(node), kw.value.id) if isinstance(kw.value, ast.Name) else None
                if keys is None:
                    unreadable = f"**{ast.unparse(kw.value)} is not a dict literal of this function"
                else:
                    kwargs |= keys
            sites.append(_Site(path, node.lineno, hook, kwargs, unreadable))
    return sites


SITES = _sites(SOURCES)


def test_the_emit_sites_are_found():
    hooks = {site.hook for site in SITES}
    assert len(SITES) > 40
    assert {"before_tool_call", "after_rpc_response", "storage_error", "tool_resolved", "progress_update"} <= hooks


def _problem(site: _Site) -> str | None:
    if site.unreadable is not None:
        return f"{site.where}: {site.unreadable}"
    spec = HOOKS.get(site.hook or "")
    if spec is None:
        return f"{site.where}: hook {site.hook!r} is not in the catalogue"
    unknown = site.kwargs - set(spec.kwargs) - set(spec.extra)
    if unknown:
        return f"{site.where}: {site.hook} is emitted with {sorted(unknown)}, which the catalogue lacks"
    return None


@pytest.mark.parametrize("site", SITES, ids=[s.where for s in SITES])
def test_every_emit_site_passes_only_catalogue_kwargs(site):
    assert _problem(site) is None


BAD_SITES = """
import inspector_hooks
from inspector_hooks import hooks

NAME = "tool_resolved"
resolved = inspector_hooks.hook(NAME)


async def f(emitter):
    await hooks.session_paused.aemit(session_id="s", schema={}, mood=1)
    extra = {"server_name": "x", "colour": "red"}
    hooks.before_tool_call.emit(tool_name="t", **extra)
    await resolved.aemit(tool_name="t", speed=2)
    call_in_loop(hooks.storage_error.emit, path="p", volume=3)
    hooks.after_tool_call.emit(**make())
    emitter.emit(x=1)
    hooks.no_such_hook.emit()
    hooks.session_paused.emit(session_id="s", schema={}, prompt="fine")
"""


def test_the_check_catches_what_the_catalogue_lacks(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text(BAD_SITES, encoding="utf-8")
    problems = [_problem(site) for site in sorted(_sites([path]), key=lambda site: int(site.where.split(":")[-1]))]
    assert problems[-1] is None  # the one good site
    assert [p.split(": ", 1)[1] if p else None for p in problems[:-1]] == [
        "session_paused is emitted with ['mood'], which the catalogue lacks",
        "before_tool_call is emitted with ['colour'], which the catalogue lacks",
        "tool_resolved is emitted with ['speed'], which the catalogue lacks",
        "storage_error is emitted with ['volume'], which the catalogue lacks",
        "**make() is not a dict literal of this function",
        "cannot tell which hook 'emitter' is",
        "hook 'no_such_hook' is not in the catalogue",
    ]
