"""``benchmarks/render_performance.py --update``: one benchmark file's groups rewritten in docs/performance.md, the
rest of the file (another run's rows) kept byte for byte."""

from __future__ import annotations

import render_performance as render


def _bench(name, group, median, **extra):
    return {"name": name, "group": group, "stats": {"median": median}, "extra_info": extra}


def test_update_replaces_only_the_measured_groups_and_adds_new_ones_before_the_ui_section():
    full = {
        "datetime": "2026-01-01",
        "benchmarks": [
            _bench("a_base", "group a", 1.0, baseline=None),
            _bench("a_with", "group a", 2.0, baseline="a_base"),
            _bench("b_only", "group b", 3.0),
        ],
    }
    ui = {"median": {"load_ms": 5.0}, "goals": {}, "spans": 10, "trace_gzip_bytes": 1000}
    doc, _ = render.render(full, ui, "scripts/bench")
    assert render.update(doc, {"benchmarks": []}, "x")[0] == doc  # nothing measured: unchanged

    part = {
        "datetime": "2026-02-02",
        "benchmarks": [
            _bench("a_base", "group a", 1.0, baseline=None),
            _bench("a_with", "group a", 4.0, baseline="a_base"),
            _bench("c_new", "group c", 7.0),
        ],
    }
    updated, failures = render.update(doc, part, "uv run pytest benchmarks/test_x.py")
    assert failures == []
    heads = [head for head, _ in render._sections(updated)][1:]
    assert heads == ["## group a", "## group b", "## group c", "## UI: browser timings (benchmarks/ui_timing.py)"]
    sections = dict(render._sections(updated))
    assert "4.0000 × `a_base`" in sections["## group a"]
    assert "_Measured on its own by `uv run pytest benchmarks/test_x.py` on 2026-02-02" in sections["## group a"]
    assert sections["## group b"] == dict(render._sections(doc))["## group b"]  # another run's rows, kept
    assert updated.startswith(doc.split("\n## ")[0])  # the header (command, date, machine) is the full run's


def test_update_drops_stale_rows_elsewhere_and_keeps_missed_targets_true():
    full = {
        "datetime": "2026-01-01",
        "benchmarks": [
            _bench("q", None, 9e-9, max_ns=5.0, target="under 5"),  # ungrouped: "other", missed
            _bench("keep", None, 1e-9),
            _bench("slow", "group s", 9e-9, max_ns=5.0, target="under 5"),
        ],
    }
    doc, failures = render.render(full, None, "scripts/bench")
    assert [f.split(":")[0] for f in failures] == ["q", "slow"]
    part = {"datetime": "2026-02-02", "benchmarks": [_bench("q", "group q", 1e-9, max_ns=5.0, target="under 5")]}
    updated, failures = render.update(doc, part, "x")
    assert failures == []
    sections = dict(render._sections(updated))
    assert "`q`" not in sections["## other"]  # its stale row is gone, the other row of that group stays
    assert "`keep`" in sections["## other"]
    assert "`q`" in sections["## group q"]
    missed = sections["## Missed targets"]
    assert "- slow:" in missed
    assert "- q:" not in missed
    cleared, _ = render.update(updated, {"benchmarks": [_bench("slow", "group s", 1e-9, max_ns=5.0)]}, "x")
    assert "## Missed targets" not in cleared
