"""Issue 14 item 1: every mcp-agent 0.2.6 workflow pattern gets a ``workflow.run`` span with its ``mcp.workflow.type``
and its own structure (``mcp.result.<name>_json``), written to the trace file.

Real pattern classes, the real ``OpenAIAugmentedLLM``/``AnthropicAugmentedLLM`` against the fake provider, the stdio
demo server for the tools.
"""

from __future__ import annotations

import json

from inspector_demo.fake_provider import Reply
from mcp_agent.agents.agent import Agent
from mcp_agent.workflows.evaluator_optimizer.evaluator_optimizer import EvaluatorOptimizerLLM, QualityRating
from mcp_agent.workflows.intent_classifier.intent_classifier_base import Intent
from mcp_agent.workflows.intent_classifier.intent_classifier_embedding_openai import (
    OpenAIEmbeddingIntentClassifier,
)
from mcp_agent.workflows.intent_classifier.intent_classifier_llm_openai import OpenAILLMIntentClassifier
from mcp_agent.workflows.llm.augmented_llm_anthropic import AnthropicAugmentedLLM
from mcp_agent.workflows.llm.augmented_llm_openai import OpenAIAugmentedLLM
from mcp_agent.workflows.orchestrator.orchestrator import Orchestrator
from mcp_agent.workflows.parallel.parallel_llm import ParallelLLM
from mcp_agent.workflows.router.router_embedding_openai import OpenAIEmbeddingRouter
from mcp_agent.workflows.router.router_llm_openai import OpenAILLMRouter

from .conftest import spans_of, use_tracer


def _agent_of(turn) -> str:
    """The worker agents' instructions start with 'You are <name>.'; the fake answers in their name."""
    first = turn.system.split(".")[0]
    return first.removeprefix("You are ").strip() if first.startswith("You are ") else "model"


def _weather_then_text(turn) -> Reply:
    if "demo_lookup_weather" in turn.tools and not turn.after_tool:
        return Reply(tool_calls=(("demo_lookup_weather", {"city": "Paris"}),))
    return Reply(text=f"{_agent_of(turn)} says: {turn.last_text[:80]}")


def _workflow_runs(spans, workflow_type):
    return [
        s for s in spans if s["name"] == "workflow.run" and s["attributes"].get("mcp.workflow.type") == workflow_type
    ]


def _result(span, name):
    return json.loads(span["attributes"][f"mcp.result.{name}_json"])


def _descendants(spans, root):
    by_parent: dict[str, list[dict]] = {}
    for s in spans:
        by_parent.setdefault(s.get("parent_span_id") or "", []).append(s)
    found, todo = [], [root["span_id"]]
    while todo:
        for child in by_parent.get(todo.pop(), []):
            found.append(child)
            todo.append(child["span_id"])
    return found


def _workers():
    return [
        Agent(name="finder", instruction="You are finder. Find facts with tools.", server_names=["demo"]),
        Agent(name="writer", instruction="You are writer. Write short reports."),
    ]


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
        return _weather_then_text(turn)

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        orchestrator = Orchestrator(llm_factory=OpenAIAugmentedLLM, available_agents=_workers(), plan_type="full")
        answer = await orchestrator.generate_str("Report the weather in Paris")
        session_id = running.session_id
    inspector.force_flush()
    assert "says" in answer
    spans = spans_of(traces_dir, session_id)
    (run,) = _workflow_runs(spans, "orchestrator")
    assert run["attributes"]["mcp.workflow.class"] == "Orchestrator"
    assert json.loads(run["attributes"]["mcp.workflow.input_json"]) == "Report the weather in Paris"
    plan = _result(run, "plan")
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
    inside = _descendants(spans, run)
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
        return _weather_then_text(turn)

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        orchestrator = Orchestrator(llm_factory=OpenAIAugmentedLLM, available_agents=_workers(), plan_type="iterative")
        await orchestrator.generate_str("Weather?")
        session_id = running.session_id
    inspector.force_flush()
    (run,) = _workflow_runs(spans_of(traces_dir, session_id), "orchestrator")
    plan = _result(run, "plan")
    assert plan["plan_type"] == "iterative"
    assert [(s["description"], s["status"]) for s in plan["steps"]] == [("Ask", "completed"), ("Done", "not_run")]


async def test_llm_router_records_every_route_with_confidence(fake, make_app, inspector, traces_dir, tracer_provider):
    def responder(turn):
        if turn.schema == "StructuredResponse":
            return Reply(
                data={
                    "categories": [
                        {"category": "finder", "confidence": "high", "reasoning": "needs the weather tool"},
                        {"category": "writer", "confidence": "low", "reasoning": "could write it up"},
                    ]
                }
            )
        return _weather_then_text(turn)

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        router = await OpenAILLMRouter.create(name="dispatch", agents=_workers(), context=running.context)
        results = await router.route_to_agent("What is the weather in Paris?", top_k=1)
        session_id = running.session_id
    inspector.force_flush()
    assert [r.result.name for r in results] == ["finder"]
    spans = spans_of(traces_dir, session_id)
    (run,) = _workflow_runs(spans, "router")
    decision = _result(run, "router_decision")
    assert decision["router"] == "llm"
    assert decision["request"] == "What is the weather in Paris?"
    assert decision["top_k"] == 1
    assert decision["selected"] == ["finder"]
    routes = {c["category"]: c for c in decision["candidates"]}
    assert set(routes) == {"finder", "writer"}
    assert routes["finder"]["selected"] is True
    assert routes["finder"]["confidence"] == "high"
    assert routes["writer"]["selected"] is False
    assert routes["writer"]["reasoning"] == "could write it up"
    # the classifier's own generation is a child of the router's span
    assert any(s["name"] == "llm.generate" for s in _descendants(spans, run))


async def test_embedding_router_records_every_route_with_its_score(
    fake, make_app, inspector, traces_dir, tracer_provider
):
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        agents = [
            Agent(name="weather", instruction="weather forecast temperature city Paris"),
            Agent(name="maths", instruction="add numbers arithmetic sums"),
            Agent(name="poems", instruction="write poems verses"),
        ]
        router = await OpenAIEmbeddingRouter.create(agents=agents, context=running.context)
        results = await router.route_to_agent("temperature forecast in Paris", top_k=2)
        router.embedding_model.client.close()
        session_id = running.session_id
    inspector.force_flush()
    spans = spans_of(traces_dir, session_id)
    (run,) = _workflow_runs(spans, "router")
    decision = _result(run, "router_decision")
    assert decision["router"] == "embedding"
    scores = {c["category"]: c["score"] for c in decision["candidates"]}
    assert set(scores) == {"weather", "maths", "poems"}
    assert all(isinstance(v, float) for v in scores.values())
    assert decision["selected"] == [agent.name for agent in results]  # route_to_agent answers the agents
    assert decision["selected"][0] == "weather"
    ranked = sorted(scores, key=lambda name: -scores[name])
    assert ranked[:2] == decision["selected"]
    assert [c["category"] for c in decision["candidates"]] == ranked


async def test_parallel_records_fan_out_and_fan_in(fake, make_app, inspector, traces_dir, tracer_provider):
    fake.responder = _weather_then_text
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        parallel = ParallelLLM(
            fan_in_agent=Agent(name="editor", instruction="You are editor. Merge the answers."),
            fan_out_agents=_workers(),
            fan_out_functions=[lambda message: [f"echo: {message}"]],
            llm_factory=AnthropicAugmentedLLM,
            context=running.context,
        )
        answer = await parallel.generate_str("Weather in Paris")
        session_id = running.session_id
    inspector.force_flush()
    spans = spans_of(traces_dir, session_id)
    (run,) = _workflow_runs(spans, "parallel")
    state = _result(run, "parallel")
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
    agents = {s["attributes"].get("mcp.agent.name") for s in _descendants(spans, run) if s["name"] == "agent.call"}
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
        return _weather_then_text(turn)

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
    (run,) = _workflow_runs(spans_of(traces_dir, session_id), "evaluator_optimizer")
    evaluation = _result(run, "evaluation")
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


async def test_intent_classifiers_record_every_intent(fake, make_app, inspector, traces_dir, tracer_provider):
    def responder(turn):
        assert turn.schema == "StructuredIntentResponse"
        return Reply(
            data={
                "classifications": [
                    {"intent": "weather", "p_score": 0.9, "confidence": "high", "reasoning": "asks for weather"},
                    {"intent": "greeting", "p_score": 0.2, "confidence": "low", "reasoning": None},
                ]
            }
        )

    fake.responder = responder
    intents = [
        Intent(name="weather", description="questions about the weather forecast"),
        Intent(name="greeting", description="hello and goodbye"),
        Intent(name="maths", description="add numbers"),
    ]
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        by_llm = OpenAILLMIntentClassifier(intents=intents, context=running.context)
        found = await by_llm.classify("Will it rain in Paris?", top_k=1)
        by_embedding = await OpenAIEmbeddingIntentClassifier.create(intents=intents, context=running.context)
        nearest = await by_embedding.classify("the weather forecast", top_k=1)
        by_embedding.embedding_model.client.close()
        session_id = running.session_id
    inspector.force_flush()
    assert found[0].intent == "weather"
    assert nearest[0].intent == "weather"
    llm_run, embedding_run = _workflow_runs(spans_of(traces_dir, session_id), "intent_classifier")
    by_llm_state = _result(llm_run, "intent_classification")
    assert by_llm_state["classifier"] == "llm"
    rows = {i["intent"]: i for i in by_llm_state["intents"]}
    assert set(rows) == {"weather", "greeting", "maths"}
    assert rows["weather"]["selected"]
    assert rows["weather"]["confidence"] == "high"
    assert rows["weather"]["score"] == 0.9
    assert not rows["greeting"]["selected"]
    assert rows["greeting"]["confidence"] == "low"
    by_embedding_state = _result(embedding_run, "intent_classification")
    assert by_embedding_state["classifier"] == "embedding"
    selected = [i for i in by_embedding_state["intents"] if i["selected"]]
    assert [i["intent"] for i in selected] == ["weather"]
    assert isinstance(selected[0]["score"], float)


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
        return Reply(text=f"{_agent_of(turn)} wrote: sunny")

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        swarm = OpenAISwarm(agent=triage, context_variables={"user": "ada"})
        await swarm.generate_str("Write a weather note")
        session_id = running.session_id
    inspector.force_flush()
    spans = spans_of(traces_dir, session_id)
    (run,) = _workflow_runs(spans, "swarm")
    handoffs = _result(run, "handoffs")
    assert handoffs["status"] == "completed"
    assert handoffs["agents"] == ["triage", "writer", "__done__"]
    assert [(h["index"], h["from"], h["to"]) for h in handoffs["handoffs"]] == [
        (1, "triage", "writer"),
        (2, "writer", "__done__"),
    ]
    assert handoffs["context_variables"] == {"user": "ada"}
    # issue 14 item 2: the local Python functions are tool.call spans of their own, once each
    tools = sorted((s for s in _descendants(spans, run) if s["name"] == "tool.call"), key=lambda s: s["start_time"])
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
    inside = _descendants(spans, run)
    generations = sorted((s for s in inside if s["name"] == "llm.generate"), key=lambda s: s["start_time"])
    assert len(generations) >= 2
    for generation in generations:
        requests = [s for s in _descendants(spans, generation) if s["name"] == "llm.request"]
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
    assert not [s for s in inside if s["name"] == "llm.generate" and _descendants(spans, s) == []]


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
    (run,) = _workflow_runs(spans_of(traces_dir, session_id), "deep_orchestrator")
    assert run["attributes"]["mcp.workflow.class"] == "DeepOrchestrator"
    plan = _result(run, "plan")
    assert plan["status"] == "completed"
    assert plan["iterations"] >= 1
    assert [(s["description"], [t["agent"] for t in s["tasks"]]) for s in plan["steps"]][-1] == ("Look", ["finder"])
