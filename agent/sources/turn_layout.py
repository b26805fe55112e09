"""Utterances into a `Transcript`: merge consecutive same-speaker utterances, lay out text, index turns.

The layout is the one `schemas.transcript` promises for every format: one paragraph per turn,
`Speaker: words` (or just words), paragraphs separated by one blank line, whitespace collapsed.
Where the words came from several file lines (a long Markdown turn, merged cues), each turn keeps the
offset at which each line's words begin, so a quote can name the line it starts on.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from agent.sources.utterances import Utterance
from schemas.transcript import Transcript, Turn

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(slots=True)
class _MergedTurn:
    speaker: str | None
    role: str | None
    line: int | None
    time_start: float | None
    time_end: float | None
    pieces: list[str] = field(default_factory=list)
    line_starts: list[tuple[int, int]] = field(default_factory=list)  # (offset in " ".join(pieces), line)
    length: int = 0  # len(" ".join(pieces)) + 1 once there are pieces: kept, not summed, so merging stays linear
    time_starts: list[tuple[int, float]] = field(default_factory=list)  # (offset in " ".join(pieces), seconds)

    def add(self, text: str, line_starts: Iterable[tuple[int, int]], time_starts: Iterable[tuple[int, float]]) -> None:
        offset = self.length
        self.pieces.append(text)
        self.length += len(text) + 1
        for start, line in line_starts:
            if self.line_starts and self.line_starts[-1][0] == offset + start:
                self.line_starts.pop()  # the earlier line had no words of its own
            self.line_starts.append((offset + start, line))
        for start, seconds in time_starts:
            if self.time_starts and self.time_starts[-1][0] == offset + start:
                self.time_starts.pop()  # the earlier stamp had no words of its own
            if not self.time_starts or self.time_starts[-1][1] != seconds:  # two lines of one cue: one time
                self.time_starts.append((offset + start, seconds))


def assemble_transcript(
    utterances: Iterable[Utterance],
    *,
    source_id: str,
    path: str | None,
    format: str,
    interviewers: Collection[str] = (),
) -> Transcript:
    interviewer_keys = {key for name in interviewers if (key := _speaker_key(name))}
    paragraphs: list[str] = []
    turns: list[Turn] = []
    offset = 0
    for merged in _merge_same_speaker(utterances):
        text = " ".join(merged.pieces)
        label = f"{merged.speaker}: " if merged.speaker else ""
        start = offset + len(label)
        turns.append(
            Turn(
                index=len(turns),
                speaker=merged.speaker,
                text=text,
                start=start,
                end=start + len(text),
                line=merged.line,
                line_starts=[(start + offset_in_turn, line) for offset_in_turn, line in merged.line_starts],
                time_start=merged.time_start,
                time_starts=[(start + offset_in_turn, seconds) for offset_in_turn, seconds in merged.time_starts],
                time_end=merged.time_end,
                interviewer=_speaker_key(merged.speaker) in interviewer_keys
                or _speaker_key(merged.role) in interviewer_keys,
                role=merged.role,
            )
        )
        paragraph = label + text
        paragraphs.append(paragraph)
        offset += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return Transcript(
        source_id=source_id, path=path, format=format, text=PARAGRAPH_SEPARATOR.join(paragraphs), turns=turns
    )


def _merge_same_speaker(utterances: Iterable[Utterance]) -> Iterator[_MergedTurn]:
    current: _MergedTurn | None = None
    for utterance in utterances:
        text = " ".join(utterance.text.split())
        if not text:  # nothing said, but the turns on either side are still separate turns
            if current is not None:
                yield current
            current = None
            continue
        speaker = " ".join(utterance.speaker.split()) if utterance.speaker else None
        line_starts = _normalised_line_starts(utterance)
        time_starts = _normalised_time_starts(utterance)
        if current is not None and current.speaker == speaker:
            current.add(text, line_starts, time_starts)
            if utterance.time_end is not None:
                current.time_end = utterance.time_end
            if current.time_start is None:
                current.time_start = utterance.time_start if utterance.time_start is not None else _first_time(time_starts)
            continue
        if current is not None:
            yield current
        first_time = utterance.time_start if utterance.time_start is not None else _first_time(time_starts)
        current = _MergedTurn(speaker or None, utterance.role, utterance.line, first_time, utterance.time_end)
        current.add(text, line_starts, time_starts)
    if current is not None:
        yield current


def _normalised_time_starts(utterance: Utterance) -> list[tuple[int, float]]:
    """Where the utterance's times begin, as offsets in its whitespace-collapsed text: its start at 0, then
    each stamp inside it (one with no words after it says nothing about any word, and is left out)."""
    starts = [] if utterance.time_start is None else [(0, utterance.time_start)]
    if not utterance.time_starts:
        return starts  # most transcripts: no stamps inside an utterance, nothing to map
    collapsed = _Collapsed(utterance.text)
    for offset, seconds in utterance.time_starts:
        length, words_before, words_after = collapsed.at(offset)
        if not words_after:
            break
        position = length + (1 if words_before else 0)
        if starts and starts[-1][0] == position:
            starts.pop()
        starts.append((position, seconds))
    return starts


class _Collapsed:
    """Offsets of a raw text mapped into its whitespace-collapsed form (`" ".join(raw.split())`) in O(log n) each:
    computing `raw[:offset].split()` per offset made a long turn with many lines or stamps quadratic."""

    def __init__(self, raw: str) -> None:
        spans = [m.span() for m in re.finditer(r"\S+", raw)]
        self._starts = [start for start, _ in spans]
        self._ends = [end for _, end in spans]
        self._before = list(accumulate((end - start for start, end in spans), initial=0))

    def at(self, offset: int) -> tuple[int, bool, bool]:
        """(length of the collapsed text before `offset`, whether any words are before it, whether any after)."""
        count = bisect_left(self._starts, offset)  # words that start before the offset, the last maybe cut by it
        words_after = bool(self._ends) and self._ends[-1] > offset
        if count == 0:
            return 0, False, words_after
        last = count - 1
        length = self._before[last] + min(self._ends[last], offset) - self._starts[last] + last
        return length, True, words_after


def _first_time(time_starts: list[tuple[int, float]]) -> float | None:
    """The time of an utterance's first words when it has no start of its own: a stamp at its very start."""
    return time_starts[0][1] if time_starts and time_starts[0][0] == 0 else None


def _normalised_line_starts(utterance: Utterance) -> list[tuple[int, int]]:
    """`utterance.line_starts` as offsets in its whitespace-collapsed text; its `line` when it has no others."""
    raw = utterance.text
    if not utterance.line_starts:
        return [] if utterance.line is None else [(0, utterance.line)]
    collapsed = _Collapsed(raw)
    starts: list[tuple[int, int]] = []
    for offset, line in utterance.line_starts:
        position, words_before, words_after = collapsed.at(offset)
        if not words_after:
            break  # no words from here on
        if words_before and (raw[offset - 1].isspace() or raw[offset].isspace()):
            position += 1  # the single space that separates the words before from these
        starts.append((position, line))
    if starts and starts[0][0] > 0 and utterance.line is not None:
        starts.insert(0, (0, utterance.line))
    return starts


def _speaker_key(name: str | None) -> str:
    return " ".join(name.split()).casefold() if name else ""
