"""Each demo workflow runs once through mcp-agent's run_async on the asyncio executor."""

from __future__ import annotations

import pytest
from inspector_demo import runner
from inspector_demo.workflows import (
    EvaluatorOptimizerWorkflow,
    OrchestratorWorkflow,
    ParallelWorkflow,
    RouterWorkflow,
    ToolsWorkflow,
    register_workflows,
)


@pytest.fixture
def app(demo_app):
    register_workflows(demo_app)
    return demo_app


async def test_tools_workflow_calls_tools_reads_resource_and_elicits(app):
    final = await runner.run(app, ToolsWorkflow)
    assert final["status"] == "completed", final
    value = runner.result_value(final)
    assert "5" in value
    assert "Paris" in value
    assert "ERROR" in value
    assert "user said: yes, go ahead" in value
    assert "handbook:" in value
    assert "config: 4 cities" in value


async def test_orchestrator_workflow(app):
    final = await runner.run(app, OrchestratorWorkflow)
    assert final["status"] == "completed", final
    assert runner.result_value(final)


async def test_router_workflow_picks_the_weather_agent(app):
    final = await runner.run(app, RouterWorkflow)
    assert final["status"] == "completed", final
    assert "Lima" in runner.result_value(final)


async def test_parallel_workflow(app):
    final = await runner.run(app, ParallelWorkflow)
    assert final["status"] == "completed", final
    assert runner.result_value(final)


async def test_evaluator_optimizer_workflow(app):
    final = await runner.run(app, EvaluatorOptimizerWorkflow)
    assert final["status"] == "completed", final
    assert runner.result_value(final)
