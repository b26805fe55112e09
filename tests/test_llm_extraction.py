"""Chunked extraction with a scripted fake model: concurrency, context, re-asks, retries, budget, cache."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from langchain_core.messages import BaseMessage

from agent.extraction.chunking import chunk_transcript
from agent.extraction.model_extractor import (
    MAX_REASKS,
    ExtractionProgress,
    ModelCallError,
    ModelExtraction,
    ModelOutputError,
    TokenBudgetExceededError,
    extract_with_model,
    parse_draft_map,
    plan_extraction,
)
from agent.llm.cache import ResponseCache
from agent.llm.settings import LLMSettings
from agent.sources import parse_transcript
from schemas.extraction import DraftMap
from schemas.transcript import Transcript
from tests.fake_models import ScriptedChatModel, draft_with_stage, empty_draft, rate_limit_error, server_error


def long_transcript(turns: int = 24) -> Transcript:
    lines = []
    for n in range(turns):
        speaker = "Interviewer" if n % 2 == 0 else "Maya"
        lines.append(f"{speaker}: Turn {n} talks about the sign-up form, the trial and the price, at some length here.")
    return parse_transcript("\n\n".join(lines), format="text", source_id="long", interviewers=["Interviewer"])


def settings(**overrides: object) -> LLMSettings:
    values: dict[str, object] = {"model": "fake-model", "chunk_tokens": 100, "retry_backoff": 0.0, **overrides}
    return LLMSettings.model_validate(values)


def stage_per_chunk(messages: Sequence[BaseMessage]) -> str:
    """Answers with one stage keyed by the first turn number in the chunk."""
    user = messages[1].text
    turn = user.split("<transcript fence=")[1].split("Turn ")[1].split(" ")[0]
    return draft_with_stage(f"turn-{turn}", f"Stage from turn {turn}", "the sign-up form").model_dump_json()


def extract(transcript: Transcript, model: ScriptedChatModel, **kwargs: object) -> ModelExtraction:
    config = kwargs.pop("settings", None) or settings()
    assert isinstance(config, LLMSettings)
    return asyncio.run(extract_with_model(transcript, settings=config, model=model, **kwargs))  # type: ignore[arg-type]


def test_every_chunk_yields_a_draft_in_transcript_order() -> None:
    transcript = long_transcript()
    model = ScriptedChatModel(answer_for=stage_per_chunk)
    result = extract(transcript, model)
    chunks = chunk_transcript(transcript, 100)
    assert len(result.chunks) == len(chunks) > 4
    assert [c.chunk.index for c in result.chunks] == list(range(len(chunks)))
    assert [d.stages[0].key for d in result.drafts] == [f"turn-{c.first_turn}" for c in chunks]
    assert result.prompt_id == "extract_map@2"
    assert (result.stats.calls, result.stats.re_asks, result.stats.cache_hits) == (len(chunks), 0, 0)
    assert result.stats.tokens_estimated and result.stats.input_tokens > 0


def test_the_extractor_asks_for_structured_output_with_the_draft_map_schema() -> None:
    model = ScriptedChatModel()
    extract(long_transcript(2), model)
    [call] = model.structured_calls
    assert call["schema"] == DraftMap.model_json_schema()
    assert (call["method"], call["include_raw"]) == ("json_schema", True)
    # Structured output carries the schema: the prompt does not repeat it.
    assert '"$defs"' not in model.prompts[0][1].text


def test_a_model_without_structured_output_gets_the_schema_in_the_prompt() -> None:
    model = ScriptedChatModel(structured=False, script=["```json\n" + empty_draft().model_dump_json() + "\n```"])
    result = extract(long_transcript(2), model)
    assert result.drafts == [empty_draft()]
    user = model.prompts[0][1].text
    assert '"$defs"' in user and "Answer with one JSON object" in user


def test_concurrency_never_exceeds_the_setting() -> None:
    model = ScriptedChatModel(latency_s=0.05)
    result = extract(long_transcript(40), model, settings=settings(max_concurrency=3))
    assert result.stats.chunks > 6
    assert model.max_in_flight == 3


def test_later_chunks_are_told_the_keys_found_in_finished_chunks() -> None:
    model = ScriptedChatModel(answer_for=stage_per_chunk, latency_s=0.01)
    extract(long_transcript(), model, settings=settings(max_concurrency=2))
    by_first_turn = {p[1].text.split("Turn ")[1].split(" ")[0]: p[1].text for p in model.prompts}
    chunks = chunk_transcript(long_transcript(), 100)
    first, second, third = chunks[0], chunks[1], chunks[2]
    assert "(none yet)" in by_first_turn[str(first.first_turn)]
    assert "(none yet)" in by_first_turn[str(second.first_turn)]  # in flight with chunk 0: told nothing
    assert f"- stage, turn-{first.first_turn}: Stage from turn {first.first_turn}" in by_first_turn[str(third.first_turn)]


def test_with_one_call_at_a_time_each_chunk_sees_everything_before_it() -> None:
    model = ScriptedChatModel(answer_for=stage_per_chunk)
    extract(long_transcript(), model, settings=settings(max_concurrency=1))
    last = model.prompts[-1][1].text
    chunks = chunk_transcript(long_transcript(), 100)
    for chunk in chunks[:-1]:
        assert f"turn-{chunk.first_turn}:" in last


def test_interviewers_are_named_in_the_prompt() -> None:
    model = ScriptedChatModel()
    extract(long_transcript(2), model)
    assert "Interviewers (never quote them): Interviewer" in model.prompts[0][1].text


def test_an_invalid_answer_is_re_asked_with_the_errors_and_without_history() -> None:
    valid = draft_with_stage("signup", "Sign-up", "the sign-up form")
    bad_json = '{"stages": [oops'
    missing_fields = '{"stages": []}'
    model = ScriptedChatModel(script=[bad_json, missing_fields, valid])
    result = extract(long_transcript(2), model)
    assert result.drafts == [valid]
    assert (result.stats.calls, result.stats.re_asks) == (3, 2)
    first, second, third = model.prompts
    assert len(first) == 2
    # Each re-ask: the chunk prompt, the latest bad answer, its errors. Never the earlier exchange.
    assert len(second) == len(third) == 4
    assert second[:2] == first and third[:2] == first
    assert second[2].text == bad_json and third[2].text == missing_fields
    assert "Invalid JSON" in second[3].text or "EOF" in second[3].text
    assert "- veps: Field required" in third[3].text
    assert "oops" not in "".join(m.text for m in third)


def test_an_answer_still_invalid_after_the_re_asks_is_a_clear_error() -> None:
    model = ScriptedChatModel(script=["nonsense"] * (MAX_REASKS + 1))
    with pytest.raises(ModelOutputError, match=rf"still invalid after {MAX_REASKS} re-asks"):
        extract(long_transcript(2), model)
    assert model.calls == MAX_REASKS + 1


def test_a_rate_limit_is_retried_with_backoff() -> None:
    model = ScriptedChatModel(script=[rate_limit_error(), rate_limit_error(), empty_draft()])
    events: list[ExtractionProgress] = []
    result = extract(long_transcript(2), model, on_progress=events.append)
    assert result.drafts == [empty_draft()]
    assert (result.stats.calls, result.stats.retries) == (1, 2)
    assert [e.event for e in events] == ["retrying", "retrying", "extracted"]


def test_a_server_error_that_persists_stops_the_run_with_one_line() -> None:
    model = ScriptedChatModel(script=[server_error()] * 3)
    with pytest.raises(ModelCallError) as caught:
        extract(long_transcript(2), model, settings=settings(max_retries=2))
    message = str(caught.value)
    assert "kept failing after 3 attempts" in message and "\n" not in message


def test_a_rerun_answers_from_the_cache_without_calling(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    transcript = long_transcript()
    first = extract(transcript, ScriptedChatModel(answer_for=stage_per_chunk), cache=cache)
    model = ScriptedChatModel(script=[RuntimeError("must not be called")])
    second = extract(transcript, model, cache=cache)
    assert model.calls == 0
    assert second.drafts == first.drafts
    assert (second.stats.cache_hits, second.stats.calls, second.stats.input_tokens) == (len(first.chunks), 0, 0)


def test_the_cache_key_changes_with_the_model(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    extract(long_transcript(2), ScriptedChatModel(), cache=cache)
    model = ScriptedChatModel()
    extract(long_transcript(2), model, cache=cache, settings=settings(model="another-model"))
    assert model.calls == 1


def test_exceeding_the_token_budget_stops_scheduling_and_keeps_finished_chunks(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    transcript = long_transcript()
    chunks = len(chunk_transcript(transcript, 100))
    model = ScriptedChatModel(answer_for=stage_per_chunk)
    per_call = plan_extraction(transcript, settings()).input_tokens // chunks
    budget = settings(max_concurrency=1, token_budget=per_call * 3)
    with pytest.raises(TokenBudgetExceededError, match=r"token budget of [\d,]+ would be exceeded.*re-run to continue"):
        extract(transcript, model, settings=budget, cache=cache)
    done = model.calls
    assert 0 < done < chunks
    # The rerun with a larger budget pays only for the rest.
    resumed = ScriptedChatModel(answer_for=stage_per_chunk)
    result = extract(transcript, resumed, settings=settings(max_concurrency=1), cache=cache)
    assert result.stats.cache_hits == done
    assert resumed.calls == chunks - done


def test_the_plan_counts_chunks_calls_tokens_and_cost(tmp_path: Path) -> None:
    transcript = long_transcript()
    chunks = len(chunk_transcript(transcript, 100))
    plan = plan_extraction(transcript, settings(model="gpt-4o-mini", provider="openai"))
    assert (len(plan.chunks), plan.calls, plan.cached_chunks) == (chunks, chunks, 0)
    assert plan.input_tokens > chunks * 1_000  # the instructions and schema go with every call
    assert plan.cost_usd is not None and plan.cost_text.startswith("$")
    assert plan_extraction(transcript, settings(model="llama3.1:8b")).cost_text == "unknown"
    cache = ResponseCache(tmp_path / "cache")
    extract(transcript, ScriptedChatModel(), cache=cache, settings=settings(model="gpt-4o-mini"))
    cached = plan_extraction(transcript, settings(model="gpt-4o-mini"), cache=cache)
    assert (cached.calls, cached.cached_chunks, cached.input_tokens) == (0, chunks, 0)


def test_answers_wrapped_in_prose_or_fences_still_parse() -> None:
    body = empty_draft().model_dump_json()
    assert parse_draft_map(f"Here it is:\n```json\n{body}\n```") == empty_draft()
    with pytest.raises(ValueError, match="no JSON object"):
        parse_draft_map("I cannot help with that.")
    assert json.loads(body)["stages"] == []


def test_a_call_that_times_out_is_retried_then_reported() -> None:
    model = ScriptedChatModel(latency_s=0.5)
    with pytest.raises(ModelCallError, match=r"kept failing after 2 attempts \(TimeoutError\)"):
        extract(long_transcript(2), model, settings=settings(timeout=0.02, max_retries=1))
    assert model.calls == 0  # both attempts were cut off before the fake answered
