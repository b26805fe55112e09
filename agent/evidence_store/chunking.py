"""Transcript turns cut into passages to embed: one per turn, or sentence-bounded windows of a long turn.

A chunk never crosses speakers (it lies inside one turn) and its text is always the transcript's own
characters at `start:end`, so a retrieved passage is already evidence with an address. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.transcript import Transcript, Turn

#: A turn up to this many words is one chunk; a longer one is cut into windows of at most this many.
MAX_WORDS = 180
#: Windows are filled sentence by sentence to about this many words before a new one starts.
TARGET_WORDS = 120

_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*$")


@dataclass(frozen=True)
class Chunk:
    """A span of one turn: `transcript.text[start:end] == text`."""

    turn: Turn
    part: int
    start: int
    end: int
    text: str
    words: int


def chunk_transcript(transcript: Transcript) -> list[Chunk]:
    """Every turn's chunks, in text order; turns with no words give none."""
    return [chunk for turn in transcript.turns for chunk in chunk_turn(turn)]


def chunk_turn(turn: Turn) -> list[Chunk]:
    words = [(m.start(), m.end()) for m in _WORD.finditer(turn.text)]
    if not words:
        return []
    windows = [words] if len(words) <= MAX_WORDS else _windows(_sentences(turn.text, words))
    chunks = []
    for part, window in enumerate(windows):
        start, end = window[0][0], window[-1][1]
        chunks.append(Chunk(turn=turn, part=part, start=turn.start + start, end=turn.start + end,
                            text=turn.text[start:end], words=len(window)))
    return chunks


def _sentences(text: str, words: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    sentences: list[list[tuple[int, int]]] = [[]]
    for word in words:
        sentences[-1].append(word)
        if _SENTENCE_END.search(text[word[0] : word[1]]):
            sentences.append([])
    return [sentence for sentence in sentences if sentence]


def _windows(sentences: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Sentences packed into windows of TARGET_WORDS or so, never over MAX_WORDS; a run-on sentence is cut."""
    windows: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for sentence in sentences:
        if current and (len(current) >= TARGET_WORDS or len(current) + len(sentence) > MAX_WORDS):
            windows.append(current)
            current = []
        while len(sentence) > MAX_WORDS:  # no sentence boundary for too long: cut at a word
            if current:
                windows.append(current)
                current = []
            windows.append(sentence[:MAX_WORDS])
            sentence = sentence[MAX_WORDS:]
        current = current + sentence
    if current:
        windows.append(current)
    return windows
