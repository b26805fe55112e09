"""The words a fuzzy match may not change: numbers, negations and names.

A similarity score cannot tell "we lost 30%" from "we lost 50%", or "we don't" from "we do": one or
two characters apart, opposite evidence. So after alignment, every place where the quote and the span
differ is inspected: its numbers must be the same on both sides, so must its negations, and a name the
quote gives must be in the source at that place. A name the *source* gives and the quote leaves out
("Stripe" quoted as "it") is tolerated: the kept text is the source's own, name included.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.grounding.results import GroundingFailure
from agent.grounding.tokens import Token, Word

# Characters after which a capital letter is a sentence start, not a name.
_SENTENCE_ENDS = frozenset(".!?…:;")
_OPENERS = frozenset("\"'“‘([—–-")


def name_flags(text: str, tokens: Sequence[Token], lowercase_words: frozenset[str]) -> list[bool]:
    """For each token of a quote: does it look like a proper name?

    A capitalised word counts as a name unless it starts a sentence and the transcript also writes it in
    lower case ("Then" is a word; "Stripe" at a sentence start is still a name). "I" is never a name.
    """
    flags: list[bool] = []
    for token in tokens:
        if not token.capitalised or token.norm == "i" or token.norm.startswith("i'"):
            flags.append(False)
            continue
        flags.append(not _starts_sentence(text, token.start) or token.norm not in lowercase_words)
    return flags


def disagreement(
    quote: Sequence[Word],
    quote_names: Sequence[bool],
    source: Sequence[Word],
    blocks: Sequence[tuple[range, range]],
) -> GroundingFailure | None:
    """The first kind of protected word that differs between quote and source, or None if they agree.

    `blocks` are the aligned places where they differ: (quote positions, source positions).
    """
    for quote_part, span_part in blocks:
        ours = [quote[position] for position in quote_part]
        theirs = [source[position] for position in span_part]
        if sorted(_numbers(ours)) != sorted(_numbers(theirs)):
            return GroundingFailure.NUMBERS_DIFFER
        if sum(word.negation for word in ours) != sum(word.negation for word in theirs):
            return GroundingFailure.NEGATION_DIFFERS
        source_words = {word.key for word in theirs}
        if any(quote_names[position] and quote[position].key not in source_words for position in quote_part):
            return GroundingFailure.NAMES_DIFFER
    return None


def _numbers(words: Sequence[Word]) -> list[str]:
    return [word.number for word in words if word.number is not None]


def _starts_sentence(text: str, offset: int) -> bool:
    position = offset - 1
    while position >= 0 and (text[position].isspace() or text[position] in _OPENERS):
        position -= 1
    return position < 0 or text[position] in _SENTENCE_ENDS
