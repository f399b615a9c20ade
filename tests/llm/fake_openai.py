"""A scripted OpenAI-compatible HTTP server on 127.0.0.1 for tests and benches: it records every request."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

__all__ = ["Call", "Drop", "Fail", "FakeOpenAI", "Recorded", "Reply", "Responder"]


@dataclass(frozen=True)
class Call:
    """A tool call in an answer; ``args`` as JSON, or a string sent as the arguments verbatim."""

    name: str
    args: dict[str, Any] | str


@dataclass(frozen=True)
class Reply:
    """An answer: text content, tool ``calls`` (``tool_args``: one call named ``answer``); after ``delay`` s."""

    content: str | None = None
    tool_args: dict[str, Any] | None = None
    usage: tuple[int, int] = (20, 10)
    delay: float = 0.0
    calls: tuple[Call, ...] = ()

    def tool_calls(self) -> list[dict[str, Any]]:
        chosen = self.calls or ((Call("answer", self.tool_args),) if self.tool_args is not None else ())
        return [{"id": f"call_{n}", "type": "function",
                 "function": {"name": c.name, "arguments": c.args if isinstance(c.args, str) else json.dumps(c.args)}}
                for n, c in enumerate(chosen, start=1)]


@dataclass(frozen=True)
class Fail:
    """An HTTP error status, optionally with ``Retry-After``."""

    status: int
    retry_after: str | None = None


@dataclass(frozen=True)
class Drop:
    """Start the response, then close the connection mid-body."""


Action = Reply | Fail | Drop
Responder = Callable[[dict[str, Any]], Action]


@dataclass(frozen=True)
class Recorded:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def is_probe(self) -> bool:
        """A start-up request testing which structured-output mode the endpoint takes."""
        return self.messages == [{"role": "user", "content": 'Answer {"ok": true}.'}]

    @property
    def system(self) -> str:
        return next((str(m["content"]) for m in self.messages if m["role"] == "system"), "")


def _completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.content}
    finish = "stop"
    if calls := reply.tool_calls():
        message = {"role": "assistant", "content": reply.content, "tool_calls": calls}
        finish = "tool_calls"
    prompt, completion = reply.usage
    return {"id": "chatcmpl-test", "object": "chat.completion", "created": 1_700_000_000, "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}}


def _sse(body: dict[str, Any], reply: Reply) -> Iterable[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        data = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1_700_000_000,
                "model": body["model"], "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return f"data: {json.dumps(data)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    text = reply.content or ""
    for start in range(0, len(text), 16):
        yield chunk({"content": text[start:start + 16]})
    calls = reply.tool_calls()
    for index, call in enumerate(calls):  # the name first, then the arguments in pieces
        yield chunk({"tool_calls": [{"index": index, "id": call["id"], "type": "function",
                                     "function": {"name": call["function"]["name"], "arguments": ""}}]})
        arguments = call["function"]["arguments"]
        for start in range(0, len(arguments), 16):
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": arguments[start:start + 16]}}]})
    yield chunk({}, "tool_calls" if calls else "stop")
    if (body.get("stream_options") or {}).get("include_usage"):
        prompt, completion = reply.usage
        data = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1_700_000_000,
                "model": body["model"], "choices": [],
                "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                          "total_tokens": prompt + completion}}
        yield f"data: {json.dumps(data)}\n\n"
    yield "data: [DONE]\n\n"


def _cut(chunks: Iterable[str], after: int) -> Iterator[str]:
    """The first ``after`` chunks, then the connection breaks."""
    for number, chunk in enumerate(chunks):
        if number == after:
            raise ConnectionResetError("scripted drop mid-stream")
        yield chunk


@dataclass
class FakeOpenAI:
    """Scripted actions are served first, in order; then ``responder`` answers (default: ``{}``)."""

    models: tuple[str, ...] = ("test-model",)
    lists_models: bool = True
    responder: Responder | None = None
    requests: list[Recorded] = field(default_factory=list)
    script: deque[Action] = field(default_factory=deque)
    stream_drops: deque[int] = field(default_factory=deque)
    refuses: frozenset[str] = frozenset()  # request parts answered with HTTP 400: json_schema, json_object, tools
    port: int = 0

    def push(self, *actions: Action) -> None:
        self.script.extend(actions)

    def drop_streams(self, *after_chunks: int) -> None:
        """Cut the next streamed answers after that many SSE chunks each (a connection lost mid-stream)."""
        self.stream_drops.extend(after_chunks)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def chat_requests(self, *, probes: bool = False) -> list[Recorded]:
        """The chat requests, without the start-up probes of structured-output support unless asked."""
        return [r for r in self.requests if r.path.endswith("/chat/completions") and (probes or not r.is_probe)]

    def _next(self, body: dict[str, Any]) -> Action:
        if self.script:
            return self.script.popleft()
        return self.responder(body) if self.responder else Reply(content="{}")

    def _refused(self, body: dict[str, Any]) -> str | None:
        """The part of the request this server refuses, if any."""
        fmt = (body.get("response_format") or {}).get("type")
        if fmt in self.refuses:
            return f"response_format {fmt}"
        return "tools" if body.get("tools") and "tools" in self.refuses else None

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v1/models")
        async def list_models(request: Request) -> Response:
            self.requests.append(Recorded("/v1/models", {}, dict(request.headers), time.monotonic()))
            if not self.lists_models:
                return JSONResponse({"detail": "Not Found"}, status_code=404)
            return JSONResponse({"object": "list", "data": [{"id": m, "object": "model", "owned_by": "test"}
                                                            for m in self.models]})

        @app.post("/v1/chat/completions")
        async def chat(request: Request) -> Response:
            body = await request.json()
            self.requests.append(Recorded("/v1/chat/completions", body, dict(request.headers), time.monotonic()))
            if body.get("model") not in self.models:
                return JSONResponse({"error": {"message": f"model {body.get('model')!r} not found",
                                               "type": "invalid_request_error"}}, status_code=404)
            refused = self._refused(body)
            if refused:
                return JSONResponse({"error": {"message": f"{refused} is not supported by this server",
                                               "type": "invalid_request_error"}}, status_code=400)
            action = self._next(body)
            if isinstance(action, Fail):
                headers = {"retry-after": action.retry_after} if action.retry_after else {}
                return JSONResponse({"error": {"message": f"scripted {action.status}", "type": "server_error"}},
                                    status_code=action.status, headers=headers)
            if isinstance(action, Drop):
                async def broken() -> AsyncIterator[bytes]:
                    yield b'{"id": "chatcmpl-'
                    raise ConnectionAbortedError("scripted drop")
                return StreamingResponse(broken(), media_type="application/json")
            if action.delay:
                await asyncio.sleep(action.delay)
            if body.get("stream"):
                chunks = _sse(body, action)
                if self.stream_drops:
                    chunks = _cut(chunks, self.stream_drops.popleft())
                return StreamingResponse(iter(chunks), media_type="text/event-stream")
            return JSONResponse(_completion(body, action))

        return app

    def __enter__(self) -> FakeOpenAI:
        config = uvicorn.Config(self.app(), host="127.0.0.1", port=0, log_level="critical", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake OpenAI server did not start within 10 s")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
