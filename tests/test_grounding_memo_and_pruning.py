"""Grounding's two shortcuts change no answer: a quote located once per transcript, and spans never aligned
because no span of them could reach the fuzzy threshold (or beat the match already found).

Seen when the grounding benchmark ran over every bundled example: each located quote's memo key held a
tuple as long as the transcript (who spoke each turn), 0.6 ms a quote in a 2,399-turn source and 14 GB
before 52,885 quotes were done; and two thirds of the lie battery's `vsm map` runs went on aligning windows
that could not match.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from pydantic import ValidationError

import agent.grounding.locating as locating
from agent.grounding import GroundingFailure, QuoteLocation, locate_quote
from agent.grounding.alignment import best_similarity_within, similarity
from agent.grounding.index import transcript_index
from agent.sources import parse_transcript, read_transcript
from agent.sources.speaker_roles import mark_interviewers
from benchmarks.lie_battery import battery

CALL = """\
Priya (Host): What did the first week look like for you?

Tom Reyes: We uploaded the whole supplier list on day one and the import rejected half of it, so we spent the evening fixing column names by hand.

Priya (Host): And after that?

Tom Reyes: After that the approvals ran on their own, and the finance team stopped chasing paper invoices every Friday afternoon.
"""
QUOTE = "the import rejected half of it, so we spent the evening fixing column names by hand"


def test_a_speaker_marked_as_the_interviewer_afterwards_is_not_served_from_the_memo() -> None:
    transcript = parse_transcript(CALL, format="text", source_id="call")
    assert isinstance(locate_quote(QUOTE, transcript), QuoteLocation)  # memoised for this transcript

    marked = mark_interviewers(transcript, {"Tom Reyes"})  # same text object, new turns
    assert marked.text is transcript.text
    assert locate_quote(QUOTE, marked) is GroundingFailure.INTERVIEWER
    assert isinstance(locate_quote(QUOTE, transcript), QuoteLocation)  # the original is unchanged

    transcript.turns = marked.turns  # the same transcript object given the new turns: its memo is not reused
    assert locate_quote(QUOTE, transcript) is GroundingFailure.INTERVIEWER


def test_a_transcript_given_new_turns_is_indexed_again() -> None:
    transcript = parse_transcript(CALL, format="text", source_id="call")
    first = transcript_index(transcript)
    assert transcript_index(transcript) is first

    transcript.turns = mark_interviewers(transcript, {"Tom Reyes"}).turns

    assert transcript_index(transcript) is not first


def test_a_turn_cannot_be_changed_under_the_memo() -> None:
    transcript = parse_transcript(CALL, format="text", source_id="call")

    with pytest.raises(ValidationError):
        transcript.turns[1].interviewer = True


def test_the_memo_key_does_not_grow_with_the_transcript() -> None:
    transcript = parse_transcript(CALL, format="text", source_id="call")
    locate_quote(QUOTE, transcript, speaker="Tom Reyes")

    keys = list(locating._located_in(transcript))

    assert keys == [(QUOTE, "Tom Reyes")]


def test_no_span_is_more_similar_than_the_bound_says() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(12)]
    for _ in range(3000):
        quote = [rng.choice(vocabulary) for _ in range(rng.randint(3, 12))]
        window = [rng.choice(vocabulary) for _ in range(rng.randint(1, 30))]
        bound = best_similarity_within(Counter(quote), len(quote), window)
        best = max(similarity(quote, window[i:j]) for i in range(len(window)) for j in range(i + 1, len(window) + 1))
        assert best <= bound + 1e-12, (quote, window)


@pytest.mark.slow
def test_pruning_changes_no_location_or_failure_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every lie and positive of the battery for a dozen bundled examples, located with and without pruning."""
    variants = battery()
    files = sorted({v.gold.path for v in variants})[::8]
    chosen = [v for v in variants if v.gold.path in files]
    assert len(chosen) > 3000

    def located() -> list[object]:
        found: list[object] = []
        for path in files:
            transcript = read_transcript(Path(path), source_id="s")  # a fresh transcript: nothing memoised
            found += [locate_quote(v.text, transcript, speaker=v.speaker) for v in chosen if v.gold.path == path]
        return found

    pruned = located()
    # Every window aligned until a match scores 1.0, which no later window could beat (`found.score > best.score`);
    # across turns only while nothing is found, as before pruning: only a failure reports what was seen there.
    monkeypatch.setattr(locating, "best_similarity_within", lambda *_: 1.0)
    assert located() == pruned
    assert sum(isinstance(r, QuoteLocation) and r.changed for r in pruned) > 300  # fuzzy matches were compared
