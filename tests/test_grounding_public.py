"""Grounding against real, published transcripts: real sentences quoted exactly and loosely, and the cost.

The transcripts were not written for this project (see /work/shared/transcripts/public/SOURCES.md); the
tests skip where they are absent. Quotes are taken from the text itself, every few sentences, so nothing
here is tuned to particular wording.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.grounding import GroundingFailure, QuoteLocation, ground_quote, locate_quote
from agent.sources import parse_transcript, read_transcript
from schemas.evidence import MatchStatus, Quote
from schemas.extraction import DraftQuote
from schemas.transcript import Transcript, Turn
from tests.cpu_time import best_cpu_seconds

PUBLIC = Path(__file__).parents[2] / "shared" / "transcripts" / "public"
PUBLIC_FILES = sorted(path for path in PUBLIC.glob("*") if path.name != "SOURCES.md") if PUBLIC.is_dir() else []
pytestmark = pytest.mark.skipif(not PUBLIC_FILES, reason=f"public transcripts not found at {PUBLIC}")

SENTENCE = re.compile(r"(?:[^.!?]|[.!?](?=\S))+[.!?]")
FILLER = re.compile(r"\b(?:um|uh|you know|I mean)\b,?\s*", re.IGNORECASE)


def public(prefix: str) -> Transcript:
    matches = [path for path in PUBLIC_FILES if path.name.startswith(prefix)]
    if not matches:
        pytest.skip(f"no public transcript starting {prefix!r}")
    return read_transcript(matches[0])


def sampled_sentences(transcript: Transcript, every: int = 7) -> Iterator[tuple[Turn, int, str]]:
    """(turn, offset in the text, sentence) for every `every`-th sentence of 8 to 40 words."""
    count = 0
    for turn in transcript.turns:
        for match in SENTENCE.finditer(turn.text):
            sentence = match.group().strip()
            if 8 <= len(sentence.split()) <= 40 and "[" not in sentence:
                count += 1
                if count % every == 0:
                    yield turn, transcript.text.index(sentence, turn.start + match.start()), sentence


def loosely(sentence: str) -> str:
    """What a model writes when it quotes loosely: fillers gone, lower case, no commas, a contraction spelled out."""
    words = FILLER.sub("", sentence).replace(",", "").replace(" ,", "").lower()
    return words.replace("don't", "do not").replace("it's", "it is").rstrip(" .!?")


@pytest.mark.parametrize("path", PUBLIC_FILES, ids=[path.name[:30] for path in PUBLIC_FILES])
def test_real_sentences_quoted_exactly_are_found_where_they_are(path: Path) -> None:
    transcript = read_transcript(path)
    sampled = list(sampled_sentences(transcript))
    assert len(sampled) >= 20

    for turn, offset, sentence in sampled:
        location = locate_quote(sentence, transcript, speaker=turn.speaker)

        assert isinstance(location, QuoteLocation), f"{sentence!r}: {location}"
        assert location.match is MatchStatus.EXACT
        assert transcript.text[location.start : location.end] == sentence
        assert location.turn.speaker == turn.speaker
        assert location.start <= offset  # the first occurrence when a speaker repeats themselves


@pytest.mark.parametrize("path", PUBLIC_FILES, ids=[path.name[:30] for path in PUBLIC_FILES])
def test_real_sentences_quoted_loosely_are_found_and_keep_the_source_words(path: Path) -> None:
    transcript = read_transcript(path)
    sampled = [(turn, offset, sentence) for turn, offset, sentence in sampled_sentences(transcript, every=5)]
    found = 0

    for turn, offset, sentence in sampled:
        location = locate_quote(loosely(sentence), transcript, speaker=turn.speaker)
        if not isinstance(location, QuoteLocation):
            continue
        found += 1
        kept = transcript.text[location.start : location.end]
        assert location.start < offset + len(sentence) and offset < location.end, (sentence, kept)  # that sentence
        assert location.turn.start <= location.start < location.end <= location.turn.end

    assert found >= 0.95 * len(sampled), f"{found} of {len(sampled)} loosely quoted sentences found"


def test_a_podcast_guest_quoted_loosely_and_wrongly() -> None:
    transcript = public("changelog_founders-talk-71_")
    exact = "I never really had any lack of conviction about Snyk and its journey being the right thing"

    grounded = ground_quote(DraftQuote(text=exact, speaker="Guy"), transcript)
    assert isinstance(grounded, Quote) and grounded.match is MatchStatus.EXACT

    loosely_quoted = "I never had any lack of conviction about Snyk and its journey"
    loose = ground_quote(DraftQuote(text=loosely_quoted, speaker="Guy"), transcript)
    assert isinstance(loose, Quote)
    assert loose.match is MatchStatus.FUZZY
    assert loose.text == "I never really had any lack of conviction about Snyk and its journey"
    assert loose.speaker == "Guy Podjarny"

    flipped = "I always really had a lack of conviction about Snyk and its journey being the right thing"
    assert locate_quote(flipped, transcript) is GroundingFailure.NEGATION_DIFFERS
    renamed = "I never really had any lack of conviction about Stripe and its journey being the right thing"
    assert locate_quote(renamed, transcript) is GroundingFailure.NAMES_DIFFER
    assert locate_quote(exact, transcript, speaker="Adam Stacoviak") is GroundingFailure.WRONG_SPEAKER


def test_a_timestamped_turn_gives_its_time() -> None:
    transcript = public("changelog_founders-talk-71_")
    draft = DraftQuote(text="I think a freemium user is a legitimate entity in the funnel", speaker="Guy")
    quote = ground_quote(draft, transcript)

    assert isinstance(quote, Quote)
    assert quote.timestamp == "00:51:45"
    assert quote.line == 207


def test_a_meeting_with_spaced_punctuation_and_fillers() -> None:
    transcript = public("qmsum_")
    # The source reads "if we're gonna if we're gonna be marketing a product that is going to be uh having
    # no teletext , people are very comfortable": a stutter, a filler and spaced commas.
    quote = (
        "if we're going to be marketing a product that is going to be having no teletext, people are very comfortable"
    )

    location = locate_quote(quote, transcript, speaker="Marketing")

    assert isinstance(location, QuoteLocation)
    assert location.match is MatchStatus.FUZZY
    kept = transcript.text[location.start : location.end]
    assert kept.startswith("if we're gonna be marketing") and kept.endswith("very comfortable")
    assert locate_quote(quote.replace("having no", "having"), transcript) is GroundingFailure.NEGATION_DIFFERS


def test_a_hundred_quotes_against_twenty_thousand_words_take_well_under_a_second() -> None:
    transcript = public("changelog_577_")
    assert len(transcript.text.split()) > 15_000
    drafts = [DraftQuote(text=sentence, speaker=turn.speaker) for turn, _, sentence in sampled_sentences(transcript, 2)]
    drafts = [  # a realistic mix: exact, loose, and invented quotes that must be searched for in vain
        DraftQuote(text=loosely(draft.text) if position % 3 == 1 else draft.text, speaker=draft.speaker)
        if position % 3 != 2
        else DraftQuote(text=f"{draft.text[: len(draft.text) // 2]} and our revenue tripled overnight", speaker=None)
        for position, draft in enumerate(drafts[:100])
    ]
    assert len(drafts) == 100

    def ground_all() -> list[Quote | GroundingFailure]:
        copy = transcript.model_copy(deep=True)  # a transcript never grounded before: the index is built inside
        return [ground_quote(draft, copy) for draft in drafts]

    spent, results = best_cpu_seconds(ground_all)

    assert sum(isinstance(result, Quote) for result in results) >= 60
    assert spent < 1.0, f"{spent:.2f}s of CPU"


def test_one_very_long_turn_costs_about_what_many_short_turns_cost() -> None:
    # Search is by windows, not by whole turns: one 20,000-word turn must not be quadratic.
    words = read_transcript(PUBLIC_FILES[0]).text.split()[:20_000]
    long_turn = parse_transcript("Ana: " + " ".join(words), format="text", source_id="long")
    many_turns = parse_transcript(
        "\n\n".join(f"Ana: {' '.join(words[start : start + 100])}" for start in range(0, len(words), 100)),
        format="text",
        source_id="many",
    )
    quotes = [" ".join(words[start : start + 15]).replace(",", "") for start in range(50, 19_000, 950)]

    def cost(transcript: Transcript) -> float:
        locate_quote("warm up the index", transcript)
        started = time.perf_counter()
        for quote in quotes:
            locate_quote(quote + " indeed", transcript)
        return time.perf_counter() - started

    assert cost(long_turn) < 5 * cost(many_turns) + 0.05
