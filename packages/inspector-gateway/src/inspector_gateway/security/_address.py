"""Where a running gateway serves a traces dir, so ``mcp-agent-inspector url`` links to it (not to a guessed 7800).

A gateway that listens on a port (``mount()`` standalone, ``mcp-agent-inspector serve``) writes
``{traces_dir}/.inspector-address``: one JSON line ``{"host", "port", "pid"}``, written to a fresh 0600 file then
renamed over the old one (a reader never sees half of it). The writer holds an exclusive ``flock`` on that file while
it serves, and removes it when it stops; the kernel drops the lock however the process ends (SIGKILL, a crash), so a
reader that can take the lock knows the record is stale. Where ``flock`` does not exist (Windows) the record is
trusted as long as it is there. Two gateways on one dir: the last one started is recorded; the first one stopping
leaves the other's record alone. The file is read under the same rules as the token (a regular file, not a symlink,
owned by this user and readable by nobody else).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ._private_file import read_private

try:
    import fcntl

    _FLOCK = True
except ImportError:  # Windows: no flock; a record is trusted while it exists
    _FLOCK = False

__all__ = ["ADDRESS_FILE", "AddressRecord", "ServedAddress", "record_address", "served_address"]

logger = logging.getLogger(__name__)

ADDRESS_FILE = ".inspector-address"
_MAX_BYTES = 4096


@dataclass(frozen=True)
class ServedAddress:
    """A live gateway's listening address for a traces dir: ``host`` (as a browser on this machine reaches it),
    ``port``, and the serving process's ``pid``."""

    host: str
    port: int
    pid: int

    @property
    def origin(self) -> str:
        """``http://host:port`` (an IPv6 host in brackets)."""
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        return f"http://{host}:{self.port}"


class AddressRecord:
    """This process's record in a traces dir; ``remove()`` when the gateway stops (idempotent, never raises)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def remove(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            mine = os.fstat(fd)
            with contextlib.suppress(OSError):
                now = os.stat(self.path, follow_symlinks=False)
                if (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):  # not replaced by a later gateway
                    os.unlink(self.path)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                os.close(fd)


def record_address(traces_dir: Path, host: str, port: int) -> AddressRecord | None:
    """Record that this process serves ``traces_dir`` at ``host:port``; None when it cannot be written (a read-only
    dir: ``url`` then falls back to its default port). Never raises."""
    path = traces_dir / ADDRESS_FILE
    temp = traces_dir / f"{ADDRESS_FILE}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    line = json.dumps({"host": host, "port": port, "pid": os.getpid()}) + "\n"
    try:
        traces_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        logger.debug("cannot record the inspector's address in %s: %s", traces_dir, exc)
        return None
    held: int | None = None
    try:
        os.write(fd, line.encode("utf-8"))
        # The record is held open read-only: a file open to write would keep its filesystem from being remounted
        # read-only while this serves. The lock is taken before the rename, so a reader never sees it unlocked.
        held = os.open(temp, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        if _FLOCK:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(temp, path)
    except OSError as exc:
        logger.debug("cannot record the inspector's address in %s: %s", traces_dir, exc)
        if held is not None:
            os.close(held)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        return None
    finally:
        os.close(fd)
    return AddressRecord(path, held)


def _held(fd: int) -> bool:
    """True unless the record's lock is free (its writer has ended)."""
    if not _FLOCK:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:  # flock unsupported on this file system: cannot tell
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)
    return False


def served_address(traces_dir: Path) -> ServedAddress | None:
    """Where a live gateway serves ``traces_dir``; None when none is recorded, the record is stale (its process has
    ended) or it is unsafe to trust. Never raises."""
    raw = read_private(traces_dir / ADDRESS_FILE, _MAX_BYTES, also=_held)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    host, port, pid = data.get("host"), data.get("port"), data.get("pid")
    if not isinstance(host, str) or not 0 < len(host) <= 255:
        return None
    if type(port) is not int or not 0 < port < 65536 or type(pid) is not int:
        return None
    return ServedAddress(host=host, port=port, pid=pid)
