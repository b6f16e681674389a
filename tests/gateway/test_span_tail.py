"""A live writer's locators a batch behind its part: a span the locators hold as started (or not at all) that has
ended in the part's newer bytes is answered whole, at once (the page does not need to ask again later)."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

import pytest
from gateway_support import Live, header, span

from inspector_gateway.sessions import _spans
from inspector_hooks import tracefile

SID = "live-tail-0001"
X, Y = span(1), span(2, prompt="p" * 500)


def _start(record: dict[str, object]) -> dict[str, object]:
    return {k: record[k] for k in tracefile.SPAN_START_FIELDS if k != "type"} | {"type": tracefile.SPAN_START}


def _lines(*records: dict[str, object]) -> bytes:
    return b"".join(json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in records)


def _write_live_part(traces_dir: Path, *, located: int) -> None:
    """Batch 1 (header, X started) ends with a full flush (an access point); batch 2 (X ended, Y) after it. The
    sidecars cover batch 1 only, as a live writer's do for a moment; ``located``: how many of batch 1's records
    the locators name (0: none yet, 1: X's start)."""
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    first = comp.compress(_lines(header(SID, "2026-01-01T00:00:00.000000Z"), _start(X))) + comp.flush(zlib.Z_FULL_FLUSH)
    second = comp.compress(_lines(X, Y)) + comp.flush(zlib.Z_SYNC_FLUSH)
    part = tracefile.part_path(traces_dir, SID, 0)
    part.write_bytes(first + second)
    (traces_dir / tracefile.SIDECARS_DIR).mkdir()
    skel = zlib.compressobj(1, zlib.DEFLATED, 31)
    tracefile.sidecar_path(traces_dir, SID, 0, tracefile.SKELETON_SUFFIX).write_bytes(
        skel.compress(b"") + skel.flush(zlib.Z_SYNC_FLUSH)
    )
    entries = tracefile.locator_entry(str(X["span_id"]), 0, start=True) if located else b""
    locators = entries + tracefile.covered_entry(len(first))
    tracefile.sidecar_path(traces_dir, SID, 0, tracefile.LOCATOR_SUFFIX).write_bytes(locators)
    os.utime(part)  # just written: the writer is live (its sidecars are a batch behind for a moment)


def test_an_ended_span_is_found_past_the_locators(live: Live, traces_dir: Path):
    _write_live_part(traces_dir, located=1)
    got = live.client.get(f"/trace/{SID}/span/{X['span_id']}")
    assert got.status_code == 200
    assert got.json() == X  # not its start
    got = live.client.get(f"/trace/{SID}/span/{Y['span_id']}")
    assert got.status_code == 200
    assert got.json() == Y  # not located at all yet
    batch = live.client.get(f"/trace/{SID}/spans", params={"ids": f"{X['span_id']},{Y['span_id']},{'f' * 16}"})
    assert batch.json() == {"spans": {X["span_id"]: X, Y["span_id"]: Y}, "missing": ["f" * 16]}
    assert live.gateway.skeletons.rebuilds == 0  # the writer's sidecars were taken as they are


def test_before_any_span_is_located_the_part_is_read_from_its_start(live: Live, traces_dir: Path):
    _write_live_part(traces_dir, located=0)
    for record in (X, Y):
        got = live.client.get(f"/trace/{SID}/span/{record['span_id']}")
        assert got.status_code == 200
        assert got.json() == record
    assert live.gateway.skeletons.rebuilds == 0


def test_a_writers_fresh_sidecars_are_not_rebuilt(live: Live, traces_dir: Path):
    """A writer opens its part and both sidecars (empty), then writes its first batch to the part before them: a
    reader in between must not replace the sidecars the writer holds open (it did: the reader then followed a
    rebuilt stream the writer never wrote to)."""
    _write_live_part(traces_dir, located=0)
    sidecars = [tracefile.sidecar_path(traces_dir, SID, 0, s) for s in (".skel.gz", ".loc")]
    for path in sidecars:
        path.write_bytes(b"")
    inodes = [path.stat().st_ino for path in sidecars]
    manifest = live.client.get(f"/trace/{SID}/skeleton")
    assert manifest.status_code == 200
    assert manifest.json()["parts"][0]["size"] == 0
    assert [path.stat().st_ino for path in sidecars] == inodes
    assert live.gateway.skeletons.rebuilds == 0


def test_a_big_part_is_not_read_from_its_start_for_its_tail(
    live: Live, traces_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    """Rebuilt locators (all at offset 0) of a part an old writer appends to: a span they miss is not looked for by
    reading the whole part on every request (here: the limit lowered below this small part's size)."""
    monkeypatch.setattr(_spans, "TAIL_FROM_START", 16)
    _write_live_part(traces_dir, located=0)
    assert live.client.get(f"/trace/{SID}/span/{Y['span_id']}").status_code == 404
