"""``ls`` and ``show``: sessions and the spans of one session, as tables or JSON."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click

from inspector_gateway.sessions import FileSession, load_prices
from inspector_hooks.labels import span_label

from ._durations import DurationType, format_duration, parse_time
from ._options import echo_json, json_option, resolve_dir, traces_dir_option
from ._store import Store, session_row

__all__ = ["ls_command", "show_command"]

STATUSES = ("running", "paused", "completed", "failed", "cancelled")


def _duration(start: str | None, end: str | None, *, running: bool = False) -> float | None:
    first = parse_time(start)
    last = parse_time(end) or (datetime.now(timezone.utc) if running else None)
    return (last - first).total_seconds() if first and last else None


def _when(value: str | None) -> str:
    parsed = parse_time(value)
    return parsed.strftime("%Y-%m-%d %H:%M:%S") if parsed else "-"


def _table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)] + [row[-1]]
        click.echo("  ".join(cells).rstrip())


@click.command("ls")
@traces_dir_option
@click.option("-s", "--status", "statuses", multiple=True, type=click.Choice(STATUSES), help="Only this status.")
@click.option("-e", "--engine", "engines", multiple=True, help="Only this engine (asyncio, temporal, mcp-inbound).")
@click.option("--since", type=DurationType(), default=None, help="Only sessions started within this time (e.g. 1d).")
@click.option("-t", "--title", default=None, help="Only titles containing this text (case-insensitive).")
@click.option("--parent", default=None, help="Only the children of this session.")
@click.option("--roots", is_flag=True, help="Only sessions without a parent.")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=None, help="At most this many (newest first).")
@json_option
def ls_command(
    traces_dir: Path | None,
    statuses: tuple[str, ...],
    engines: tuple[str, ...],
    since: timedelta | None,
    title: str | None,
    parent: str | None,
    roots: bool,
    limit: int | None,
    as_json: bool,
) -> None:
    """List the sessions of a traces directory, newest first."""
    store = Store(resolve_dir(traces_dir))
    cutoff = datetime.now(timezone.utc) - since if since is not None else None
    chosen: list[FileSession] = []
    for session in store.sessions():
        if statuses and session.status not in statuses:
            continue
        if engines and session.engine not in engines:
            continue
        if title and title.lower() not in (session.title or session.id).lower():
            continue
        if parent is not None and session.parent_session_id != parent:
            continue
        if roots and session.parent_session_id:
            continue
        started = parse_time(session.started_at)
        if cutoff is not None and (started is None or started < cutoff):
            continue
        chosen.append(session)
        if limit is not None and len(chosen) >= limit:
            break
    prices = load_prices()
    rows_json = [session_row(s, prices) for s in chosen]
    if as_json:
        echo_json({"traces_dir": str(store.traces_dir), "sessions": rows_json})
        return
    if not chosen:
        click.echo(f"no sessions in {store.traces_dir}", err=True)
        return
    rows = [["ID", "STATUS", "STARTED (UTC)", "DURATION", "SPANS", "TOKENS", "COST", "ENGINE", "TITLE"]]
    for s, row in zip(chosen, rows_json, strict=True):
        took = _duration(s.started_at, s.ended_at, running=s.status in ("running", "paused"))
        tokens, cost = _usage_cells(row.get("usage"))
        rows.append(
            [
                s.id,
                s.status,
                _when(s.started_at),
                format_duration(took),
                str(s.span_count),
                tokens,
                cost,
                s.engine,
                s.title or s.id,
            ]
        )
    _table(rows)


def _cost(value: float | None) -> str:
    """The UI's rule: unknown, $0, <$0.0001, four decimals under a dollar, else cents."""
    if value is None:
        return "unknown"
    if value == 0:
        return "$0"
    if value < 0.0001:
        return "<$0.0001"
    return f"${value:.4f}" if value < 1 else f"${value:.2f}"


def _usage_cells(usage: dict[str, Any] | None) -> tuple[str, str]:
    if not usage:
        return "-", "-"
    return str(usage["input_tokens"] + usage["output_tokens"]), _cost(usage["cost_usd"])


def _span_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ended spans, plus started ones that have not ended (``end_time`` null), in start order."""
    ended = {r.get("span_id"): r for r in records if r.get("type") == "span"}
    running = [
        {**r, "end_time": None, "status": {"code": "UNSET", "message": None}}
        for r in records
        if r.get("type") == "span_start" and r.get("span_id") not in ended
    ]
    return sorted([*ended.values(), *running], key=lambda r: str(r.get("start_time") or ""))


def _print_tree(spans: list[dict[str, Any]]) -> None:
    ids = {s.get("span_id") for s in spans}
    children: dict[Any, list[dict[str, Any]]] = {}
    for span in spans:
        parent = span.get("parent_span_id")
        children.setdefault(parent if parent in ids else None, []).append(span)

    def walk(parent: Any, depth: int) -> None:
        for span in children.get(parent, []):
            took = _duration(span.get("start_time"), span.get("end_time"))
            status = span.get("status") or {}
            mark = "" if span.get("end_time") else "  (running)"
            if status.get("code") == "ERROR":
                mark = f"  ERROR {status.get('message') or ''}".rstrip()
            name = str(span.get("name"))
            label = span_label(name, span.get("attributes"))
            shown = f"{name}  {label}" if label else name
            click.echo(f"{'  ' * depth}{shown}  {format_duration(took)}  [{span.get('span_id')}]{mark}")
            walk(span.get("span_id"), depth + 1)

    walk(None, 0)


@click.command("show")
@traces_dir_option
@click.argument("session_id", metavar="ID")
@json_option
def show_command(traces_dir: Path | None, session_id: str, as_json: bool) -> None:
    """Show one session: its summary and its span tree."""
    store = Store(resolve_dir(traces_dir))
    session = store.session(session_id)
    spans = _span_rows(list(store.records(session_id)))
    if as_json:
        echo_json({"session": session_row(session), "spans": spans})
        return
    took = _duration(session.started_at, session.ended_at, running=session.status in ("running", "paused"))
    click.echo(f"{session.id}  {session.status}  {session.engine}  {session.title or session.id}")
    click.echo(f"started {_when(session.started_at)} UTC  took {format_duration(took)}  spans {len(spans)}")
    if session.parent_session_id:
        click.echo(f"parent {session.parent_session_id}")
    if session.error:
        click.echo(f"error: {session.error}")
    if session.waiting:
        click.echo(f"waiting for signal {session.waiting.get('signal_name')!r}")
    usage = session_row(session).get("usage")
    if usage:
        click.echo(f"tokens {usage['input_tokens']} in, {usage['output_tokens']} out; cost {_cost(usage['cost_usd'])}")
        for model, m in usage["models"].items():
            counts = f"{m['calls']} call(s), {m['input_tokens']} in, {m['output_tokens']} out"
            click.echo(f"  {model}: {counts}, {_cost(m['cost_usd'])}")
    _print_tree(spans)
