"""Extraction through ChatOpenAI against a real OpenAI-format server on 127.0.0.1: what goes over the wire."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from agent.extraction.model_extractor import ModelCallError, ModelExtraction, extract_with_model
from agent.llm.chat_models import chat_model_from_settings
from agent.llm.settings import LLMSettings
from agent.sources import parse_transcript
from schemas.extraction import DraftMap
from schemas.transcript import Transcript
from tests.fake_models import draft_with_stage
from tests.openai_stub_server import OpenAIStubServer, StubReply

SECRET = "sk-test-secret"
ANSWER = draft_with_stage("signup-form", "Sign-up form", "We lose them at the form.", "Maya")


@pytest.fixture
def stub() -> Iterator[OpenAIStubServer]:
    with OpenAIStubServer() as server:
        yield server


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)


def transcript() -> Transcript:
    text = "Interviewer: Where do customers stop?\n\nMaya: We lose them at the form. It asks too much."
    return parse_transcript(text, format="text", source_id="wire", interviewers=["Interviewer"])


def run(stub: OpenAIStubServer, **overrides: object) -> ModelExtraction:
    values: dict[str, object] = {"model": "gpt-4.1-mini", "base_url": stub.base_url, "retry_backoff": 0.01, **overrides}
    settings = LLMSettings.model_validate(values)
    return asyncio.run(extract_with_model(transcript(), settings=settings))


def test_the_request_asks_for_strict_json_schema_output_of_a_draft_map(stub: OpenAIStubServer) -> None:
    stub.script(StubReply.answer(ANSWER.model_dump_json(), prompt_tokens=1234, completion_tokens=56))
    result = run(stub)
    [request] = stub.requests
    assert request.path == "/v1/chat/completions"
    assert request.authorization == f"Bearer {SECRET}"
    body = request.body
    assert body["model"] == "gpt-4.1-mini"
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "Maya: We lose them at the form. It asks too much." in body["messages"][1]["content"]
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    json_schema = response_format["json_schema"]
    assert (json_schema["name"], json_schema["strict"]) == ("DraftMap", True)
    expected = DraftMap.model_json_schema()
    expected.pop("title")
    expected.pop("description")
    assert json_schema["schema"] == expected
    # The answer is parsed, and tokens come from the server's usage report.
    assert result.drafts == [ANSWER]
    assert (result.stats.input_tokens, result.stats.output_tokens, result.stats.tokens_estimated) == (1234, 56, False)
    assert result.model == "gpt-4.1-mini"


def test_a_429_is_retried_after_a_backoff_and_then_succeeds(stub: OpenAIStubServer) -> None:
    stub.script(StubReply.error(429, retry_after=0.05), StubReply.answer(ANSWER.model_dump_json()))
    result = run(stub)
    assert result.drafts == [ANSWER]
    assert len(stub.requests) == 2  # our retry, not a second layer inside the openai client
    assert result.stats.retries == 1


def test_a_500_that_persists_is_one_clear_line(stub: OpenAIStubServer) -> None:
    stub.default = StubReply.error(500)
    with pytest.raises(ModelCallError) as caught:
        run(stub, max_retries=2)
    message = str(caught.value)
    assert len(stub.requests) == 3
    assert "kept failing after 3 attempts" in message and "500" in message
    assert "\n" not in message and SECRET not in message


def test_an_auth_failure_is_not_retried(stub: OpenAIStubServer) -> None:
    stub.default = StubReply.error(401)
    with pytest.raises(ModelCallError, match="refused the call"):
        run(stub)
    assert len(stub.requests) == 1


def test_invalid_json_is_re_asked_and_the_valid_answer_kept(stub: OpenAIStubServer) -> None:
    stub.script(StubReply.answer('{"stages": [ not json'), StubReply.answer(ANSWER.model_dump_json()))
    result = run(stub)
    assert result.drafts == [ANSWER]
    assert result.stats.re_asks == 1
    first, second = (request.body["messages"] for request in stub.requests)
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert second[:2] == first
    assert second[2]["content"] == '{"stages": [ not json'
    assert "Invalid JSON" in second[3]["content"]
    assert stub.requests[1].body["response_format"] == stub.requests[0].body["response_format"]


def test_the_settings_factory_talks_to_a_local_server_without_a_key(
    stub: OpenAIStubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    settings = LLMSettings(provider="openai-compatible", model="llama3.1", base_url=stub.base_url)
    answer = asyncio.run(chat_model_from_settings(settings).ainvoke("Say OK"))
    assert answer.text == "OK"
    assert json.loads(json.dumps(stub.requests[0].body))["model"] == "llama3.1"
    assert stub.requests[0].authorization == "Bearer not-needed"
