"""Resolved settings of one mount: arguments > environment > defaults."""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .security._token import token_source

__all__ = ["DEFAULT_PORT", "MOUNT_PATH", "InspectorSettings", "default_traces_dir", "env_flag", "resolve_settings"]

DEFAULT_PORT = 7800
MOUNT_PATH = "/_inspector"
#: finished sessions the live registry keeps by default (running and paused ones are always kept)
KEEP_FINISHED = 1000


def env_flag(name: str, default: bool) -> bool:
    """Read a boolean environment variable (``1/true/yes/on`` or ``0/false/no/off``)."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def default_traces_dir() -> Path:
    """``MCP_TRACES_DIR`` or ``~/.mcp_traces``."""
    raw = os.environ.get("MCP_TRACES_DIR")
    return Path(raw).expanduser() if raw else Path.home() / ".mcp_traces"


@dataclass(frozen=True)
class InspectorSettings:
    """Everything the gateway needs to know about one mount.

    :param traces_dir: where ``{session_id}.jsonl.gz`` files live.
    :param token: the API token (``resolve_settings`` takes ``INSPECTOR_TOKEN`` or the one stored for the traces dir;
        constructed directly, a random one for this start).
    :param read_only: when true the control endpoints (``/signal``, ``/cancel``) answer 403.
    :param allowed_hosts: extra ``Host`` names accepted besides the loopback names.
    :param token_file: the file the token was read from (the traces dir's stored token): a running gateway follows
        it, so a token stored later (``mcp-agent-inspector token --rotate``, another process) replaces this one.
    :param keep_finished_sessions: finished sessions the live registry keeps in memory (``INSPECTOR_KEEP_FINISHED``;
        older ones are still listed from their files).
    """

    traces_dir: Path
    token: str = field(default_factory=lambda: secrets.token_hex(32))
    token_file: Path | None = None
    mount_path: str = MOUNT_PATH
    read_only: bool = False
    expose: bool = False
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    allowed_hosts: tuple[str, ...] = ()
    debug: bool = False
    enable_patch: bool = True
    max_sse_clients: int = 100
    ring_size: int = 1000
    client_queue_size: int = 1000
    heartbeat_interval: float = 2.0
    max_body_bytes: int = 1024 * 1024
    keep_finished_sessions: int = KEEP_FINISHED


def resolve_settings(
    *,
    traces_dir: str | os.PathLike[str] | None = None,
    expose: bool = False,
    port: int = DEFAULT_PORT,
    token: str | None = None,
    read_only: bool | None = None,
) -> InspectorSettings:
    """Build settings from the arguments of ``mount()`` and the ``INSPECTOR_*`` / ``MCP_TRACES_DIR`` variables."""
    env_port = os.environ.get("INSPECTOR_PORT", "").strip()
    if env_port:
        with contextlib.suppress(ValueError):
            port = int(env_port)
    keep = os.environ.get("INSPECTOR_KEEP_FINISHED", "").strip()
    keep_finished = int(keep) if keep.isdigit() and int(keep) > 0 else KEEP_FINISHED
    hosts = tuple(h.strip().lower() for h in os.environ.get("INSPECTOR_ALLOWED_HOSTS", "").split(",") if h.strip())
    path = Path(traces_dir).expanduser() if traces_dir is not None else default_traces_dir()
    resolved_token, token_file = token_source(path, token)
    return InspectorSettings(
        traces_dir=path,
        token=resolved_token,
        token_file=token_file,
        read_only=env_flag("INSPECTOR_READ_ONLY", False) if read_only is None else read_only,
        expose=expose,
        host="0.0.0.0" if expose else "127.0.0.1",
        port=port,
        allowed_hosts=hosts,
        debug=env_flag("INSPECTOR_DEBUG", False),
        enable_patch=env_flag("INSPECTOR_ENABLE_PATCH", True),
        keep_finished_sessions=keep_finished,
    )
