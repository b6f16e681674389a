"""Reading the small files a gateway keeps for its traces dir (the token, the served address) under one rule: a
regular file, not behind a symlink, owned by this user and readable by nobody else; anything else is not trusted."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

__all__ = ["read_private"]


def read_private(path: Path, max_bytes: int, *, also: Callable[[int], bool] | None = None) -> bytes | None:
    """The first ``max_bytes`` of ``path`` when the file is safe to trust (and ``also(fd)``, when given, says yes on
    its open descriptor), else None. Never raises."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077:
            return None
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None
        if also is not None and not also(fd):
            return None
        return os.read(fd, max_bytes)
    except OSError:
        return None
    finally:
        os.close(fd)
