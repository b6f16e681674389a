"""Write docs/performance.md from a pytest-benchmark JSON file, and fail when a target is missed.

Conventions read from each benchmark's ``extra_info`` (see benchmarks/test_bench_*.py):
``ops`` operations per benchmarked call (default 1); ``net_baseline`` a benchmark in the same run whose per-op time
(an empty loop) is subtracted to give "net"; ``baseline`` the benchmark the ratio is taken against (net / net);
``max_ratio`` and ``max_ns`` the targets; ``target`` the target in words; ``interleaved_ratio`` the median of
paired (this / baseline) calls made back to back, which ``max_ratio`` is checked against when present (the ratio of
two medians taken minutes apart is shown beside it). Any other numeric extra_info is shown.
Browser timings from benchmarks/ui_timing.json (written by benchmarks/ui_timing.py) are appended when present.

``render_performance.py --update PART.json docs/performance.md "COMMAND"`` rewrites only the sections of the groups
measured in PART.json (one benchmark file run on its own, by COMMAND), each marked with its own command and date,
and keeps the rest of the file as ``scripts/bench`` last wrote it.
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


UI_HEADING = "## UI: browser timings (benchmarks/ui_timing.py)"

#: the measures shown, in order: (key in a trace's median, words, format)
_UI_ROWS = (
    ("first_rows_ms", "first rows (ms)", "{:,.0f}"),
    ("navigable_ms", "all spans navigable (ms)", "{:,.0f}"),
    ("floor_ms", "floor: download + gunzip (ms)", "{:,.0f}"),
    ("floor_ratio", "navigable / floor", "{:.2f}"),
    ("worker_load_ms", "worker's own load (ms)", "{:,.0f}"),
    ("worker_bytes_received", "bytes the worker received", "{:,.0f}"),
    ("heap_mb", "page + worker JS heap and array buffers (MB)", "{:,.1f}"),
    ("page_heap_mb", "page JS heap and array buffers (MB)", "{:,.1f}"),
    ("worker_heap_mb", "worker JS heap and array buffers (MB)", "{:,.1f}"),
    ("scroll_fps", "scrolling (fps)", "{:.1f}"),
    ("scroll_frame_p95_ms", "scroll frame p95 (ms)", "{:.1f}"),
    ("main_thread_longest_task_ms", "longest main-thread task (ms)", "{:,.0f}"),
)


def _cell(value: Any, fmt: str, goal: Any, key: str) -> str:
    if not isinstance(value, (int, float)):
        return "—"
    text = fmt.format(value)
    if goal is None:
        return text
    ok = value >= goal if key == "scroll_fps" else value <= goal
    return f"{text} ({'≥' if key == 'scroll_fps' else '<'} {goal:g}: {'pass' if ok else '**miss**'})"


def _render_ui(ui: dict[str, Any]) -> list[str]:
    """The browser timings of benchmarks/ui_timing.json: per trace, medians over its runs, against the goals."""
    traces: dict[str, Any] = ui.get("traces", {})
    machine = ui.get("machine", {})
    lines = [
        UI_HEADING,
        "",
        f"Command: `{ui.get('command', 'uv run python benchmarks/ui_timing.py')}`  ",
        f"Measured: {ui.get('measured_at', '?')}, median of {ui.get('runs', '?')} runs (a fresh browser each), "
        f"{machine.get('cpus', '?')} cores, load average before {machine.get('load_average_before', [0.0])[0]:.2f}, "
        f"after {machine.get('load_average_after', [0.0])[0]:.2f}",
        "",
        "`light` is the fixture of earlier measurements (~40 bytes of gzip a span, a v1 file); the others are",
        "mcp-agent-shaped (benchmarks/real_traces.py, ~3 KB of attributes a span). Floor: the same browser downloading",
        "and gunzipping the same file (a plain static server, DecompressionStream), the cost of the naive design.",
        "A load average above the core count means other work shared the CPU: the times are then upper bounds.",
        "",
    ]
    if not traces:
        return [*lines, "No trace was measured.", ""]
    names = list(traces)
    lines += [
        "| measure | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
        "| spans | " + " | ".join(f"{traces[n].get('spans', 0):,}" for n in names) + " |",
        "| trace gzip (MB) | " + " | ".join(f"{traces[n].get('gzip_bytes', 0) / 1e6:,.1f}" for n in names) + " |",
        "| skeleton gzip (MB) | "
        + " | ".join(f"{traces[n].get('skeleton_gzip_bytes', 0) / 1e6:,.1f}" for n in names)
        + " |",
        "| first skeleton request (ms; builds a v1 file's sidecars) | "
        + " | ".join(f"{traces[n].get('first_skeleton_request_ms', 0):,.0f}" for n in names)
        + " |",
    ]
    for key, words, fmt in _UI_ROWS:
        cells = [
            _cell(traces[n].get("median", {}).get(key), fmt, traces[n].get("goals", {}).get(key), key) for n in names
        ]
        lines.append(f"| {words} | " + " | ".join(cells) + " |")
    lines.append("")
    live = ui.get("live")
    if live:
        lines += [
            f"Live tail: a session growing at {live.get('rate_spans_per_s', 0):,} spans/s, open in the page for "
            f"{live.get('seconds_open', 0):.0f} s (from {live.get('spans_written_when_opened', 0):,} to "
            f"{live.get('spans_written_at_end', 0):,} spans written; "
            f"{live.get('spans_shown_at_end', 0):,} shown at the end).",
            "",
            "| measure | value |",
            "|---|---|",
            f"| bytes the worker received | {live.get('worker_bytes_received', 0):,.0f} |",
            f"| skeleton gzip at the end | {live.get('skeleton_gzip_bytes_at_end', 0):,} |",
            f"| trace gzip at the end | {live.get('trace_gzip_bytes_at_end', 0):,} |",
            f"| received / skeleton bytes | {live.get('received_per_skeleton_byte', 0):.2f} |",
            f"| received / trace bytes | {live.get('received_per_trace_byte', 0):.3f} |",
            f"| page main thread busy share | {live.get('page_main_thread_busy_share', 0):.2f} |",
            "",
        ]
    return lines


def replace_ui_section(doc: str, ui: dict[str, Any]) -> str:
    """`doc` (docs/performance.md) with its UI section rewritten from `ui` (appended when it has none)."""
    section = "\n".join(_render_ui(ui))
    start = doc.find(UI_HEADING)
    if start < 0:
        return doc.rstrip("\n") + "\n\n" + section + "\n"
    end = doc.find("\n## ", start + len(UI_HEADING))
    rest = doc[end + 1 :] if end >= 0 else ""
    return doc[:start] + section + ("\n" + rest if rest else "\n")


def _sections(text: str) -> list[tuple[str, str]]:
    """(heading line, section text) of each ``## `` section, in order, after ("", the text before the first):
    ``"\\n".join`` of the texts gives ``text`` back."""
    first, *rest = ("\n" + text).split("\n## ")
    return [("", first[1:])] + [("## " + chunk.split("\n", 1)[0], "## " + chunk) for chunk in rest]


def update(doc: str, data: dict[str, Any], command: str) -> tuple[str, list[str]]:
    """``doc`` with the sections of the groups in ``data`` replaced (or added before the UI/missed-target sections)."""
    fresh, failures = render(data, None, command)
    measured = f"_Measured on its own by `{command}` on {data.get('datetime', 'unknown')}, not by `scripts/bench`._"
    new = {
        head: body.replace("\n\n", f"\n\n{measured}\n\n", 1)
        for head, body in _sections(fresh)[1:]
        if head != "## Missed targets"
    }
    names = {b["name"] for b in data.get("benchmarks", [])}
    out: list[str] = []
    missed: list[str] = []
    for head, body in _sections(doc):
        if head == "## Missed targets":  # rebuilt below: other runs' misses kept, this run's replaced
            missed = [line for line in body.splitlines()[1:] if line.startswith("- ") and _named(line) not in names]
            continue
        if head in new:
            body = new.pop(head)
        elif head:
            body = _without_rows(body, names)  # a measured benchmark's stale row in another group (e.g. "other")
            if body is None:
                continue
        if new and head.startswith("## UI:"):
            out += list(new.values())
            new.clear()
        out.append(body)
    out += list(new.values())
    missed += [f"- {f}" for f in failures]
    if missed:
        out.append("\n".join(["## Missed targets", "", *missed, ""]))
    return "\n".join(out), failures


def _named(missed_line: str) -> str:
    """The benchmark a ``- name: ...`` line of the missed targets is about."""
    return missed_line[2:].split(":", 1)[0]


def _without_rows(body: str, names: set[str]) -> str | None:
    """``body`` without the table rows of ``names``; None when its table is left with no row."""
    lines = body.split("\n")
    kept = [line for line in lines if not (line.startswith("| `") and line[3:].split("`", 1)[0] in names)]
    if len(kept) == len(lines):
        return body
    return "\n".join(kept) if any(line.startswith("| `") for line in kept) else None


def main(argv: list[str]) -> int:
    if argv[1] == "--update":
        part, target, command = Path(argv[2]), Path(argv[3]), argv[4]
        text, failures = update(
            target.read_text(encoding="utf-8"), json.loads(part.read_text(encoding="utf-8")), command
        )
        target.write_text(text, encoding="utf-8")
        sys.stdout.write(f"updated {target}\n")
        for failure in failures:
            sys.stderr.write(f"target missed: {failure}\n")
        return 1 if failures else 0
    ui_path = Path(__file__).with_name("ui_timing.json")
    ui_timing = json.loads(ui_path.read_text(encoding="utf-8")) if ui_path.exists() else None
    if argv[1] == "--ui-only":  # only the UI section, from benchmarks/ui_timing.json (benchmarks/ui_timing.py)
        target = Path(argv[2])
        if ui_timing is not None:
            target.write_text(replace_ui_section(target.read_text(encoding="utf-8"), ui_timing), encoding="utf-8")
            sys.stdout.write(f"wrote the UI section of {target}\n")
        return 0
    source, target = Path(argv[1]), Path(argv[2])
    data = json.loads(source.read_text(encoding="utf-8"))
    text, failures = render(data, ui_timing, command="scripts/bench")
    target.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
    for failure in failures:
        sys.stderr.write(f"target missed: {failure}\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
