"""The gateway's Temporal session source: the executions the Temporal service knows, listed within a time bound.

Every execution appears, also those started by programs without the inspector (type, status, times, and from its
history, read in the background and cached by ``_history``, its input and result: ``input_json``/``result_json``,
there from the listing after the read). Temporal's
status wins over the trace files' (a finished execution whose file was never ended still shows how it ended),
except ``paused``: Temporal says RUNNING while a run waits on a signal, and the file's ``session_paused`` record
says what it waits for. A service that cannot be reached, or answers slowly, fails this source only: ``GET
/sessions`` still answers with the local sessions and ``temporal_error`` (``TemporalSource.timeout``, 1.5 s).
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime, timezone
from typing import Any

from ._history import HistoryCache

__all__ = ["ENV_ADDRESS", "ENV_NAMESPACE", "STATUSES", "TemporalSource", "source_from_env"]

ENV_ADDRESS = "INSPECTOR_TEMPORAL_ADDRESS"
ENV_NAMESPACE = "INSPECTOR_TEMPORAL_NAMESPACE"

#: Temporal's execution status -> (session status, error text)
STATUSES: dict[str, tuple[str, str | None]] = {
    "RUNNING": ("running", None),
    "COMPLETED": ("completed", None),
    "CONTINUED_AS_NEW": ("completed", None),
    "FAILED": ("failed", "the workflow failed (Temporal)"),
    "TIMED_OUT": ("failed", "the workflow timed out (Temporal)"),
    "CANCELED": ("cancelled", None),
    "TERMINATED": ("cancelled", "terminated (Temporal)"),
}


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class TemporalSource:
    """Session rows from a Temporal service (``name`` = ``temporal``: its failure is ``temporal_error``)."""

    name = "temporal"

    def __init__(
        self, address: str, namespace: str = "default", *, gateway: Any = None, timeout: float = 1.5, limit: int = 500
    ) -> None:
        self.address = address
        self.namespace = namespace
        self.gateway = gateway
        self.timeout = timeout
        self.limit = limit
        self._client: Any = None
        self.history = HistoryCache()

    async def client(self) -> Any:
        """The connected Temporal client (one per source, made on first use)."""
        if self._client is None:
            from temporalio.client import Client

            self._client = await Client.connect(self.address, namespace=self.namespace)
        return self._client

    async def list_sessions(self) -> list[dict[str, Any]]:
        try:
            return await asyncio.wait_for(self._list(), self.timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"Temporal at {self.address} did not answer in {self.timeout:g} s") from None

    async def _list(self) -> list[dict[str, Any]]:
        client = await self.client()
        rows: list[dict[str, Any]] = []
        async for execution in client.list_workflows(page_size=min(self.limit, 1000)):
            rows.append(self._row(execution))
            self.history.want(client, execution.id, execution.run_id, execution.close_time is not None)
            if len(rows) >= self.limit:
                break
        return rows

    def _row(self, execution: Any) -> dict[str, Any]:
        raw = getattr(execution.status, "name", None) or "RUNNING"
        status, error = STATUSES.get(raw, ("running", None))
        if status == "running" and self._waits(execution.id):
            status = "paused"
        row: dict[str, Any] = {
            "id": execution.id,
            "status": status,
            "started_at": _iso(execution.start_time),
            "engine": "temporal",
            "title": execution.workflow_type,
        }
        if execution.close_time is not None:
            row["ended_at"] = _iso(execution.close_time)
        facts = self.history.facts(execution.id, execution.run_id) if execution.run_id else {}
        for key in ("input_json", "result_json"):
            if key in facts:
                row[key] = facts[key]
        error = facts.get("history_error") or error
        if error is not None:
            row["error"] = error
        return row

    def _waits(self, session_id: str) -> bool:
        traces = getattr(self.gateway, "traces", None)
        try:
            return bool(traces is not None and traces.waits_elsewhere(session_id))
        except Exception:
            return False


def source_from_env(gateway: Any = None) -> TemporalSource | None:
    """The source for ``INSPECTOR_TEMPORAL_ADDRESS`` (``host:port``; namespace ``INSPECTOR_TEMPORAL_NAMESPACE``)."""
    address = os.environ.get(ENV_ADDRESS, "").strip()
    if not address:
        return None
    return TemporalSource(address, os.environ.get(ENV_NAMESPACE, "").strip() or "default", gateway=gateway)
