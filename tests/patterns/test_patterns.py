"""Issue 14 item 1: every mcp-agent 0.2.6 workflow pattern gets a ``workflow.run`` span with its ``mcp.workflow.type``
and its own structure (``mcp.result.<name>_json``), written to the trace file: parallel fan-out and fan-in,
evaluator-optimizer, swarm and function tools here; orchestrators in test_orchestrators, routers and intent
classifiers in test_routers.

Real pattern classes, the real ``OpenAIAugmentedLLM``/``AnthropicAugmentedLLM`` against the fake provider, the stdio
demo server for the tools.
"""

from __future__ import annotations

import json

from inspector_demo.fake_provider import Reply
from mcp_agent.agents.agent import Agent
from mcp_agent.workflows.evaluator_optimizer.evaluator_optimizer import EvaluatorOptimizerLLM, QualityRating
from mcp_agent.workflows.llm.augmented_llm_anthropic import AnthropicAugmentedLLM
from mcp_agent.workflows.llm.augmented_llm_openai import OpenAIAugmentedLLM
from mcp_agent.workflows.parallel.parallel_llm import ParallelLLM

from .conftest import spans_of, use_tracer
from .pattern_support import agent_of, descendants, result_of, weather_then_text, workers, workflow_runs


async def test_parallel_records_fan_out_and_fan_in(fake, make_app, inspector, traces_dir, tracer_provider):
    fake.responder = weather_then_text
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        parallel = ParallelLLM(
            fan_in_agent=Agent(name="editor", instruction="You are editor. Merge the answers."),
            fan_out_agents=workers(),
            fan_out_functions=[lambda message: [f"echo: {message}"]],
            llm_factory=AnthropicAugmentedLLM,
            context=running.context,
        )
        answer = await parallel.generate_str("Weather in Paris")
        session_id = running.session_id
    inspector.force_flush()
    spans = spans_of(traces_dir, session_id)
    (run,) = workflow_runs(spans, "parallel")
    state = result_of(run, "parallel")
    assert state["status"] == "completed"
    members = {m["name"]: m for m in state["fan_out"]}
    assert set(members) == {"finder", "writer", "<lambda>"}
    assert all(m["status"] == "completed" for m in members.values())
    assert members["finder"]["response"].startswith("finder says:")
    assert members["<lambda>"]["kind"] == "function"
    assert members["<lambda>"]["response"] == "echo: Weather in Paris"
    assert state["fan_in"]["name"] == "editor"
    assert state["fan_in"]["status"] == "completed"
    assert state["fan_in"]["result"] == answer
    by_id = {s["span_id"]: s for s in spans}
    assert by_id[members["finder"]["span_id"]]["attributes"]["mcp.agent.name"] == "finder"
    assert by_id[state["fan_in"]["span_id"]]["attributes"]["mcp.agent.name"] == "editor"
    agents = {s["attributes"].get("mcp.agent.name") for s in descendants(spans, run) if s["name"] == "agent.call"}
    assert {"finder", "writer", "editor"} <= agents


async def test_evaluator_optimizer_records_each_iteration(fake, make_app, inspector, traces_dir, tracer_provider):
    ratings = iter([(1, "Too vague: give the temperature.", True), (3, "Precise.", False)])

    def responder(turn):
        if turn.schema == "EvaluationResult":
            rating, feedback, again = next(ratings)
            return Reply(
                data={
                    "rating": rating,
                    "feedback": feedback,
                    "needs_improvement": again,
                    "focus_areas": ["numbers"] * again,
                }
            )
        return weather_then_text(turn)

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        loop = EvaluatorOptimizerLLM(
            optimizer=Agent(name="finder", instruction="You are finder. Answer with facts.", server_names=["demo"]),
            evaluator=Agent(name="critic", instruction="You are critic. Rate answers."),
            llm_factory=OpenAIAugmentedLLM,
            min_rating=QualityRating.EXCELLENT,
            context=running.context,
        )
        await loop.generate_str("Weather in Paris?")
        session_id = running.session_id
    inspector.force_flush()
    (run,) = workflow_runs(spans_of(traces_dir, session_id), "evaluator_optimizer")
    evaluation = result_of(run, "evaluation")
    assert evaluation["min_rating"] == "EXCELLENT"
    assert evaluation["status"] == "completed"
    assert [(i["attempt"], i["rating"], i["feedback"], i["needs_improvement"]) for i in evaluation["iterations"]] == [
        (1, "FAIR", "Too vague: give the temperature.", True),
        (2, "EXCELLENT", "Precise.", False),
    ]
    assert evaluation["iterations"][0]["focus_areas"] == ["numbers"]
    assert evaluation["iterations"][0]["response"].startswith("finder says:")
    assert evaluation["best_attempt"] == 2
    by_id = {s["span_id"]: s for s in spans_of(traces_dir, session_id)}
    for item in evaluation["iterations"]:
        assert by_id[item["span_id"]]["attributes"]["mcp.agent.name"] == "critic"
        assert by_id[item["response_span_id"]]["attributes"]["mcp.agent.name"] == "finder"


async def test_swarm_records_each_handoff_and_its_function_tools(
    fake, make_app, inspector, traces_dir, tracer_provider
):
    from mcp_agent.workflows.swarm.swarm import DoneAgent, SwarmAgent
    from mcp_agent.workflows.swarm.swarm_openai import OpenAISwarm

    def finish():
        """End the conversation."""
        return DoneAgent()

    writer = SwarmAgent(name="writer", instruction="You are writer. Write it up.", functions=[finish])

    def transfer_to_writer():
        """Hand the conversation to the writer."""
        return writer

    triage = SwarmAgent(name="triage", instruction="You are triage. Route requests.", functions=[transfer_to_writer])

    def responder(turn):
        if "transfer_to_writer" in turn.tools and not turn.after_tool:
            return Reply(tool_calls=(("transfer_to_writer", {}),))
        if "finish" in turn.tools and turn.last_text.startswith("Please resolve"):
            return Reply(tool_calls=(("finish", {}),))
        return Reply(text=f"{agent_of(turn)} wrote: sunny")

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        swarm = OpenAISwarm(agent=triage, context_variables={"user": "ada"})
        await swarm.generate_str("Write a weather note")
        session_id = running.session_id
    inspector.force_flush()
    spans = spans_of(traces_dir, session_id)
    (run,) = workflow_runs(spans, "swarm")
    handoffs = result_of(run, "handoffs")
    assert handoffs["status"] == "completed"
    assert handoffs["agents"] == ["triage", "writer", "__done__"]
    assert [(h["index"], h["from"], h["to"]) for h in handoffs["handoffs"]] == [
        (1, "triage", "writer"),
        (2, "writer", "__done__"),
    ]
    assert handoffs["context_variables"] == {"user": "ada"}
    # issue 14 item 2: the local Python functions are tool.call spans of their own, once each
    tools = sorted((s for s in descendants(spans, run) if s["name"] == "tool.call"), key=lambda s: s["start_time"])
    assert [
        (t["attributes"]["mcp.tool.name"], t["attributes"]["mcp.tool.kind"], t["attributes"]["mcp.agent.name"])
        for t in tools
    ] == [
        ("transfer_to_writer", "function", "triage"),
        ("finish", "function", "writer"),
    ]
    assert all(t["attributes"]["mcp.status.code"] == "ok" for t in tools)
    assert [h["span_id"] for h in handoffs["handoffs"]] == [t["span_id"] for t in tools]
    # the swarm is an LLM too: each turn of it is an llm.generate of the agent holding the turn, with the tokens of
    # its provider requests (else a swarm session counted no token and no cost)
    inside = descendants(spans, run)
    generations = sorted((s for s in inside if s["name"] == "llm.generate"), key=lambda s: s["start_time"])
    assert len(generations) >= 2
    for generation in generations:
        requests = [s for s in descendants(spans, generation) if s["name"] == "llm.request"]
        assert requests
        assert generation["attributes"]["gen_ai.usage.input_tokens"] == sum(
            r["attributes"]["mcp.llm.request.input_tokens"] for r in requests
        )
        # the model its requests asked for (OpenAISwarm asks for gpt-4o; the app's default is another), so the
        # tokens are priced right
        assert {r["attributes"]["gen_ai.request.model"] for r in requests} == {"gpt-4o"}
        assert generation["attributes"]["gen_ai.request.model"] == "gpt-4o"
    calls = sorted((s for s in inside if s["name"] == "agent.call"), key=lambda s: s["start_time"])
    assert [c["attributes"]["mcp.agent.name"] for c in calls][:2] == ["triage", "writer"]
    assert not [s for s in inside if s["name"] == "llm.generate" and descendants(spans, s) == []]


async def test_function_tool_of_a_plain_agent_is_a_tool_call(fake, make_app, inspector, traces_dir, tracer_provider):
    def shout(text: str) -> str:
        """Upper-case the text."""
        return text.upper()

    def responder(turn):
        if "shout" in turn.tools and not turn.after_tool:
            return Reply(tool_calls=(("shout", {"text": "hi"}),))
        return Reply(text=turn.last_text)

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        agent = Agent(name="loud", instruction="You are loud.", functions=[shout])
        async with agent:
            llm = await agent.attach_llm(AnthropicAugmentedLLM)
            assert (await llm.generate_str("say hi")).endswith("HI")
        session_id = running.session_id
    inspector.force_flush()
    (tool,) = [s for s in spans_of(traces_dir, session_id) if s["name"] == "tool.call"]
    assert tool["attributes"]["mcp.tool.kind"] == "function"
    assert json.loads(tool["attributes"]["mcp.tool.input_json"]) == {"text": "hi"}
    assert "HI" in tool["attributes"]["mcp.tool.output_json"]
