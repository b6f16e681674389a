"""``serve``, ``url`` and ``token``: the UI over a traces directory, with no agent process, and its link."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import webbrowser
from pathlib import Path
from types import FrameType

import click

from inspector_gateway import DEFAULT_PORT, MOUNT_PATH, create_gateway, resolve_settings, serve
from inspector_gateway.security import TOKEN_ENV, resolve_token, rotate_token, served_address

from ._options import echo_json, json_option, resolve_dir, traces_dir_option

__all__ = ["serve_command", "token_command", "url_command"]


def _ui_url(origin: str, token: str, session_id: str | None = None, span_id: str | None = None) -> str:
    url = f"{origin}{MOUNT_PATH}/ui/?token={token}"
    if session_id:
        url += f"#/session/{session_id}" + (f"/span/{span_id}" if span_id else "")
    return url


def _env_port() -> int:
    raw = os.environ.get("INSPECTOR_PORT", "").strip()
    return int(raw) if raw.isdigit() else DEFAULT_PORT


@click.command("serve")
@click.argument("directory", metavar="[DIR]", required=False, type=click.Path(file_okay=False, path_type=Path))
@traces_dir_option
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port (0 = any free one). [default: $INSPECTOR_PORT or 7800]",
)
@click.option("--expose", is_flag=True, help="Listen on every interface, not only 127.0.0.1 (the token still applies).")
@click.option("--open", "open_browser", is_flag=True, help="Open the UI in the default browser.")
@json_option
def serve_command(
    directory: Path | None, traces_dir: Path | None, port: int | None, expose: bool, open_browser: bool, as_json: bool
) -> None:
    """Serve the UI over a traces directory (default: $MCP_TRACES_DIR or ~/.mcp_traces) until Ctrl-C.

    The same gateway and the same checks as mount(): loopback only unless --expose, Host and Origin checks, and the
    token of this directory (stored in DIR/.inspector-token, readable by you only; $INSPECTOR_TOKEN sets it), so a
    link made by an agent's mount() on the same directory opens here too. $INSPECTOR_ALLOWED_HOSTS and
    $INSPECTOR_READ_ONLY work as they do for mount(). With --json, one line {"url", "port", "traces_dir"} is printed
    once the server listens.
    """
    folder = resolve_dir(directory or traces_dir)
    if not folder.is_dir():
        raise click.ClickException(f"{folder} is not a directory")
    settings = resolve_settings(traces_dir=folder, expose=expose, port=_env_port() if port is None else port)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):  # before the URL is printed: a caller may stop us right after
        signal.signal(sig, on_signal)
    gateway, app = create_gateway(settings)
    mounted = serve(gateway, app)
    url = mounted.url or ""
    if as_json:
        click.echo(json.dumps({"url": url, "port": mounted.port, "traces_dir": str(folder)}))
    else:
        click.echo(f"mcp-agent-inspector serving {folder}\n  {url}\n(Ctrl-C stops it)")
    if open_browser:
        webbrowser.open(url)
    with contextlib.suppress(KeyboardInterrupt):
        while not stop.wait(0.5):
            pass
    mounted.stop()
    gateway.live.unsubscribe()


@click.command("url")
@traces_dir_option
@click.argument("session_id", metavar="[ID]", required=False)
@click.option("--span", "span_id", default=None, help="Link to this span of the session.")
@click.option(
    "-p",
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Link to this port. [default: where a running inspector serves the dir, else $INSPECTOR_PORT or 7800]",
)
@click.option("--open", "open_browser", is_flag=True, help="Open it in the default browser.")
def url_command(
    traces_dir: Path | None, session_id: str | None, span_id: str | None, port: int | None, open_browser: bool
) -> None:
    """Print the UI link (with this directory's token) of the inspector serving it, optionally to a session/span.

    The address is the one a running inspector (mount() or serve) recorded in DIR/.inspector-address, whatever port
    it got. When none is running, the link assumes $INSPECTOR_PORT or 7800 and a note on stderr says so.
    """
    folder = resolve_dir(traces_dir)
    if port is not None:
        origin = f"http://127.0.0.1:{port}"
    elif (served := served_address(folder)) is not None:
        origin = served.origin
    else:
        fallback = _env_port()
        origin = f"http://127.0.0.1:{fallback}"
        click.echo(f"no inspector is running on {folder}; this link assumes port {fallback}", err=True)
    url = _ui_url(origin, resolve_token(folder), session_id, span_id)
    click.echo(url)
    if open_browser:
        webbrowser.open(url)


@click.command("token")
@traces_dir_option
@click.option("--rotate", is_flag=True, help="Replace it with a new one (every open link stops working).")
@json_option
def token_command(traces_dir: Path | None, rotate: bool, as_json: bool) -> None:
    """Print the API token of a traces directory ($INSPECTOR_TOKEN when set), for curl or scripts."""
    folder = resolve_dir(traces_dir)
    if rotate:
        if os.environ.get(TOKEN_ENV):
            raise click.ClickException(f"{TOKEN_ENV} is set: change it there")
        if rotate_token(folder) is None:
            raise click.ClickException(f"cannot store a new token in {folder}")
    token = resolve_token(folder)
    if as_json:
        echo_json({"token": token, "header": "X-Inspector-Token"})
    else:
        click.echo(token)
