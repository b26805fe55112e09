"""One stretch of speech as a source file records it (a line, a cue, a JSON item), before turns exist.

Parsers emit utterances; `turn_layout` merges consecutive ones from the same speaker into `Turn`s and lays
out the text, so every parser shares one merge and one layout. An utterance without words (the label of an
ad break, a QMSum `{vocalsound}`) becomes no turn, but still separates the turns around it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Utterance:
    speaker: str | None
    text: str
    line: int | None = None
    time_start: float | None = None
    time_end: float | None = None
    role: str | None = None  # "Interviewer", "CEO, Acme": kept for interviewer matching and the stakeholder's role
    # (offset in `text`, file line) where each source line's words begin, for an utterance read from several
    # lines; empty when `line` alone says where the words are.
    line_starts: tuple[tuple[int, int], ...] = ()
    # (offset in `text`, seconds) where a stamp inside the words says the time has moved on (`[00:05:55]`, a
    # `(00:05:55):` continuation); `time_start` is the time at offset 0.
    time_starts: tuple[tuple[int, float], ...] = ()
