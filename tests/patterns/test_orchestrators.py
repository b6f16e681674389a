"""Issue 14 item 1, the orchestrators (full, iterative, deep): a ``workflow.run`` span with the plan, its steps and
tasks, each with its agent, status, result and the span that did it. Real pattern classes against the fake provider.
"""

from __future__ import annotations

import json

from inspector_demo.fake_provider import Reply
from mcp_agent.agents.agent import Agent
from mcp_agent.workflows.llm.augmented_llm_openai import OpenAIAugmentedLLM
from mcp_agent.workflows.orchestrator.orchestrator import Orchestrator

from .conftest import spans_of, use_tracer
from .pattern_support import descendants, result_of, weather_then_text, workers, workflow_runs


async def test_orchestrator_records_its_plan_steps_tasks_and_results(
    fake, make_app, inspector, traces_dir, tracer_provider
):
    plans = []

    def responder(turn):
        if turn.schema == "Plan":
            plans.append(turn)
            if len(plans) == 1:
                return Reply(
                    data={
                        "steps": [
                            {
                                "description": "Gather",
                                "tasks": [{"description": "Weather in Paris", "agent": "finder"}],
                            },
                            {
                                "description": "Write",
                                "tasks": [
                                    {"description": "Draft the report", "agent": "writer"},
                                    {"description": "Double-check the numbers", "agent": "finder"},
                                ],
                            },
                        ],
                        "is_complete": False,
                    }
                )
            return Reply(data={"steps": [], "is_complete": True})
        return weather_then_text(turn)

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        orchestrator = Orchestrator(llm_factory=OpenAIAugmentedLLM, available_agents=workers(), plan_type="full")
        answer = await orchestrator.generate_str("Report the weather in Paris")
        session_id = running.session_id
    inspector.force_flush()
    assert "says" in answer
    spans = spans_of(traces_dir, session_id)
    (run,) = workflow_runs(spans, "orchestrator")
    assert run["attributes"]["mcp.workflow.class"] == "Orchestrator"
    assert json.loads(run["attributes"]["mcp.workflow.input_json"]) == "Report the weather in Paris"
    plan = result_of(run, "plan")
    assert plan["status"] == "completed"
    assert plan["is_complete"] is True
    assert plan["iterations"] == 2
    assert [s["description"] for s in plan["steps"]] == ["Gather", "Write"]
    assert [s["status"] for s in plan["steps"]] == ["completed", "completed"]
    tasks = [(t["description"], t["agent"], t["status"]) for s in plan["steps"] for t in s["tasks"]]
    assert tasks == [
        ("Weather in Paris", "finder", "completed"),
        ("Draft the report", "writer", "completed"),
        ("Double-check the numbers", "finder", "completed"),
    ]
    assert plan["steps"][0]["tasks"][0]["result"].startswith("finder says:")
    assert plan["result"] == answer
    # the workers' agent calls and their tool call are children of the pattern's span
    inside = descendants(spans, run)
    agents = [s["attributes"].get("mcp.agent.name") for s in inside if s["name"] == "agent.call"]
    assert agents.count("finder") == 2
    assert agents.count("writer") == 1
    assert any(s["name"] == "tool.call" and s["attributes"]["mcp.tool.name"] == "demo_lookup_weather" for s in inside)
    # each task links to the agent call that did it (in order, per agent)
    by_id = {s["span_id"]: s for s in spans}
    linked = [(t["agent"], by_id[t["span_id"]]) for st in plan["steps"] for t in st["tasks"]]
    assert [(a, s["name"], s["attributes"]["mcp.agent.name"]) for a, s in linked] == [
        ("finder", "agent.call", "finder"),
        ("writer", "agent.call", "writer"),
        ("finder", "agent.call", "finder"),
    ]
    assert linked[0][1]["start_time"] < linked[2][1]["start_time"]
    # the pattern is not also recorded as an LLM generation
    assert not any(
        s["name"] == "llm.generate" and s["attributes"].get("gen_ai.agent.name") == orchestrator.agent.name
        for s in spans
    )


async def test_iterative_orchestrator_records_each_next_step(fake, make_app, inspector, traces_dir, tracer_provider):
    steps = []

    def responder(turn):
        if turn.schema == "NextStep":
            steps.append(turn)
            if len(steps) == 1:
                return Reply(
                    data={
                        "description": "Ask",
                        "tasks": [{"description": "Weather", "agent": "finder"}],
                        "is_complete": False,
                    }
                )
            return Reply(data={"description": "Done", "tasks": [], "is_complete": True})
        return weather_then_text(turn)

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        orchestrator = Orchestrator(llm_factory=OpenAIAugmentedLLM, available_agents=workers(), plan_type="iterative")
        await orchestrator.generate_str("Weather?")
        session_id = running.session_id
    inspector.force_flush()
    (run,) = workflow_runs(spans_of(traces_dir, session_id), "orchestrator")
    plan = result_of(run, "plan")
    assert plan["plan_type"] == "iterative"
    assert [(s["description"], s["status"]) for s in plan["steps"]] == [("Ask", "completed"), ("Done", "not_run")]


async def test_deep_orchestrator_is_a_pattern_run_with_its_plan(fake, make_app, inspector, traces_dir, tracer_provider):
    from mcp_agent.workflows.deep_orchestrator.orchestrator import DeepOrchestrator

    def responder(turn):
        if turn.schema == "Plan":
            step = {"description": "Look", "tasks": [{"name": "t1", "description": "weather", "agent": "finder"}]}
            return Reply(data={"steps": [step], "is_complete": False, "reasoning": "one look"})
        if turn.schema == "VerificationResult":
            return Reply(data={})  # not a valid verification: the orchestrator goes on with what it has
        return Reply(text="done")

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        deep = DeepOrchestrator(
            llm_factory=OpenAIAugmentedLLM,
            available_agents=[Agent(name="finder", instruction="You are finder.")],
            context=running.context,
        )
        await deep.generate_str("Weather?")
        session_id = running.session_id
    inspector.force_flush()
    (run,) = workflow_runs(spans_of(traces_dir, session_id), "deep_orchestrator")
    assert run["attributes"]["mcp.workflow.class"] == "DeepOrchestrator"
    plan = result_of(run, "plan")
    assert plan["status"] == "completed"
    assert plan["iterations"] >= 1
    assert [(s["description"], [t["agent"] for t in s["tasks"]]) for s in plan["steps"]][-1] == ("Look", ["finder"])
