"""The API token: set by ``INSPECTOR_TOKEN``, else stored per traces dir so links survive restarts (SPEC §6).

The stored token is ``{traces_dir}/.inspector-token``: created with ``O_EXCL`` and mode 0600 (two processes starting
together agree on the first one written), read only when it is a regular file (not a symlink) owned by this user
and readable by nobody else. Anything else is replaced by a fresh token. Where the directory cannot be written (a
read-only mount), the token lives for this start only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import time
from pathlib import Path

from ._private_file import read_private

__all__ = [
    "TOKEN_ENV",
    "TOKEN_FILE",
    "TOKEN_RE",
    "LiveToken",
    "resolve_token",
    "rotate_token",
    "stored_token",
    "token_source",
]

logger = logging.getLogger(__name__)

TOKEN_ENV = "INSPECTOR_TOKEN"
TOKEN_FILE = ".inspector-token"
#: what a token may look like: URL-safe (it travels in the UI link) and long enough not to be guessed
TOKEN_RE = re.compile(r"[A-Za-z0-9._~-]{16,256}")


def _read(path: Path) -> str | None:
    """The token in ``path`` when the file is safe to trust, else None."""
    data = read_private(path, 512)
    text = data.decode("ascii", "replace").strip() if data is not None else ""
    return text if TOKEN_RE.fullmatch(text) else None


def _create(path: Path) -> str | None:
    """Write a fresh token to ``path`` (which must not exist); None when another process won the race or the
    directory cannot be written."""
    token = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError:
        return None
    try:
        os.write(fd, token.encode("ascii") + b"\n")
    finally:
        os.close(fd)
    return token


def stored_token(traces_dir: Path, *, create: bool = True) -> str | None:
    """The token stored for ``traces_dir``; a new one is stored when there is none (or it is unsafe) and ``create``."""
    path = traces_dir / TOKEN_FILE
    token = _read(path)
    if token is not None or not create:
        return token
    with contextlib.suppress(OSError):
        traces_dir.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(path):  # unsafe (shared, foreign, a symlink) or unreadable: replace it
        with contextlib.suppress(OSError):
            os.unlink(path)
    return _create(path) or _read(path)


def resolve_token(traces_dir: Path, explicit: str | None = None) -> str:
    """``explicit``, else ``INSPECTOR_TOKEN``, else the token stored for ``traces_dir``, else one for this start."""
    return token_source(traces_dir, explicit)[0]


def token_source(traces_dir: Path, explicit: str | None = None) -> tuple[str, Path | None]:
    """``resolve_token``'s token, and the file it is stored in when it came from one (a running gateway follows
    that file: see ``LiveToken``)."""
    if explicit:
        return explicit, None
    env = os.environ.get(TOKEN_ENV, "").strip()
    if env:
        if TOKEN_RE.fullmatch(env):
            return env, None
        logger.warning("%s is ignored: it must be 16-256 characters of A-Z a-z 0-9 . _ ~ -", TOKEN_ENV)
    token = stored_token(traces_dir)
    if token is None:
        logger.debug("cannot store the inspector token in %s; this start has its own", traces_dir)
        return secrets.token_hex(32), None
    return token, traces_dir / TOKEN_FILE


class LiveToken:
    """The token a running gateway accepts. Fixed when it was given (``mount(token=)``, ``INSPECTOR_TOKEN``);
    when it is the one stored for the traces dir, that file is followed: a token stored later (``mcp-agent-inspector
    token --rotate``, or another process on the same dir) is accepted from then on, and the old one no longer, with
    no restart. The file is looked at (one ``stat``) at most every ``interval`` seconds; a missing or unsafe file
    keeps the last good token."""

    def __init__(self, token: str, stored_in: Path | None = None, *, interval: float = 1.0) -> None:
        self._token = token
        self._path = stored_in
        self._interval = interval
        self._next_look = 0.0
        self._seen: tuple[int, int, int] | None = self._stat()

    def _stat(self) -> tuple[int, int, int] | None:
        if self._path is None:
            return None
        try:
            st = os.stat(self._path, follow_symlinks=False)
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def current(self) -> str:
        """The token accepted now."""
        if self._path is None:
            return self._token
        now = time.monotonic()
        if now < self._next_look:
            return self._token
        self._next_look = now + self._interval
        seen = self._stat()
        if seen is not None and seen != self._seen:
            found = _read(self._path)
            if found is not None:
                self._seen = seen
                if found != self._token:
                    logger.debug("the token stored in %s changed; links with the old one stop working", self._path)
                    self._token = found
        return self._token


def rotate_token(traces_dir: Path) -> str | None:
    """Store a new token for ``traces_dir`` (links and cookies made with the old one stop working); None when the
    directory cannot be written. ``INSPECTOR_TOKEN``, when set, still wins over the stored token."""
    with contextlib.suppress(FileNotFoundError):
        (traces_dir / TOKEN_FILE).unlink()
    return stored_token(traces_dir)
