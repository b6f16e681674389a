"""Spans of parts the gateway rebuilt (issue 15): a 100k-span realistic part without its sidecars (as a v1 file,
or a v2 part whose sidecars were lost) has no access point but its start. Per span looked up:

* **from the start** (baseline, what the gateway did before): one inflate from offset 0 to the span (without
  ``read_record_at``'s 256 MiB text limit: with it, the spans past ~256 MiB of text were not found at all);
* **from checkpoints**: ``find_spans`` after the rebuild (decoder checkpoints every ~0.5 MiB kept in memory);
* **batch**: 256 spans spread over the part in one ``find_spans`` call (``GET /trace/{id}/spans``);
* **after a restart**: the one inflate-only scan a restarted gateway makes of rebuilt sidecars (informative).

Run alone: ``uv run pytest benchmarks/test_bench_rebuilt_spans.py --benchmark-enable --benchmark-only
--benchmark-json=.benchmarks/rebuilt.json`` then ``uv run python benchmarks/render_performance.py --update
.benchmarks/rebuilt.json docs/performance.md "<that command>"``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from real_traces import part_without_sidecars, real_trace

from inspector_gateway.sessions._skeletons import Skeletons
from inspector_gateway.sessions._spans import find_spans
from inspector_hooks import tracefile

GROUP = "rebuilt sidecars (v1 part, lost sidecars): one span's full record, 100k-span realistic part"
SPANS = int(os.environ.get("REBUILT_TRACE_SPANS", "100000"))


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> tuple[Path, str, list[str], Skeletons, float]:
    """The cached trace's part alone in a folder (hard link, never written), its sidecars rebuilt there."""
    folder, sid = real_trace(SPANS)
    bare = tmp_path_factory.mktemp("bare")
    part = part_without_sidecars(folder, sid, bare)
    locators = tracefile.sidecar_path(folder, sid, 0, tracefile.LOCATOR_SUFFIX).read_bytes()
    ids = [locators[i : i + 8].hex() for i in range(0, len(locators), 16) if locators[i : i + 8] != bytes(8)]
    skeletons = Skeletons(bare)
    t0 = time.perf_counter()
    assert skeletons.view(sid, 0, part) is not None
    return bare, sid, ids, skeletons, time.perf_counter() - t0


def _spread(ids: list[str], n: int) -> list[str]:
    return ids[:: max(1, len(ids) // n)][:n]


def test_span_rebuilt_from_start(benchmark, rebuilt):
    bare, sid, ids, _, _ = rebuilt
    part = tracefile.part_path(bare, sid, 0)
    wanted = _spread(ids, 20)

    def lookup() -> None:
        for span_id in wanted:
            assert tracefile.read_record_at(part, 0, span_id, tracefile.SPAN, limit=1 << 40) is not None

    benchmark.group = GROUP
    benchmark.extra_info.update(ops=len(wanted), baseline=None, target="baseline: inflate from the part's start")
    benchmark.pedantic(lookup, rounds=2, iterations=1)


def test_span_rebuilt_checkpoints(benchmark, rebuilt):
    bare, sid, ids, skeletons, rebuild_s = rebuilt
    parts = [(0, tracefile.part_path(bare, sid, 0))]
    wanted = _spread(ids, 20)

    def lookup() -> None:
        for span_id in wanted:
            assert span_id in find_spans(skeletons, sid, parts, [span_id])

    benchmark.group = GROUP
    benchmark.extra_info.update(
        ops=len(wanted),
        baseline="test_span_rebuilt_from_start",
        target="informative: from the nearest in-memory checkpoint (issue 15 residual)",
        rebuild_s=round(rebuild_s, 2),
        checkpoints=len(skeletons.indexes.get(parts[0][1]).decoders),  # type: ignore[union-attr]
    )
    benchmark.pedantic(lookup, rounds=5, iterations=1)
    assert skeletons.scans == 0


def test_spans_batch_rebuilt(benchmark, rebuilt):
    bare, sid, ids, skeletons, _ = rebuilt
    parts = [(0, tracefile.part_path(bare, sid, 0))]
    wanted = _spread(ids, 256)

    def lookup() -> None:
        assert len(find_spans(skeletons, sid, parts, wanted)) == len(wanted)

    benchmark.group = GROUP
    benchmark.extra_info.update(
        ops=len(wanted),
        baseline="test_span_rebuilt_from_start",
        target="informative: 256 spread spans in one GET /trace/{id}/spans",
    )
    benchmark.pedantic(lookup, rounds=3, iterations=1)


def test_span_rebuilt_restart_scan(benchmark, rebuilt):
    bare, sid, _, _, _ = rebuilt
    part = tracefile.part_path(bare, sid, 0)

    def scan() -> None:
        fresh = Skeletons(bare)  # a restarted gateway: the rebuilt sidecars are on disk, no checkpoints
        view = fresh.view(sid, 0, part)
        assert view is not None
        assert fresh.index(view) is not None
        assert fresh.scans == 1

    benchmark.group = GROUP
    benchmark.extra_info.update(
        baseline="test_span_rebuilt_from_start", target="informative: once per part after a restart"
    )
    benchmark.pedantic(scan, rounds=1, iterations=1)
