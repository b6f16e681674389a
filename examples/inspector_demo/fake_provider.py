"""A local, scripted stand-in for the OpenAI and Anthropic HTTP APIs, so mcp-agent's real provider classes run offline.

``FakeProvider(responder)`` serves, on 127.0.0.1 and a free port (uvicorn in a background thread):

* ``POST /v1/chat/completions`` (OpenAI): text, ``tool_calls`` and structured output (``response_format``);
* ``POST /v1/embeddings`` (OpenAI): deterministic bag-of-words vectors, so similar texts are near each other;
* ``POST /v1/messages`` (Anthropic): text and ``tool_use`` blocks, as JSON or as the SSE stream ``messages.stream``
  reads.

What the "model" answers is decided by ``responder(turn) -> Reply``: ``turn`` is the request as both APIs share it
(messages flattened to role/text, tool names, the structured-output model's name, the raw body). Point mcp-agent at it
with ``provider.openai_settings()``/``anthropic_settings()`` and ``provider.environ()`` (``OPENAI_BASE_URL``,
``ANTHROPIC_BASE_URL``): some of mcp-agent 0.2.6's clients ignore the configured base URL.

Usage::

    with FakeProvider(lambda turn: Reply(text="hello")) as provider:
        settings = Settings(openai=provider.openai_settings(), ...)
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import socket
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from mcp_agent.config import AnthropicSettings, OpenAISettings
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

__all__ = ["EMBEDDING_DIM", "FakeProvider", "Reply", "Turn", "embed_text"]

EMBEDDING_DIM = 1536  # text-embedding-3-small, the size mcp-agent's OpenAIEmbeddingModel expects
API_KEY = "sk-offline"  # any string: the fake checks nothing


@dataclass(frozen=True)
class Turn:
    """One provider request, as the responder sees it."""

    api: str  # "openai" or "anthropic"
    model: str
    system: str
    messages: tuple[dict[str, str], ...]  # {"role": user|assistant|tool, "text": ...}
    tools: tuple[str, ...]
    schema: str | None  # the structured-output model's name, when one is asked for
    body: dict[str, Any]

    @property
    def last_text(self) -> str:
        return self.messages[-1]["text"] if self.messages else ""

    @property
    def after_tool(self) -> bool:
        """Whether the last message is a tool result (the model is being asked to go on after its tool call)."""
        return bool(self.messages) and self.messages[-1]["role"] == "tool"

    def mentions(self, *words: str) -> bool:
        text = (self.system + "\n" + "\n".join(m["text"] for m in self.messages)).lower()
        return all(w.lower() in text for w in words)


@dataclass(frozen=True)
class Reply:
    """What the fake model answers: text, tool calls (name, arguments) or structured data (for ``turn.schema``)."""

    text: str = ""
    tool_calls: tuple[tuple[str, dict[str, Any]], ...] = ()
    data: Any = None


Responder = Callable[[Turn], Reply]


@dataclass
class _Log:
    turns: list[Turn] = field(default_factory=list)
    embeddings: list[list[str]] = field(default_factory=list)


class FakeProvider:
    """The fake OpenAI/Anthropic server; a context manager (start/stop) that can be shared by many tests."""

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.log = _Log()
        self._lock = threading.Lock()
        self._ids = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # ---- lifecycle -------------------------------------------------------------------------------------------
    def start(self) -> FakeProvider:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app(), log_level="error", lifespan="off", access_log=False)
        server = self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[sock])), name="fake-provider", daemon=True
        )
        self._thread.start()
        for _ in range(500):
            if server.started:
                break
            threading.Event().wait(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- how to point mcp-agent at it ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def openai_settings(self, model: str = "gpt-4o-mini") -> OpenAISettings:
        return OpenAISettings(api_key=API_KEY, base_url=f"{self.base_url}/v1", default_model=model)

    def anthropic_settings(self, model: str = "claude-3-5-sonnet-latest") -> AnthropicSettings:
        return AnthropicSettings(api_key=API_KEY, base_url=self.base_url, default_model=model)

    def environ(self) -> dict[str, str]:
        """Environment for the SDK clients mcp-agent builds without its configured base URL (``OpenAIEmbeddingModel``,
        ``AnthropicCompletionTasks.request_completion_task``)."""
        return {
            "OPENAI_BASE_URL": f"{self.base_url}/v1",
            "OPENAI_API_KEY": API_KEY,
            "ANTHROPIC_BASE_URL": self.base_url,
            "ANTHROPIC_API_KEY": API_KEY,
        }

    # ---- the app ----------------------------------------------------------------------------------------------
    def app(self) -> Starlette:
        """The routes; every answer says ``Connection: close`` (mcp-agent 0.2.6 leaves some SDK clients unclosed,
        and a kept-alive socket of an unclosed client would outlive the run)."""
        return Starlette(
            middleware=[Middleware(_CloseConnections)],
            routes=[
                Route("/v1/chat/completions", self._openai_chat, methods=["POST"]),
                Route("/v1/embeddings", self._openai_embeddings, methods=["POST"]),
                Route("/v1/messages", self._anthropic_messages, methods=["POST"]),
            ],
        )

    def _next_id(self, prefix: str) -> str:
        with self._lock:
            self._ids += 1
            return f"{prefix}{self._ids:06d}"

    def _answer(self, turn: Turn) -> Reply:
        with self._lock:
            self.log.turns.append(turn)
        return self.responder(turn)

    async def _openai_chat(self, request: Request) -> Response:
        body = await request.json()
        schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("name")
        turn = Turn(
            api="openai",
            model=str(body.get("model") or ""),
            system="\n".join(_openai_text(m.get("content")) for m in body["messages"] if m.get("role") == "system"),
            messages=tuple(_openai_message(m) for m in body["messages"] if m.get("role") != "system"),
            tools=tuple(t["function"]["name"] for t in body.get("tools") or ()),
            schema=schema,
            body=body,
        )
        reply = self._answer(turn)
        message: dict[str, Any] = {"role": "assistant", "content": None}
        finish = "stop"
        if reply.tool_calls:
            finish = "tool_calls"
            message["tool_calls"] = [
                {"id": self._next_id("call_"), "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
                for n, a in reply.tool_calls
            ]
        else:
            message["content"] = json.dumps(reply.data) if reply.data is not None else reply.text
        usage = _usage(turn, reply)
        return JSONResponse(
            {
                "id": self._next_id("chatcmpl-"),
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": turn.model,
                "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
                "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
            }
        )

    async def _openai_embeddings(self, request: Request) -> Response:
        body = await request.json()
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        with self._lock:
            self.log.embeddings.append(list(texts))
        data = [{"object": "embedding", "index": i, "embedding": embed_text(t)} for i, t in enumerate(texts)]
        tokens = sum(len(str(t).split()) for t in texts)
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": body.get("model", "text-embedding-3-small"),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )

    async def _anthropic_messages(self, request: Request) -> Response:
        body = await request.json()
        choice = body.get("tool_choice") or {}
        forced = choice.get("name") if choice.get("type") == "tool" else None
        system = body.get("system") or ""
        turn = Turn(
            api="anthropic",
            model=str(body.get("model") or ""),
            system=system if isinstance(system, str) else _anthropic_text(system),
            messages=tuple(m for msg in body["messages"] for m in _anthropic_messages(msg)),
            tools=tuple(t["name"] for t in body.get("tools") or () if t.get("name") != forced),
            schema=_schema_name(body, forced),
            body=body,
        )
        reply = self._answer(turn)
        blocks: list[dict[str, Any]] = []
        stop = "end_turn"
        if forced is not None:
            blocks.append({"type": "tool_use", "id": self._next_id("toolu_"), "name": forced, "input": reply.data})
            stop = "tool_use"
        elif reply.tool_calls:
            if reply.text:
                blocks.append({"type": "text", "text": reply.text})
            blocks.extend(
                {"type": "tool_use", "id": self._next_id("toolu_"), "name": n, "input": a} for n, a in reply.tool_calls
            )
            stop = "tool_use"
        else:
            blocks.append({"type": "text", "text": reply.text})
        usage = _usage(turn, reply)
        message = {
            "id": self._next_id("msg_"),
            "type": "message",
            "role": "assistant",
            "model": turn.model,
            "content": blocks,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": {"input_tokens": usage[0], "output_tokens": usage[1]},
        }
        if body.get("stream"):
            return StreamingResponse(_anthropic_stream(message), media_type="text/event-stream")
        return JSONResponse(message)


class _CloseConnections:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def closing(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, closing if scope["type"] == "http" else send)


def _schema_name(body: dict[str, Any], forced: str | None) -> str | None:
    """Anthropic structured output is a forced tool whose input schema is the model's; name it by its title."""
    if forced is None:
        return None
    for tool in body.get("tools") or ():
        if tool.get("name") == forced:
            title = (tool.get("input_schema") or {}).get("title")
            return str(title) if title else forced
    return forced


def _usage(turn: Turn, reply: Reply) -> tuple[int, int]:
    words_in = sum(len(m["text"].split()) for m in turn.messages) + len(turn.system.split())
    out = reply.text + json.dumps(reply.data) + json.dumps(reply.tool_calls)
    return max(1, words_in), max(1, len(out.split()))


def _openai_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def _openai_message(message: dict[str, Any]) -> dict[str, str]:
    text = _openai_text(message.get("content"))
    if message.get("tool_calls"):
        calls = ", ".join(f"{c['function']['name']}({c['function']['arguments']})" for c in message["tool_calls"])
        text = f"{text}\n[tool calls: {calls}]".strip()
    return {"role": str(message.get("role")), "text": text}


def _anthropic_text(blocks: Any) -> str:
    if isinstance(blocks, str):
        return blocks
    parts: list[str] = []
    for block in blocks or ():
        if block.get("type") == "text":
            parts.append(str(block.get("text", "")))
        elif block.get("type") == "tool_result":
            parts.append(_anthropic_text(block.get("content")))
        elif block.get("type") == "tool_use":
            parts.append(f"[tool calls: {block.get('name')}({json.dumps(block.get('input'))})]")
    return "\n".join(parts)


def _anthropic_messages(message: dict[str, Any]) -> list[dict[str, str]]:
    content = message.get("content")
    if isinstance(content, list) and any(b.get("type") == "tool_result" for b in content):
        return [{"role": "tool", "text": _anthropic_text([b])} for b in content if b.get("type") == "tool_result"]
    return [{"role": str(message.get("role")), "text": _anthropic_text(content)}]


async def _anthropic_stream(message: dict[str, Any]) -> AsyncIterator[bytes]:
    """The message as the Anthropic SSE event sequence (what ``messages.stream(...).get_final_message()`` reads)."""

    def event(name: str, data: dict[str, Any]) -> bytes:
        return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()

    head = {**message, "content": [], "stop_reason": None, "usage": {**message["usage"], "output_tokens": 0}}
    yield event("message_start", {"type": "message_start", "message": head})
    for index, block in enumerate(message["content"]):
        if block["type"] == "text":
            start: dict[str, Any] = {"type": "text", "text": ""}
            delta = {"type": "text_delta", "text": block["text"]}
        else:
            start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        yield event("content_block_start", {"type": "content_block_start", "index": index, "content_block": start})
        yield event("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
        yield event("content_block_stop", {"type": "content_block_stop", "index": index})
    yield event(
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
            "usage": {"output_tokens": message["usage"]["output_tokens"]},
        },
    )
    yield event("message_stop", {"type": "message_stop"})


def embed_text(text: Any) -> list[float]:
    """A unit vector of ``EMBEDDING_DIM`` floats: each word adds 1 to a bucket chosen by its hash (bag of words)."""
    vector = [0.0] * EMBEDDING_DIM
    vector[0] = 0.01  # never the zero vector (cosine similarity is undefined for it)
    for word in str(text).lower().split():
        token = "".join(ch for ch in word if ch.isalnum())
        if token:
            bucket = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "big") % EMBEDDING_DIM
            vector[bucket] += 1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]
