"""What a workflow execution's history says about its input and result, fetched in the background and cached.

``GET /sessions`` must answer within its bound, so the Temporal source never waits for a history: a row shows what
the cache holds (``input_json``, ``result_json``), and a missing entry is fetched after the answer, for the next
listing. Two small reads per execution: its first event (the start, with the input) and, once it has closed, its
close event (the result, or the failure's message). A closed execution's entry never changes, so it is kept; a
running one's input is kept and its close event read once Temporal lists it closed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

__all__ = ["MAX_JSON_CHARS", "HistoryCache", "payloads_json"]

logger = logging.getLogger(__name__)

MAX_JSON_CHARS = 4000
_KEPT = 2000  # executions whose facts are kept (the source lists at most 500)
_PARALLEL = 4  # history reads in flight at once


def _payload_value(payload: Any) -> Any:
    encoding = bytes(payload.metadata.get("encoding", b"")).decode("utf-8", "replace")
    if encoding == "binary/null":
        return None
    if encoding.startswith("json/"):
        try:
            return json.loads(bytes(payload.data).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            pass
    return f"<{encoding or 'unknown encoding'}, {len(payload.data)} bytes>"


def payloads_json(payloads: Iterable[Any], *, single: bool = False) -> str:
    """The payloads' values as a JSON list (JSON payloads decoded, others described), cut at ``MAX_JSON_CHARS``;
    with ``single``, one payload's value alone (a workflow's result)."""
    values = [_payload_value(p) for p in payloads]
    text = json.dumps(values[0] if single and len(values) == 1 else values, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_JSON_CHARS else text[: MAX_JSON_CHARS - 1] + "…"


def _close_facts(event: Any) -> dict[str, str]:
    """``result_json`` of a completed run, ``history_error`` (the failure's text) of a failed/ended one."""
    which = event.WhichOneof("attributes")
    if not which:
        return {}
    attrs = getattr(event, which)
    if which == "workflow_execution_completed_event_attributes":
        return {"result_json": payloads_json(attrs.result.payloads, single=True)}
    if which == "workflow_execution_continued_as_new_event_attributes":
        return {"result_json": json.dumps({"continued_as_new_run_id": attrs.new_execution_run_id})}
    if which == "workflow_execution_failed_event_attributes":
        return {"history_error": str(attrs.failure.message)[:MAX_JSON_CHARS]}
    if which == "workflow_execution_terminated_event_attributes":
        return {"history_error": f"terminated: {attrs.reason}"[:MAX_JSON_CHARS]} if attrs.reason else {}
    return {}


class HistoryCache:
    """``(workflow id, run id)`` -> what its history says; ``facts`` reads, ``want`` schedules a read."""

    def __init__(self) -> None:
        self._facts: OrderedDict[tuple[str, str], dict[str, str]] = OrderedDict()
        self._closed: set[tuple[str, str]] = set()  # entries that hold the close event's facts
        self._reading: set[tuple[str, str]] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._gate = asyncio.Semaphore(_PARALLEL)

    def facts(self, workflow_id: str, run_id: str) -> dict[str, str]:
        return dict(self._facts.get((workflow_id, run_id), {}))

    def want(self, client: Any, workflow_id: str, run_id: str | None, closed: bool) -> None:
        """Read the execution's history in the background unless what it can say is cached (or being read)."""
        if not run_id:
            return
        key = (workflow_id, run_id)
        if key in self._reading or (key in self._facts and (key in self._closed or not closed)):
            return
        self._reading.add(key)
        task = asyncio.get_running_loop().create_task(self._read(client, key, closed))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _read(self, client: Any, key: tuple[str, str], closed: bool) -> None:
        from temporalio.client import WorkflowHistoryEventFilterType

        try:
            async with self._gate:
                handle = client.get_workflow_handle(key[0], run_id=key[1])
                facts = dict(self._facts.get(key, {}))
                if "input_json" not in facts:
                    async for event in handle.fetch_history_events(page_size=1, rpc_timeout=_timeout()):
                        started = event.workflow_execution_started_event_attributes
                        facts["input_json"] = payloads_json(started.input.payloads)
                        break
                if closed:
                    close = WorkflowHistoryEventFilterType.CLOSE_EVENT
                    async for event in handle.fetch_history_events(event_filter_type=close, rpc_timeout=_timeout()):
                        facts.update(_close_facts(event))
                        self._closed.add(key)
                        break
                self._facts[key] = facts
                self._facts.move_to_end(key)
                while len(self._facts) > _KEPT:
                    old, _ = self._facts.popitem(last=False)
                    self._closed.discard(old)
        except Exception:
            logger.debug("history of %s not read", key, exc_info=True)
        finally:
            self._reading.discard(key)


def _timeout() -> Any:
    from datetime import timedelta

    return timedelta(seconds=5)
