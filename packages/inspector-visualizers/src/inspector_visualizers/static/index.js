// First-party visualizers of mcp-agent-inspector, registered through the public UI plugin API (docs/plugins.md):
// on `inspector:init`, detail.registerVisualizer({id, version, priority, label, matches(span), render(element, span)}).
// Plain DOM, no framework and no build step. Each visualizer draws one mcp.result.<name>_json attribute that
// inspector-otel writes on a pattern's workflow.run span; rows that carry a span_id open that span when clicked.
(() => {
  "use strict";
  const VERSION = "0.1.0";
  const STYLE_ID = "inspector-visualizers-style";
  const CSS = `
.iv { font: 13px/1.4 system-ui, sans-serif; padding: 8px; display: grid; gap: 8px; }
.iv h4 { margin: 0; font-size: 13px; }
.iv .iv-dim { opacity: .7; }
.iv .iv-card { border: 1px solid rgba(127,127,127,.35); border-radius: 6px; padding: 6px 8px; display: grid; gap: 4px; }
.iv .iv-row { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.iv .iv-link { cursor: pointer; text-decoration: underline dotted; }
.iv .iv-link:hover { text-decoration: underline; }
.iv .iv-badge { font-size: 11px; padding: 0 6px; border-radius: 8px; border: 1px solid currentColor; white-space: nowrap; }
.iv .iv-st-completed, .iv .iv-st-selected { color: #15803d; }
.iv .iv-st-running { color: #2563eb; }
.iv .iv-st-failed { color: #dc2626; }
.iv .iv-st-pending, .iv .iv-st-not_run { color: #6b7280; }
.iv .iv-bar { height: 8px; background: rgba(127,127,127,.2); border-radius: 4px; min-width: 120px; flex: 1; }
.iv .iv-bar > div { height: 100%; border-radius: 4px; background: #8b5cf6; }
.iv .iv-selected .iv-bar > div { background: #ec4899; }
.iv .iv-text { white-space: pre-wrap; max-height: 8em; overflow: auto; }
.iv .iv-seq { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
`;

  function ensureStyle() {
    if (document.getElementById(STYLE_ID)) return;
    const style = document.createElement("style");
    style.id = STYLE_ID;
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("data-") || key === "title" || key === "role") node.setAttribute(key, String(value));
      else node[key] = value;
    }
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function attributesOf(span) {
    return (span && span.attributes) || {};
  }

  function readJson(span, key) {
    const raw = attributesOf(span)[key];
    if (typeof raw !== "string") return raw && typeof raw === "object" ? raw : null;
    try {
      return JSON.parse(raw);
    } catch {
      return undefined; // cut at the attribute limit: not drawable
    }
  }

  /** Open another span of the same session (the page's own hash route, as a span link does). */
  function openSpan(spanId) {
    const match = /^#\/session\/([^/?]+)/.exec(location.hash);
    if (match && spanId) location.hash = `#/session/${match[1]}/span/${encodeURIComponent(spanId)}`;
  }

  function linked(node, spanId) {
    if (!spanId) return node;
    node.classList.add("iv-link");
    node.setAttribute("data-span-id", spanId);
    node.setAttribute("role", "link");
    node.title = "Open this span";
    node.addEventListener("click", (event) => {
      event.stopPropagation();
      openSpan(spanId);
    });
    return node;
  }

  function badge(status) {
    const text = String(status || "pending");
    return el("span", { class: `iv-badge iv-st-${text.replace(/[^a-z_]/gi, "")}`, "data-status": text }, text);
  }

  function text(value, cls) {
    return value === undefined || value === null || value === "" ? null : el("div", { class: cls || "iv-text" }, value);
  }

  function root(testId, ...children) {
    ensureStyle();
    return el("div", { class: "iv", "data-testid": testId }, ...children);
  }

  function unreadable(element, what) {
    element.append(root("iv-unreadable", el("p", { class: "iv-dim" }, `The ${what} is too large to draw here; see the Attributes tab.`)));
  }

  // ---- orchestrator plan ------------------------------------------------------------------------------------------
  function renderPlan(element, span) {
    const plan = readJson(span, "mcp.result.plan_json");
    if (!plan) return unreadable(element, "plan");
    const steps = Array.isArray(plan.steps) ? plan.steps : [];
    const head = el(
      "div",
      { class: "iv-row" },
      el("h4", {}, "Plan"),
      badge(plan.status),
      el("span", { class: "iv-dim" }, `${plan.plan_type || ""} · ${steps.length} step(s) · ${plan.iterations || 0} planning call(s)`),
    );
    const objective = text(plan.objective ? `Objective: ${plan.objective}` : null, "iv-dim");
    const cards = steps.map((step, index) => {
      const tasks = (step.tasks || []).map((task) =>
        linked(
          el(
            "div",
            { class: "iv-row", "data-testid": "iv-task", "data-agent": task.agent || "", "data-status": task.status || "" },
            badge(task.status),
            el("strong", {}, task.agent || task.name || "?"),
            el("span", {}, task.description || ""),
          ),
          task.span_id,
        ),
      );
      return el(
        "div",
        { class: "iv-card", "data-testid": "iv-step", "data-status": step.status || "" },
        el("div", { class: "iv-row" }, el("h4", {}, `Step ${index + 1}`), badge(step.status), el("span", {}, step.description || "")),
        ...tasks,
      );
    });
    const result = plan.result ? el("div", { class: "iv-card" }, el("h4", {}, "Result"), text(plan.result)) : null;
    element.append(root("iv-plan", head, objective, ...cards, result));
  }

  // ---- router ------------------------------------------------------------------------------------------------------
  const CONFIDENCE = { high: 1, medium: 0.66, low: 0.33 };

  function renderRouter(element, span) {
    const decision = readJson(span, "mcp.result.router_decision_json");
    if (!decision) return unreadable(element, "routing decision");
    const routes = Array.isArray(decision.candidates) ? decision.candidates.slice() : [];
    const value = (r) => (typeof r.score === "number" ? r.score : CONFIDENCE[r.confidence] ?? 0);
    routes.sort((a, b) => Number(!!b.selected) - Number(!!a.selected) || value(b) - value(a));
    const rows = routes.map((r) =>
      el(
        "div",
        { class: `iv-card ${r.selected ? "iv-selected" : ""}`, "data-testid": "iv-route", "data-category": r.category, "data-selected": String(!!r.selected) },
        el(
          "div",
          { class: "iv-row" },
          el("strong", {}, r.category),
          el("span", { class: "iv-dim" }, r.kind || ""),
          el("div", { class: "iv-bar" }, el("div", { style: `width:${Math.round(Math.max(0, Math.min(1, value(r))) * 100)}%` })),
          el("span", {}, typeof r.score === "number" ? r.score.toFixed(3) : r.confidence || "–"),
          r.selected ? badge("selected") : null,
        ),
        text(r.reasoning, "iv-dim"),
      ),
    );
    element.append(
      root(
        "iv-router",
        el("div", { class: "iv-row" }, el("h4", {}, `Routing (${decision.router || "router"})`), badge(decision.status), decision.top_k ? el("span", { class: "iv-dim" }, `top ${decision.top_k}`) : null),
        text(decision.request ? `Request: ${decision.request}` : null, "iv-dim"),
        ...rows,
      ),
    );
  }

  // ---- evaluator-optimizer ---------------------------------------------------------------------------------------
  function renderEvaluation(element, span) {
    const evaluation = readJson(span, "mcp.result.evaluation_json");
    if (!evaluation) return unreadable(element, "evaluation");
    const cards = (evaluation.iterations || []).map((it) =>
      el(
        "div",
        { class: "iv-card", "data-testid": "iv-iteration", "data-rating": it.rating || "" },
        linked(
          el(
            "div",
            { class: "iv-row" },
            el("h4", {}, `Attempt ${it.attempt}`),
            el("span", { class: "iv-badge" }, it.rating || "?"),
            it.attempt === evaluation.best_attempt ? badge("selected") : null,
            it.needs_improvement ? el("span", { class: "iv-dim" }, "needs improvement") : null,
          ),
          it.span_id,
        ),
        text(it.feedback ? `Feedback: ${it.feedback}` : null),
        (it.focus_areas || []).length ? el("div", { class: "iv-dim" }, `Focus: ${it.focus_areas.join(", ")}`) : null,
        linked(el("div", { class: "iv-text iv-dim" }, it.response || ""), it.response_span_id),
      ),
    );
    element.append(
      root(
        "iv-evaluation",
        el("div", { class: "iv-row" }, el("h4", {}, "Evaluator-optimizer"), badge(evaluation.status), el("span", { class: "iv-dim" }, `accepts ${evaluation.min_rating || "?"} · at most ${evaluation.max_refinements ?? "?"} refinements`)),
        ...cards,
      ),
    );
  }

  // ---- parallel ----------------------------------------------------------------------------------------------------
  function renderParallel(element, span) {
    const state = readJson(span, "mcp.result.parallel_json");
    if (!state) return unreadable(element, "fan-out");
    const lanes = (state.fan_out || []).map((m) =>
      linked(
        el(
          "div",
          { class: "iv-card", "data-testid": "iv-member", "data-name": m.name, "data-status": m.status || "" },
          el("div", { class: "iv-row" }, badge(m.status), el("strong", {}, m.name), el("span", { class: "iv-dim" }, m.kind || "")),
          text(m.response),
        ),
        m.span_id,
      ),
    );
    const fanIn = state.fan_in || {};
    element.append(
      root(
        "iv-parallel",
        el("div", { class: "iv-row" }, el("h4", {}, `Fan-out (${lanes.length})`), badge(state.status)),
        ...lanes,
        el("h4", {}, "Fan-in"),
        linked(
          el("div", { class: "iv-card", "data-testid": "iv-fan-in", "data-status": fanIn.status || "" }, el("div", { class: "iv-row" }, badge(fanIn.status), el("strong", {}, fanIn.name || "?")), text(fanIn.result)),
          fanIn.span_id,
        ),
      ),
    );
  }

  // ---- swarm ---------------------------------------------------------------------------------------------------------
  function renderSwarm(element, span) {
    const state = readJson(span, "mcp.result.handoffs_json");
    if (!state) return unreadable(element, "hand-offs");
    const sequence = el("div", { class: "iv-seq" });
    (state.agents || []).forEach((agent, i) => {
      if (i) sequence.append(el("span", { class: "iv-dim" }, "→"));
      sequence.append(el("strong", { "data-testid": "iv-agent" }, agent));
    });
    const rows = (state.handoffs || []).map((h) =>
      linked(
        el("div", { class: "iv-row", "data-testid": "iv-handoff", "data-from": h.from || "", "data-to": h.to || "" }, el("span", { class: "iv-dim" }, `#${h.index}`), el("strong", {}, h.from || "?"), "hands off to", el("strong", {}, h.to || "(none)")),
        h.span_id,
      ),
    );
    const vars = state.context_variables && Object.keys(state.context_variables).length ? text(`Context variables: ${JSON.stringify(state.context_variables)}`, "iv-dim") : null;
    element.append(root("iv-swarm", el("div", { class: "iv-row" }, el("h4", {}, "Swarm"), badge(state.status)), sequence, ...rows, vars, text(state.result)));
  }

  // ---- intent classification -------------------------------------------------------------------------------------
  function renderIntents(element, span) {
    const state = readJson(span, "mcp.result.intent_classification_json");
    if (!state) return unreadable(element, "classification");
    const intents = (state.intents || []).slice();
    const value = (r) => (typeof r.score === "number" ? r.score : CONFIDENCE[r.confidence] ?? 0);
    intents.sort((a, b) => Number(!!b.selected) - Number(!!a.selected) || value(b) - value(a));
    const rows = intents.map((r) =>
      el(
        "div",
        { class: `iv-card ${r.selected ? "iv-selected" : ""}`, "data-testid": "iv-intent", "data-intent": r.intent, "data-selected": String(!!r.selected) },
        el("div", { class: "iv-row" }, el("strong", {}, r.intent), el("div", { class: "iv-bar" }, el("div", { style: `width:${Math.round(Math.max(0, Math.min(1, value(r))) * 100)}%` })), el("span", {}, typeof r.score === "number" ? r.score.toFixed(3) : r.confidence || "–"), r.selected ? badge("selected") : null),
        text(r.description, "iv-dim"),
        text(r.reasoning, "iv-dim"),
      ),
    );
    element.append(root("iv-intents", el("div", { class: "iv-row" }, el("h4", {}, `Intent classification (${state.classifier || "?"})`), badge(state.status)), text(state.request ? `Request: ${state.request}` : null, "iv-dim"), ...rows));
  }

  const VISUALIZERS = [
    ["orchestrator-plan", "Plan", "mcp.result.plan_json", renderPlan],
    ["router-scores", "Routes", "mcp.result.router_decision_json", renderRouter],
    ["evaluator-iterations", "Evaluations", "mcp.result.evaluation_json", renderEvaluation],
    ["parallel-fan-out", "Fan-out", "mcp.result.parallel_json", renderParallel],
    ["swarm-handoffs", "Hand-offs", "mcp.result.handoffs_json", renderSwarm],
    ["intent-classification", "Intents", "mcp.result.intent_classification_json", renderIntents],
  ];

  window.addEventListener("inspector:init", (event) => {
    const api = event.detail;
    if (!api || typeof api.registerVisualizer !== "function") return;
    for (const [id, label, key, render] of VISUALIZERS) {
      api.registerVisualizer({
        id,
        label,
        version: VERSION,
        priority: 10,
        matches: (span) => typeof attributesOf(span)[key] === "string",
        render,
      });
    }
  });
})();
