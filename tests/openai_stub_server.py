"""A real OpenAI-format HTTP server on 127.0.0.1 for tests: scripted chat completions, recorded requests.

`ChatOpenAI(base_url=stub.base_url)` talks to it through the `openai` client exactly as it would to
OpenAI, so tests see the request the client really sends (model, messages, `response_format`) and the
way real answers, rate limits and server errors come back.

    with OpenAIStubServer() as stub:
        stub.script(StubReply.content('{"stages": []}'), StubReply.error(429))
        ...
        stub.requests[0].body["response_format"]

Once the script is used up, `answer_for(request)` answers when it is set (a scripted model that reads
the request, e.g. `tests.perfect_model`), else `default`. `latency_s` delays every answer, and
`max_in_flight` records how many requests the server was answering at once.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class StubReply:
    """One scripted answer: a chat completion with `content`, or an error `status`."""

    status: int = 200
    content: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    prompt_tokens: int = 100
    completion_tokens: int = 50

    @classmethod
    def answer(cls, content: str, *, prompt_tokens: int = 100, completion_tokens: int = 50) -> StubReply:
        return cls(content=content, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)

    @classmethod
    def error(cls, status: int, *, retry_after: float | None = None, message: str = "") -> StubReply:
        """An error reply; `message` (default "stub error STATUS") is the body's error message, as a hostile
        or careless server may echo anything there."""
        headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
        return cls(status=status, headers=headers, content=message)


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    authorization: str | None
    body: dict[str, Any]


@dataclass
class OpenAIStubServer:
    """Serves POST /v1/chat/completions from a script; once the script is used up, asks `answer_for`, or
    repeats `default`."""

    default: StubReply = field(default_factory=lambda: StubReply.answer("OK"))
    answer_for: Callable[[RecordedRequest], StubReply] | None = None
    latency_s: float = 0.0
    requests: list[RecordedRequest] = field(default_factory=list)
    max_in_flight: int = 0
    _in_flight: int = 0
    _script: deque[StubReply] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _httpd: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the stub server is not running; use it as a context manager")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def script(self, *replies: StubReply) -> None:
        with self._lock:
            self._script.extend(replies)

    def next_reply(self, request: RecordedRequest) -> StubReply:
        with self._lock:
            self.requests.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            scripted = self._script.popleft() if self._script else None
        try:
            if self.latency_s:
                time.sleep(self.latency_s)
            if scripted is not None:
                return scripted
            return self.answer_for(request) if self.answer_for is not None else self.default
        finally:
            with self._lock:
                self._in_flight -= 1

    def __enter__(self) -> OpenAIStubServer:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


def completion_payload(reply: StubReply, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }


def _handler_for(stub: OpenAIStubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            reply = stub.next_reply(RecordedRequest(self.path, self.headers.get("Authorization"), body))
            if not self.path.endswith("/chat/completions"):
                self._send(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})
            elif reply.status != 200:
                error = {"message": reply.content or f"stub error {reply.status}", "type": "server_error", "code": None}
                self._send(reply.status, {"error": error}, reply.headers)
            else:
                self._send(200, completion_payload(reply, str(body.get("model", ""))), reply.headers)

        def _send(self, status: int, payload: dict[str, Any], headers: tuple[tuple[str, str], ...] = ()) -> None:
            encoded = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler
