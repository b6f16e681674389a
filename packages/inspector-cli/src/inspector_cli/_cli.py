"""The ``mcp-agent-inspector`` command group."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

import click

from ._export import export_command
from ._listing import ls_command, show_command
from ._prune import prune_command
from ._serve import serve_command, token_command, url_command

__all__ = ["cli", "cli_version", "main"]


def cli_version() -> str:
    try:
        return version("inspector-cli")
    except PackageNotFoundError:
        return "0.0.0"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(cli_version(), "-V", "--version", prog_name="mcp-agent-inspector")
def cli() -> None:
    """Look at mcp-agent-inspector trace files without an agent process.

    Every command reads the traces directory given by -d/--traces-dir, else $MCP_TRACES_DIR, else ~/.mcp_traces.
    Exit status: 0 done, 1 failed (unknown session, not a directory...), 2 bad usage.
    """


for _command in (serve_command, ls_command, show_command, export_command, prune_command, url_command, token_command):
    cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="mcp-agent-inspector")
