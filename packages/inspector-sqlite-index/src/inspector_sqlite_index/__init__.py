"""Ranked SQLite FTS5 search over the trace files of mcp-agent-inspector: a gateway plugin.

Usage::

    pip install "inspector-gateway[search]"   # the gateway finds the plugin through its entry point

    from inspector_sqlite_index import SqliteSearchIndex   # or by hand, e.g. in a script:
    index = SqliteSearchIndex(Path("~/.mcp_traces").expanduser())
    index.start()                                           # builds/follows the index in a background thread
"""

from typing import Any

from ._indexer import Progress
from ._store import INDEX_NAME
from .index import SqliteSearchIndex

__all__ = [
    # constants
    "INDEX_NAME",
    # types
    "Progress",
    "SqliteSearchIndex",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("inspector-sqlite-index")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
