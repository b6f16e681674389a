"""mcp-agent-shaped trace files of 10k-1M spans, written through the real exporter code, cached under .benchmarks/.

    uv run python benchmarks/real_traces.py 100000          # prints the cached traces dir (makes it when missing)

    from real_traces import real_trace                       # benchmarks/ on sys.path (benchmarks/conftest.py)
    traces_dir, session_id = real_trace(100_000)

The spans are what an mcp-agent run under the inspector records, with realistic sizes (issue #15: ~3 KB of
attributes a span): per "turn" of an agent, a ``workflow.run`` (router) holding parallel ``agent.call`` spans, each
with ``llm.generate`` (a 1-5 KB prompt and a response, token usage), its provider ``llm.request``, then tool calls
(``Agent.<name>.call_tool`` with a small input and a 1-5 KB output) each wrapping a JSON-RPC ``tools/call``
request with its envelopes; sub-agents nest to depth ~8, and sibling agents overlap in time. Text comes from the
fixed paragraph pool of ``tests/trace_gen.py`` (same seed, same bytes).

The records go through ``inspector_otel``'s own writer (``TraceWriter``: the msgspec records, the batching, the
ISA-L compression, the v2 access points and sidecars), fed the same field tuples ``span_fields`` reads from SDK
spans. A cached trace is reused while ``FORMAT_VERSION`` and this generator's ``VERSION`` stay the same.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from trace_gen import paragraphs  # noqa: E402

from inspector_hooks import tracefile  # noqa: E402

__all__ = ["CACHE", "VERSION", "part_without_sidecars", "real_trace", "span_fields_of", "write_trace"]

VERSION = 2  # 2: string attributes are cut by their UTF-8 length
CACHE = ROOT / ".benchmarks" / "real-traces"
_T0 = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z in ns
_MODELS = ("gpt-4o-2024-08-06", "claude-sonnet-4-20250514")
_TOOLS = ("filesystem_read_file", "filesystem_list_directory", "fetch_fetch", "demo_lookup_weather")
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class _Gen:
    """Makes the span tuples of one session, depth first, each after its children (as spans end)."""

    def __init__(self, session_id: str, target: int) -> None:
        self.session_id = session_id
        self.target = target
        self.pool = paragraphs()
        self.count = 0
        self.next_id = 1

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def _text(self, n: int) -> str:
        return self.pool[(n * 7919) % len(self.pool)]

    def _span(
        self,
        sid: int,
        parent: int | None,
        name: str,
        kind: str,
        start: int,
        end: int,
        attrs: dict[str, Any],
        events: list[dict[str, Any]] | None = None,
    ) -> tuple[Any, ...]:
        self.count += 1
        attrs["session.id"] = self.session_id
        status = "ERROR" if events else "OK"
        return (
            1,
            sid,
            parent,
            name,
            kind,
            start,
            end,
            status,
            "tool failed" if events else None,
            attrs,
            events or [],
            [],
        )

    def spans(self) -> Iterator[tuple[Any, ...]]:
        root = self._id()
        turn = 0
        start = _T0
        while self.count < self.target - 1:
            end = start
            for span in self._turn(root, turn, start, depth=0):
                end = max(end, span[6])
                yield span
            turn += 1
            start = end + 1_000_000
        yield self._span(
            root,
            None,
            "workflow.run",
            "INTERNAL",
            _T0,
            start,
            {
                "mcp.workflow.type": "Router",
                "gen_ai.workflow.name": "research",
                "mcp.workflow.input_json": _dumps({"task": self._text(0)[:800]}),
            },
        )

    def _turn(self, parent: int, turn: int, start: int, depth: int) -> Iterator[tuple[Any, ...]]:
        """One router step: 2-3 agents in parallel (overlapping), each an LLM call and its tool calls; every
        fourth agent delegates to a sub-agent one level deeper (up to depth 4: ~8 levels of spans)."""
        step = self._id()
        agents = 2 + turn % 2
        end = start
        children: list[tuple[Any, ...]] = []
        for a in range(agents):
            if self.count + len(children) >= self.target - 2:
                break
            a_start = start + a * 3_000_000  # siblings start 3 ms apart and overlap
            children.extend(self._agent(step, turn * 10 + a, a_start, depth))
            end = max(end, children[-1][6])
        yield from children
        yield self._span(
            step,
            parent,
            "workflow.step",
            "INTERNAL",
            start,
            end + 100_000,
            {"mcp.workflow.type": "Router", "mcp.workflow.step": turn},
        )

    def _agent(self, parent: int, n: int, start: int, depth: int) -> list[tuple[Any, ...]]:
        agent = self._id()
        name = ("finder", "writer", "critic", "planner")[n % 4]
        out: list[tuple[Any, ...]] = []
        t = start + 200_000
        llm = self._id()
        req = self._id()
        model = _MODELS[n % 2]
        prompt = [{"role": "user", "content": [{"type": "text", "text": self._text(n)}]}]
        answer = [{"role": "assistant", "content": [{"type": "text", "text": self._text(n + 1)[:2500]}]}]
        out.append(
            self._span(
                req,
                llm,
                "llm.request",
                "CLIENT",
                t + 50_000,
                t + 9_000_000,
                {
                    "mcp.llm.request.iteration": 0,
                    "gen_ai.response.model": model,
                    "gen_ai.response.id": f"resp-{n}",
                    "mcp.llm.request.input_tokens": 900 + n % 400,
                    "mcp.llm.request.output_tokens": 200 + n % 90,
                },
            )
        )
        out.append(
            self._span(
                llm,
                agent,
                "llm.generate",
                "INTERNAL",
                t,
                t + 9_100_000,
                {
                    "gen_ai.agent.name": name,
                    "gen_ai.request.model": model,
                    "gen_ai.response.model": model,
                    "gen_ai.provider.name": "openai",
                    "mcp.llm.provider": "openai",
                    "mcp.llm.prompt_json": _dumps(prompt),
                    "mcp.llm.response_json": _dumps(answer),
                    "gen_ai.usage.input_tokens": 900 + n % 400,
                    "gen_ai.usage.output_tokens": 200 + n % 90,
                },
            )
        )
        t += 9_200_000
        for k in range(1 + n % 3):
            if self.count >= self.target - 4:
                break
            out.extend(self._tool(agent, n * 3 + k, t, name))
            t = out[-1][6] + 100_000
        if n % 4 == 3 and depth < 4 and self.count < self.target - 20:
            out.extend(self._turn(agent, n, t, depth + 1))
            t = out[-1][6] + 100_000
        out.append(
            self._span(
                agent,
                parent,
                f"agent.call {name}",
                "INTERNAL",
                start,
                t,
                {"mcp.agent.name": name, "gen_ai.agent.name": name, "mcp.agent.class": "Agent"},
            )
        )
        return out

    def _tool(self, parent: int, n: int, start: int, agent: str) -> list[tuple[Any, ...]]:
        tool = self._id()
        rpc = self._id()
        name = _TOOLS[n % len(_TOOLS)]
        args = {"path": f"/data/project/file-{n % 997}.md", "max_bytes": 8192}
        failed = n % 53 == 7
        result = {"isError": failed, "content": [{"type": "text", "text": self._text(n + 3)}]}
        request = {"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": {"name": name, "arguments": args}}
        response = {"jsonrpc": "2.0", "id": n, "result": result}
        end = start + 2_000_000 + (n % 17) * 100_000
        rpc_span = self._span(
            rpc,
            tool,
            "MCPAgentClientSession.send_request",
            "CLIENT",
            start + 100_000,
            end - 100_000,
            {
                "mcp.method.name": "tools/call",
                "mcp.rpc.method": "tools/call",
                "mcp.rpc.id": str(n),
                "mcp.rpc.transport": "stdio",
                "mcp.rpc.direction": "outbound",
                "mcp.rpc.server_name": name.split("_", 1)[0],
                "mcp.rpc.request_json": _dumps(request),
                "mcp.rpc.response_json": _dumps(response),
                "mcp.rpc.duration_ms": (end - start) // 1_000_000,
            },
        )
        events = None
        if failed:
            events = [
                {
                    "name": "exception",
                    "time": tracefile.utc_from_timestamp(end / 1e9),
                    "attributes": {"exception.type": "ToolError", "exception.message": f"{name} failed"},
                }
            ]
        tool_span = self._span(
            tool,
            parent,
            f"Agent.{agent}.call_tool",
            "INTERNAL",
            start,
            end,
            {
                "gen_ai.tool.name": name,
                "mcp.tool.name": name,
                "gen_ai.tool.call.id": f"call_{n}",
                "mcp.tool.input_json": _dumps(args),
                "mcp.tool.output_json": _dumps(result),
            },
            events,
        )
        return [rpc_span, tool_span]


def span_fields_of(session_id: str, spans: int) -> Iterator[tuple[Any, ...]]:
    """The ``spans`` span tuples of a generated session (``_jsonl.SpanFields`` shape), in the order they end."""
    return _Gen(session_id, spans).spans()


def write_trace(directory: Path, spans: int, *, session_id: str = "real-trace-0001", sidecars: bool = True) -> Path:
    """Write a generated session of ``spans`` spans into ``directory`` through the exporter's writer; returns part 0."""
    from inspector_otel._writer import END, SESSION, SPAN, TraceWriter

    writer = TraceWriter(directory, level=1, max_bytes=1 << 40, max_open=4, sidecars=sidecars)
    writer.resource = {"service.name": "real_traces", "telemetry.sdk.name": "opentelemetry"}
    writer.put(
        SESSION,
        session_id,
        {
            "engine": "asyncio",
            "title": f"generated {spans} spans",
            "started_at": tracefile.utc_from_timestamp(_T0 / 1e9),
        },
    )
    put = writer.put
    for n, fields in enumerate(span_fields_of(session_id, spans), 1):
        put(SPAN, session_id, fields)
        if n % 2000 == 0:  # batches of the size a busy agent gives the writer
            writer.flush(ends=False)
    put(
        END, session_id, tracefile.session_end_record("completed", None, tracefile.utc_from_timestamp(_T0 / 1e9 + 3600))
    )
    writer.flush()
    writer.stop()
    return tracefile.part_path(directory, session_id, 0)


def real_trace(spans: int, *, session_id: str = "real-trace-0001") -> tuple[Path, str]:
    """A cached traces dir holding one generated session of ``spans`` spans (made on first use): (dir, session id).
    Treat it as read-only (copy it to change it)."""
    directory = CACHE / f"v{tracefile.FORMAT_VERSION}.{VERSION}-{spans}-{session_id}"
    done = directory / ".complete"
    if not done.exists():
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        write_trace(directory, spans, session_id=session_id)
        done.write_text("ok\n")
    return directory, session_id


def part_without_sidecars(folder: Path, session_id: str, into: Path) -> Path:
    """The session's part 0 alone in ``into`` (a hard link, a symlink across filesystems; never written): a v1-like
    part whose sidecars a gateway must rebuild. Returns its path."""
    part = tracefile.part_path(folder, session_id, 0)
    bare = into / part.name
    try:
        bare.hardlink_to(part)
    except OSError:
        bare.symlink_to(part)
    return bare


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    sys.stdout.write(f"{real_trace(count)[0]}\n")
