"""Issue 14 item 1, routing: the LLM and embedding routers and the intent classifiers record every route or intent
with its confidence or score. Real pattern classes against the fake provider.
"""

from __future__ import annotations

from inspector_demo.fake_provider import Reply
from mcp_agent.agents.agent import Agent
from mcp_agent.workflows.intent_classifier.intent_classifier_base import Intent
from mcp_agent.workflows.intent_classifier.intent_classifier_embedding_openai import (
    OpenAIEmbeddingIntentClassifier,
)
from mcp_agent.workflows.intent_classifier.intent_classifier_llm_openai import OpenAILLMIntentClassifier
from mcp_agent.workflows.router.router_embedding_openai import OpenAIEmbeddingRouter
from mcp_agent.workflows.router.router_llm_openai import OpenAILLMRouter

from .conftest import spans_of, use_tracer
from .pattern_support import descendants, result_of, weather_then_text, workers, workflow_runs


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
        return weather_then_text(turn)

    fake.responder = responder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        router = await OpenAILLMRouter.create(name="dispatch", agents=workers(), context=running.context)
        results = await router.route_to_agent("What is the weather in Paris?", top_k=1)
        session_id = running.session_id
    inspector.force_flush()
    assert [r.result.name for r in results] == ["finder"]
    spans = spans_of(traces_dir, session_id)
    (run,) = workflow_runs(spans, "router")
    decision = result_of(run, "router_decision")
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
    assert any(s["name"] == "llm.generate" for s in descendants(spans, run))


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
    (run,) = workflow_runs(spans, "router")
    decision = result_of(run, "router_decision")
    assert decision["router"] == "embedding"
    scores = {c["category"]: c["score"] for c in decision["candidates"]}
    assert set(scores) == {"weather", "maths", "poems"}
    assert all(isinstance(v, float) for v in scores.values())
    assert decision["selected"] == [agent.name for agent in results]  # route_to_agent answers the agents
    assert decision["selected"][0] == "weather"
    ranked = sorted(scores, key=lambda name: -scores[name])
    assert ranked[:2] == decision["selected"]
    assert [c["category"] for c in decision["candidates"]] == ranked


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
    llm_run, embedding_run = workflow_runs(spans_of(traces_dir, session_id), "intent_classifier")
    by_llm_state = result_of(llm_run, "intent_classification")
    assert by_llm_state["classifier"] == "llm"
    rows = {i["intent"]: i for i in by_llm_state["intents"]}
    assert set(rows) == {"weather", "greeting", "maths"}
    assert rows["weather"]["selected"]
    assert rows["weather"]["confidence"] == "high"
    assert rows["weather"]["score"] == 0.9
    assert not rows["greeting"]["selected"]
    assert rows["greeting"]["confidence"] == "low"
    by_embedding_state = result_of(embedding_run, "intent_classification")
    assert by_embedding_state["classifier"] == "embedding"
    selected = [i for i in by_embedding_state["intents"] if i["selected"]]
    assert [i["intent"] for i in selected] == ["weather"]
    assert isinstance(selected[0]["score"], float)
