"""A passage selected in a transcript, made into evidence: the exact text of one turn, credited to its speaker.

This is the only way the review makes a quote, so every quote it makes is grounded by construction: the
kept text is `transcript.text[start:end]`, inside one turn, never an interviewer's words. A selection
that cannot be evidence is refused with the reason a person can act on.
"""

from __future__ import annotations

from agent.errors import VsmError
from agent.grounding.evidence import clock_time, line_of
from schemas.evidence import MatchStatus, Quote
from schemas.transcript import Transcript, Turn


class SelectionRefused(VsmError):
    """The selection cannot be evidence; the message says why and what to select instead."""


def _turn_touching(transcript: Transcript, offset: int) -> Turn | None:
    """The turn containing `offset`, or the turn whose words end exactly there."""
    turn = transcript.turn_at(offset)
    if turn is None and offset > 0:
        turn = transcript.turn_at(offset - 1)
    return turn


def quote_from_selection(transcript: Transcript, start: int, end: int) -> Quote:
    """The quote for the characters `start:end` of `transcript.text` (either order), trimmed of white space."""
    start, end = sorted((max(0, start), min(len(transcript.text), end)))
    text = transcript.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        raise SelectionRefused("nothing is selected: select the words to quote (Shift+arrows, or drag the mouse)")
    first, last = _turn_touching(transcript, start), _turn_touching(transcript, end - 1)
    if first is None or last is None:
        raise SelectionRefused("the selection includes a speaker's name or the gap between turns: select words "
                               "inside one turn")
    if first.index != last.index:
        raise SelectionRefused(f"the selection runs across {last.index - first.index + 1} turns "
                               f"({first.speaker or 'unnamed'} to {last.speaker or 'unnamed'}): a quote is the "
                               "words of one person in one turn; select inside one turn")
    if first.interviewer:
        raise SelectionRefused(f"these are the interviewer's words ({first.speaker or 'interviewer'}): questions "
                               "are never evidence; select what the stakeholder answered")
    return Quote(
        text=text[start:end],
        source_id=transcript.source_id,
        speaker=first.speaker,
        start=start,
        end=end,
        line=line_of(first, start),
        timestamp=clock_time(first.time_start) if first.time_start is not None else None,
        match=MatchStatus.EXACT,
    )


def quote_is_grounded(quote: Quote, transcript: Transcript) -> bool:
    """Whether `quote` is its source's own words at its span, inside one non-interviewer turn."""
    if quote.start is None or quote.end is None or quote.source_id != transcript.source_id:
        return False
    if transcript.text[quote.start : quote.end] != quote.text:
        return False
    turn = transcript.turn_at(quote.start)
    return turn is not None and not turn.interviewer and quote.end <= turn.end and turn.speaker == quote.speaker
