"""The installed backends: found through the entry-point group ``mcp_agent_inspector.plugins``, started in order.

A backend (the instrumentation of mcp-agent, the OTel subscribers and trace-file exporter, Temporal...) is a
distribution that declares an entry point in the group, whose target module holds a ``BACKEND`` (a ``Backend``).
Installing a distribution (for example through the gateway's extras, ``pip install "inspector-gateway[otel]"``)
is what chooses it; nothing names a backend by module path. Usage::

    import inspector_hooks

    report = inspector_hooks.backends.install(traces_dir="/tmp/traces")   # every installed backend, once
    for record in report:
        print(record.name, record.distribution, record.error)              # error: why it did not start
    inspector_hooks.backends.uninstall()                                   # stop them, newest first

Entry points whose module has no ``BACKEND`` are plugins of the gateway only (its pluggy hooks) and are skipped
here. A backend that fails to import or to install is logged, recorded with its error, and skipped: the host
program always runs on. ``INSPECTOR_PLUGINS_BLOCK=a,b`` blocks entry points by name, here as in the gateway.
Standard library only.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ENTRY_POINT_GROUP", "Backend", "BackendRecord", "install", "installed", "uninstall"]

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "mcp_agent_inspector.plugins"


@dataclass(frozen=True)
class Backend:
    """What a backend module exposes as ``BACKEND``.

    ``install(options)`` starts it (``options``: ``traces_dir`` (str, path or None), ``enable_patch`` (bool), and
    whatever else the caller passed; ignore what you do not know) and may return an object (kept on the record,
    for example the trace-file processor). ``uninstall()`` undoes it. Lower ``order`` starts first (the
    instrumentation, 10, before the subscribers that listen to it, 20).
    """

    install: Callable[[Mapping[str, Any]], Any]
    uninstall: Callable[[], Any] | None = None
    order: int = 50
    description: str = ""


@dataclass(frozen=True)
class BackendRecord:
    """One entry point of the group as ``install()`` found it: started (``error`` None) or not, and why."""

    name: str
    distribution: str | None
    version: str | None
    module: Any = None  # the loaded module (the gateway registers it as a pluggy plugin too)
    description: str = ""
    result: Any = None
    error: str | None = None


_lock = threading.Lock()
_installed: list[tuple[BackendRecord, Backend]] = []
_report: tuple[BackendRecord, ...] = ()


def install(options: Mapping[str, Any] | None = None, /, **kwargs: Any) -> tuple[BackendRecord, ...]:
    """Start every installed backend once per process (a second call returns the first report); never raises.

    :param options: passed to each backend's ``install`` (merged with ``kwargs``).
    :return: a record per backend entry point: started ones with ``error`` None, failed ones with the reason.
    """
    global _report
    with _lock:
        if _installed or _report:
            return _report
        merged = {**(options or {}), **kwargs}
        found: list[tuple[BackendRecord, Backend]] = []
        failed: list[BackendRecord] = []
        for record, backend in _discover():
            if backend is None:
                if record.error is not None:
                    failed.append(record)
                continue
            found.append((record, backend))
        started: list[BackendRecord] = []
        for record, backend in sorted(found, key=lambda pair: (pair[1].order, pair[0].name)):
            try:
                result = backend.install(merged)
            except Exception as exc:
                logger.warning("inspector backend %r failed to start: %r", record.name, exc, exc_info=True)
                failed.append(_with(record, error=f"install failed: {exc!r}"))
                continue
            done = _with(record, result=result)
            _installed.append((done, backend))
            started.append(done)
        _report = (*started, *failed)
        return _report


def installed() -> tuple[BackendRecord, ...]:
    """The report of the last ``install()`` (empty before, and after ``uninstall()``)."""
    return _report


def uninstall() -> None:
    """Stop the started backends, newest first (trace files are flushed); failures are logged. Idempotent."""
    global _report
    with _lock:
        while _installed:
            record, backend = _installed.pop()
            if backend.uninstall is None:
                continue
            try:
                backend.uninstall()
            except Exception:
                logger.warning("inspector backend %r failed to stop", record.name, exc_info=True)
        _report = ()


def _with(record: BackendRecord, **changes: Any) -> BackendRecord:
    values = {**record.__dict__, **changes}
    return BackendRecord(**values)


def _discover() -> list[tuple[BackendRecord, Backend | None]]:
    from importlib.metadata import entry_points

    blocked = {b.strip() for b in os.environ.get("INSPECTOR_PLUGINS_BLOCK", "").split(",") if b.strip()}
    try:
        points = list(entry_points(group=ENTRY_POINT_GROUP))
    except Exception as exc:  # a broken metadata directory must not stop the host
        logger.warning("cannot read the entry points of %s: %r", ENTRY_POINT_GROUP, exc)
        return [(BackendRecord("<entry points>", None, None, error=repr(exc)), None)]
    out: list[tuple[BackendRecord, Backend | None]] = []
    seen: set[str] = set()
    for point in sorted(points, key=lambda p: p.name):
        if point.name in blocked or point.name in seen:
            continue
        seen.add(point.name)
        dist = getattr(point, "dist", None)
        record = BackendRecord(point.name, dist.name if dist else None, dist.version if dist else None)
        try:
            module = point.load()
        except Exception as exc:
            logger.warning("inspector plugin %r failed to load: %r", point.name, exc)
            out.append((_with(record, error=f"import failed: {exc!r}"), None))
            continue
        backend = getattr(module, "BACKEND", None)
        if backend is None:
            continue  # a plugin of the gateway only
        if not isinstance(backend, Backend):
            error = f"BACKEND is a {type(backend).__name__}, not an inspector_hooks.backends.Backend"
            out.append((_with(record, module=module, error=error), None))
            continue
        out.append((_with(record, module=module, description=backend.description), backend))
    return out
