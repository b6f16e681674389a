"""A real small filesystem for the fault tests: a tmpfs of a given size mounted on a temporary folder (needs root
or CAP_SYS_ADMIN; ``small_filesystem`` returns None where the machine does not allow it)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def remount(where: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(where)], check=True, capture_output=True)


def unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the filesystem of ``folder`` to the last byte; return the filler file (delete it to free the space)."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (1 << 16, 4096, 512, 1):
            block = b"\0" * size
            while True:
                try:
                    if os.write(fd, block) < size:
                        break
                except OSError:
                    break
    finally:
        os.close(fd)
    return filler
