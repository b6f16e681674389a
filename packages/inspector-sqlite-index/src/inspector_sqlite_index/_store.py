"""The index database: where it lives, opening it, checking it, and starting it afresh.

``{traces_dir}/.inspector-index.sqlite3`` (WAL mode, so searches read while the indexer writes). A file that is
not a database, fails ``PRAGMA quick_check``, or has another schema version is deleted and rebuilt: it holds
nothing the trace files do not.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sqlite3
from importlib.resources import files
from pathlib import Path

__all__ = ["BUMP_WRITES", "INDEX_NAME", "RANK_SQL", "SCHEMA_VERSION", "index_path", "open_checked", "remove_index"]

logger = logging.getLogger(__name__)

INDEX_NAME = ".inspector-index.sqlite3"
SCHEMA_VERSION = "3"
#: a match in the span name weighs four times one in the attribute text; facets and a lifecycle span's name nothing
_WEIGHTS = "4.0, 1.0, 0.0, 0.0"
_RANK = f"bm25({_WEIGHTS})"  # the table's ``rank`` (for a reader of the file; searches order by RANK_SQL)
#: a search's rank expression: bm25 called directly costs ~40 % less per match than the configured ``rank`` column
RANK_SQL = f"bm25(spans_text, {_WEIGHTS})"
#: run in every indexer transaction: the index state that cached counts belong to (``_counts.py``)
BUMP_WRITES = (
    "INSERT INTO meta VALUES ('writes', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
)


def index_path(traces_dir: Path) -> Path:
    return traces_dir / INDEX_NAME


def remove_index(path: Path) -> None:
    """Delete the database and its WAL/shared-memory files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _schema() -> str:
    return files("inspector_sqlite_index").joinpath("schema.sql").read_text(encoding="utf-8")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    # no fsync: the index is rebuilt from the files if a crash of the machine ever damages it (quick_check)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-65536")
    return conn


def _usable(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None or row[0] != SCHEMA_VERSION:
        return False
    check = conn.execute("PRAGMA quick_check(1)").fetchone()
    return check is not None and check[0] == "ok"


def open_checked(path: Path) -> tuple[sqlite3.Connection, bool]:
    """Open the index for writing; a missing, corrupt or outdated one is replaced by an empty one.

    Returns the connection and whether the index was (re)created.
    """
    if path.exists():
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(path)
            if _usable(conn):
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('instance', ?)", (secrets.token_hex(8),))
                return conn, False
            logger.debug("search index %s is outdated or damaged: rebuilding", path)
        except sqlite3.DatabaseError as exc:
            logger.debug("search index %s cannot be read (%s): rebuilding", path, exc)
        if conn is not None:
            conn.close()
        remove_index(path)
    conn = _connect(path)
    conn.executescript(_schema())
    conn.execute("INSERT INTO spans_text(spans_text, rank) VALUES ('rank', ?)", (_RANK,))
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('instance', ?)", (secrets.token_hex(8),))
    return conn, True
