"""Generated docs stay equal to the code they come from (regenerate with scripts/gen-docs)."""

from __future__ import annotations

from pathlib import Path

import gen_docs

ROOT = Path(__file__).resolve().parents[2]


def test_hooks_md_is_generated_from_the_catalogue():
    expected = gen_docs.render_hooks_md()
    actual = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/hooks.md is stale: run scripts/gen-docs"


def test_hooks_md_lists_every_hook_with_its_kwargs():
    from inspector_hooks.catalogue import CATALOGUE

    text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line for line in text.splitlines() if line.startswith("| `")}
    assert set(rows) == {spec.name for spec in CATALOGUE}
    for spec in CATALOGUE:
        for kwarg in spec.kwargs:
            assert f"`{kwarg}`" in rows[spec.name]


def test_the_browsers_label_rules_are_generated_from_inspector_hooks_labels():
    from inspector_hooks.labels import render_typescript

    actual = (ROOT / "ui" / "src" / "trace" / "labelRules.ts").read_text(encoding="utf-8")
    assert actual == render_typescript(), "ui/src/trace/labelRules.ts is stale: run scripts/gen-docs"
