"""Write docs/performance.md from a pytest-benchmark JSON file, and fail when a target is missed.

Conventions read from each benchmark's ``extra_info`` (see benchmarks/test_bench_*.py):
``ops`` operations per benchmarked call (default 1); ``net_baseline`` a benchmark in the same run whose per-op time
(an empty loop) is subtracted to give "net"; ``baseline`` the benchmark the ratio is taken against (net / net);
``max_ratio`` and ``max_ns`` the targets; ``target`` the target in words; ``interleaved_ratio`` the median of
paired (this / baseline) calls made back to back, which ``max_ratio`` is checked against when present (the ratio of
two medians taken minutes apart is shown beside it). Any other numeric extra_info is shown.
Browser timings from benchmarks/ui_timing.json (written by benchmarks/ui_timing.py) are appended when present.
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path
from typing import Any

KNOWN_KEYS = {"ops", "net_baseline", "baseline", "max_ratio", "max_ns", "target", "interleaved_ratio"}


def _per_op_ns(bench: dict[str, Any]) -> float:
    ops = bench.get("extra_info", {}).get("ops", 1) or 1
    return float(bench["stats"]["median"]) * 1e9 / ops


def _fmt(value: float) -> str:
    if value >= 1e6:
        return f"{value / 1e6:,.2f} ms"
    if value >= 1e4:
        return f"{value / 1e3:,.1f} µs"
    return f"{value:,.0f} ns"


def render(data: dict[str, Any], ui_timing: dict[str, Any] | None, command: str) -> tuple[str, list[str]]:
    benches = {b["name"]: b for b in data["benchmarks"]}
    per_op = {name: _per_op_ns(b) for name, b in benches.items()}

    def net(name: str) -> float:
        base = benches[name].get("extra_info", {}).get("net_baseline")
        return max(per_op[name] - per_op.get(base, 0.0), 0.0)

    machine = data.get("machine_info", {})
    cpu = machine.get("cpu", {}).get("brand_raw", platform.processor() or "unknown cpu")
    lines = [
        "# Performance",
        "",
        "<!-- Written by scripts/bench (benchmarks/render_performance.py); do not edit by hand. -->",
        "",
        f"Command: `{command}`  ",
        f"Date: {data.get('datetime', 'unknown')}  ",
        f"Machine: {cpu}, {machine.get('cpu', {}).get('count', '?')} cores, "
        f"{machine.get('python_implementation', 'Python')} {machine.get('python_version', '')} "
        f"({machine.get('system', '')} {machine.get('release', '')})",
        "",
        "Medians. `net` subtracts the same run's empty-loop benchmark (`net_baseline`); ratios compare net values",
        "against the named baseline measured in the same run, so they hold across noisy machines. Where a benchmark",
        "alternates its calls with its baseline's (each timed call right after one of the other), the *paired* ratio",
        "(median of the adjacent pairs' ratios) is shown too and is what the target is checked against: two medians",
        "taken minutes apart on a shared 2-core machine differ by more than the effects measured here.",
        "",
    ]
    failures: list[str] = []
    groups: dict[str, list[str]] = {}
    for name, bench in benches.items():
        groups.setdefault(bench.get("group") or "other", []).append(name)
    for group, names in groups.items():
        lines += [
            f"## {group}",
            "",
            "| benchmark | median | net | vs baseline | target | result | other |",
            "|---|---|---|---|---|---|---|",
        ]
        for name in names:
            info = benches[name].get("extra_info", {})
            baseline = info.get("baseline")
            ratio = None
            if baseline in per_op and net(baseline) > 0:
                ratio = net(name) / net(baseline)
            verdicts = []
            if "max_ns" in info:
                verdicts.append(net(name) <= float(info["max_ns"]))
            paired = info.get("interleaved_ratio")
            checked = float(paired) if paired is not None else ratio
            if "max_ratio" in info:
                verdicts.append(checked is not None and checked <= float(info["max_ratio"]))
            result = "—" if not verdicts else ("pass" if all(verdicts) else "**FAIL**")
            if verdicts and not all(verdicts):
                failures.append(f"{name}: net {_fmt(net(name))}, ratio {checked}, target {info.get('target', '')}")
            ratio_text = (
                f"{ratio:.4f} × `{baseline}`" if ratio is not None else ("baseline" if baseline is None else "—")
            )
            if paired is not None and baseline is not None:
                ratio_text += f"; paired {float(paired):.4f}"
            other = ", ".join(f"{k}={v}" for k, v in info.items() if k not in KNOWN_KEYS)
            lines.append(
                f"| `{name}` | {_fmt(per_op[name])} | {_fmt(net(name))} | {ratio_text} | {info.get('target', '')} "
                f"| {result} | {other} |"
            )
        lines.append("")
    if ui_timing:
        lines += _render_ui(ui_timing)
    if failures:
        lines += ["## Missed targets", ""] + [f"- {f}" for f in failures] + [""]
    return "\n".join(lines), failures


def _render_ui(ui: dict[str, Any]) -> list[str]:
    """The browser timings of benchmarks/ui_timing.json: medians over its runs, against its goals."""
    median: dict[str, Any] = ui.get("median", {})
    goals: dict[str, Any] = ui.get("goals", {})
    lines = [
        "## UI: browser timings (benchmarks/ui_timing.py)",
        "",
        f"Command: `{ui.get('command', 'uv run python benchmarks/ui_timing.py')}`  ",
        f"Measured: {ui.get('measured_at', '?')}, median of {ui.get('runs', '?')} runs, "
        f"{ui.get('spans', '?'):,} spans ({ui.get('trace_gzip_bytes', 0) / 1e6:.1f} MB gzip), "
        f"load average before {ui.get('machine', {}).get('load_average_before', [0.0])[0]:.2f}  ",
        f"{ui.get('notes', '')}",
        "",
        "| measure | median | goal | result |",
        "|---|---|---|---|",
    ]
    for key, value in median.items():
        goal = goals.get(key)
        shown = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        result = "—" if goal is None else ("pass" if value <= goal else "**miss**")
        lines.append(f"| {key} | {shown} | {'' if goal is None else goal} | {result} |")
    total = median.get("js_heap_used_mb", 0) + median.get("worker_js_heap_used_mb", 0)
    lines += [f"| page + worker JS heap (MB) | {total:,.1f} | 100 | {'pass' if total <= 100 else '**miss**'} |", ""]
    return lines


def main(argv: list[str]) -> int:
    source, target = Path(argv[1]), Path(argv[2])
    data = json.loads(source.read_text(encoding="utf-8"))
    ui_path = Path(__file__).with_name("ui_timing.json")
    ui_timing = json.loads(ui_path.read_text(encoding="utf-8")) if ui_path.exists() else None
    text, failures = render(data, ui_timing, command="scripts/bench")
    target.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
    for failure in failures:
        sys.stderr.write(f"target missed: {failure}\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
