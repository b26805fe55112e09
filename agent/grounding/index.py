"""A transcript tokenised once, for every quote grounded against it.

Grounding a batch of quotes against one transcript would otherwise tokenise 20,000 words per quote.
The index holds the tokens of every turn (never the speaker labels), a joined normalised text for
normalised matching, the content-word sequence for fuzzy alignment, and postings from each word to its
positions, so fuzzy search starts only where the quote's rarer words occur.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass

from agent.grounding.tokens import Token, Word, content_words, tokenize
from schemas.transcript import Transcript, Turn

_CACHE_SIZE = 8


@dataclass(frozen=True, slots=True)
class TranscriptIndex:
    transcript: Transcript
    text: str  # the transcript text the index was built from: a changed text is a different index
    turns: list[Turn]  # and its turns: new turns (turns are frozen) are a different index too
    tokens: list[Token]  # every turn's tokens, in text order
    token_turn: list[int]  # position in `transcript.turns` of each token's turn
    joined: str  # " ".join(token.norm): normalised matching is one `str.find`
    joined_token: dict[int, int]  # offset in `joined` where a token starts -> token position
    content: list[Word]  # every turn's content words (see `tokens.content_words`), tokens indexed as above
    content_keys: list[str]
    content_turn: list[int]
    postings: dict[str, list[int]]  # key -> positions in `content`
    lowercase_words: frozenset[str]  # words written in lower case somewhere: these are not names
    turn_starts: list[int]

    def turn_of_span(self, start: int, end: int) -> int | None:
        """Position of the turn holding all of text[start:end], or None when the span leaves the turn."""
        position = bisect_right(self.turn_starts, start) - 1
        if position < 0:
            return None
        turn = self.transcript.turns[position]
        return position if turn.start <= start and end <= turn.end else None

    def content_range(self, turn: int) -> tuple[int, int]:
        """The `content` positions of one turn, as a half-open range."""
        return bisect_right(self.content_turn, turn - 1), bisect_right(self.content_turn, turn)


def transcript_index(transcript: Transcript) -> TranscriptIndex:
    """The index of `transcript`, built once and reused while the same transcript object is grounded."""
    key = id(transcript)
    with _LOCK:
        cached = _CACHE.get(key)
        # Holding the transcript in the entry keeps its id from being reused; the text and turns checks notice an edit.
        if (cached is not None and cached.transcript is transcript and cached.text is transcript.text
                and cached.turns is transcript.turns):
            _CACHE.move_to_end(key)
            return cached
    index = _build(transcript)
    with _LOCK:
        _CACHE[key] = index
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return index


_CACHE: OrderedDict[int, TranscriptIndex] = OrderedDict()
_LOCK = threading.Lock()


def _build(transcript: Transcript) -> TranscriptIndex:
    tokens: list[Token] = []
    token_turn: list[int] = []
    content: list[Word] = []
    for position, turn in enumerate(transcript.turns):
        turn_tokens = tokenize(turn.text, turn.start)
        # Fillers and stutters are judged within a turn: a repeat across speakers is an answer, not a stutter.
        content.extend(content_words(turn_tokens, first_token=len(tokens)))
        tokens.extend(turn_tokens)
        token_turn.extend([position] * len(turn_tokens))

    joined_token: dict[int, int] = {}
    offset = 0
    for position, token in enumerate(tokens):
        joined_token[offset] = position
        offset += len(token.norm) + 1
    content_keys = [word.key for word in content]
    postings: dict[str, list[int]] = {}
    for position, key in enumerate(content_keys):
        postings.setdefault(key, []).append(position)
    lowercase_words = frozenset(
        token.norm for token in tokens if not token.capitalised and token.number is None and token.norm != "percent"
    )
    return TranscriptIndex(
        transcript=transcript,
        text=transcript.text,
        turns=transcript.turns,
        tokens=tokens,
        token_turn=token_turn,
        joined=" ".join(token.norm for token in tokens),
        joined_token=joined_token,
        content=content,
        content_keys=content_keys,
        content_turn=[token_turn[word.token] for word in content],
        postings=postings,
        lowercase_words=lowercase_words,
        turn_starts=[turn.start for turn in transcript.turns],
    )
