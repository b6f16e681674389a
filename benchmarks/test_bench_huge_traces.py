"""Trace format v2 (issue 15) on mcp-agent-shaped traces (``real_traces.py``): what the exporter pays for access
points and sidecars, and what the gateway gains (listing and span lookup without decompressing whole parts).

* **exporter batch step, v2 vs v1**: the writer's batch step (``TraceWriter._process``: records, msgspec, ISA-L
  gzip, write) on the same 500 spans with the v2 access points and sidecars and without them (v1), calls paired
  back to back; twice: on realistic spans (~3 KB of attributes) and on light ones (every attribute short, so the
  skeleton is as big as the record: v2's worst case).
* **GET /sessions cold over 1M spans**: a fresh ``TraceDirectory`` listing the cached 1M-span trace (v2: its
  summary and the bytes after it) against the same part without sidecars (a v1 listing decompresses it whole).
* **span on demand over 1M spans**: the ``/trace/{id}/span/{span_id}`` lookup (current sidecar, locator search,
  one inflate from an access point) for 20 spans spread over the part, against the same v1 full decompression.

Run alone: ``uv run pytest benchmarks/test_bench_huge_traces.py --benchmark-enable --benchmark-only
--benchmark-json=.benchmarks/huge.json`` then ``uv run python benchmarks/render_performance.py --update
.benchmarks/huge.json docs/performance.md "<that command>"``. The 1M trace is made once (minutes) and cached
under .benchmarks/.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from real_traces import part_without_sidecars, real_trace, span_fields_of, write_trace

from inspector_gateway.sessions import TraceDirectory
from inspector_gateway.sessions._skeletons import Skeletons
from inspector_hooks import tracefile
from inspector_otel._writer import SPAN, TraceWriter

BATCH = 500
ROUNDS = 60
WRITER_GROUP = "trace format v2: exporter batch step per span, v2 (access points + sidecars) vs v1"
LIST_GROUP = "trace format v2: first GET /sessions listing over a 1M-span realistic trace"
SPAN_GROUP = "trace format v2: one span's full record on demand, 1M-span realistic trace"
HUGE = int(os.environ.get("HUGE_TRACE_SPANS", "1000000"))
PAIRS: dict[str, list[tuple[float, float]]] = {}


def _light(fields: tuple[Any, ...]) -> tuple[Any, ...]:
    short = {k: (v[:60] if isinstance(v, str) else v) for k, v in fields[9].items()}
    return (*fields[:9], short, *fields[10:])


def _batches(light: bool) -> list[list[tuple[Any, ...]]]:
    spans = list(span_fields_of("bench-v2-0001", BATCH * 4))
    if light:
        spans = [_light(f) for f in spans]
    return [spans[i : i + BATCH] for i in range(0, len(spans), BATCH)]


class _Writers:
    """A v2 and a v1 writer (their threads idle: the batch step is called here), each timed call of one right after
    a call of the other (see test_bench_exporter._Pair)."""

    def __init__(self, tmp_path: Path, light: bool) -> None:
        self.v2 = TraceWriter(tmp_path / "v2", max_bytes=1 << 40, max_open=4, sidecars=True)
        self.v1 = TraceWriter(tmp_path / "v1", max_bytes=1 << 40, max_open=4, sidecars=False)
        self.batches = _batches(light)
        self.n = 0

    def _step(self, writer: TraceWriter) -> Callable[[], None]:
        def run() -> None:
            batch = self.batches[self.n % len(self.batches)]
            writer._process([(SPAN, "bench-v2-0001", fields) for fields in batch], force_ends=False)

        return run

    def bench(self, benchmark: Any, mine: TraceWriter, other: TraceWriter) -> list[tuple[float, float]]:
        others: list[float] = []
        timed, untimed = self._step(mine), self._step(other)

        def setup() -> None:
            self.n += 1
            untimed()
            started = time.perf_counter()
            untimed()
            others.append(time.perf_counter() - started)
            timed()

        benchmark.pedantic(timed, setup=setup, rounds=ROUNDS, iterations=1, warmup_rounds=2)
        if benchmark.disabled:
            return []
        return list(zip(benchmark.stats.stats.data, others[-ROUNDS:], strict=True))

    def close(self) -> None:
        self.v2.stop()
        self.v1.stop()


@pytest.mark.parametrize("shape", ["realistic", "light"])
def test_writer_batch_v1(benchmark, tmp_path, shape):
    writers = _Writers(tmp_path, shape == "light")
    try:
        benchmark.group = f"{WRITER_GROUP} ({shape} spans)"
        benchmark.extra_info.update(
            ops=BATCH, baseline=None, target="baseline: format v1 (no access points, no sidecars)"
        )
        pairs = writers.bench(benchmark, writers.v1, writers.v2)
        PAIRS.setdefault(shape, []).extend((v2, v1) for v1, v2 in pairs)
    finally:
        writers.close()


@pytest.mark.parametrize("shape", ["realistic", "light"])
def test_writer_batch_v2(benchmark, tmp_path, shape):
    writers = _Writers(tmp_path, shape == "light")
    try:
        benchmark.group = f"{WRITER_GROUP} ({shape} spans)"
        benchmark.extra_info.update(
            ops=BATCH,
            baseline=f"test_writer_batch_v1[{shape}]",
            target="informative: what v2's access points, skeleton, locators and summary add to the writer thread",
        )
        pairs = writers.bench(benchmark, writers.v2, writers.v1)
        PAIRS.setdefault(shape, []).extend(pairs)
        if PAIRS[shape]:
            benchmark.extra_info["interleaved_ratio"] = round(statistics.median(a / b for a, b in PAIRS[shape]), 4)
            benchmark.extra_info["pairs"] = len(PAIRS[shape])
        sizes = {v: sum(p.stat().st_size for p in (tmp_path / v).rglob("*.gz")) for v in ("v1", "v2")}
        part = tracefile.part_path(tmp_path / "v2", "bench-v2-0001", 0).stat().st_size
        benchmark.extra_info["part_bytes_v2_over_v1"] = round(part / sizes["v1"], 4)
        benchmark.extra_info["skeleton_bytes_over_part"] = round((sizes["v2"] - part) / part, 4)
    finally:
        writers.close()


@pytest.fixture(scope="module")
def huge(tmp_path_factory) -> tuple[Path, Path, str]:
    """The cached 1M-span trace, and a folder holding the same part (a hard link) without its sidecars."""
    folder, sid = real_trace(HUGE)
    bare = tmp_path_factory.mktemp("bare")
    part_without_sidecars(folder, sid, bare)
    return folder, bare, sid


def _listing(folder: Path) -> Callable[[], Any]:
    def run() -> Any:
        [session] = TraceDirectory(folder).sessions()
        assert session.span_count == HUGE
        return session

    return run


def test_sessions_cold_v1(benchmark, huge):
    _, bare, _ = huge
    benchmark.group = LIST_GROUP
    benchmark.extra_info.update(baseline=None, target="baseline: the same part without sidecars (decompressed whole)")
    benchmark.pedantic(_listing(bare), rounds=1, iterations=1)


def test_sessions_cold_v2(benchmark, huge):
    folder, _, sid = huge
    benchmark.group = LIST_GROUP
    benchmark.extra_info.update(
        baseline="test_sessions_cold_v1",
        max_ns=200e6,
        target="under 200 ms (issue 15): the part's summary, no full decompression",
        part_mb=round(tracefile.part_path(folder, sid, 0).stat().st_size / 1e6, 1),
    )
    benchmark.pedantic(_listing(folder), rounds=10, iterations=1)


def test_span_on_demand_v2(benchmark, huge):
    folder, _, sid = huge
    part = tracefile.part_path(folder, sid, 0)
    locators = tracefile.sidecar_path(folder, sid, 0, tracefile.LOCATOR_SUFFIX).read_bytes()
    ids = [locators[i : i + 8].hex() for i in range(0, len(locators), 16) if locators[i : i + 8] != bytes(8)]
    wanted = ids[:: max(1, len(ids) // 20)][:20]
    skeletons = Skeletons(folder)

    def lookup() -> None:
        for span_id in wanted:
            view = skeletons.view(sid, 0, part)
            assert view is not None
            located = tracefile.find_locator(view.locators, span_id)
            assert located is not None
            assert tracefile.read_record_at(part, located[0], span_id, tracefile.SPAN) is not None

    benchmark.group = SPAN_GROUP
    benchmark.extra_info.update(
        ops=len(wanted),
        baseline="test_sessions_cold_v1",
        target="informative: a span's attributes when it is shown, against decompressing the part (the v1 floor)",
    )
    benchmark.pedantic(lookup, rounds=5, iterations=1)
    assert skeletons.rebuilds == 0


AP_GROUP = "trace format v2: access point distance, part size against span lookup (20k realistic spans)"


@pytest.fixture(scope="module")
def v1_size(tmp_path_factory) -> int:
    folder = tmp_path_factory.mktemp("ap-v1")
    return int(write_trace(folder, 20_000, session_id="ap-000001", sidecars=False).stat().st_size)


@pytest.mark.parametrize("distance_kib", [64, 256, 1024])
def test_access_point_distance(benchmark, tmp_path, monkeypatch, v1_size, distance_kib):
    from inspector_otel import _files

    monkeypatch.setattr(_files, "ACCESS_POINT_BYTES", distance_kib * 1024)
    part = write_trace(tmp_path, 20_000, session_id="ap-000001")
    locators = tracefile.sidecar_path(tmp_path, "ap-000001", 0, tracefile.LOCATOR_SUFFIX).read_bytes()
    ids = [locators[i : i + 8].hex() for i in range(0, len(locators), 16) if locators[i : i + 8] != bytes(8)]
    wanted = ids[:: len(ids) // 50][:50]
    located = [(span_id, tracefile.find_locator(locators, span_id)) for span_id in wanted]

    def lookup() -> None:
        for span_id, found in located:
            assert found is not None
            assert tracefile.read_record_at(part, found[0], span_id, tracefile.SPAN) is not None

    benchmark.group = AP_GROUP
    benchmark.extra_info.update(
        ops=len(located),
        baseline=None if distance_kib == 256 else "test_access_point_distance[256]",
        target="informative: 256 KiB is the format's ACCESS_POINT_BYTES" if distance_kib == 256 else "informative",
        part_bytes_over_v1=round(part.stat().st_size / v1_size, 4),
    )
    benchmark.pedantic(lookup, rounds=5, iterations=1)
