"""Fuzzy location of a quote's words: where in the transcript to look, and the tightest span there.

Aligning every quote against the whole transcript is quadratic; instead the quote's rarer words vote
for where it starts (their position in the transcript minus their position in the quote), and only a
few windows around the best-supported starts are aligned. Alignment is on content words (fillers and
stutters removed, contractions spelled out, on both sides: see `tokens.content_words`), and the score is
`similarity` of the quote's words and the span's.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from agent.grounding.index import TranscriptIndex

MAX_ANCHORS = 8  # the rarest words of a quote that vote for where it is
MAX_WINDOWS = 6  # the best-supported windows aligned per quote
# Edge words of the quote that may be left unmatched: one changed word at either end. More than that and
# the match is a prefix (or suffix) of the quote, not the quote (FRAMEWORK.md, "Evidence").
MAX_UNMATCHED_EDGE_WORDS = 1
TRIED_SPANS = 4  # the most similar candidate spans checked for matched edges, best first


@dataclass(frozen=True, slots=True)
class Alignment:
    """The best span of quote words within a window of content words, as positions in the window."""

    start: int  # first window position of the span
    end: int  # one past the last
    score: float  # similarity of the quote's words and the span's words, 0..1
    # (quote positions, window positions) that differ. A quote word left unmatched at an edge is paired
    # with the source word just outside the span, so "we lower" next to the source's "never lower"
    # still compares "never": a span may not start right after the negation it leaves out.
    blocks: tuple[tuple[range, range], ...]
    edges_matched: bool  # at most MAX_UNMATCHED_EDGE_WORDS quote words unmatched at either end


def candidate_windows(index: TranscriptIndex, quote_keys: Sequence[str]) -> list[tuple[int, int]]:
    """Windows of content positions where the quote may be, best-supported first."""
    length = len(quote_keys)
    total = max(len(index.content_keys), 1)
    anchors = sorted(
        {key for key in quote_keys if key in index.postings}, key=lambda key: (len(index.postings[key]), key)
    )[:MAX_ANCHORS]
    if not anchors:
        return []
    offsets: dict[str, list[int]] = {}
    for offset, key in enumerate(quote_keys):
        offsets.setdefault(key, []).append(offset)
    # (diagonal, key): a quote starting at `diagonal` would put `key` where the transcript has it.
    hits = sorted(
        (position - offset, key)
        for key in anchors
        for position in index.postings[key]
        for offset in offsets[key]
    )  # fmt: skip
    weight = {key: math.log(1 + total / len(index.postings[key])) for key in anchors}
    # Dropped or added words shift later words' diagonals; hits within `tolerance` support one location.
    tolerance = length // 3 + 2
    scored: list[tuple[float, int, int]] = []
    left = 0
    inside: Counter[str] = Counter()
    support = 0.0
    for diagonal, key in hits:
        if inside[key] == 0:
            support += weight[key]
        inside[key] += 1
        while hits[left][0] < diagonal - tolerance:
            gone = hits[left][1]
            inside[gone] -= 1
            if inside[gone] == 0:
                support -= weight[gone]
            left += 1
        scored.append((support, hits[left][0], diagonal))
    scored.sort(key=lambda item: (-item[0], item[1]))
    windows: list[tuple[int, int]] = []
    slack = tolerance + 2
    for _, first, last in scored:
        window = (max(first - slack, 0), min(last + length + slack, len(index.content_keys)))
        if any(window[0] < taken[1] and taken[0] < window[1] for taken in windows):
            continue  # overlapping windows are one location found twice
        windows.append(window)
        if len(windows) == MAX_WINDOWS:
            break
    return windows


def align(quote_keys: Sequence[str], window_keys: Sequence[str]) -> Alignment | None:
    """The tightest span of `window_keys` that best matches all of `quote_keys`, or None if nothing matches."""
    quote, window = list(quote_keys), list(window_keys)
    equal = [op for op in Indel.opcodes(quote, window) if op.tag == "equal"]
    if not equal:
        return None
    # One longest-common-subsequence alignment can pull a common word from outside the quote's place
    # ("the" three words early) or pair a repeated phrase with its first occurrence. So the span's edges
    # are also tried where the quote's first and last words occur, and one word further out (a changed
    # first or last word); the most similar span that matches the quote's edges wins.
    starts = {op.dest_start for op in equal[:3]}
    ends = {op.dest_end for op in equal[-3:]}
    starts |= {start - 1 for start in starts if start > 0}
    ends |= {end + 1 for end in ends if end < len(window)}
    edge = MAX_UNMATCHED_EDGE_WORDS + 1
    for position, key in enumerate(window):
        if key in quote[:edge]:
            starts.add(position)
        if key in quote[-edge:]:
            ends.add(position + 1)
    quote_text = " ".join(quote)
    shortest, longest = len(quote) // 2, 2 * len(quote) + 4
    ranked = sorted(
        (
            (Indel.normalized_similarity(quote_text, " ".join(window[start:end])), start - end, -start, end)
            for start in starts
            for end in ends
            if shortest <= end - start <= longest
        ),
        reverse=True,
    )
    fallback: Alignment | None = None
    for _, _, negative_start, end in ranked[:TRIED_SPANS]:
        alignment = _alignment(quote, window, -negative_start, end)
        if alignment is not None and alignment.edges_matched:
            return alignment
        fallback = fallback or alignment
    return fallback


def _alignment(quote: list[str], window: list[str], start: int, end: int) -> Alignment | None:
    """The alignment on window[start:end], shrunk until no unmatched source word sits at either edge.

    An unmatched source word next to an unmatched quote word at the same edge is a changed word and
    stays; anything else at an edge is not part of the quote.
    """
    while True:
        opcodes = Indel.opcodes(quote, window[start:end])
        equal = [op for op in opcodes if op.tag == "equal"]
        if not equal:
            return None
        quote_lead, span_lead = equal[0].src_start, equal[0].dest_start
        quote_tail, span_tail = len(quote) - equal[-1].src_end, end - start - equal[-1].dest_end
        new_start = start + span_lead - min(quote_lead, span_lead, MAX_UNMATCHED_EDGE_WORDS)
        new_end = start + equal[-1].dest_end + min(quote_tail, span_tail, MAX_UNMATCHED_EDGE_WORDS)
        if (new_start, new_end) == (start, end):
            break
        start, end = new_start, new_end
    blocks: list[tuple[range, range]] = []
    for op in opcodes:
        if op.tag == "equal":
            continue
        ours, theirs = range(op.src_start, op.src_end), range(start + op.dest_start, start + op.dest_end)
        if blocks and blocks[-1][0].stop == ours.start and blocks[-1][1].stop == theirs.start:
            previous = blocks.pop()
            ours, theirs = range(previous[0].start, ours.stop), range(previous[1].start, theirs.stop)
        blocks.append((ours, theirs))
    if quote_lead and not blocks[0][1]:
        blocks[0] = (blocks[0][0], range(max(start - quote_lead, 0), start))
    if quote_tail and not blocks[-1][1]:
        blocks[-1] = (blocks[-1][0], range(end, min(end + quote_tail, len(window))))
    edges_matched = quote_lead <= MAX_UNMATCHED_EDGE_WORDS and quote_tail <= MAX_UNMATCHED_EDGE_WORDS
    score = similarity(quote, window[start:end])
    return Alignment(start, end, score, tuple(blocks), edges_matched)


def best_similarity_within(quote: Counter[str], quote_length: int, window_keys: Sequence[str]) -> float:
    """The most `similarity` any span of `window_keys` can reach with a quote of these words, without aligning.

    The words' part counts the quote's words the window holds at all (`shared`), an upper bound on the common
    subsequence of any span of it, and a span is at least as long as what it shares: so no span scores
    above 2 x shared / (quote length + shared) on words, nor above 1 on characters. Aligning costs about a
    hundred times this; most windows a changed quote's rare words point at fail it.
    """
    if not quote_length:
        return 0.0
    held = Counter(window_keys)
    shared = sum(min(count, held[key]) for key, count in quote.items())
    return (1.0 + 2 * shared / (quote_length + shared)) / 2


def similarity(quote: list[str], span: list[str]) -> float:
    """How alike two word sequences are, 0..1: the mean of a character-level and a word-level similarity.

    Characters forgive a changed spelling ("organisation", "customers"), but alone they also give partial
    credit to unrelated words that share letters; words count every changed word in full. The mean keeps
    a plural or a spelling cheap and a replaced word costly.
    """
    characters = Indel.normalized_similarity(" ".join(quote), " ".join(span))
    return (characters + Indel.normalized_similarity(quote, span)) / 2
