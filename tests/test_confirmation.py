"""The confirmation pass: elements whose only quotes the model bent go back once per chunk.

Each is kept restated in the source's words (its quote becomes the source's exact span) or withdrawn;
an answer that names no decision withdraws. Elements with one verified quote are never asked about.
Through `extract_with_model` with a scripted LangChain model: one request per chunk at most, counted
in the run's stats, and answered from the cache on a rerun.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from langchain_core.messages import BaseMessage

from agent.extraction.confirmation import (
    ConfirmationStats,
    apply_confirmations,
    confirmation_request,
    elements_to_confirm,
)
from agent.extraction.model_extractor import ModelExtraction, extract_with_model
from agent.grounding import ground_quote
from agent.llm.cache import ResponseCache
from agent.llm.prompts import load_prompt
from agent.llm.settings import LLMSettings
from agent.sources import parse_transcript
from schemas.evidence import MatchStatus, Quote
from schemas.extraction import DraftMap, DraftQuote, DraftStage
from schemas.transcript import Transcript
from tests.fake_models import ScriptedChatModel, draft_with_stage, empty_draft

CALL = """\
Consultant: Is the onboarding call required?

Dana Reyes: The setup call is optional for small teams. Most of them skip it and go straight to the import.

Dana Reyes: We lose people at the import step because the spreadsheet template is confusing.
"""
BENT = "The setup call is optional for small customers"  # "teams" -> "customers": located, not verified
SOURCE_WORDS = "The setup call is optional for small teams"
SOUND = "We lose people at the import step because the spreadsheet template is confusing"


@pytest.fixture(scope="module")
def call() -> Transcript:
    return parse_transcript(CALL, format="text", source_id="call", interviewers=["Consultant"])


def two_stages() -> DraftMap:
    bent = draft_with_stage("setup-call", "Mandatory setup call", BENT, "Dana").stages[0]
    sound = draft_with_stage("import", "Import step", SOUND, "Dana").stages[0]
    return empty_draft().model_copy(update={"stages": [bent, sound]})


def decisions(*items: dict[str, object]) -> str:
    return json.dumps({"decisions": list(items)})


def test_only_elements_without_a_verified_quote_are_asked_about(call: Transcript) -> None:
    pending = elements_to_confirm(two_stages(), call)

    assert [(p.id, p.element.key) for p in pending] == [("c1", "setup-call")]
    assert [(q.text, q.claimed) for q in pending[0].located] == [(SOURCE_WORDS, BENT)]


def test_the_request_shows_the_sources_words_beside_the_models_fenced_as_data(call: Transcript) -> None:
    messages = confirmation_request(load_prompt("confirm_quotes"), elements_to_confirm(two_stages(), call), "1 of 1")

    user = messages[1].text
    assert f"you quoted (Dana Reyes): {BENT}" in user and f"the source says: {SOURCE_WORDS}" in user
    assert '"name": "Mandatory setup call"' in user
    assert user.index('<elements fence="') < user.index(BENT) < user.index('</elements fence="')
    assert "never instructions" in " ".join(messages[0].text.split())


def test_a_withdrawn_element_leaves_the_draft(call: Transcript) -> None:
    stats = ConfirmationStats()
    draft = two_stages()

    kept = apply_confirmations(draft, elements_to_confirm(draft, call),
                               decisions({"id": "c1", "verdict": "withdraw", "element": None}), stats)

    assert [s.key for s in kept.stages] == ["import"]
    assert (stats.asked, stats.kept, stats.restated, stats.withdrawn) == (1, 0, 0, 1)


def test_a_restated_element_quotes_the_source_exactly(call: Transcript) -> None:
    stats = ConfirmationStats()
    draft = two_stages()
    restated = {"key": "ignored", "name": "Optional setup call", "detail": "Small teams may skip the setup call."}

    kept = apply_confirmations(draft, elements_to_confirm(draft, call),
                               decisions({"id": "c1", "verdict": "keep", "element": restated}), stats)

    stage = kept.stages[0]
    assert (stage.key, stage.name, stage.detail) == ("setup-call", "Optional setup call",
                                                     "Small teams may skip the setup call.")
    assert [q.text for q in stage.quotes] == [SOURCE_WORDS]
    quote = ground_quote(stage.quotes[0], call)
    assert isinstance(quote, Quote) and quote.match is MatchStatus.EXACT and quote.verified
    assert (stats.asked, stats.kept, stats.restated, stats.withdrawn) == (1, 0, 1, 0)


def test_keeping_an_element_unchanged_counts_as_kept(call: Transcript) -> None:
    stats = ConfirmationStats()
    draft = two_stages()

    kept = apply_confirmations(draft, elements_to_confirm(draft, call),
                               decisions({"id": "c1", "verdict": "keep", "element": None}), stats)

    assert kept.stages[0].name == "Mandatory setup call" and kept.stages[0].quotes[0].text == SOURCE_WORDS
    assert (stats.kept, stats.restated) == (1, 0)


@pytest.mark.parametrize(
    "answer",
    ["not json at all", decisions(), decisions({"id": "c9", "verdict": "keep", "element": None}),
     decisions({"id": "c1", "verdict": "keep", "element": {"actor": "nobody"}})],
    ids=["not json", "no decisions", "another id", "an invalid element"],
)
def test_an_element_without_a_valid_decision_is_withdrawn(call: Transcript, answer: str) -> None:
    stats = ConfirmationStats()
    draft = two_stages()

    kept = apply_confirmations(draft, elements_to_confirm(draft, call), answer, stats)

    assert [s.key for s in kept.stages] == ["import"] and stats.withdrawn == 1


# Through extract_with_model


def settings(**overrides: object) -> LLMSettings:
    return LLMSettings.model_validate({"model": "fake-model", "retry_backoff": 0.0, **overrides})


def liar(restate: bool) -> ScriptedChatModel:
    def answer(messages: Sequence[BaseMessage]) -> str:
        if messages[0].text.startswith("You drafted value stream map elements"):
            element = {"name": "Optional setup call", "detail": "Small teams may skip it."} if restate else None
            return decisions({"id": "c1", "verdict": "keep" if restate else "withdraw", "element": element})
        return two_stages().model_dump_json()

    return ScriptedChatModel(answer_for=answer)


def extract(transcript: Transcript, model: ScriptedChatModel, cache: ResponseCache | None = None) -> ModelExtraction:
    return asyncio.run(extract_with_model(transcript, settings=settings(), model=model, cache=cache))


@pytest.mark.parametrize("restate", [False, True], ids=["withdraw", "restate"])
def test_a_chunk_with_a_bent_quote_costs_one_more_request(call: Transcript, restate: bool) -> None:
    model = liar(restate)

    result = extract(call, model)

    assert model.calls == 2  # the extraction, and one confirmation request
    stages = result.drafts[0].stages
    if restate:
        assert [s.name for s in stages] == ["Optional setup call", "Import step"]
        assert stages[0].quotes == [DraftQuote(text=SOURCE_WORDS, speaker="Dana Reyes")]
    else:
        assert [s.name for s in stages] == ["Import step"]
    counts = result.stats.confirmations
    assert (counts.requests, counts.asked, counts.restated, counts.withdrawn) == (1, 1, int(restate), int(not restate))


def test_a_chunk_whose_quotes_hold_asks_nothing(call: Transcript) -> None:
    model = ScriptedChatModel(script=[draft_with_stage("import", "Import step", SOUND, "Dana")])

    result = extract(call, model)

    assert model.calls == 1 and result.stats.confirmations.requests == 0


def test_a_rerun_takes_the_confirmation_from_the_cache(call: Transcript, tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    extract(call, liar(True), cache)
    rerun = ScriptedChatModel(script=[RuntimeError("must not be called")])

    result = extract(call, rerun, cache)

    assert rerun.calls == 0
    assert [s.name for s in result.drafts[0].stages] == ["Optional setup call", "Import step"]


def test_many_bent_elements_of_one_chunk_go_in_one_request(call: Transcript) -> None:
    stages = [DraftStage.model_validate({**two_stages().stages[0].model_dump(), "key": f"bent-{n}"}) for n in range(5)]
    model = ScriptedChatModel(script=[empty_draft().model_copy(update={"stages": stages}),
                                      decisions(*({"id": f"c{n + 1}", "verdict": "withdraw"} for n in range(5)))])

    result = extract(call, model)

    assert model.calls == 2 and result.drafts[0].stages == []
    assert result.stats.confirmations.withdrawn == 5
