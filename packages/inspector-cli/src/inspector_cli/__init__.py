"""The ``mcp-agent-inspector`` command line: serve, list, show, export and prune trace files.

Usage::

    $ mcp-agent-inspector serve ~/.mcp_traces
    $ mcp-agent-inspector ls --json

or from Python: ``inspector_cli.main(["ls", "--json"])``.
"""

from typing import Any

from ._cli import cli, main

__all__ = ["cli", "main"]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from ._cli import cli_version

        return cli_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
