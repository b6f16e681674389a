"""``export``: one session as OTLP/JSON (for Jaeger, Phoenix, any OTLP tool) or as its raw JSONL records."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO, Any

import click

from inspector_gateway.sessions import to_otlp

from ._options import resolve_dir, traces_dir_option
from ._store import Store

__all__ = ["export_command"]

_SPAN_PREFIX = b'{"type":"span",'


def _progress(total: int, show: bool) -> AbstractContextManager[Any]:
    if not show:
        return nullcontext(None)
    return click.progressbar(length=max(total, 1), label="exporting spans", file=sys.stderr)


def _counted(lines: Iterator[bytes], bar: Any) -> Iterator[bytes]:
    for line in lines:
        if bar is not None and line.startswith(_SPAN_PREFIX):
            bar.update(1)
        yield line


@click.command("export")
@traces_dir_option
@click.argument("session_id", metavar="ID")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["otlp", "jsonl"]),
    default="otlp",
    show_default=True,
    help="otlp: OTLP/JSON (ExportTraceServiceRequest); jsonl: the trace file's records, uncompressed.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="Write here instead of standard output.",
)
def export_command(traces_dir: Path | None, session_id: str, fmt: str, output: Path | None) -> None:
    """Export one session (rotated parts joined; a live session as far as it is written).

    \b
    Open the OTLP file in Jaeger or Phoenix, or post it to any OTLP/HTTP endpoint:
      curl -H 'Content-Type: application/json' --data-binary @run.otlp.json http://localhost:4318/v1/traces
    """
    store = Store(resolve_dir(traces_dir))
    session = store.session(session_id)
    to_file = output is not None and str(output) != "-"
    sink: IO[bytes]
    with _progress(session.span_count, to_file and sys.stderr.isatty()) as bar:
        lines = _counted(store.lines(session_id), bar)
        with open(output, "wb") if to_file and output is not None else nullcontext(sys.stdout.buffer) as sink:
            if fmt == "otlp":
                sink.write(json.dumps(to_otlp(lines), ensure_ascii=False).encode("utf-8") + b"\n")
            else:
                for line in lines:
                    sink.write(line + b"\n")
            sink.flush()
    if to_file:
        click.echo(f"wrote {session.id} ({fmt}, {session.span_count} spans) to {output}", err=True)
