"""Issue 16: GET /registry, every resource URI and prompt template across the traces with its sessions and spans."""

from __future__ import annotations

from gateway_support import end, header, span, write_trace


def test_registry_lists_resources_and_prompts_with_their_sessions_and_spans(live, traces_dir):
    write_trace(
        traces_dir / "run-reg0001.jsonl.gz",
        header("run-reg0001", "2026-01-01T00:00:00.000000Z", title="First"),
        span(1, "resource.fetch", **{"mcp.resource.uri": "demo://config.json"}),
        span(2, "resource.fetch", **{"mcp.resource.uri": "demo://config.json"}),
        span(3, "prompt.apply", **{"mcp.prompt.template_id": "summarize"}),
        span(4, "tool.call"),
        end(),
    )
    write_trace(
        traces_dir / "run-reg0002.jsonl.gz",
        header("run-reg0002", "2026-01-02T00:00:00.000000Z", title="Second"),
        span(5, "resource.fetch", **{"mcp.resource.uri": "demo://config.json"}),
        span(6, "resource.fetch", **{"mcp.resource.uri": "file:///notes.md"}),
    )
    body = live.client.get("/registry").json()
    resources = {r["name"]: r for r in body["resources"]}
    assert list(resources) == ["demo://config.json", "file:///notes.md"]  # most used first
    config = resources["demo://config.json"]
    assert config["uses"] == 3
    assert [s["id"] for s in config["sessions"]] == ["run-reg0002", "run-reg0001"]  # newest first
    assert config["sessions"][1]["spans"] == [f"{2:016x}", f"{3:016x}"]
    assert config["sessions"][1]["title"] == "First"
    assert config["sessions"][0]["status"] in {"running", "failed"}  # no session_end (its writer is not here)
    prompts = body["prompts"]
    assert [(p["name"], p["uses"], p["sessions"][0]["spans"]) for p in prompts] == [("summarize", 1, [f"{4:016x}"])]


def test_registry_needs_the_token(live):
    import httpx

    assert httpx.get(f"{live.base}/registry", timeout=10).status_code == 401
