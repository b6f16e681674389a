// Deterministic, realistic trace files per SPEC §4 for tests, development and the 100k-span timing.
// Line order follows the writer: header, span_start when a span starts, span when it ends, session_end last.

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const hex = (rand, n) => {
  let out = "";
  for (let i = 0; i < n; i++) out += Math.floor(rand() * 16).toString(16);
  return out;
};

export function isoMicros(us) {
  const ms = Math.floor(us / 1000);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = String(Math.floor(us % 1000000)).padStart(6, "0");
  return `${base}.${frac}Z`;
}

function llmAttrs(rand, i) {
  const prompt = [
    { role: "system", content: "You are a careful research assistant. Use the tools when they help." },
    { role: "user", content: `Question ${i}: what is the weather in Paris, and what is 2 + ${i % 10}?` },
  ];
  const wantsTool = rand() < 0.5;
  const response = wantsTool
    ? [{ role: "assistant", content: null, tool_calls: [{ id: `call_${i}`, type: "function", function: { name: "demo_lookup_weather", arguments: JSON.stringify({ city: "Paris" }) } }] }]
    : [{ role: "assistant", content: `It is sunny in Paris and 2 + ${i % 10} = ${2 + (i % 10)}.` }];
  return {
    "openinference.span.kind": "LLM",
    "mcp.llm.provider": "openai",
    "mcp.llm.model": "gpt-4o-mini",
    "gen_ai.operation.name": "chat",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.usage.input_tokens": 120 + Math.floor(rand() * 400),
    "gen_ai.usage.output_tokens": 20 + Math.floor(rand() * 200),
    "mcp.llm.prompt_json": JSON.stringify(prompt),
    "mcp.llm.response_json": JSON.stringify(response),
  };
}

function toolAttrs(rand, i) {
  const failed = rand() < 0.05;
  return {
    "openinference.span.kind": "TOOL",
    "mcp.tool.name": "demo_lookup_weather",
    "gen_ai.tool.name": "demo_lookup_weather",
    "mcp.tool.input_json": JSON.stringify({ city: "Paris", unit: "celsius" }),
    "mcp.tool.output_json": JSON.stringify(
      failed
        ? { isError: true, content: [{ type: "text", text: "weather service timed out" }] }
        : { isError: false, content: [{ type: "text", text: `Sunny, ${12 + (i % 10)}°C` }] },
    ),
    ...(failed ? { "mcp.error.code": "TIMEOUT", "mcp.error.message": "weather service timed out" } : {}),
  };
}

/**
 * Build the lines of a trace with about `spans` spans.
 * Options: sessionId, seed, running (leave the last workflow open, no session_end), startUs.
 */
export function makeTraceLines({ spans = 200, sessionId = "fixture-session-0001", seed = 7, running = false, startUs = Date.UTC(2026, 10, 23, 17, 0, 0) * 1000, title = "Research agent" } = {}) {
  const rand = rng(seed);
  const traceId = hex(rand, 32);
  const events = []; // [timeUs, order, record]
  let count = 0;
  let order = 0;
  const emit = (t, rec) => events.push([t, order++, rec]);

  function span(name, parent, t0, attrs, body) {
    const id = hex(rand, 16);
    count++;
    const startRec = { type: "span_start", trace_id: traceId, span_id: id, parent_span_id: parent, name, start_time: isoMicros(t0) };
    emit(t0, startRec);
    const t1 = body ? body(id, t0 + 300) : t0 + 20000 + Math.floor(rand() * 400000);
    const err = attrs && attrs["mcp.error.code"];
    const end = {
      type: "span",
      trace_id: traceId,
      span_id: id,
      parent_span_id: parent,
      name,
      kind: "INTERNAL",
      start_time: isoMicros(t0),
      end_time: isoMicros(t1),
      status: err ? { code: "ERROR", message: attrs["mcp.error.message"] } : { code: "OK", message: null },
      attributes: { "session.id": sessionId, ...(attrs ?? {}) },
      events: [],
      links: [],
    };
    return { id, t1, end };
  }

  const pendingEnds = [];
  function closed(s) {
    emit(s.t1, s.end);
    return s.t1;
  }

  const root = span("workflow.run", null, startUs, { "mcp.workflow.type": "ResearchWorkflow", "openinference.span.kind": "CHAIN", "mcp.workflow.input_json": JSON.stringify({ topic: "weather", rounds: 3 }) }, (rootId, t) => {
    let i = 0;
    while (count < spans) {
      const round = span("agent.call", rootId, t, { "mcp.agent.name": "researcher", "openinference.span.kind": "AGENT" }, (agentId, t2) => {
        const llm = span("llm.generate", agentId, t2, llmAttrs(rand, i), (llmId, t3) => {
          let t4 = t3;
          const tools = 1 + Math.floor(rand() * 3);
          for (let k = 0; k < tools && count < spans; k++) {
            const tool = span("tool.call", llmId, t4, toolAttrs(rand, i * 10 + k), (toolId, t5) => {
              if (count >= spans) return t5 + 100;
              const rpc = span("MCPAgentClientSession.send_request", toolId, t5, { "mcp.rpc.method": "tools/call", "mcp.rpc.transport": "stdio", "mcp.jsonrpc.version": "2.0" });
              return closed(rpc) + 2000;
            });
            t4 = closed(tool) + 1500;
          }
          return t4 + 300000 + Math.floor(rand() * 1500000);
        });
        return closed(llm) + 5000;
      });
      t = closed(round) + 3000;
      i++;
    }
    return t + 20000;
  });
  if (!running) {
    root.end.attributes["mcp.workflow.output_json"] = JSON.stringify({ answer: "Sunny in Paris", steps: count });
    root.end.attributes["mcp.result.plan_json"] = JSON.stringify({ plan_id: "p-1", steps: [{ step_id: "s-1", description: "look up the weather", status: "completed" }] });
    closed(root);
  }
  void pendingEnds;
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const header = { type: "session", v: 1, id: sessionId, engine: "asyncio", title, started_at: isoMicros(startUs), parent_session_id: null, resource: { "service.name": "inspector-demo" } };
  const lines = [JSON.stringify(header), ...events.map((e) => JSON.stringify(e[2]))];
  if (!running) lines.push(JSON.stringify({ type: "session_end", status: "completed", ended_at: isoMicros(root.t1), error: null }));
  return lines;
}
