"""Chunking: parts break between turns, stay within the budget, split long turns at sentences, carry keys."""

from __future__ import annotations

from agent.extraction.chunking import (
    Chunk,
    chunk_transcript,
    estimate_tokens,
    interviewer_speakers,
    known_elements,
    render_known_elements,
)
from agent.sources import parse_transcript
from schemas.transcript import Transcript
from tests.fake_models import draft_with_stage, empty_draft


def transcript_of(*turns: tuple[str, str], interviewers: tuple[str, ...] = ("Interviewer",)) -> Transcript:
    text = "\n\n".join(f"{speaker}: {words}" for speaker, words in turns)
    return parse_transcript(text, format="text", source_id="test", interviewers=interviewers)


def sentence(n: int) -> str:
    return f"Sentence number {n} says the customer stops at the sign-up form."


def test_a_short_transcript_is_one_chunk_rendered_as_the_source_text() -> None:
    transcript = transcript_of(("Interviewer", "Where does it stop?"), ("Maya", "At sign-up."))
    [chunk] = chunk_transcript(transcript, 1_000)
    assert chunk.text == transcript.text
    assert (chunk.first_turn, chunk.last_turn, chunk.speakers) == (0, 1, ("Interviewer", "Maya"))
    assert chunk.label(1) == "1 of 1 (turns 0-1)"


def test_chunks_break_at_turn_boundaries_within_the_budget() -> None:
    turns = [("Maya" if i % 2 else "Interviewer", " ".join(sentence(i * 10 + j) for j in range(3))) for i in range(20)]
    transcript = transcript_of(*turns)
    chunks = chunk_transcript(transcript, 200)
    assert len(chunks) > 3
    assert all(c.tokens <= 200 for c in chunks)
    # Every turn is whole in exactly one chunk, in order.
    covered = [turn for c in chunks for turn in range(c.first_turn, c.last_turn + 1)]
    assert covered == list(range(20))
    for chunk in chunks:
        for turn in transcript.turns[chunk.first_turn : chunk.last_turn + 1]:
            assert f"{turn.speaker}: {turn.text}" in chunk.text


def test_a_turn_longer_than_the_budget_is_split_at_sentence_boundaries() -> None:
    long_turn = " ".join(sentence(n) for n in range(40))
    transcript = transcript_of(("Interviewer", "Tell me everything."), ("Maya", long_turn))
    chunks = chunk_transcript(transcript, 120)
    maya = [c for c in chunks if "Maya" in c.speakers]
    assert len(maya) > 3
    assert all(c.tokens <= 120 for c in chunks)
    for chunk in maya:
        assert chunk.text.startswith("Maya: Sentence number ")
        assert chunk.text.endswith("sign-up form.")
        # Each piece is the source's own text at its span, so quotes from it can be located.
        assert transcript.text[chunk.start : chunk.end] == chunk.text.removeprefix("Maya: ")
    pieces = [c.text.removeprefix("Maya: ") for c in maya]
    assert " ".join(pieces) == long_turn


def test_a_sentence_longer_than_the_budget_is_cut_at_spaces() -> None:
    endless = " ".join(["word"] * 400)
    chunks = chunk_transcript(transcript_of(("Maya", endless)), 50)
    assert len(chunks) > 5
    assert all(c.tokens <= 50 for c in chunks)
    assert all(not c.text.removeprefix("Maya: ").startswith(" ") for c in chunks)
    assert sum(c.text.count("word") for c in chunks) == 400


def test_an_empty_transcript_has_no_chunks() -> None:
    transcript = Transcript(source_id="empty", format="text", text="", turns=[])
    assert chunk_transcript(transcript, 100) == []


def test_token_estimate_is_about_four_characters_per_token() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcd") == 1
    assert estimate_tokens("abcde") == 2


def test_context_carries_keys_and_names_once_spine_first_and_bounded() -> None:
    first = draft_with_stage("signup-form", "Sign-up form", "At sign-up.")
    again = draft_with_stage("signup-form", "Sign-up form (again)", "At sign-up.")
    known = known_elements([first, empty_draft(), again])
    assert [(k.kind, k.key, k.name) for k in known] == [("stage", "signup-form", "Sign-up form")]
    assert render_known_elements(known) == "- stage, signup-form: Sign-up form"
    many = [draft_with_stage(f"stage-{n}", f"Stage {n}", "q") for n in range(100)]
    assert len(known_elements(many, limit=10)) == 10
    assert render_known_elements([]) == "(none yet)"


def test_interviewers_are_the_speakers_marked_as_such() -> None:
    transcript = transcript_of(("Interviewer", "Why?"), ("Maya", "Because."))
    assert interviewer_speakers(transcript) == ["Interviewer"]


def test_chunks_are_pydantic_models_that_round_trip() -> None:
    [chunk] = chunk_transcript(transcript_of(("Maya", "Hello there.")), 100)
    assert Chunk.model_validate_json(chunk.model_dump_json()) == chunk
