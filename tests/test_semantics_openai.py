"""The OpenAI-compatible embedder, against a tiny OpenAI-format server on 127.0.0.1 (no internet)."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import openai
import pytest

from agent.semantics import OpenAIEmbedder, OpenAIKeyMissingError

API_KEY = "sk-test-do-not-leak-4242"


def fake_vector(text: str) -> list[float]:
    # Deterministic and deliberately not unit length, so the embedder's normalisation is exercised.
    return [float(len(text)), float(text.count("a")), float(text.count("e")), 3.0]


@dataclass
class FakeEmbeddingServer:
    """Serves POST /v1/embeddings like OpenAI does and keeps what each request carried."""

    base_url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    fail_with_status: int | None = None


def _handler_for(state: FakeEmbeddingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append({"path": self.path, "authorization": self.headers["Authorization"], "body": body})
            if state.fail_with_status is not None:
                self._reply(state.fail_with_status, {"error": {"message": "overloaded", "type": "server_error"}})
                return
            data = [
                {"object": "embedding", "index": index, "embedding": fake_vector(text)}
                for index, text in enumerate(body["input"])
            ]
            usage = {"prompt_tokens": len(data), "total_tokens": len(data)}
            self._reply(200, {"object": "list", "data": data, "model": body["model"], "usage": usage})

        def _reply(self, status: int, payload: dict[str, Any]) -> None:
            encoded = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[FakeEmbeddingServer]:
    state = FakeEmbeddingServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(state))
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection away from this machine fails the test instead of reaching the internet."""
    real_connect = socket.socket.connect

    def connect(sock: socket.socket, address: Any) -> None:
        if not (isinstance(address, tuple) and address[0] in {"127.0.0.1", "::1", "localhost"}):
            raise AssertionError(f"unexpected network use: {address!r}")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setenv("TEST_EMBEDDINGS_KEY", API_KEY)
    for inherited in ("OPENAI_API_BASE", "OPENAI_BASE_URL"):
        monkeypatch.delenv(inherited, raising=False)


def embedder_for(server: FakeEmbeddingServer, **options: Any) -> OpenAIEmbedder:
    return OpenAIEmbedder(
        "text-embedding-3-small", base_url=server.base_url, api_key_env="TEST_EMBEDDINGS_KEY", max_retries=0, **options
    )


def test_embeds_through_the_openai_endpoint_as_unit_rows(server: FakeEmbeddingServer) -> None:
    texts = ["Cut review time.", "Close the books faster.", "Cut review time."]

    vectors = embedder_for(server).embed(texts)

    assert vectors.shape == (3, 4)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    expected = np.array([fake_vector(text) for text in texts])
    np.testing.assert_allclose(vectors, expected / np.linalg.norm(expected, axis=1, keepdims=True), rtol=1e-6)


def test_sends_raw_texts_the_model_and_the_key(server: FakeEmbeddingServer) -> None:
    embedder_for(server).embed(["Find a lawyer in a day."])

    (request,) = server.requests
    assert request["path"] == "/v1/embeddings"
    assert request["authorization"] == f"Bearer {API_KEY}"
    assert request["body"]["model"] == "text-embedding-3-small"
    # Strings, not tiktoken ids: ids need a tokenizer download and most compatible servers refuse them.
    assert request["body"]["input"] == ["Find a lawyer in a day."]
    assert request["body"]["encoding_format"] == "float"


def test_large_inputs_go_in_batches_and_keep_their_order(server: FakeEmbeddingServer) -> None:
    texts = ["a" * length for length in range(1, 6)]

    vectors = embedder_for(server, batch_size=2).embed(texts)

    assert [len(request["body"]["input"]) for request in server.requests] == [2, 2, 1]
    expected = np.array([fake_vector(text) for text in texts])
    np.testing.assert_allclose(vectors, expected / np.linalg.norm(expected, axis=1, keepdims=True), rtol=1e-6)


def test_the_key_never_appears_in_name_repr_or_logs(
    server: FakeEmbeddingServer, caplog: pytest.LogCaptureFixture
) -> None:
    embedder = embedder_for(server, dimensions=4)
    with caplog.at_level(logging.DEBUG):
        embedder.embed(["Pay freelancers anywhere."])

    assert API_KEY not in caplog.text
    assert API_KEY not in repr(embedder)
    assert embedder.name == f"openai:text-embedding-3-small-4d@{server.base_url.split('/')[2]}"


def test_a_missing_key_names_the_variable_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_EMBEDDINGS_KEY")

    with pytest.raises(OpenAIKeyMissingError, match="set TEST_EMBEDDINGS_KEY"):
        OpenAIEmbedder(api_key_env="TEST_EMBEDDINGS_KEY")


def test_a_server_error_surfaces_as_the_clients_error(server: FakeEmbeddingServer) -> None:
    server.fail_with_status = 503

    with pytest.raises(openai.APIStatusError):
        embedder_for(server).embed(["Anything."])


def test_no_texts_make_no_request(server: FakeEmbeddingServer) -> None:
    assert embedder_for(server, dimensions=4).embed([]).shape == (0, 4)
    assert server.requests == []
