"""Helpers of the search index tests (imported by name: conftest.py puts this folder on sys.path)."""

from __future__ import annotations

from pathlib import Path

from inspector_sqlite_index import SqliteSearchIndex

BIG_SPANS = 100_000
LAST_NEEDLE = "quokkaberry"


class Big:
    def __init__(self, directory: Path, index: SqliteSearchIndex) -> None:
        self.directory = directory
        self.index = index
        self.trace = directory / "big-session-0001.jsonl.gz"


def wait_indexed(index: SqliteSearchIndex, timeout: float = 30.0) -> None:
    assert index.indexer.wait_idle(timeout), index.indexer.progress
