"""``mount()``: add the gateway to a Starlette/FastAPI app, or serve it on 127.0.0.1 from a background thread."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import socket
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from inspector_hooks import backends as _backends

from ._responses import error_response
from ._settings import MOUNT_PATH, InspectorSettings, resolve_settings
from ._state import GatewayState
from .security._address import record_address

__all__ = ["Mounted", "create_gateway", "mount", "serve", "standalone_app"]

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_current: Mounted | None = None


@dataclass
class Mounted:
    """What ``mount()`` did: the UI ``url`` (with the token), the ``token``, the ``port`` (None when mounted into an
    app), and ``stop()``. ``error`` is set when the gateway could not start (it never raises into the host)."""

    url: str | None
    token: str
    port: int | None
    gateway: GatewayState | None = None
    app: Any = None
    error: str | None = None
    _server: Any = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _host: Any = field(default=None, repr=False)
    _address: Any = field(default=None, repr=False)  # the traces dir's record of where this serves (``url`` reads it)

    def stop(self) -> None:
        """Stop the standalone server (if any), unsubscribe from the hooks, and undo what ``mount()`` installed
        (the instrumentation and the trace-file subscribers; files are flushed); idempotent. A later ``mount()``
        starts afresh."""
        global _current
        if self.gateway is not None:
            self.gateway.hub.close_all()  # end open event streams first: uvicorn would wait for them
        if self._server is not None:
            self._server.should_exit = True
            if self._thread is not None and self._thread is not threading.current_thread():
                self._thread.join(timeout=5)
            self._server = None
        if self._address is not None:
            self._address.remove()
            self._address = None
        if self._host is not None:
            routes = self._host.router.routes
            routes[:] = [r for r in routes if getattr(r, "app", None) is not self.app]
            self._host = None
        if self.gateway is not None:
            self.gateway.live.unsubscribe()
            self.gateway.hub.close_all()
            self.gateway.close()
        with _lock:
            if _current is self:
                _current = None
                _uninstall_backends()


def create_gateway(
    settings: InspectorSettings,
    extra_plugins: Sequence[object] = (),
    backends: Sequence[_backends.BackendRecord] = (),
) -> tuple[GatewayState, Any]:
    """Assemble one gateway (plugins, app) without installing anything or serving it; subscribes to the hooks.

    ``backends``: what ``inspector_hooks.backends.install()`` reported; their modules become plugins too, and the
    failed ones are listed at ``GET /plugins``.
    """
    from .app import build_app
    from .plugins import build_plugin_manager, collect

    gateway = GatewayState.create(settings)
    pm = build_plugin_manager(gateway, tuple(extra_plugins), tuple(backends))
    routes = collect(gateway, pm)
    app = build_app(gateway, routes)
    gateway.live.subscribe()
    return gateway, app


def _install_backends(settings: InspectorSettings) -> tuple[_backends.BackendRecord, ...]:
    """Start the installed backends once per process (``inspector_hooks.backends``: chosen by installing extras)."""
    if not settings.enable_patch:
        logger.info("INSPECTOR_ENABLE_PATCH=0: mcp-agent is not instrumented")
    report = _backends.install(traces_dir=settings.traces_dir, enable_patch=settings.enable_patch)
    if not any(r.error is None for r in report):
        logger.info(
            "no inspector backend is installed: no hooks from mcp-agent and no trace files "
            "(pip install 'inspector-gateway[otel]')"
        )
    return report


def _uninstall_backends() -> None:
    """Undo ``_install_backends`` (flushes and closes the trace files); failures are logged."""
    _backends.uninstall()


def _announce(url: str) -> None:
    """Log the UI URL at INFO; when logging is not set up to show that, write the record to stderr directly."""
    message = "mcp-agent-inspector UI: %s"
    if logger.isEnabledFor(logging.INFO) and logger.hasHandlers():
        logger.info(message, url)
        return
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 0, message, (url,), None)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.handle(record)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        if port == 0:
            sock.close()
            raise
        logger.warning("port %d is busy; the inspector uses a free port instead", port)
        sock.close()
        return _bind(host, 0)
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def standalone_app(sub_app: Any) -> Any:
    """The app uvicorn serves standalone: the gateway at ``/_inspector``, ``/`` redirecting to its UI."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import RedirectResponse, Response
    from starlette.routing import Mount, Route

    async def home(request: Request) -> Response:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"{MOUNT_PATH}/ui/{query}", status_code=307)

    async def missing(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        return error_response(status, "not_found" if status == 404 else "http_error", "not part of the inspector")

    return Starlette(
        routes=[Route("/", home, methods=["GET"]), Mount(MOUNT_PATH, app=sub_app)],
        exception_handlers={HTTPException: missing},
    )


def _serve(app: Any, settings: InspectorSettings) -> tuple[Any, threading.Thread, int]:
    import uvicorn

    sock = _bind(settings.host, settings.port)
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        standalone_app(app),
        log_level="debug" if settings.debug else "warning",
        lifespan="off",
        access_log=settings.debug,
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    if settings.debug:
        logging.getLogger("inspector_gateway").setLevel(logging.DEBUG)

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except Exception:
            logger.warning("the inspector server stopped with an error", exc_info=True)
        finally:
            sock.close()

    thread = threading.Thread(target=run, name="inspector-gateway", daemon=True)
    thread.start()
    return server, thread, port


def serve(gateway: GatewayState, sub_app: Any) -> Mounted:
    """Serve an assembled gateway (see ``create_gateway``) with uvicorn in a daemon thread; ``stop()`` ends it."""
    settings = gateway.settings
    server, thread, bound = _serve(sub_app, settings)
    shown = "127.0.0.1" if settings.host in {"0.0.0.0", "::"} else settings.host
    url = f"http://{shown}:{bound}{MOUNT_PATH}/ui/?token={settings.token}"
    mounted = Mounted(url=url, token=settings.token, port=bound, gateway=gateway, app=sub_app)
    mounted._server, mounted._thread = server, thread
    mounted._address = record_address(settings.traces_dir, shown, bound)
    return mounted


def _is_asgi_host(app: Any) -> bool:
    return callable(getattr(app, "mount", None)) and hasattr(app, "router")


def mount(
    app: Any = None,
    *,
    expose: bool = False,
    port: int = 7800,
    traces_dir: str | os.PathLike[str] | None = None,
) -> Mounted:
    """Start the inspector once per process and return a ``Mounted`` (a second call returns the first one).

    ``app`` = a Starlette or FastAPI app: the gateway is mounted at ``/_inspector`` in it. ``app`` = None (or an
    ``MCPApp``, or anything else): uvicorn serves it on 127.0.0.1 (0.0.0.0 with ``expose=True``) at ``port``
    (``INSPECTOR_PORT`` wins; 0 = a free port) in a daemon thread, stopped at exit. Never raises.
    """
    global _current
    with _lock:
        if _current is not None:
            logger.debug("mount() called again: nothing changes")
            return _current
        try:
            settings = resolve_settings(traces_dir=traces_dir, expose=expose, port=port)
        except Exception as exc:  # pragma: no cover - resolve_settings only reads the environment
            return Mounted(url=None, token="", port=None, error=repr(exc))
        gateway: GatewayState | None = None
        try:
            report = _install_backends(settings)
            gateway, sub_app = create_gateway(settings, backends=report)
            if _is_asgi_host(app):
                from .events._shutdown import watch_uvicorn_exit

                app.mount(MOUNT_PATH, sub_app)
                watch_uvicorn_exit(gateway.hub)
                url = f"{MOUNT_PATH}/ui/?token={settings.token}"
                mounted = Mounted(url=url, token=settings.token, port=None, gateway=gateway, app=sub_app)
                mounted._host = app
            else:
                mounted = serve(gateway, sub_app)
                url = mounted.url or ""
                atexit.register(mounted.stop)
        except Exception as exc:
            logger.warning("mcp-agent-inspector could not start; the application continues without it", exc_info=True)
            with contextlib.suppress(Exception):
                _uninstall_backends()
            if gateway is not None:
                gateway.live.unsubscribe()
            return Mounted(url=None, token="", port=None, error=repr(exc))
        _current = mounted
    _announce(url)
    return mounted
