"""``prune``: delete the trace files of sessions that ended longer ago than the retention (the seed's
``retention_days``, 7 by default; ``INSPECTOR_RETENTION_DAYS`` changes the default)."""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext, suppress
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click

from inspector_gateway.sessions import FileSession
from inspector_hooks import tracefile

from ._durations import DurationType
from ._options import echo_json, json_option, resolve_dir, traces_dir_option
from ._store import Store, ended_at

__all__ = ["prune_command"]

_UNFINISHED = ("running", "paused")


def _default_retention() -> str:
    raw = os.environ.get("INSPECTOR_RETENTION_DAYS", "").strip()
    return f"{raw}d" if raw.isdigit() and int(raw) > 0 else "7d"


def _remove(store: Store, session: FileSession) -> int:
    freed = 0
    for part in store.parts(session.id):
        try:
            size = part.stat().st_size
            part.unlink()
        except FileNotFoundError:
            continue
        freed += size
        parsed = tracefile.parse_part_name(part.name)
        for sidecar in tracefile.sidecar_paths(store.traces_dir, session.id, parsed[1]) if parsed else ():
            with suppress(OSError):  # rebuildable data: whatever is left is rebuilt (or never read) later
                freed += sidecar.stat().st_size
                sidecar.unlink()
    return freed


@click.command("prune")
@traces_dir_option
@click.option(
    "--older-than",
    type=DurationType(),
    default=_default_retention,
    show_default="7d, or $INSPECTOR_RETENTION_DAYS days",
    help="Delete sessions that ended longer ago than this (30m, 12h, 7d, 2w).",
)
@click.option("-n", "--dry-run", is_flag=True, help="Only say what would be deleted.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
def prune_command(traces_dir: Path | None, older_than: timedelta, dry_run: bool, yes: bool, as_json: bool) -> None:
    """Delete the trace files of finished sessions older than the retention.

    Running and paused sessions are never deleted, however old; a session whose process died without ending it
    counts as ended at its files' last write.
    """
    store = Store(resolve_dir(traces_dir))
    cutoff = datetime.now(timezone.utc) - older_than
    doomed = [s for s in store.sessions() if s.status not in _UNFINISHED and ended_at(s) < cutoff]
    if not dry_run and doomed and not yes and not as_json:
        click.confirm(f"delete {len(doomed)} session(s) that ended before {cutoff:%Y-%m-%d %H:%M} UTC?", abort=True)
    freed = 0
    if not dry_run:
        bar = click.progressbar(doomed, label="pruning", file=sys.stderr) if sys.stderr.isatty() else None
        with bar if bar is not None else nullcontext(doomed) as items:
            for session in items:
                freed += _remove(store, session)
    if as_json:
        echo_json({"dry_run": dry_run, "deleted": [s.id for s in doomed], "freed_bytes": freed})
        return
    verb = "would delete" if dry_run else "deleted"
    for session in doomed:
        click.echo(f"{verb} {session.id}  {session.status}  ended {ended_at(session):%Y-%m-%d %H:%M}")
    click.echo(f"{verb} {len(doomed)} session(s)" + ("" if dry_run else f", {freed / 1e6:.1f} MB freed"), err=True)
