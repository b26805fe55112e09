"""Draft quotes into verified evidence, and the counts a run summary reports.

`ground_quote` is the one door from a model's (or the offline extractor's) quote to a `Quote`: the text
kept is always the transcript's own at the located span, with the speaker of its turn, and the file line
and the time (of the cue, segment or stamp) in which the quote's first word is. A fuzzy match whose
words differ beyond form keeps the model's wording as `claimed` and is not verified until confirmed;
words that address the model ("ignore previous instructions") are never evidence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from agent.grounding.injection import addresses_the_model
from agent.grounding.locating import locate_quote
from agent.grounding.results import GroundingFailure
from schemas.evidence import MatchStatus, Quote
from schemas.extraction import DraftQuote
from schemas.transcript import Transcript, Turn


def ground_quote(draft: DraftQuote, transcript: Transcript) -> Quote | GroundingFailure:
    """The verified quote for `draft`, or why it is not evidence."""
    location = locate_quote(draft.text, transcript, speaker=draft.speaker)
    if isinstance(location, GroundingFailure):
        return location
    source_text = transcript.text[location.start : location.end]
    if addresses_the_model(source_text):
        return GroundingFailure.ADDRESSES_MODEL
    turn = location.turn
    return Quote(
        text=source_text,
        # Located, not verified: the model's words stay beside the source's so a reviewer sees the change.
        claimed=draft.text.strip() if location.changed else None,
        source_id=transcript.source_id,
        speaker=turn.speaker,
        start=location.start,
        end=location.end,
        line=line_of(turn, location.start),
        timestamp=clock_time(seconds) if (seconds := time_of(turn, location.start)) is not None else None,
        match=location.match,
    )


def line_of(turn: Turn, offset: int) -> int | None:
    """The file line holding `transcript.text[offset]`, a position in `turn`; the turn's line when unknown."""
    line = turn.line
    for start, start_line in turn.line_starts:  # few per turn, in text order
        if start > offset:
            break
        line = start_line
    return line


def time_of(turn: Turn, offset: int) -> float | None:
    """Seconds at `transcript.text[offset]`: the time of the cue, segment or stamp its word is in, else the turn's."""
    seconds = turn.time_start
    for start, start_seconds in turn.time_starts:  # in text order
        if start > offset:
            break
        seconds = start_seconds
    return seconds


def clock_time(seconds: float) -> str:
    """Seconds from the start of a recording as HH:MM:SS (whole seconds, rounded down)."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


@dataclass
class GroundingTally:
    """How many quotes were kept, by match status, and dropped, by reason: one line of the run summary."""

    kept: Counter[MatchStatus] = field(default_factory=Counter)
    dropped: Counter[GroundingFailure] = field(default_factory=Counter)
    unconfirmed: int = 0  # kept fuzzy quotes whose words differ from the source's: located, not verified

    def add(self, result: Quote | GroundingFailure) -> None:
        if isinstance(result, GroundingFailure):
            self.dropped[result] += 1
        else:
            self.kept[result.match] += 1
            self.unconfirmed += result.unconfirmed

    def __str__(self) -> str:
        """E.g. "kept 12 (exact 9, fuzzy 3), dropped 2 (not_found 1, numbers_differ 1)"."""
        kept = ", ".join(f"{status.value} {self.kept[status]}" for status in MatchStatus if self.kept[status])
        dropped = ", ".join(
            f"{reason.value} {self.dropped[reason]}" for reason in GroundingFailure if self.dropped[reason]
        )
        return (
            f"kept {self.kept.total()}" + (f" ({kept})" if kept else "")
            + (f", {self.unconfirmed} of them unconfirmed (needs review)" if self.unconfirmed else "")
            + f", dropped {self.dropped.total()}" + (f" ({dropped})" if dropped else "")
        )  # fmt: skip
