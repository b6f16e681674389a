"""Fixtures of the search index tests: generated traces (100,000 spans, built once per test session)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "gateway"))

from search_support import BIG_SPANS, LAST_NEEDLE, Big
from trace_gen import generate_trace

from inspector_sqlite_index import SqliteSearchIndex


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Big]:
    """A trace of 100,000 spans (1-5 KB prompts and tool outputs), indexed once; the last span holds LAST_NEEDLE."""
    directory = tmp_path_factory.mktemp("big-traces")
    generate_trace(directory / "big-session-0001.jsonl.gz", BIG_SPANS, extra={BIG_SPANS - 1: f"the {LAST_NEEDLE}"})
    index = SqliteSearchIndex(directory, poll=0.2)
    index.start()
    assert index.indexer.wait_idle(600), index.indexer.progress
    yield Big(directory, index)
    index.close()
