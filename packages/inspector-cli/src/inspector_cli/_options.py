"""Options shared by every command."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from inspector_gateway import default_traces_dir

__all__ = ["echo_json", "json_option", "traces_dir_option"]

F = TypeVar("F", bound=Callable[..., Any])


def traces_dir_option(func: F) -> F:
    """``-d/--traces-dir`` (``MCP_TRACES_DIR``, default ``~/.mcp_traces``)."""
    return click.option(
        "-d",
        "--traces-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Directory of the trace files. [default: $MCP_TRACES_DIR or ~/.mcp_traces]",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")(func)


def resolve_dir(traces_dir: Path | None) -> Path:
    return (traces_dir or default_traces_dir()).expanduser()


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))
