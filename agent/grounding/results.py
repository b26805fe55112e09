"""What locating a quote yields: where it is, or the one reason it is not evidence.

Failures are data, not log lines: the run summary counts them (`GroundingTally`) and a reviewer sees
why a model's quote was dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schemas.evidence import MatchStatus
from schemas.transcript import Turn


@dataclass(frozen=True)
class QuoteLocation:
    """A quote found in one turn; the source's words are `transcript.text[start:end]`."""

    start: int
    end: int
    match: MatchStatus  # EXACT, NORMALISED or FUZZY
    score: float  # 1.0 for exact and normalised matches, the similarity for fuzzy ones
    turn: Turn
    # A fuzzy match whose differing words are more than case, punctuation, fillers, contractions and how a
    # number is written: the quote is located, not verified (its element needs a confirmation).
    changed: bool = False


class GroundingFailure(StrEnum):
    """Why a quote is not evidence."""

    NOT_FOUND = "not_found"  # nothing in the transcript is close enough
    WRONG_SPEAKER = "wrong_speaker"  # found, but someone else said it
    INTERVIEWER = "interviewer"  # found only in the interviewer's words, which are never evidence
    NUMBERS_DIFFER = "numbers_differ"  # close, but a number differs ("30%" vs "50%")
    NEGATION_DIFFERS = "negation_differs"  # close, but one side negates ("we don't" vs "we do")
    QUANTITIES_DIFFER = "quantities_differ"  # close, but "half" / "a third", "first" / "second", "all" / "some"
    UNITS_DIFFER = "units_differ"  # close, but a unit or currency differs ("two weeks" vs "two months", "$" vs "€")
    COMPARISON_DIFFERS = "comparison_differs"  # close, but "faster" / "slower", "before" / "after", "more" / "less"
    OPPOSITE_WORD = "opposite_word"  # close, but a word is swapped for its opposite ("optional" / "mandatory")
    NAMES_DIFFER = "names_differ"  # close, but the quote names someone or something the source does not
    TOO_SHORT = "too_short"  # too few words to locate unless they are found exactly
    SPANS_TURNS = "spans_turns"  # the words run across two speakers' turns
    ADDRESSES_MODEL = "addresses_model"  # the words speak to the model ("ignore previous instructions"): not evidence
