"""The hook bus: one ``Hook`` object per name, registration, and the fan-out to subscribers.

A ``Hook`` is a ``list`` subclass holding its subscribers, so ``if hook:`` is answered by the list's C-level length
slot: a call site guarded that way costs what ``if ():`` costs when nobody listens. Subscribers live in an immutable
tuple that is replaced, under a lock, on every register/unregister (copy-on-write); an emit iterates the tuple it
found when it started, so subscribers may register or unregister (themselves or others) while an emit runs, and an
emit never takes a lock.

``emit`` and ``aemit`` are generated per hook from the catalogue's keyword arguments, so the fan-out passes named
parameters instead of packing and re-splatting a ``**kwargs`` dict (see ``docs/performance.md``).

Sync ``emit`` and async subscribers: the subscriber is called, and the coroutine it returns is scheduled as a task on
the running event loop of the emitting thread (in the emitter's context); its failure is logged like any other. With
no running loop in that thread, the coroutine is run to completion on a private loop before ``emit`` returns. An
async subscriber's call is therefore never lost, but a sync emit does not wait for it. ``aemit`` awaits it inline.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from .catalogue import HOOKS, HookSpec

__all__ = ["Hook", "Subscriber", "emit_async", "hook", "register", "registry", "subscribers", "unregister"]

Subscriber = Callable[..., Any]
"""A hook subscriber: a function or coroutine function called with keyword arguments (it should accept ``**kwargs``)."""

logger = logging.getLogger("mcp.instrument")

_lock = threading.Lock()
_registry: dict[str, Hook] = {}
_pending_tasks: set[asyncio.Task[Any]] = set()


class Hook(list):  # type: ignore[type-arg]  # list of subscribers; a list so that truthiness is C-level
    """The subscribers of one hook name, with ``emit`` (sync sites) and ``aemit`` (async sites).

    Guard every call site: ``if hook: hook.emit(**kw)`` / ``if hook: await hook.aemit(**kw)``.
    The list's contents mirror the current subscribers; do not mutate it, use ``register``/``unregister``.
    """

    __slots__ = ("_subs", "aemit", "emit", "name", "spec")

    name: str
    spec: HookSpec | None
    _subs: tuple[Subscriber, ...]
    emit: Callable[..., None]
    aemit: Callable[..., Coroutine[Any, Any, None]]

    def __init__(self, name: str, spec: HookSpec | None = None) -> None:
        super().__init__()
        self.name = name
        self.spec = spec
        self._subs = ()
        self.emit, self.aemit = _build_emitters(self)

    def __repr__(self) -> str:
        return f"<Hook {self.name!r} subscribers={len(self._subs)}>"

    def _replace(self, subs: tuple[Subscriber, ...]) -> None:
        self._subs = subs
        list.__setitem__(self, slice(None), subs)


def hook(name: str) -> Hook:
    """Return the ``Hook`` for ``name``, creating it on first use.

    Raises ``ValueError`` for a name outside the catalogue (a misspelt subscription would otherwise never fire).
    """
    found = _registry.get(name)
    if found is not None:
        return found
    untrusted: object = name
    if not isinstance(untrusted, str) or not untrusted:
        raise TypeError(f"a hook name must be a non-empty str, not {name!r}")
    spec = HOOKS.get(name)
    if spec is None:
        raise ValueError(f"{name!r} is not a hook of the catalogue (inspector_hooks.catalogue.HOOKS)")
    with _lock:
        found = _registry.get(name)
        if found is None:
            found = _registry[name] = Hook(name, spec)
    return found


def _scratch_hook(name: str) -> Hook:
    """A hook outside the catalogue, for the bus's own tests only (no kwargs of its own); ``_forget`` removes it."""
    if name in HOOKS:
        raise ValueError(f"{name!r} is a catalogue hook")
    with _lock:
        found = _registry.get(name)
        if found is None:
            found = _registry[name] = Hook(name, None)
    return found


def _forget(name: str) -> None:
    """Drop a scratch hook (see ``_scratch_hook``)."""
    if name not in HOOKS:
        with _lock:
            _registry.pop(name, None)


def register(name: str, fn: Subscriber) -> None:
    """Subscribe ``fn`` to hook ``name`` (after the existing subscribers). Registering twice calls it twice.

    Raises ``ValueError`` when ``name`` is not in the catalogue, ``TypeError`` when ``fn`` is not callable.
    """
    if not callable(fn):
        raise TypeError(f"a subscriber of hook {name!r} must be callable, not {type(fn).__name__}")
    target = hook(name)
    with _lock:
        target._replace((*target._subs, fn))


def unregister(name: str, fn: Subscriber) -> None:
    """Remove one registration of ``fn`` from hook ``name`` (the earliest); a no-op when it is not registered."""
    target = _registry.get(name)
    if target is None:
        return
    with _lock:
        subs = list(target._subs)
        for index, existing in enumerate(subs):
            if existing is fn or existing == fn:
                del subs[index]
                target._replace(tuple(subs))
                return


def subscribers(name: str) -> tuple[Subscriber, ...]:
    """The current subscribers of ``name``, in call order."""
    target = _registry.get(name)
    return target._subs if target is not None else ()


def registry() -> dict[str, Hook]:
    """A snapshot of every hook created so far, by name."""
    return dict(_registry)


async def emit_async(name: str, *args: Any, **kwargs: Any) -> None:
    """The upstream-compatible generic emit (``instrument._emit``): awaits every subscriber of ``name`` in order."""
    target = _registry.get(name)
    if not target:
        return
    if not args:
        await target.aemit(**kwargs)
        return
    for fn in target._subs:
        try:
            result = fn(*args, **kwargs)
            if result is not None and inspect.isawaitable(result):
                await result
        except Exception:
            _log_failure(name, fn)


def _log_failure(name: str, fn: Subscriber) -> None:
    logger.warning("subscriber %r of hook %r raised; ignored", fn, name, exc_info=True)


def _schedule(name: str, fn: Subscriber, awaitable: Awaitable[Any]) -> None:
    """Run an async subscriber's awaitable from a sync emit without losing it (see the module docstring)."""

    async def guarded() -> None:
        try:
            await awaitable
        except Exception:
            _log_failure(name, fn)

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(guarded())
        return
    task = loop.create_task(guarded())
    _pending_tasks.add(task)
    task.add_done_callback(_pending_tasks.discard)


_EMITTER_TEMPLATE = """
def emit({params}**_extra_):
    for _fn_ in _hook_._subs:
        try:
            _result_ = _fn_({call}**_extra_) if _extra_ else _fn_({call_plain})
            if _result_ is not None and _isawaitable_(_result_):
                _schedule_(_name_, _fn_, _result_)
        except Exception:
            _log_failure_(_name_, _fn_)

async def aemit({params}**_extra_):
    for _fn_ in _hook_._subs:
        try:
            _result_ = _fn_({call}**_extra_) if _extra_ else _fn_({call_plain})
            if _result_ is not None and _isawaitable_(_result_):
                await _result_
        except Exception:
            _log_failure_(_name_, _fn_)
"""


def _build_emitters(target: Hook) -> tuple[Callable[..., None], Callable[..., Coroutine[Any, Any, None]]]:
    """Generate ``emit``/``aemit`` whose parameters are the hook's catalogue kwargs (each defaults to None)."""
    names = target.spec.kwargs if target.spec is not None else ()
    for kwarg in names:
        if not kwarg.isidentifier() or kwarg.endswith("_"):
            raise ValueError(f"hook {target.name!r} has an unusable kwarg name {kwarg!r}")
    source = _EMITTER_TEMPLATE.format(
        params="*, " + "".join(f"{k}=None, " for k in names) if names else "",
        call="".join(f"{k}={k}, " for k in names),
        call_plain=", ".join(f"{k}={k}" for k in names),
    )
    namespace: dict[str, Any] = {
        "_hook_": target,
        "_name_": target.name,
        "_isawaitable_": inspect.isawaitable,
        "_schedule_": _schedule,
        "_log_failure_": _log_failure,
    }
    exec(compile(source, f"<inspector_hooks emitters of {target.name}>", "exec"), namespace)
    return namespace["emit"], namespace["aemit"]
