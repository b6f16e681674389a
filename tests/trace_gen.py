"""Generated trace files of realistic shape and size, for the search tests and benchmarks.

Per 10 spans: one LLM generation (a 1-5 KB prompt JSON and a response), three tool calls (small input, a 1-5 KB
output JSON), six JSON-RPC requests (~300 bytes), with the attribute names the exporter writes (SPEC §4). Text is
drawn from a fixed pool of paragraphs of pseudo-words, so generation is fast and repeatable (same seed, same
bytes). Every span also carries a unique word ``span{n}x``; ``extra`` puts given text into the tool output of
chosen spans.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

__all__ = ["generate_trace", "paragraphs", "span_record"]

_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "we", "xa", "ye", "zu", "bra", "cle", "dri", "fro")
_encode = msgspec.json.Encoder().encode


def _words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(count)]


def paragraphs(seed: int = 7, count: int = 256) -> list[str]:
    """``count`` paragraphs of 1-5 KB from a vocabulary of 4,000 pseudo-words."""
    rng = random.Random(seed)
    vocabulary = _words(rng, 4000)
    out = []
    for _ in range(count):
        size = rng.randint(1000, 5000)
        words: list[str] = []
        length = 0
        while length < size:
            word = rng.choice(vocabulary)
            words.append(word)
            length += len(word) + 1
        out.append(" ".join(words))
    return out


def _time(n: int) -> str:
    seconds = n // 1000
    return f"2026-03-01T{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{n % 1000:03d}000Z"


def span_record(n: int, pool: list[str], session_id: str, extra: str = "") -> dict[str, Any]:
    """The ``n``-th span of a generated session, as the exporter writes it."""
    kind = n % 10
    text = pool[n % len(pool)]
    marker = f"span{n}x"
    attributes: dict[str, Any] = {"session.id": session_id}
    status = {"code": "OK", "message": None}
    events: list[dict[str, Any]] = []
    if kind == 0:
        name = "ScriptedLLM.finder.generate"
        prompt = [{"role": "user", "content": [{"type": "text", "text": f"{marker} {text}"}]}]
        response = [{"role": "assistant", "content": [{"type": "text", "text": f"answer {extra}".strip()}]}]
        attributes.update(
            {
                "gen_ai.agent.name": "finder",
                "gen_ai.request.model": "scripted-1",
                "gen_ai.provider.name": "scripted",
                "openinference.span.kind": "LLM",
                "mcp.llm.prompt_json": _encode(prompt).decode(),
                "mcp.llm.response_json": _encode(response).decode(),
                "gen_ai.usage.input_tokens": 120 + n % 50,
                "gen_ai.usage.output_tokens": 30,
            }
        )
    elif kind <= 3:
        name = "Agent.finder.call_tool"
        error = n % 97 == 3
        output = {"isError": error, "content": [{"type": "text", "text": f"{marker} {text} {extra}".strip()}]}
        attributes.update(
            {
                "gen_ai.tool.name": "demo_lookup_weather",
                "mcp.tool.name": "demo_lookup_weather",
                "openinference.span.kind": "TOOL",
                "mcp.tool.input_json": _encode({"city": f"city-{n % 500}", "units": "metric"}).decode(),
                "mcp.tool.output_json": _encode(output).decode(),
            }
        )
        if error:
            status = {"code": "ERROR", "message": f"tool failed for city-{n % 500}"}
            events.append(
                {
                    "name": "exception",
                    "time": _time(n),
                    "attributes": {"exception.type": "ToolError", "exception.message": f"lookup failed {marker}"},
                }
            )
    else:
        name = "MCPAgentClientSession.send_request"
        attributes.update(
            {
                "mcp.method.name": "tools/call",
                "mcp.rpc.id": str(n),
                "mcp.rpc.request_json": _encode({"jsonrpc": "2.0", "id": n, "method": "tools/call"}).decode(),
                "mcp.rpc.transport": "stdio",
                "mcp.note": f"{marker} {extra}".strip(),
            }
        )
    return {
        "type": "span",
        "trace_id": f"{n + 1:032x}",
        "span_id": f"{n + 1:016x}",
        "parent_span_id": None,
        "name": name,
        "kind": "CLIENT" if kind > 3 else "INTERNAL",
        "start_time": _time(n),
        "end_time": _time(n + 1),
        "status": status,
        "attributes": attributes,
        "events": events,
        "links": [],
    }


def _records(session_id: str, spans: int, pool: list[str], extra: dict[int, str], end: bool) -> Iterator[Any]:
    yield {
        "type": "session",
        "v": 1,
        "id": session_id,
        "engine": "asyncio",
        "title": f"generated {spans} spans",
        "started_at": _time(0),
        "parent_session_id": None,
        "resource": {"service.name": "trace_gen"},
    }
    for n in range(spans):
        yield span_record(n, pool, session_id, extra.get(n, ""))
    if end:
        yield {"type": "session_end", "status": "completed", "ended_at": _time(spans + 1), "error": None}


def generate_trace(
    path: Path, spans: int, *, extra: dict[int, str] | None = None, end: bool = True, seed: int = 7
) -> Path:
    """Write ``spans`` generated spans as a SPEC §4 trace file at ``path`` (named ``{session_id}.jsonl.gz``)."""
    session_id = path.name.split(".", 1)[0]
    pool = paragraphs(seed)
    comp = zlib.compressobj(1, zlib.DEFLATED, 31)
    with open(path, "wb") as fh:
        batch: list[bytes] = []
        for record in _records(session_id, spans, pool, extra or {}, end):
            batch.append(_encode(record))
            if len(batch) >= 2000:
                fh.write(comp.compress(b"\n".join(batch) + b"\n"))
                batch = []
        if batch:
            fh.write(comp.compress(b"\n".join(batch) + b"\n"))
        fh.write(comp.flush())
    return path
