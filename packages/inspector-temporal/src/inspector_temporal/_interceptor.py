"""The Temporal interceptor: one inspector session per workflow execution, written by its client and its workers.

* Worker, workflow inbound: for the whole workflow run, hooks fire with the session bound to the workflow id and
  with the workflow's span current, so what the workflow code does (LLM calls, tool calls, signal waits) lands in
  that session under the workflow span. The workflow span has ids every process computes alike from the workflow
  and run ids (``_ids``), so activities and later workers parent under it without any header. It is written once,
  when the run ends (completed, failed or cancelled), with the session's end.
* Worker, activity inbound: each attempt of an activity is its own span (``temporal.activity.attempt``, its
  failure) under the workflow span, in the workflow's session; hooks fired inside it nest under it.
* Client outbound: ``start_workflow`` (mcp-agent's ``executor.start_workflow`` or a Temporal client of your own
  with this interceptor) is a span in the caller's session, and opens the workflow's session (its header: engine
  ``temporal``, the workflow type as title, the caller's session as parent).
* Replay: nothing is recorded while Temporal replays history (a worker restarted mid-run, a workflow evicted from
  the cache and rebuilt): the records of that part of the run were written when it first ran.

Why not temporalio's ``contrib.opentelemetry.TracingInterceptor``: it makes OTel spans of its own for every
workflow task and activity, and its workflow spans are made only at completion with random ids; we need a span id
known to every process before the run ends, a session bound around the run, and nothing written on replay. Its
header propagation would also duplicate mcp-agent's own ``TracingInterceptor`` when ``otel.enabled`` is on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import Token
from typing import Any

import temporalio.activity
import temporalio.client
import temporalio.exceptions
import temporalio.worker
import temporalio.workflow
from temporalio.exceptions import CancelledError as TemporalCancelledError

from inspector_hooks import context as session_context

from . import _record
from ._ids import WorkflowSpanIds, workflow_span_ids

__all__ = ["SPAN_IDS", "InspectorInterceptor"]

logger = logging.getLogger(__name__)

#: the spans workflow code starts, counted per run (their ids are computed from it: see ``_ids``)
SPAN_IDS = WorkflowSpanIds()


def _valid(value: object) -> bool:
    return _record.valid_session_id(value)


class InspectorInterceptor(temporalio.client.Interceptor, temporalio.worker.Interceptor):
    """Pass it to ``Client.connect(interceptors=[...])``: the client records its starts and a worker built with
    that client records its workflows and activities (``inspector_temporal.install()`` does this for mcp-agent)."""

    def intercept_client(self, next: temporalio.client.OutboundInterceptor) -> temporalio.client.OutboundInterceptor:
        return _ClientOutbound(next)

    def intercept_activity(
        self, next: temporalio.worker.ActivityInboundInterceptor
    ) -> temporalio.worker.ActivityInboundInterceptor:
        return _ActivityInbound(next)

    def workflow_interceptor_class(
        self, input: temporalio.worker.WorkflowInterceptorClassInput
    ) -> type[temporalio.worker.WorkflowInboundInterceptor] | None:
        return _WorkflowInbound


# ---- client ---------------------------------------------------------------------------------------------------
class _ClientOutbound(temporalio.client.OutboundInterceptor):
    async def start_workflow(self, input: temporalio.client.StartWorkflowInput) -> Any:
        workflow_type = str(input.workflow)
        span = _record.start_span(
            f"temporal.start_workflow {workflow_type}",
            {
                "temporal.workflow.type": workflow_type,
                "temporal.workflow.id": input.id,
                "temporal.task_queue": input.task_queue,
            },
        )
        try:
            handle = await super().start_workflow(input)
        except BaseException as exc:
            _record.end_span(span, exc)
            raise
        run_id = getattr(handle, "first_execution_run_id", None) or getattr(handle, "result_run_id", None)
        _record.set_attribute(span, "temporal.run.id", run_id)
        _record.end_span(span, None)
        if _valid(input.id):
            _record.open_session(
                input.id,
                workflow_type=workflow_type,
                run_id=run_id,
                parent_session_id=session_context.get(),
                task_queue=input.task_queue,
            )
        return handle


# ---- workflow -------------------------------------------------------------------------------------------------
def _replaying() -> bool:
    try:
        return bool(temporalio.workflow.unsafe.is_replaying())
    except Exception:
        return False


@contextmanager
def _unsandboxed() -> Iterator[None]:
    """For the interceptor's own calls from workflow code: no sandbox restriction, and what they import is the
    host's module (in Temporal's sandbox an import from workflow code would load a fresh copy of it, with a
    warning); outside a sandbox both are no-ops."""
    with temporalio.workflow.unsafe.sandbox_unrestricted(), temporalio.workflow.unsafe.imports_passed_through():
        yield


def _outcome(exc: BaseException | None) -> tuple[str, str | None]:
    if exc is None:
        return "completed", None
    if isinstance(exc, TemporalCancelledError) or type(exc).__name__ == "CancelledError":
        return "cancelled", None
    text = str(exc)
    return "failed", f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _WorkflowInbound(temporalio.worker.WorkflowInboundInterceptor):
    async def execute_workflow(self, input: temporalio.worker.ExecuteWorkflowInput) -> Any:
        info = temporalio.workflow.info()
        sid = info.workflow_id
        if not _valid(sid):
            return await super().execute_workflow(input)
        trace_id, span_id = workflow_span_ids(info.workflow_id, info.run_id)
        started_ns = int(info.start_time.timestamp() * 1e9)
        with _unsandboxed():
            SPAN_IDS.begin(info.run_id)  # this instance runs the run's code from its beginning
            if not _replaying():
                _record.open_session(
                    sid,
                    workflow_type=info.workflow_type,
                    run_id=info.run_id,
                    parent_session_id=getattr(info.parent, "workflow_id", None),
                    task_queue=info.task_queue,
                )
            token: Token[str | None] = session_context.set(sid)
            otel_token = _record.enter_parent(trace_id, span_id)
        error: BaseException | None = None
        try:
            return await super().execute_workflow(input)
        except Exception as exc:  # a failure or cancellation of the run, or a failed workflow task (retried)
            error = exc if _ends_run(exc, input.type) else _NOT_AN_END
            raise
        except BaseException as exc:  # asyncio's CancelledError is a BaseException and ends the run cancelled
            error = exc if type(exc).__name__ == "CancelledError" else _NOT_AN_END
            raise
        finally:
            with _unsandboxed():
                if error is not _NOT_AN_END and not _replaying():
                    status, text = _outcome(error)
                    _record.workflow_span(info, trace_id, span_id, started_ns, status, text)
                    _record.close_session(sid, status, text)
                SPAN_IDS.end(info.run_id)
                _record.leave_parent(otel_token)
                try:
                    session_context.reset(token)
                except ValueError:
                    session_context.set(None)


def _ends_run(exc: Exception, workflow_class: type) -> bool:
    """True when ``exc`` out of workflow code fails the run; any other exception fails only the workflow task, which
    Temporal retries (a bug in workflow code: the run goes on). The run's failure exception types are Temporal's
    ``FailureError`` and the workflow definition's ``failure_exception_types`` (a worker's own
    ``workflow_failure_exception_types`` are not seen here: such a failure is left to the worker to end)."""
    if isinstance(exc, temporalio.exceptions.FailureError):
        return True
    try:
        definition = temporalio.workflow._Definition.from_class(workflow_class)
        types = tuple((definition.failure_exception_types or ()) if definition is not None else ())
    except Exception:
        return False
    return bool(types) and isinstance(exc, types)


class _NotAnEnd(BaseException):
    """Marks a run that stopped in this worker without ending (evicted from the cache, worker shutdown, a failed
    workflow task that Temporal retries)."""


_NOT_AN_END = _NotAnEnd()


# ---- activities -----------------------------------------------------------------------------------------------
class _ActivityInbound(temporalio.worker.ActivityInboundInterceptor):
    async def execute_activity(self, input: temporalio.worker.ExecuteActivityInput) -> Any:
        info = temporalio.activity.info()
        sid = info.workflow_id
        if sid is None or not _valid(sid) or not info.workflow_run_id:
            return await super().execute_activity(input)
        trace_id, parent_id = workflow_span_ids(sid, info.workflow_run_id)
        _record.open_session(
            sid, workflow_type=info.workflow_type or "", run_id=info.workflow_run_id, task_queue=info.task_queue
        )
        token = session_context.set(sid)
        otel_token = _record.enter_parent(trace_id, parent_id)
        span = _record.start_span(
            f"temporal.activity {info.activity_type}",
            {
                "temporal.activity.type": info.activity_type,
                "temporal.activity.id": info.activity_id,
                "temporal.activity.attempt": info.attempt,
                "temporal.workflow.id": sid,
                "temporal.run.id": info.workflow_run_id,
                "temporal.task_queue": info.task_queue,
            },
            current=True,
        )
        try:
            result = await super().execute_activity(input)
        except BaseException as exc:
            _record.set_attribute(span, "temporal.activity.failure", f"{type(exc).__name__}: {exc}"[:4000])
            _record.end_span(span, exc)
            raise
        else:
            _record.end_span(span, None)
            return result
        finally:
            _record.leave_current(span)
            _record.leave_parent(otel_token)
            session_context.reset(token)
