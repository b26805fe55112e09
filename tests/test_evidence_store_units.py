"""The evidence store's pure parts: chunking turns, collection names, keyword ranking, fusion, and settling
a model's answer against the transcripts (the scripted model stands in for a real one)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from agent.evidence_store import Passage, chunk_transcript, collection_name
from agent.evidence_store.answering import answer_from_passages, settle_answer
from agent.evidence_store.chunking import MAX_WORDS
from agent.evidence_store.keyword import bm25_ranking, query_terms, reciprocal_rank_fusion
from agent.sources import parse_transcript, read_transcript
from agent.storage import Workspace
from schemas.transcript import Transcript
from tests.fake_models import ScriptedChatModel

ROOT = Path(__file__).parents[1]
CHROMA_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$")


def long_turn_transcript() -> Transcript:
    sentences = [f"Sentence {n} tells how the onboarding step number {n} went for the team last spring." for n in range(60)]
    text = "Consultant: How did it go?\n\nMaria Lopez: " + " ".join(sentences) + "\n\nJon: Short answer."
    return parse_transcript(text, format="markdown", source_id="long", interviewers=["Consultant"])


def test_a_long_turn_is_cut_at_sentence_ends_and_no_chunk_crosses_speakers() -> None:
    transcript = long_turn_transcript()
    chunks = chunk_transcript(transcript)
    maria = [c for c in chunks if c.turn.speaker == "Maria Lopez"]
    assert len(maria) > 3 and [c.part for c in maria] == list(range(len(maria)))
    for chunk in chunks:
        assert transcript.text[chunk.start : chunk.end] == chunk.text
        assert chunk.turn.start <= chunk.start < chunk.end <= chunk.turn.end
        assert chunk.words <= MAX_WORDS
    assert all(c.text.endswith("spring.") for c in maria)
    assert [c.turn.speaker for c in chunks if c.part == 0] == ["Consultant", "Maria Lopez", "Jon"]


def test_a_sentence_longer_than_a_chunk_is_cut_at_a_word() -> None:
    text = "Maria: " + " ".join(f"word{n}" for n in range(2 * MAX_WORDS + 10))
    chunks = chunk_transcript(parse_transcript(text, format="markdown", source_id="run-on"))
    assert [c.words for c in chunks] == [MAX_WORDS, MAX_WORDS, 10]


def test_every_bundled_transcript_chunks_into_its_own_words() -> None:
    for path in sorted((ROOT / "transcripts").glob("*/*.md")):
        transcript = read_transcript(path)
        chunks = chunk_transcript(transcript)
        assert len(chunks) >= len([t for t in transcript.turns if t.text.strip()])
        assert all(transcript.text[c.start : c.end] == c.text and c.words <= MAX_WORDS for c in chunks)


def test_collection_names_follow_chromas_rules_for_any_folder(tmp_path: Path) -> None:
    for folder in ("Acme Søftware ünïcode", "ab", "日本語", "..x..", "a" * 200, "Café Ünïcode 2"):
        name = collection_name(tmp_path / folder)
        assert CHROMA_NAME.match(name) and ".." not in name, name
    assert collection_name(tmp_path / "Acme Søftware") != collection_name(tmp_path / "Acme Software")


def test_a_workspace_keeps_its_collection_when_its_folder_moves(tmp_path: Path) -> None:
    space = Workspace.init(tmp_path / "Acme Søftware ünïcode")
    before = collection_name(space.root)
    moved = space.root.rename(tmp_path / "renamed")
    assert collection_name(moved) == before and before.startswith("vsm-acme-software-unicode-")


def test_query_terms_drop_question_words_and_keep_numbers() -> None:
    assert query_terms("Why do trials stall at the 2 SEPA mandates? Why?") == ["trials", "stall", "2", "sepa",
                                                                               "mandates"]


def test_a_rare_term_outranks_a_common_one() -> None:
    texts = {"a": "the trial went fine", "b": "the SEPA mandate stalled the trial", "c": "trial trial"}
    ranking = bm25_ranking(["trial", "sepa"], texts, {"trial": 900, "sepa": 2}, total=1_000)
    assert ranking[0][0] == "b"


def test_fusion_rewards_agreement_between_rankings() -> None:
    fused = reciprocal_rank_fusion(["x", "y", "z"], ["y"])
    assert [key for key, _ in fused] == ["y", "x", "z"]


CALL = """Consultant: How did the trial go?

Ingrid Solberg: The upload was the painful part. They wanted a hundred old invoices, and I spent most of a week on it.

Lena Fischer: We cut the review by thirty percent and nothing changed downstream.
"""


def passages_of(transcript: Transcript) -> list[Passage]:
    return [Passage(id=f"call:{t.index}:0", text=t.text, source_id="call", speaker=t.speaker, perspective="customer",
                    start=t.start, end=t.end, turn=t.index, line=t.line, score=1.0)
            for t in transcript.turns if not t.interviewer]


def test_an_invented_quote_is_dropped_and_its_citation_removed() -> None:
    transcript = parse_transcript(CALL, format="markdown", source_id="call", interviewers=["Consultant"])
    passages = passages_of(transcript)
    reply = json.dumps({
        "answer": "The upload took a week [1]. The review change helped customers [2].",
        "quotes": [{"passage": 1, "text": "I spent most of a week on it"},
                   {"passage": 2, "text": "customers loved the faster review"}],
    })
    model = ScriptedChatModel(script=[reply])

    answered = answer_from_passages("why do trials stall?", passages, {"call": transcript}, model)

    assert answered.answer == "The upload took a week [1]. The review change helped customers."
    assert [(c.number, c.text) for c in answered.citations] == [(1, "I spent most of a week on it")]
    assert [(d.number, d.reason) for d in answered.dropped] == [(2, "not_found")]
    assert answered.uncited == [2] and answered.prompt == "answer_question@2"
    sent = model.prompts[0][-1].content
    assert "why do trials stall?" in sent and "[2] Lena Fischer" in sent


def test_a_real_quote_credited_to_the_wrong_passage_is_dropped() -> None:
    transcript = parse_transcript(CALL, format="markdown", source_id="call", interviewers=["Consultant"])
    passages = passages_of(transcript)
    reply = json.dumps({"answer": "It was slow [2][9].",
                        "quotes": [{"passage": 2, "text": "The upload was the painful part."},
                                   {"passage": 9, "text": "The upload was the painful part."},
                                   {"passage": 1, "text": "How did the trial go?"}]})
    answered = settle_answer("q", reply, passages, {"call": transcript})
    assert answered.citations == [] and answered.answer == "It was slow."
    assert [d.reason for d in answered.dropped] == ["wrong_speaker", "no_such_passage", "interviewer"]


def test_a_passage_names_the_file_line_it_starts_on() -> None:
    from agent.evidence_store.store import _chunk_metadata

    paragraph = " ".join(f"Sentence {n} says something about the trial and the invoices." for n in range(40))
    text = f"Consultant: Tell me more.\n\nIngrid: {paragraph}\n\n{paragraph}\n\n{paragraph}\n"
    transcript = parse_transcript(text, format="markdown", source_id="call", interviewers=["Consultant"])
    chunks = [c for c in chunk_transcript(transcript) if c.turn.speaker == "Ingrid"]
    assert len(chunks) > 2
    lines = [_chunk_metadata(c, source_id="call", content_hash="h", chunks=len(chunks), perspective="customer",
                             role=None)["line"] for c in chunks]
    starts = {chunk.start: line for chunk, line in zip(chunks, lines, strict=True)}
    for start, line in starts.items():  # the file line holding the passage's first word
        assert text.splitlines()[line - 1].find(transcript.text[start:start + 20]) >= 0
    assert lines[0] == 3 and lines[-1] > 3
