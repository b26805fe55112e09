"""Split a transcript into parts a model reads in one call, and carry what was found across parts.

Parts break at turn boundaries and hold at most `max_tokens` (estimated as characters / 4, the usual
ratio for English with OpenAI tokenizers; no tokenizer download). A turn longer than that is split at
sentence boundaries (and a sentence longer than that at spaces). Each piece keeps its character span
in `Transcript.text`, and is rendered as in that text (`Speaker: words`, a blank line between turns),
so quotes the model copies can be found in the source. Pure: no I/O, no model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from schemas.extraction import DraftElement, DraftMap
from schemas.transcript import Transcript, Turn

CHARS_PER_TOKEN = 4
_PARAGRAPH_BREAK = "\n\n"
# A sentence ends at . ! ? or … (maybe followed by closing quotes or brackets) and then white space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")

#: The order kinds are kept in when the carried context must be cut: the framework's spine first.
CONTEXT_KINDS = (
    ("thresholds", "threshold"),
    ("veps", "vep"),
    ("propositions", "proposition"),
    ("duplications", "duplication"),
    ("resistances", "resistance"),
    ("exchanges", "exchange"),
    ("losses", "loss"),
    ("stages", "stage"),
)
DEFAULT_CONTEXT_LIMIT = 60


def estimate_tokens(text: str) -> int:
    """Tokens a model will count for `text`, estimated from its length (about four characters each)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


class Chunk(BaseModel):
    """One part of a transcript, as the model reads it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int
    text: str
    start: int  # offset in Transcript.text of the first piece's words
    end: int  # offset just past the last piece's words
    first_turn: int
    last_turn: int
    speakers: tuple[str, ...]
    tokens: int

    def label(self, total: int) -> str:
        turns = f"turn {self.first_turn}" if self.first_turn == self.last_turn else f"turns {self.first_turn}-{self.last_turn}"
        return f"{self.index + 1} of {total} ({turns})"


class KnownElement(BaseModel):
    """An element found in an earlier part, so a later part can refer to it by key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    key: str
    name: str


@dataclass(frozen=True)
class _Piece:
    turn: int
    speaker: str | None
    start: int
    end: int
    text: str

    @property
    def rendered(self) -> str:
        return f"{self.speaker}: {self.text}" if self.speaker else self.text

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.rendered + _PARAGRAPH_BREAK)


def chunk_transcript(transcript: Transcript, max_tokens: int) -> list[Chunk]:
    """The transcript in parts of at most `max_tokens`, broken between turns where possible."""
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    chunks: list[Chunk] = []
    current: list[_Piece] = []
    used = 0
    for turn in transcript.turns:
        for piece in _turn_pieces(turn, max_tokens):
            if current and used + piece.tokens > max_tokens:
                chunks.append(_chunk_of(len(chunks), current))
                current, used = [], 0
            current.append(piece)
            used += piece.tokens
    if current:
        chunks.append(_chunk_of(len(chunks), current))
    return chunks


def _chunk_of(index: int, pieces: Sequence[_Piece]) -> Chunk:
    text = _PARAGRAPH_BREAK.join(piece.rendered for piece in pieces)
    speakers = dict.fromkeys(p.speaker for p in pieces if p.speaker)
    return Chunk(
        index=index,
        text=text,
        start=pieces[0].start,
        end=pieces[-1].end,
        first_turn=pieces[0].turn,
        last_turn=pieces[-1].turn,
        speakers=tuple(s for s in speakers if s),
        tokens=estimate_tokens(text),
    )


def _turn_pieces(turn: Turn, max_tokens: int) -> Iterator[_Piece]:
    whole = _Piece(turn.index, turn.speaker, turn.start, turn.end, turn.text)
    if not turn.text.strip():
        return
    if whole.tokens <= max_tokens:
        yield whole
        return
    label_tokens = estimate_tokens(f"{turn.speaker}: " if turn.speaker else "") + 1
    room = max(1, max_tokens - label_tokens)
    for start, end in _pack(_sentence_spans(turn.text), turn.text, room):
        yield _Piece(turn.index, turn.speaker, turn.start + start, turn.start + end, turn.text[start:end])


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _pack(spans: Iterable[tuple[int, int]], text: str, room: int) -> Iterator[tuple[int, int]]:
    """Consecutive spans joined while they fit in `room` tokens; a span too long alone is cut at spaces."""
    current: tuple[int, int] | None = None
    for span in _fitting(spans, text, room):
        if current is not None and estimate_tokens(text[current[0] : span[1]]) <= room:
            current = (current[0], span[1])
            continue
        if current is not None:
            yield current
        current = span
    if current is not None:
        yield current


def _fitting(spans: Iterable[tuple[int, int]], text: str, room: int) -> Iterator[tuple[int, int]]:
    limit = room * CHARS_PER_TOKEN
    for start, end in spans:
        while end - start > limit:
            cut = _last_space(text, start, start + limit)
            yield start, cut
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if end > start:
            yield start, end


def _last_space(text: str, start: int, limit: int) -> int:
    # Cut after the last white space within the limit; with none (one enormous word), cut at the limit.
    for match in reversed(list(_SPACE.finditer(text, start, limit))):
        if match.start() > start:
            return match.start()
    return limit


def known_elements(drafts: Iterable[DraftMap], limit: int = DEFAULT_CONTEXT_LIMIT) -> list[KnownElement]:
    """Elements found so far, one per key, most useful kinds first, at most `limit` of them."""
    found: set[tuple[str, str]] = set()  # (kind, key): a VEP and its threshold may share a key
    by_kind: dict[str, list[KnownElement]] = {kind: [] for _, kind in CONTEXT_KINDS}
    for draft in drafts:
        for field, kind in CONTEXT_KINDS:
            elements: list[DraftElement] = getattr(draft, field)
            for element in elements:
                if (kind, element.key) not in found:
                    found.add((kind, element.key))
                    by_kind[kind].append(KnownElement(kind=kind, key=element.key, name=element.name))
    ordered = [element for _, kind in CONTEXT_KINDS for element in by_kind[kind]]
    return ordered[:limit]


def render_known_elements(elements: Sequence[KnownElement]) -> str:
    if not elements:
        return "(none yet)"
    return "\n".join(f"- {element.kind}, {element.key}: {element.name}" for element in elements)


def interviewer_speakers(transcript: Transcript) -> list[str]:
    """Speakers whose turns are marked as the interviewer's."""
    return list(dict.fromkeys(t.speaker for t in transcript.turns if t.interviewer and t.speaker))
