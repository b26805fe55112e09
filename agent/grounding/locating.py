"""`locate_quote`: find a quote in a transcript exactly, after normalising, or approximately.

FRAMEWORK.md ("Evidence") is the spec. The stages run in order and the first that finds the quote in
a turn of the credited speaker wins: exact substring; normalised (same words after folding case,
white space, punctuation, curly quotes, dashes and accents); fuzzy (content words aligned, similarity at
least FUZZY_THRESHOLD, the whole quote matched, and numbers, negations, facts and names agreeing). A span is
always the source's own characters and lies inside one turn. What was found elsewhere (another
speaker's or the interviewer's turn, across two turns, with a number changed) becomes the failure
reason, so a dropped quote says why.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass, replace

from agent.grounding.agreement import disagreement, name_flags
from agent.grounding.alignment import align, best_similarity_within, candidate_windows
from agent.grounding.index import TranscriptIndex, transcript_index
from agent.grounding.results import GroundingFailure, QuoteLocation
from agent.grounding.speakers import may_give_evidence, same_speaker
from agent.grounding.tokens import Token, Word, content_words, meaningful_word_count, tokenize
from schemas.evidence import MatchStatus
from schemas.transcript import Transcript, Turn

# Fewer words than this (fillers like "um" and "you know" not counted) locate nothing unless found
# exactly: "we did" is everywhere.
MIN_WORDS = 3
# Least similarity (0..1, see `alignment.similarity`) for a fuzzy match, measured in
# tests/test_grounding_threshold.py on the bundled transcripts: every 10-25 word quote with one word
# changed, contractions spelled out or two sentences joined is located; with two words changed about four
# in five; with a quarter of its words replaced about one in fifty; with half its words invented none.
FUZZY_THRESHOLD = 0.85

# Where a quote says it left words out; its parts are then located one by one (`_locate_with_omissions`).
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\]|\(\s*(?:\.\.\.|…)\s*\))\s*")
# Most words an ellipsis may stand for: beyond this the parts are separate quotes, not one.
MAX_OMITTED_WORDS = 40
_OPENING_MARKS = "\"“«„'‘"
_CLOSING_MARKS = "\"”»“'’"
# Most words of the next (or previous) sentence a changed edge can drag into a span.
_FRAGMENT_TOKENS = 2
_LEADING_LABEL = re.compile(r"\s*([^\s:][^:\n]{0,60}):\s+")


def locate_quote(text: str, transcript: Transcript, *, speaker: str | None = None) -> QuoteLocation | GroundingFailure:
    """Where `text` is in a turn of `speaker` (None: anyone but an interviewer), or why it is not evidence. Found
    once per transcript (its text and turns as they are): the second grounding of a quote in a run costs a lookup."""
    located = _located_in(transcript)
    key = (text, speaker)
    found = located.get(key)
    if found is None:
        found = located[key] = _locate(text, transcript, transcript_index(transcript), speaker)
    return found


# Where each quote was found in a transcript (or why not), by the quote and its speaker: a model's run grounds every
# draft quote twice (to ask it to confirm what it bent, then to assemble the map), and the lie battery's 94 files
# spent half their two minutes grounding again. Kept while the transcript lives, and only for its text and turns
# as they were: marking a speaker as the interviewer gives a new transcript with new turns (turns are frozen), so
# nothing found for the old one is reused. (Keyed by who spoke each turn as well, each quote's key held a tuple as
# long as the transcript: 0.6 ms a quote in a 2,399-turn source, and 14 GB before 52,885 quotes in a 6,141-turn
# one were done.)
_LocateKey = tuple[str, str | None]
_LOCATED: dict[int, tuple[str, list[Turn], dict[_LocateKey, QuoteLocation | GroundingFailure]]] = {}


def _located_in(transcript: Transcript) -> dict[_LocateKey, QuoteLocation | GroundingFailure]:
    held = _LOCATED.get(id(transcript))
    if held is not None and held[0] is transcript.text and held[1] is transcript.turns:
        return held[2]
    located: dict[_LocateKey, QuoteLocation | GroundingFailure] = {}
    if held is None:
        weakref.finalize(transcript, _LOCATED.pop, id(transcript), None)
    _LOCATED[id(transcript)] = (transcript.text, transcript.turns, located)
    return located


def _locate(
    text: str, transcript: Transcript, index: TranscriptIndex, speaker: str | None,
) -> QuoteLocation | GroundingFailure:
    quote = _bare_quote(text, transcript)
    credited = {name: may_give_evidence(name, speaker) for name in transcript.speakers}
    eligible = [not turn.interviewer and credited.get(turn.speaker or "", True) for turn in transcript.turns]
    search = _Search(index, eligible)

    found = search.exact(quote)
    if found is None and text.strip() != quote:
        found = search.exact(text.strip())  # the marks stripped may be the speaker's own (a quote's closing ")
    if found is not None:
        return found
    tokens = tokenize(quote)
    if meaningful_word_count(tokens) < MIN_WORDS:
        return search.failure(default=GroundingFailure.TOO_SHORT)
    words = content_words(tokens)
    found = search.normalised(tokens)
    if found is not None:
        return found
    names = name_flags(quote, tokens, index.lowercase_words)
    found = search.fuzzy(words, [names[word.token] for word in words])
    if found is None and _ELLIPSIS.search(quote):
        found = _locate_with_omissions(quote, transcript, speaker)
    return found if found is not None else search.failure(default=GroundingFailure.NOT_FOUND)


def _locate_with_omissions(quote: str, transcript: Transcript, speaker: str | None) -> QuoteLocation | None:
    """A quote with words left out ("we started ... and it grew"): every part found, in order, in one turn.

    The span runs from the first part to the last, so the kept text includes what the quote left out:
    the source's own words, never a collage.
    """
    parts = [part for part in _ELLIPSIS.split(quote) if part.strip()]
    found: list[QuoteLocation] = []
    for part in parts:
        location = locate_quote(part, transcript, speaker=speaker)
        if not isinstance(location, QuoteLocation):
            return None
        if found:
            previous = found[-1]
            gap = transcript.text[previous.end : location.start]
            if location.turn is not previous.turn or location.start < previous.end:
                return None
            if len(gap.split()) > MAX_OMITTED_WORDS:
                return None
        found.append(location)
    score = min(location.score for location in found)
    changed = any(location.changed for location in found)
    return QuoteLocation(found[0].start, found[-1].end, MatchStatus.FUZZY, score, found[0].turn, changed)


@dataclass
class _Search:
    """One quote's search: the stages, and what each saw outside the credited speaker's turns."""

    index: TranscriptIndex
    eligible: list[bool]  # per turn: may it give evidence for this quote's speaker?
    other_speaker: bool = False
    interviewer: bool = False
    spans_turns: bool = False
    differs: GroundingFailure | None = None
    differs_in_eligible_turn: bool = False

    def exact(self, quote: str) -> QuoteLocation | None:
        if not quote:
            return None
        text = self.index.text
        start = text.find(quote)
        while start != -1:
            end = start + len(quote)
            turn = self.index.turn_of_span(start, end)
            if turn is not None and _on_word_boundaries(text, start, end):
                if self.eligible[turn]:
                    return self._location(start, end, MatchStatus.EXACT, 1.0, turn)
                self._seen_elsewhere(turn)
            start = text.find(quote, start + 1)
        return None

    def normalised(self, tokens: list[Token]) -> QuoteLocation | None:
        # Equal folded words are equal numbers, negations and names: no further check is needed here.
        index = self.index
        needle = " ".join(token.norm for token in tokens)
        offset = index.joined.find(needle)
        while offset != -1:
            after = offset + len(needle)
            first = index.joined_token.get(offset)
            following = len(index.tokens) if after == len(index.joined) else index.joined_token.get(after + 1)
            if first is not None and following is not None:
                start, end = index.tokens[first].start, index.tokens[following - 1].end
                turn = index.token_turn[first]
                if index.token_turn[following - 1] != turn:
                    self.spans_turns = True
                elif self.eligible[turn]:
                    return self._location(start, end, MatchStatus.NORMALISED, 1.0, turn)
                else:
                    self._seen_elsewhere(turn)
            offset = index.joined.find(needle, offset + 1)
        return None

    def fuzzy(self, quote: list[Word], names: list[bool]) -> QuoteLocation | None:
        index = self.index
        keys = [word.key for word in quote]
        counts = Counter(keys)

        def worth_aligning(start: int, end: int) -> bool:
            """Whether a span of content positions [start, end) could be a better match than `best` (else
            aligning it changes nothing: not the result, nor the reason a failure gives)."""
            reachable = best_similarity_within(counts, len(keys), index.content_keys[start:end])
            return reachable >= FUZZY_THRESHOLD and (best is None or reachable > best.score)

        best: QuoteLocation | None = None
        for window_start, window_end in candidate_windows(index, keys):
            if not worth_aligning(max(window_start - 1, 0), window_end + 1):
                continue  # every span below, in a turn or across turns, lies in these positions
            turns = sorted(set(index.content_turn[window_start:window_end]))
            # Within each turn first: a quote is one speaker's words; only if no turn holds it, across turns.
            found_here = False
            for turn in turns:
                turn_start, turn_end = index.content_range(turn)
                # One word of margin: a changed edge word is checked against the source word beside the span.
                start, end = max(window_start - 1, turn_start), min(window_end + 1, turn_end)
                found = self._fuzzy_in(quote, names, start, end) if worth_aligning(start, end) else None
                if found is not None:
                    found_here = True
                    if best is None or found.score > best.score:
                        best = found
            # Across turns only to say why a quote failed; once one is found, no failure is reported.
            if not found_here and len(turns) > 1 and best is None and worth_aligning(window_start, window_end):
                self._fuzzy_in(quote, names, window_start, window_end)
        return best

    def failure(self, *, default: GroundingFailure) -> GroundingFailure:
        """The most telling reason: found for someone else, then across turns, then a changed word."""
        if self.other_speaker:
            return GroundingFailure.WRONG_SPEAKER
        if self.interviewer:
            return GroundingFailure.INTERVIEWER
        if self.spans_turns:
            return GroundingFailure.SPANS_TURNS
        return self.differs or default

    def _fuzzy_in(self, quote: list[Word], names: list[bool], start: int, end: int) -> QuoteLocation | None:
        """The match of `quote` in content positions [start, end), if it is good enough and agrees."""
        index = self.index
        alignment = align([word.key for word in quote], index.content_keys[start:end])
        if alignment is None or alignment.score < FUZZY_THRESHOLD or not alignment.edges_matched:
            return None
        positions = range(start + alignment.start, start + alignment.end)
        first_turn, last_turn = index.content_turn[positions[0]], index.content_turn[positions[-1]]
        differs = disagreement(quote, names, index.content[start:end], alignment.blocks)
        if differs is not None:
            eligible = first_turn == last_turn and self.eligible[first_turn]
            if self.differs is None or (eligible and not self.differs_in_eligible_turn):
                self.differs, self.differs_in_eligible_turn = differs, eligible
            return None
        if first_turn != last_turn:
            self.spans_turns = True
            return None
        if not self.eligible[first_turn]:
            self._seen_elsewhere(first_turn)
            return None
        changed = {start + position for _, theirs in alignment.blocks for position in theirs}
        first, last = _within_sentences(index, list(positions), changed)
        start_offset, end_offset = index.tokens[index.content[first].token].start, index.tokens[index.content[last].token].end
        location = self._location(start_offset, end_offset, MatchStatus.FUZZY, alignment.score, first_turn)
        return replace(location, changed=bool(alignment.blocks))

    def _seen_elsewhere(self, turn: int) -> None:
        if self.index.transcript.turns[turn].interviewer:
            self.interviewer = True
        else:
            self.other_speaker = True

    def _location(self, start: int, end: int, match: MatchStatus, score: float, turn: int) -> QuoteLocation:
        return QuoteLocation(start, end, match, score, self.index.transcript.turns[turn])


def _within_sentences(index: TranscriptIndex, positions: list[int], changed: set[int]) -> tuple[int, int]:
    """The first and last content positions of a span, without a changed fragment across a sentence end.

    A quote whose last words the model changed or added is paired with the source words after them; when
    those open the next sentence ("...until they expire. That's"), they are not part of the quote. A
    fragment of at most `_FRAGMENT_TOKENS` words beyond a sentence end, holding a changed word, is cut.
    """
    first, last = 0, len(positions) - 1
    breaks = [k for k in range(len(positions) - 1) if _sentence_ends_between(index, positions[k], positions[k + 1])]
    if breaks:
        tail = positions[breaks[-1] + 1 :]
        if _is_changed_fragment(index, tail, changed):
            last = breaks[-1]
        head = positions[: breaks[0] + 1]
        if breaks[0] < last and _is_changed_fragment(index, head, changed):
            first = breaks[0] + 1
    return positions[first], positions[last]


def _is_changed_fragment(index: TranscriptIndex, part: list[int], changed: set[int]) -> bool:
    tokens = {index.content[position].token for position in part}
    return len(tokens) <= _FRAGMENT_TOKENS and any(position in changed for position in part)


def _sentence_ends_between(index: TranscriptIndex, before: int, after: int) -> bool:
    end, start = index.tokens[index.content[before].token].end, index.tokens[index.content[after].token].start
    return any(mark in index.text[end:start] for mark in ".!?…")


def _bare_quote(text: str, transcript: Transcript) -> str:
    """The quote without wrapping quotation marks or a leading "Speaker:" label a model copied along."""
    quote = _unwrapped(text.strip())
    label = _LEADING_LABEL.match(quote)
    if label and any(same_speaker(label.group(1), name) for name in transcript.speakers):
        quote = _unwrapped(quote[label.end() :].strip())
    return quote


def _unwrapped(quote: str) -> str:
    if len(quote) >= 2 and quote[0] in _OPENING_MARKS and quote[-1] in _CLOSING_MARKS:
        return quote[1:-1].strip()
    return quote


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """False when a match cuts a word ("rice" inside "price"): that is not the speaker's word."""
    cuts_start = start > 0 and text[start].isalnum() and text[start - 1].isalnum()
    cuts_end = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    return not (cuts_start or cuts_end)
