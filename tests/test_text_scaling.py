"""Text processing is linear: a long unpunctuated sentence, repetitive lines and unlabelled lines cost in proportion
to their size.

One unpunctuated 100 KB sentence once took 227 s offline (quadratic: every cue searched the whole
sentence again); repetitive lines merged into one turn re-summed the turn for every line and piled up
anchors. The inputs are generated here (`benchmarks.text_scaling`), and CPU time is compared at 100 KB
and 400 KB: linear is a ratio of 4, quadratic 16.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from agent.extraction.offline.reading import _MAX_PIECE_WORDS, _WORD, sentence_spans
from benchmarks.text_scaling import offline_mapping_seconds, repetitive_lines, unlabelled_lines, unpunctuated_text


def test_the_extractor_never_considers_a_piece_longer_than_its_guard() -> None:
    text = unpunctuated_text(200_000).removeprefix("Ana: ")
    spans = sentence_spans(text)
    counts = [len(_WORD.findall(text[a:b])) for a, b in spans]
    assert max(counts) <= _MAX_PIECE_WORDS
    assert sum(counts) == len(_WORD.findall(text))  # nothing dropped: the pieces cover every word


def test_a_short_sentence_is_left_whole() -> None:
    text = "We lose customers at the paywall. They never come back."
    assert [text[a:b] for a, b in sentence_spans(text)] == ["We lose customers at the paywall.", "They never come back."]


@pytest.mark.parametrize("make", [unpunctuated_text, repetitive_lines, unlabelled_lines],
                         ids=["unpunctuated", "repetitive-lines", "unlabelled-lines"])
def test_offline_mapping_time_grows_linearly(make: Callable[[int], str]) -> None:
    small = min(offline_mapping_seconds(make(100_000))[1] for _ in range(2))
    large = offline_mapping_seconds(make(400_000))[1]
    assert large / small < 8, f"100 KB: {small:.2f} s CPU, 400 KB: {large:.2f} s CPU"
    assert large < 20
