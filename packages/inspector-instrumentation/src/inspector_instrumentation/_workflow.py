"""Sessions for ``MCPApp.run()`` and for workflow runs (``Workflow.run_async`` and the run task's completion)."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import Any

from inspector_hooks import context as session_context
from inspector_hooks import hooks

from . import _sessions
from ._patcher import Patcher, safe
from ._temporal_worker import worker_title

__all__ = ["patch_workflows"]

logger = logging.getLogger(__name__)


def _app_name(ctx: Any) -> str:
    app = getattr(ctx, "app", None)
    name = getattr(app, "name", None) or getattr(getattr(ctx, "config", None), "name", None)
    return str(name or "mcp-agent")


_in_app_run: ContextVar[bool] = ContextVar("inspector_in_app_run", default=False)
_init_sessions: dict[int, tuple[str, str | None]] = {}  # id(app) → (session, the session current before it)


def _wrap_app_initialize(original: Callable[..., Any]) -> Callable[..., Any]:
    """A program that calls ``app.initialize()`` without ``app.run()`` gets the same app session ``run()`` gives: it
    starts when the app is initialized, is the current session of the caller from then on, and ends at cleanup."""

    @functools.wraps(original)
    async def initialize(self: Any, *args: Any, **kwargs: Any) -> Any:
        fresh = not getattr(self, "_initialized", False)
        result = await original(self, *args, **kwargs)
        if fresh and not _in_app_run.get() and id(self) not in _init_sessions:
            await _start_init_session(self)
        return result

    return initialize


async def _start_init_session(app: Any) -> None:
    sid = safe("MCPApp.initialize session id", lambda: app.session_id)
    if not _sessions.valid_session_id(sid):
        return
    parent = session_context.get()
    name = str(getattr(app, "name", None) or "mcp-agent")
    await _sessions.astart_session(
        sid,
        engine="asyncio",
        title=name,
        parent_session_id=parent,
        app_name=name,
        executor=getattr(getattr(app, "context", None), "executor", None),
    )
    _init_sessions[id(app)] = (sid, parent)
    session_context.set(sid)  # in the caller's context: initialize() is awaited, not a task of its own


def _wrap_app_cleanup(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def cleanup(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = _init_sessions.pop(id(self), None)
        error: BaseException | None = None
        try:
            return await original(self, *args, **kwargs)
        except BaseException as exc:
            error = exc
            raise
        finally:
            if started is not None:
                sid, parent = started
                status, text = _sessions.outcome_of(error)
                await _sessions.afinish_session(sid, status, text)
                if session_context.get() == sid:
                    session_context.set(parent)

    return cleanup


def _wrap_app_run(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    @asynccontextmanager
    async def run(self: Any) -> AsyncIterator[Any]:
        if id(self) in _init_sessions:  # initialized (and given its session) before run(): that session goes on
            async with original(self) as running:
                yield running
            return
        in_run = _in_app_run.set(True)
        try:
            entered = original(self)
            running = await entered.__aenter__()
        finally:
            _in_app_run.reset(in_run)
        async with _Entered(entered, running):
            sid = safe("MCPApp.run session id", lambda: running.session_id)
            if not _sessions.valid_session_id(sid):
                yield running
                return
            parent = session_context.get()
            token = session_context.set(sid)
            name = str(getattr(running, "name", None) or "mcp-agent")
            worker = safe("Temporal worker title", worker_title, name, running)
            await _sessions.astart_session(
                sid,
                engine="asyncio",
                title=worker or name,
                parent_session_id=parent,
                app_name=name,
                executor=getattr(getattr(running, "context", None), "executor", None),
            )
            error: BaseException | None = None
            try:
                yield running
            except BaseException as exc:
                error = exc
                raise
            finally:
                status, text = _sessions.outcome_of(error)
                await _sessions.afinish_session(sid, status, text)
                try:
                    session_context.reset(token)
                except ValueError:  # exited in another context than it was entered in
                    session_context.set(parent)

    return run


class _Entered:
    """An async context manager already entered: ``async with`` it exits the original one (with the exception)."""

    def __init__(self, entered: Any, value: Any) -> None:
        self.entered = entered
        self.value = value

    async def __aenter__(self) -> Any:
        return self.value

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        return bool(await self.entered.__aexit__(kind, exc, tb))


def _run_task_done(workflow: Any, sid: str | None, task: asyncio.Task[Any]) -> None:
    exc: BaseException | None
    if task.cancelled():
        exc, result = asyncio.CancelledError(), None
    else:
        exc = task.exception()
        result = None if exc is not None else task.result()
    ctx = getattr(workflow, "context", None)
    if exc is None:
        if hooks.after_workflow_run:
            hooks.after_workflow_run.emit(workflow=workflow, context=ctx, result=result)
    elif hooks.error_workflow_run:
        hooks.error_workflow_run.emit(workflow=workflow, context=ctx, exc=exc)
    if exc is not None and hooks.operation_cancelled and _sessions.outcome_of(exc)[0] == "cancelled":
        hooks.operation_cancelled.emit(operation_id=getattr(workflow, "_run_id", None), context=ctx)
    if sid is not None:
        status, text = _sessions.outcome_of(exc)
        _sessions.finish_session(sid, status, text)


def _engine(workflow: Any) -> str:
    try:
        return str(workflow.context.config.execution_engine)
    except Exception:
        return "asyncio"


async def _start_run_session(workflow: Any, sid: str, engine: str, parent: str | None, workflow_id: Any) -> None:
    try:
        ctx = getattr(workflow, "context", None)
        title = str(getattr(workflow, "name", None) or type(workflow).__name__)
        app_name = _app_name(ctx)
    except Exception:
        logger.warning("could not describe workflow run %s; ignored", sid, exc_info=True)
        return
    await _sessions.astart_session(
        sid,
        engine=engine,
        title=title,
        parent_session_id=parent,
        app_name=app_name,
        extra={
            "workflow_type": type(workflow).__name__,
            "run_id": getattr(workflow, "_run_id", None),
            "workflow_id": workflow_id,
        },
        workflow=workflow,
        executor=getattr(ctx, "executor", None),
    )


def _wrap_run_async(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def run_async(self: Any, *args: Any, **kwargs: Any) -> Any:
        engine = safe("workflow engine", _engine, self) or "asyncio"
        if engine != "asyncio":
            return await _run_async_elsewhere(original, self, engine, args, kwargs)
        parent = session_context.get()
        # mcp-agent assigns the run id inside run_async and creates the run task there; assigning it first (the
        # same way: executor.uuid()) lets the run task inherit our session context when it is created.
        sid = safe("pre-assign run id", _preassign_run_id, self)
        token = None
        if sid is not None:
            workflow_id = getattr(self, "_workflow_id", None) or kwargs.get("__mcp_agent_workflow_id") or self.name
            await _start_run_session(self, sid, engine, parent, workflow_id)
            token = session_context.set(sid)
        try:
            await _before_run(self, args, kwargs)
            execution = await original(self, *args, **kwargs)
        except BaseException as exc:
            if hooks.error_workflow_run:
                hooks.error_workflow_run.emit(workflow=self, context=getattr(self, "context", None), exc=exc)
            if sid is not None:
                status, text = _sessions.outcome_of(exc)
                await _sessions.afinish_session(sid, status, text)
            raise
        finally:
            if token is not None:
                session_context.reset(token)
        safe("watch run task", _watch, self, sid, True)
        return execution

    return run_async


async def _before_run(workflow: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if hooks.before_workflow_run:
        await hooks.before_workflow_run.aemit(
            workflow=workflow,
            context=getattr(workflow, "context", None),
            workflow_id=safe("workflow id", _workflow_id_of, workflow, kwargs),
            input=safe("workflow input", _input_of, args, kwargs),
        )


async def _run_async_elsewhere(
    original: Callable[..., Any], workflow: Any, engine: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """``run_async`` on Temporal: the run's session is its workflow id, known once the client has started it (its
    header comes from inspector_temporal's client interceptor, parented to the caller's session). The run's
    ``workflow.run`` span (this process waiting for the result) is then begun in that session, beside what the
    workers write there. The session's end is the workers' to write (they know how the run ended); this process
    ends only its span."""
    parent = session_context.get()
    own_kwargs = dict(kwargs)  # run_async pops mcp-agent's options from the dict it is given
    try:
        execution = await original(workflow, *args, **kwargs)
    except BaseException as exc:
        await _before_run(workflow, args, own_kwargs)
        if hooks.error_workflow_run:
            hooks.error_workflow_run.emit(workflow=workflow, context=getattr(workflow, "context", None), exc=exc)
        raise
    run_sid = getattr(workflow, "_workflow_id", None)
    if not _sessions.valid_session_id(run_sid):
        await _before_run(workflow, args, own_kwargs)
        safe("watch run task", _watch, workflow, None, False)
        return execution
    sid = str(run_sid)
    await _start_run_session(workflow, sid, engine, parent, sid)
    token = session_context.set(sid)
    try:
        await _before_run(workflow, args, own_kwargs)
    finally:
        session_context.reset(token)
    safe("watch run task", _watch, workflow, sid, False)
    return execution


def _workflow_id_of(workflow: Any, kwargs: dict[str, Any]) -> str | None:
    """The id ``run_async`` gives the run: the one asked for, else the one it has, else the workflow's name."""
    found = kwargs.get("__mcp_agent_workflow_id") or getattr(workflow, "_workflow_id", None) or workflow.name
    return str(found) if found else None


def _input_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The run's own arguments (mcp-agent's ``__mcp_agent_*`` options left out)."""
    own = {k: v for k, v in kwargs.items() if not k.startswith("__mcp_agent_")}
    return {"args": list(args), "kwargs": own} if args else own


def _preassign_run_id(workflow: Any) -> str | None:
    if not getattr(workflow, "_run_id", None):
        workflow._run_id = str(workflow.executor.uuid())
    run_id = workflow._run_id
    return run_id if _sessions.valid_session_id(run_id) else None


def _watch(workflow: Any, sid: str | None, ends_session: bool) -> None:
    """Report the run task's end (``after``/``error_workflow_run``) in ``sid``'s context; with ``ends_session``
    also end that session (an asyncio run's: this process runs it)."""
    task = getattr(workflow, "_run_task", None)
    if not isinstance(task, asyncio.Future):
        if sid is not None and ends_session:
            _sessions.finish_session(sid, "completed", None)
        return
    ctx = contextvars.copy_context()
    ctx.run(session_context.set, sid)
    ending = sid if ends_session else None
    task.add_done_callback(functools.partial(_guarded_done, workflow, ending), context=ctx)


def _guarded_done(workflow: Any, sid: str | None, task: asyncio.Task[Any]) -> None:
    safe("workflow run completion", _run_task_done, workflow, sid, task)


def patch_workflows(patcher: Patcher) -> None:
    from mcp_agent.app import MCPApp
    from mcp_agent.executor.workflow import Workflow

    patcher.patch(MCPApp, "run", _wrap_app_run)
    patcher.patch(MCPApp, "initialize", _wrap_app_initialize)
    patcher.patch(MCPApp, "cleanup", _wrap_app_cleanup)
    patcher.patch(Workflow, "run_async", _wrap_run_async)
