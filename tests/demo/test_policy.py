"""The scripted LLM's structured output and scripts, without any server."""

from __future__ import annotations

from typing import Literal

from inspector_demo import ScriptedLLM, ScriptPolicy, Structured, Text, scripted_factory
from mcp_agent.agents.agent import Agent
from mcp_agent.workflows.evaluator_optimizer.evaluator_optimizer import EvaluationResult, QualityRating
from mcp_agent.workflows.orchestrator.orchestrator_models import Plan
from mcp_agent.workflows.router.router_llm import StructuredResponse
from pydantic import BaseModel


class Forecast(BaseModel):
    city: str
    kind: Literal["sun", "rain"]
    days: list[int]
    confidence: float | None = None


async def test_structured_reply_from_the_script(demo_app):
    agent = Agent(name="forecaster", context=demo_app.context)
    llm = scripted_factory(ScriptPolicy([Structured({"city": "Lima", "kind": "rain", "days": [1, 2]})]))(agent)
    forecast = await llm.generate_structured("forecast for Lima", Forecast)
    assert forecast == Forecast(city="Lima", kind="rain", days=[1, 2])


async def test_unknown_model_gets_a_valid_built_instance(demo_app):
    llm = ScriptedLLM(name="builder", context=demo_app.context)
    forecast = await llm.generate_structured("anything", Forecast)
    assert forecast.kind == "sun"
    assert forecast.days == []


async def test_invalid_scripted_json_falls_back_to_a_valid_instance(demo_app):
    llm = ScriptedLLM(name="sloppy", policy=ScriptPolicy([Text("not json")]), context=demo_app.context)
    forecast = await llm.generate_structured("anything", Forecast)
    assert isinstance(forecast, Forecast)


async def test_workflow_models_are_built_from_the_prompt(demo_app):
    llm = ScriptedLLM(name="planner", context=demo_app.context)
    plan = await llm.generate_structured("Agents:\nAgent Name: researcher\nAgent Name: writer\n", Plan)
    assert not plan.is_complete
    assert [t.agent for t in plan.steps[0].tasks] == ["researcher", "writer"]
    done = await llm.generate_structured("Progress So Far (steps completed):\nStep: Ask the agents\n", Plan)
    assert done.is_complete

    route = await llm.generate_structured(
        "Agent Category: weather\nAgent Category: maths\nRequest: what is 2 plus 2 in maths?", StructuredResponse
    )
    assert route.categories[0].category == "maths"

    critic = ScriptedLLM(name="critic", context=demo_app.context)
    first = await critic.generate_structured("rate this", EvaluationResult)
    second = await critic.generate_structured("rate this again", EvaluationResult)
    assert first.rating == QualityRating.FAIR
    assert first.needs_improvement
    assert second.rating == QualityRating.EXCELLENT


async def test_history_and_message_text(demo_app):
    llm = ScriptedLLM(
        name="talker", instruction="Be brief.", policy=ScriptPolicy(["one", "two"]), context=demo_app.context
    )
    assert await llm.generate_str("first") == "one"
    assert await llm.generate_str("second") == "two"
    roles = [m["role"] for m in llm.history.get()]
    assert roles == ["system", "user", "assistant", "user", "assistant"]
    assert str(llm.history.get()[-1]) == "two"
